"""End-to-end batch scoring through the real CLI, with 1 and 2 worker processes.

Why: QA teams score a day's calls in one ``phrasecheck score`` run, so what matters is the
whole pipeline — reading JSONL, scoring every turn, writing reports — and whether the
worker processes pay off on a small machine. The corpus is written once to a temp file
(reused on later runs of the same size) so that generating it is never timed.

    python benchmarks/bench_batch.py [--transcripts 100000] [--turns 20] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import corpus  # benchmarks/corpus.py: the script's folder is on sys.path

import phrasecheck

WORK = Path(tempfile.gettempdir()) / "phrasecheck-bench"


def corpus_file(n: int, turns: int, seed: int) -> Path:
    """The generated JSONL corpus of this size, written once and reused."""
    path = WORK / f"transcripts-n{n}-t{turns}-s{seed}.jsonl"
    if path.exists():
        print(f"corpus: reusing {path}")
        return path
    WORK.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    started = time.perf_counter()
    with partial.open("w", encoding="utf-8") as handle:
        for transcript in corpus.transcripts(n, seed=seed, turns=turns):
            handle.write(json.dumps(transcript, ensure_ascii=False) + "\n")
    partial.rename(path)  # only a complete file is ever reused
    print(f"corpus: wrote {path} in {time.perf_counter() - started:.0f} s")
    return path


def score(path: Path, workers: int) -> float:
    """Seconds for one ``phrasecheck score`` run (process start-up included)."""
    out = WORK / f"{path.stem}.w{workers}.out.jsonl"
    command = [sys.executable, "-m", "phrasecheck.cli", "score", str(path), "-o", str(out)]
    command += ["-q", "--workers", str(workers)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1 = some transcript failed the standard: expected
        sys.exit(f"phrasecheck score exited {done.returncode}:\n{done.stderr}")
    verify(path, out)
    out.unlink()
    return seconds


def verify(path: Path, out: Path) -> None:
    """One output line per input line, and no error records."""
    with path.open(encoding="utf-8") as handle:
        expected = sum(1 for _ in handle)
    lines = errors = 0
    with out.open(encoding="utf-8") as handle:
        for line in handle:
            lines += 1
            errors += '"error":' in line
    if lines != expected or errors:
        sys.exit(f"{out}: {lines} lines for {expected} inputs, {errors} error records")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=100_000)
    parser.add_argument("--turns", type=int, default=20, help="turns per transcript")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="runs per worker count (median)")
    args = parser.parse_args()

    print(
        f"phrasecheck {phrasecheck.__version__} batch benchmark — Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{datetime.now().astimezone():%Y-%m-%d %H:%M %z}"
    )
    path = corpus_file(args.transcripts, args.turns, args.seed)
    n = args.transcripts
    agent = n * ((args.turns + 1) // 2)
    print(
        f"{n:,d} transcripts × {args.turns} turns ({agent:,d} agent utterances, "
        f"{path.stat().st_size / 2**20:.0f} MiB); `phrasecheck score FILE -o OUT -q --workers N`, "
        f"wall time incl. start-up, median of {args.repeat}; output verified: 1 line per input"
    )
    header = ("workers", 7), ("seconds", 10), ("transcripts/s", 15), ("agent utt/s", 13)
    print("".join(f"{name:>{width}s}" for name, width in header) + f"{'speed-up':>10s}")
    first = None
    for workers in args.workers:
        seconds = statistics.median(score(path, workers) for _ in range(args.repeat))
        first = first or seconds
        print(
            f"{workers:>7d}{seconds:>10.1f}{n / seconds:>15,.0f}{agent / seconds:>13,.0f}"
            f"{first / seconds:>9.2f}×"
        )
    per_second = agent / seconds
    print(
        f"projected for 1,000,000 agent utterances with {args.workers[-1]} workers "
        f"(same transcript shape): {1_000_000 / per_second / 60:.1f} min"
    )


if __name__ == "__main__":
    main()
