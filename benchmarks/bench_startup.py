"""Start-up cost: time and peak memory of a fresh process that checks one utterance.

Why: the CLI's ``check`` command, pre-commit-style hooks and serverless callers pay the import,
rule compilation and (for glued text) jieba's dictionary on every call; batch throughput
hides that. Each measurement runs in a fresh wrapper process so that
``getrusage(RUSAGE_CHILDREN).ru_maxrss`` is the peak RSS of exactly one child; we report the
median of several runs next to a bare ``python -c pass`` measured the same way.

    python benchmarks/bench_startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import unicodedata
from datetime import datetime

# Runs ``argv[1:]`` once and prints its wall time and peak RSS (KiB on Linux) as JSON.
WRAPPER = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_kib": peak}))
"""

CHECK = "import phrasecheck; checker = phrasecheck.Checker(); checker.check({text!r})"
# The baseline of the read-ahead, in the same run: the first Checker's call that starts
# reading jieba's dictionary on a background thread is replaced by one that does nothing, so
# the dictionary is read when the first glued text needs it (as before 2026-11-30 10:00).
ON_DEMAND = "import phrasecheck.checker as c; c.preload_words = lambda: False; " + CHECK
CASES = [
    ("python -c pass", "pass"),
    ("import phrasecheck", "import phrasecheck"),
    ("check, punctuated", CHECK.format(text="您好，请问有什么可以帮助您？")),
    ("check, glued (segmenter)", CHECK.format(text="您好请问有什么可以帮您")),
    ("check, 喂你好 (segmenter)", CHECK.format(text="喂你好")),
    ("  punctuated, no read-ahead", ON_DEMAND.format(text="您好，请问有什么可以帮助您？")),
    ("  glued, no read-ahead", ON_DEMAND.format(text="您好请问有什么可以帮您")),
]
# Any segmenter counts: the core's jieba-rs (loaded when a Checker's segmenter or core asks;
# counted by its registry),
# rjieba, or Python jieba as the fallback.
PROBE = (
    "; import sys; from phrasecheck import _core;"
    " print(_core.loaded_jiebas() > 0 or 'rjieba' in sys.modules or 'jieba' in sys.modules)"
)


def measure(code: str) -> dict:
    """One fresh ``python -c code`` under a fresh wrapper."""
    out = subprocess.run(
        [sys.executable, "-c", WRAPPER, sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def loads_jieba(code: str) -> bool:
    """Whether the case really reaches word segmentation (checked once, untimed)."""
    out = subprocess.run(
        [sys.executable, "-c", code + PROBE],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.strip().endswith("True")


def pad(label: str, width: int) -> str:
    """Left-justify by display width: CJK characters take two columns."""
    wide = sum(unicodedata.east_asian_width(char) in "WF" for char in label)
    return label + " " * max(width - len(label) - wide, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per case (median reported)")
    args = parser.parse_args()

    print(
        f"start-up benchmark — Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{datetime.now().astimezone():%Y-%m-%d %H:%M %z}; median of {args.runs} runs "
        "after one untimed warm-up run per case (fills OS and jieba caches)"
    )
    columns = f"{'segmenter':>10s}{'time ms':>10s}{'+ms':>9s}{'peak RSS MiB':>14s}{'+MiB':>8s}"
    print(f"{'case':36s}{columns}")
    bare = None
    for label, code in CASES:
        jieba = loads_jieba(code)  # doubles as the warm-up run
        runs = [measure(code) for _ in range(args.runs)]
        ms = statistics.median(r["seconds"] for r in runs) * 1000
        mib = statistics.median(r["peak_kib"] for r in runs) / 1024
        bare = bare or (ms, mib)
        print(
            f"{pad(label, 36)}{'yes' if jieba else 'no':>10s}{ms:>10.0f}"
            f"{ms - bare[0]:>+9.0f}{mib:>14.1f}{mib - bare[1]:>+8.1f}"
        )


if __name__ == "__main__":
    main()
