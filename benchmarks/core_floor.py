"""The compiled core's stages against the peer: what a `find` target can and cannot ask.

Why: ``bench_peer.py`` gives ``find`` at about half the peer's speed, and the target is twice
the peer. This script says where the core's time goes with no Python around it, so that the
distance to a target is read stage by stage. It writes the bundled standard's plan and the
generated agent turns of ``bench_peer.py`` (``corpus.py``) to a temporary folder, runs the
Rust bench ``benches/core_stages.rs`` over them (``cargo bench``, release build; stages:
normalize, normalize + automaton scan, jieba-rs cut of every text, the whole engine; time and
allocations per text), and
times the peer (matcher_py's ``SimpleMatcher.process`` and ``batch_process``, configured as
in ``bench_peer.py``) on the same texts before and after it, the least of each; then the
core's and the Checker's ``find_many`` from Python.

    python benchmarks/core_floor.py [--n 20000] [--rounds 5]

Needs the bench extra (``pip install -e '.[bench]'``) and cargo.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import corpus  # benchmarks/corpus.py: the script's folder is on sys.path
from bench_peer import BATCH, peer_matcher

import phrasecheck

ROOT = Path(__file__).resolve().parent.parent


def least_ns(work: Callable[[], object], texts: int, rounds: int) -> float:
    """Nanoseconds per text of ``work`` over ``texts`` texts, the least of ``rounds`` runs."""
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best / texts * 1e9


def core_stages(plan: str, texts: list[str], rounds: int) -> dict[str, float]:
    """The Rust bench's figures: nanoseconds per text for each stage."""
    with tempfile.TemporaryDirectory() as folder:
        plan_path, texts_path = Path(folder, "plan.json"), Path(folder, "texts.txt")
        plan_path.write_text(plan, encoding="utf-8")
        texts_path.write_text("".join(t + "\n" for t in texts), encoding="utf-8")
        run = subprocess.run(
            [
                "cargo",
                "bench",
                "--quiet",
                "--bench",
                "core_stages",
                "--",
                str(plan_path),
                str(texts_path),
                str(rounds),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    if run.returncode:
        raise SystemExit(f"cargo bench failed ({run.returncode}):\n{run.stderr}")
    figures: dict[str, float] = json.loads(run.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000, help="utterances")
    parser.add_argument("--rounds", type=int, default=5, help="runs per figure (least kept)")
    args = parser.parse_args()
    # One text per line for the bench: a line break inside a turn becomes a space.
    texts = [" ".join(t.splitlines()) for t in corpus.utterances(args.n)]
    checker = phrasecheck.Checker()
    checker.warm_up()
    plan = checker._core.__reduce__()[1][0]
    peer, _ = peer_matcher()

    def peer_figures() -> tuple[float, float]:
        process = least_ns(lambda: [peer.process(t) for t in texts], len(texts), args.rounds)
        batches = least_ns(
            lambda: [peer.batch_process(texts[i : i + BATCH]) for i in range(0, len(texts), BATCH)],
            len(texts),
            args.rounds,
        )
        return process, batches

    before = peer_figures()
    stages = core_stages(plan, texts, args.rounds)
    after = peer_figures()
    process, batches = min(before[0], after[0]), min(before[1], after[1])
    core = checker._core
    core_many = least_ns(
        lambda: [core.find_many(texts[i : i + BATCH]) for i in range(0, len(texts), BATCH)],
        len(texts),
        args.rounds,
    )
    ours = least_ns(
        lambda: [checker.find_many(texts[i : i + BATCH]) for i in range(0, len(texts), BATCH)],
        len(texts),
        args.rounds,
    )
    print(
        f"{stages['texts']:,.0f} generated agent turns, {stages['hits']:,.0f} hits; nanoseconds "
        f"per text, least of {args.rounds}; the peer ran before and after the core's bench"
    )
    rows = [
        ("peer SimpleMatcher.process", process, None),
        ("peer batch_process", batches, None),
        ("core: normalize", stages["normalize"], stages["normalize_allocations"]),
        ("core: normalize + scan", stages["scan"], stages["scan_allocations"]),
        ("core: jieba-rs cut of every text", stages["cut"], stages["cut_allocations"]),
        ("core: whole engine (find)", stages["find"], stages["find_allocations"]),
        ("Core.find_many (plain tuples)", core_many, None),
        ("Checker.find_many", ours, None),
    ]
    print(f"\n{'':36s}{'ns/text':>9s}{'/ peer process':>16s}{'allocations/text':>18s}")
    for name, figure, allocated in rows:
        count = "" if allocated is None else f"{allocated:.1f}"
        print(f"{name:36s}{figure:>9.0f}{figure / process:>16.2f}{count:>18s}")
    budget = process / 2
    print(
        f"\nfind at 2× the peer leaves {budget:.0f} ns a text for everything; normalize + "
        f"scan alone take {stages['scan']:.0f} ns ({stages['scan'] / budget:.0%} of it), "
        f"the whole engine {stages['find']:.0f} ns ({stages['find'] / budget:.1f}× it), "
        f"Checker.find_many {ours:.0f} ns ({ours / budget:.1f}× it)."
    )


if __name__ == "__main__":
    main()
