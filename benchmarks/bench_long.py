"""Long texts: does the time to check a text grow with its length, or with its square?

Why: a service or a batch run may be handed a whole unpunctuated transcript as one text, with
thousands of candidates in one clause. Every stage that compares candidates with each other
(nesting, exceptions, windows a rule already matched, the clause a first-person wording is read
in) must stay near linear, or one such text stalls a worker for minutes (before the indexes of
2026-11-30, 32,000 repeats of 我也不知道他们什么时候来 took 437 s). For each unit the script times
``Checker.find`` on ``--small`` and ``--small × --factor`` copies in one run and prints the
time per character and the growth: the large time over the small one, divided by the factor
(1.0 is linear; the factor itself would be quadratic).

    python benchmarks/bench_long.py [--small 2000] [--factor 16]
"""

from __future__ import annotations

import argparse
import time

import phrasecheck

UNITS = [
    "我也不知道他们什么时候来",  # first person: one unpunctuated clause
    "请问您找谁",  # a taboo wording inside a polite one, and its rule's exception
    "急什么烦死人了",  # nested taboo hits
    "有本事你就去告",  # a slip, repeated
    "您好，请问有什么可以帮您？",  # polite, punctuated
]


def seconds(checker: phrasecheck.Checker, text: str) -> float:
    started = time.perf_counter()
    checker.find(text)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--small", type=int, default=2000, help="copies of a unit in the short text"
    )
    parser.add_argument(
        "--factor", type=int, default=16, help="how many times longer the long one is"
    )
    args = parser.parse_args()
    checker = phrasecheck.Checker()
    checker.warm_up()
    print(f"{'chars':>10s}{'µs/char':>9s}{'chars':>11s}{'µs/char':>9s}{'growth':>8s}  unit")
    for unit in UNITS:
        short, long = unit * args.small, unit * (args.small * args.factor)
        small = min(seconds(checker, short) for _ in range(3))
        large = seconds(checker, long)
        print(
            f"{len(short):>10,d}{small / len(short) * 1e6:>9.2f}{len(long):>11,d}"
            f"{large / len(long) * 1e6:>9.2f}{large / small / args.factor:>8.2f}  {unit}"
        )


if __name__ == "__main__":
    main()
