"""Parity of the compiled core with the Python engine on many generated utterances.

The Python engine is the reference. For each utterance of ``corpus.py`` this compares the
core's normalization and offsets with the Python engine's, and the hits of Checkers using
the core — ``_use_engine("core-exact")`` (the core normalizes and scans) and
``_use_engine("core")`` (the core finds the hits, through ``find_many``, slips included) —
with the Python Checker's, and counts the texts the core still hands to the Python engine.
Exits 1 and prints the first differences when anything differs.

    python benchmarks/core_parity.py [--n 200000] [--seed 7]
"""

from __future__ import annotations

import argparse
import sys
import time

import corpus  # benchmarks/corpus.py: the script's folder is on sys.path

from phrasecheck import Checker
from phrasecheck.normalize import Normalized


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    texts = corpus.utterances(args.n, seed=args.seed)
    python = Checker()._use_engine("python")  # the reference; the default engine is the core
    core = Checker(python.rules)._use_engine("core-exact")
    full = Checker(python.rules)._use_engine("core")
    assert core._core is not None and full._core is not None
    scanned = core._core.core
    fallbacks = 0
    started = time.perf_counter()
    differences: list[str] = []
    hits = 0
    batch = 2000
    for low in range(0, len(texts), batch):
        chunk = texts[low : low + batch]
        for text, (normalized, offsets, *_rest) in zip(
            chunk, scanned.scan_many(chunk), strict=True
        ):
            doc = Normalized(text)
            if normalized != doc.normalized or offsets != list(doc.offsets):
                differences.append(f"normalization differs: {text!r}")
        fallbacks += sum(found is None for found in full._core.find_many(chunk))
        for text, found in zip(chunk, full.find_many(chunk), strict=True):
            expected = python.find(text)
            hits += bool(expected)
            if core.find(text) != expected:
                differences.append(f"hits differ (core-exact): {text!r}")
            if found != expected:
                differences.append(f"hits differ (core): {text!r}")
        if len(differences) >= 20:
            break
    seconds = time.perf_counter() - started
    if differences:
        print("\n".join(differences[:20]))
        print(f"{len(differences)} differences in the first {low + batch} utterances")
        return 1
    print(
        f"{len(texts)} utterances: identical normalization, offsets and hits "
        f"({hits} with hits) in {seconds:.1f} s; the core found {len(texts) - fallbacks} "
        f"alone, {fallbacks} went to the Python engine"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
