"""Check speed of this tree against another checkout, on one fixed corpus, interleaved.

Why: ``bench_check.py`` builds its corpus from the rule files of the tree it runs in, so a
change that adds wordings also changes what is measured. This script writes the corpus once,
from the *baseline's* rules, then times ``Checker.check`` on it in fresh processes, baseline
and this tree alternately, in CPU time (the machine is shared; CPU time moves less than wall
time). It prints each round's ratio, their median, and the best-of-rounds ratio.

    python benchmarks/bench_versus.py --baseline-src /path/to/other/src [--rounds 6] [--n 8000]

``--baseline-src`` is the ``src`` folder of another checkout (e.g. ``git archive main``
unpacked); its ``benchmarks/corpus.py`` and ``data/`` are used for the corpus.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CORPUS = """
import json, sys
sys.path.insert(0, sys.argv[1])
from corpus import utterances
n = int(sys.argv[2])
json.dump({"short": utterances(n), "long": utterances(n // 2, length=100)},
          open(sys.argv[3], "w", encoding="utf-8"), ensure_ascii=False)
"""

TIMED = """
import json, sys, time
from phrasecheck import Checker
data = json.load(open(sys.argv[1], encoding="utf-8"))
checker = Checker()
checker.warm_up()
for text in data["short"][:2000]:
    checker.check(text)
out = []
for name in ("short", "long"):
    texts, best = data[name], float("inf")
    for _ in range(3):
        started = time.process_time()
        for text in texts:
            checker.check(text)
        best = min(best, (time.process_time() - started) / len(texts) * 1e6)
    out.append(best)
print(*out)
"""


def run(code: str, args: list[str], src: str | None) -> str:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if src:
        env["PYTHONPATH"] = src
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True
    ).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline-src", required=True, help="src folder of the other checkout")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--n", type=int, default=8000, help="short utterances (long: n/2)")
    args = parser.parse_args()
    baseline = Path(args.baseline_src).resolve()
    with tempfile.TemporaryDirectory() as folder:
        corpus = str(Path(folder) / "corpus.json")
        run(CORPUS, [str(baseline.parent / "benchmarks"), str(args.n), corpus], str(baseline))
        rounds = []
        for _ in range(args.rounds):
            theirs = [float(x) for x in run(TIMED, [corpus], str(baseline)).split()]
            ours = [float(x) for x in run(TIMED, [corpus], None).split()]
            rounds.append((theirs, ours))
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; µs of CPU per check")
    for index, name in enumerate(("short (8-60 chars)", "100 characters")):
        ratios = [ours[index] / theirs[index] for theirs, ours in rounds]
        best_theirs = min(theirs[index] for theirs, _ in rounds)
        best_ours = min(ours[index] for _, ours in rounds)
        print(
            f"{name}: baseline {best_theirs:.1f}, this tree {best_ours:.1f} (best of rounds, "
            f"ratio {best_ours / best_theirs:.3f}); median per-round ratio "
            f"{statistics.median(ratios):.3f} ({', '.join(f'{r:.2f}' for r in ratios)})"
        )


if __name__ == "__main__":
    main()
