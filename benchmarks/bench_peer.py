"""phrasecheck against the fastest peer, matcher_py (Lips7/Matcher, a Rust core on PyPI).

Why: users choose a checker on speed too. The peer is configured as close to our task as it
goes: every clause of the standard's 50 phrases (T01–T30, P01–P20; split at punctuation) as
a word, matched after traditional→simplified, noise deletion and width folding
(``ProcessType.VARIANT_NORM | DELETE | NORMALIZE``). It does less than we do (no offsets,
slips, word boundaries, exceptions or nesting), which is why the ratio matters and not the
hit counts. In one run, on the same generated agent turns (``corpus.py``), interleaved:

* ``Checker.check`` and ``Checker.find``, ``check_many`` and ``find_many`` (one call per
  batch of 1,000), and the core's own ``find_many`` (plain tuples, no models), against
  ``SimpleMatcher.process`` and ``batch_process``;
* one thread against two threads calling the batch calls (the core and the peer release
  the GIL).

    python benchmarks/bench_peer.py [--n 20000] [--repeat 3]

Needs the bench extra: ``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import re
import statistics
import threading
import time
from collections.abc import Callable
from datetime import datetime

import corpus  # benchmarks/corpus.py: the script's folder is on sys.path
from matcher_py import ProcessType, SimpleMatcher

import phrasecheck

BATCH = 1000
_CLAUSE_BREAK = re.compile(r"[，。！？、；：,.!?;:\s…]+")


def peer_matcher() -> tuple[SimpleMatcher, int]:
    """The peer, holding each clause of the standard's 50 phrases as one word."""
    clauses: dict[str, None] = {}
    for rule in phrasecheck.load_rules():
        for clause in _CLAUSE_BREAK.split(rule.phrase):
            if clause:
                clauses[clause] = None
    process = ProcessType.VARIANT_NORM | ProcessType.DELETE | ProcessType.NORMALIZE
    table = {process: {number: clause for number, clause in enumerate(clauses, 1)}}
    return SimpleMatcher.from_dict(table), len(clauses)


def per_text(function: Callable[[str], object]) -> Callable[[list[str]], object]:
    return lambda texts: [function(text) for text in texts]


def batched(function: Callable[[list[str]], object]) -> Callable[[list[str]], object]:
    return lambda texts: [function(texts[i : i + BATCH]) for i in range(0, len(texts), BATCH)]


def timed(work: Callable[[list[str]], object], texts: list[str], threads: int = 1) -> float:
    """Seconds for ``threads`` threads to run ``work`` over their share of ``texts``."""
    gc.collect()
    shares = [texts[i::threads] for i in range(threads)]
    started = time.perf_counter()
    if threads == 1:
        work(texts)
    else:
        workers = [threading.Thread(target=work, args=(share,)) for share in shares]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000, help="utterances")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (median reported)")
    args = parser.parse_args()
    print(
        f"phrasecheck {phrasecheck.__version__} against matcher_py — Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{datetime.now().astimezone():%Y-%m-%d %H:%M %z}"
    )
    texts = corpus.utterances(args.n)
    checker = phrasecheck.Checker()
    checker.warm_up()
    core = checker._core
    peer, words = peer_matcher()
    print(
        f"{len(texts)} utterances, mean {sum(map(len, texts)) / len(texts):.1f} chars; "
        f"peer: {words} clauses of the 50 phrases, VARIANT_NORM|DELETE|NORMALIZE; "
        f"batches of {BATCH}; median of {args.repeat} runs"
    )
    found = sum(bool(peer.process(t)) for t in texts), sum(bool(checker.find(t)) for t in texts)
    print(f"texts with a hit: peer {found[0]:,d}, phrasecheck {found[1]:,d}")

    cases: list[tuple[str, Callable[[list[str]], object], int]] = [
        ("peer SimpleMatcher.process", per_text(peer.process), 1),
        ("peer batch_process", batched(peer.batch_process), 1),
        ("Checker.check", per_text(checker.check), 1),
        ("Checker.find", per_text(checker.find), 1),
        ("check_many", batched(checker.check_many), 1),
        ("find_many", batched(checker.find_many), 1),
        ("Core.find_many (tuples, no Python)", batched(core.find_many), 1),
        ("peer batch_process, 2 threads", batched(peer.batch_process), 2),
        ("check_many, 2 threads", batched(checker.check_many), 2),
        ("find_many, 2 threads", batched(checker.find_many), 2),
        ("Core.find_many, 2 threads", batched(core.find_many), 2),
    ]
    times: dict[str, list[float]] = {name: [] for name, _, _ in cases}
    for run in range(args.repeat):
        for name, work, threads in cases if run % 2 == 0 else reversed(cases):
            times[name].append(timed(work, texts, threads))
    rate = {name: len(texts) / statistics.median(seconds) for name, seconds in times.items()}
    peer_rate = rate["peer SimpleMatcher.process"]
    print(f"\n{'':38s}{'utt/s':>12s}{'µs/utt':>9s}{'× peer process':>16s}")
    for name, _, _ in cases:
        print(
            f"{name:38s}{rate[name]:>12,.0f}{1e6 / rate[name]:>9.1f}{rate[name] / peer_rate:>16.3f}"
        )
    print("\ntwo threads / one thread, same run:")
    for one in (
        "peer batch_process",
        "check_many",
        "find_many",
        "Core.find_many",
    ):
        single = next(name for name in rate if name.split(" (")[0] == one)
        print(f"  {one:36s}{rate[one + ', 2 threads'] / rate[single]:.2f}×")
    print(
        f"\nCheck: {rate['Checker.check'] / peer_rate:.3f}× the peer; "
        f"find: {rate['Checker.find'] / peer_rate:.3f}×; "
        f"find_many: {rate['find_many'] / peer_rate:.3f}×"
    )


if __name__ == "__main__":
    main()
