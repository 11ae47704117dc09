"""Where one batch worker's time goes: ``phrasecheck score``'s stages, timed in one process.

Why: the end-to-end figure of ``bench_batch.py`` says how fast, not why. This script runs the
batch path of whatever ``phrasecheck`` is importable (this tree, or another checkout's ``src``
on ``PYTHONPATH``, so that the same split can be taken of the code before a change) in one
process, with a timer around each stage's functions. Each timer counts its function's own time
(time spent in another timed function inside it goes to that one), so the stages add up.
Times are process CPU time, the least of ``--rounds`` rounds per stage; each timed call adds
a fraction of a microsecond of its own (the speech tests, called most often, pay most).

Stages: read (lines from the file), parse (JSON), transcript model, matcher (``Checker.find``
and ``find_many``: the utterance engine, rules and word segmenter), speech tests (speech.py),
scoring logic (the rest of ``Scorer.score``), report model (pydantic), serialise (report →
JSON line), outcome (the summary's figures), transfer (pickling tasks and results as the
worker pool does, both ways), summary (the tally), write, and glue (what is left of the loop).

    python benchmarks/stages.py FILE [--n 2000] [--json]

Functions named below that a version does not have are skipped, so the same script measures
the code before and after a change.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import pickle
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from itertools import islice
from typing import Any

# (module, attribute path, stage): a function or method timed as part of that stage.
PROBES = [
    ("phrasecheck.readers", "decode_record", "parse"),
    ("phrasecheck.readers", "parse_json", "parse"),
    ("phrasecheck.transcript", "Transcript.coerce", "transcript model"),
    ("phrasecheck.transcript", "Transcript.model_validate", "transcript model"),
    ("phrasecheck.transcript", "Transcript.from_data", "transcript model"),
    ("phrasecheck.checker", "Checker.find", "matcher"),
    ("phrasecheck.checker", "Checker.find_many", "matcher"),
    ("phrasecheck.scoring", "Scorer.score", "scoring logic"),
    ("phrasecheck.scoring", "Scorer.report_data", "scoring logic"),
    ("phrasecheck.scoring", "Scorer.report_data_many", "scoring logic"),
    ("phrasecheck.report", "ScoreReport.model_validate", "report model"),
    ("phrasecheck.report", "ScoreReport.model_construct", "report model"),
    ("phrasecheck.report", "ScoreReport.model_dump_json", "serialise"),
    ("phrasecheck.report", "ScoreReport.model_dump", "serialise"),
    ("phrasecheck.reportjson", "report_json", "serialise"),
    ("phrasecheck.batch", "_format_report", "serialise"),
    ("phrasecheck.batch", "Outcome.of", "outcome"),
    ("phrasecheck.batch", "Outcome.of_data", "outcome"),
    ("phrasecheck.summary", "Tally.add", "summary"),
    ("phrasecheck.summary", "Tally.add_error", "summary"),
]
# Process CPU time, not wall time: the machine is shared, and a process waiting for a core
# would otherwise charge the wait to whatever stage it was in.
CLOCK = time.process_time

ORDER = [
    "read",
    "parse",
    "transcript model",
    "matcher",
    "speech tests",
    "scoring logic",
    "report model",
    "serialise",
    "outcome",
    "transfer",
    "summary",
    "write",
    "glue",
]


class Clock:
    """Own time per stage: a timed call inside another is taken out of the outer one.

    A timed call costs some time of its own, partly inside its window and partly in its
    caller's; :meth:`calibrate` measures both on a function that does nothing, and
    :meth:`corrected` takes them out, counted per stage.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)  # timed calls of a stage
        self.children: dict[str, int] = defaultdict(int)  # timed calls made from a stage
        self.inner = [0.0]  # per open call: time spent in timed calls inside it
        self.stack = ["glue"]
        self.own = self.caller = 0.0  # seconds a timed call adds to itself and to its caller

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()
        self.children.clear()

    def wrap(self, function: Callable[..., Any], stage: str) -> Callable[..., Any]:
        seconds, inner, clock, stack = self.seconds, self.inner, CLOCK, self.stack
        calls, children = self.calls, self.children

        def timed(*args: Any, **kwargs: Any) -> Any:
            calls[stage] += 1
            children[stack[-1]] += 1
            stack.append(stage)
            inner.append(0.0)
            started = clock()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = clock() - started
                nested = inner.pop()
                stack.pop()
                seconds[stage] += elapsed - nested
                inner[-1] += elapsed

        return timed

    def calibrate(self, rounds: int = 20_000) -> None:
        """What a timed call costs: a no-op timed inside a timed loop, against the same loop
        calling the bare no-op."""

        def nothing() -> None:
            return None

        timed_nothing = self.wrap(nothing, "calibrate")

        def loop(call: Callable[[], None]) -> None:
            for _ in range(rounds):
                call()

        timed_loop = self.wrap(loop, "calibrate loop")
        best_own = best_caller = float("inf")
        for _ in range(5):
            self.reset()
            started = CLOCK()
            loop(nothing)
            bare = CLOCK() - started
            timed_loop(timed_nothing)
            best_own = min(best_own, self.seconds["calibrate"] / rounds)
            best_caller = min(best_caller, (self.seconds["calibrate loop"] - bare) / rounds)
        self.own, self.caller = max(0.0, best_own), max(0.0, best_caller)
        self.reset()

    def corrected(self) -> dict[str, float]:
        """Own time per stage less what its timers cost."""
        return {
            stage: max(
                0.0,
                seconds - self.calls[stage] * self.own - self.children[stage] * self.caller,
            )
            for stage, seconds in self.seconds.items()
        }


def _probes() -> list[tuple[str, str, str]]:
    """PROBES, and every public function of ``phrasecheck.speech`` in the version under
    test (its ``__all__``), timed as the speech tests."""
    try:
        speech = importlib.import_module("phrasecheck.speech")
    except ImportError:
        return PROBES
    tests = [("phrasecheck.speech", name, "speech tests") for name in speech.__all__]
    return [*PROBES, *tests]


def install(clock: Clock) -> list[str]:
    """Wrap every probe this version has, wherever a phrasecheck module holds it."""
    found = []
    for module_name, path, stage in _probes():
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        *owners, name = path.split(".")
        owner: Any = module
        for part in owners:
            owner = getattr(owner, part, None)
        if owner is None or name not in dir(owner):
            continue
        raw = owner.__dict__.get(name) if isinstance(owner, type) else None
        if isinstance(raw, (classmethod, staticmethod)) or (
            raw is None and isinstance(owner, type) and hasattr(getattr(owner, name), "__self__")
        ):
            bound = getattr(owner, name)  # a classmethod, bound to the class
            setattr(owner, name, staticmethod(clock.wrap(bound, stage)))
        elif isinstance(owner, type):
            setattr(owner, name, clock.wrap(getattr(owner, name), stage))
        else:
            original = getattr(owner, name)
            timed = clock.wrap(original, stage)
            for loaded in list(sys.modules.values()):  # `from x import f` copies too
                if getattr(loaded, "__name__", "").startswith("phrasecheck"):
                    for attribute, value in list(vars(loaded).items()):
                        if value is original:
                            setattr(loaded, attribute, timed)
        found.append(f"{module_name}.{path}")
    return found


def one_round(clock: Clock, batch: Any, scorer: Any, file: str, n: int) -> dict[str, float]:
    """Read, score, pass between processes, write and count ``n`` records once."""
    from phrasecheck.readers import read_inputs
    from phrasecheck.summary import Tally

    clock.reset()
    seconds = clock.seconds
    started = CLOCK()
    records = list(islice(read_inputs([file]), n))
    seconds["read"] += CLOCK() - started

    # What the pool sends: chunks of tasks to a worker, lists of results back.
    chunk = getattr(batch, "CHUNK", 64)
    started = CLOCK()
    for at in range(0, len(records), chunk):
        pickle.loads(pickle.dumps(records[at : at + chunk], pickle.HIGHEST_PROTOCOL))
    seconds["transfer"] += CLOCK() - started

    out = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    write = batch._writer(out) if hasattr(batch, "_writer") else out.write
    tally = Tally()
    transfer_before = seconds["transfer"]
    began = CLOCK()
    if hasattr(batch, "score_records"):  # a worker scores a chunk at once (since 2026-11-30)
        results = [
            batch.score_records(records[at : at + chunk]) for at in range(0, len(records), chunk)
        ]
    else:
        results = [
            [batch.score_record(r) for r in records[at : at + chunk]]
            for at in range(0, len(records), chunk)
        ]
    started = CLOCK()
    results = [pickle.loads(pickle.dumps(r, pickle.HIGHEST_PROTOCOL)) for r in results]
    seconds["transfer"] += CLOCK() - started
    for result in results:
        for outcome in result:
            written = CLOCK()
            write(outcome.output)
            seconds["write"] += CLOCK() - written
            try:
                if outcome.error:
                    tally.add_error(outcome.transcript_id)
                else:
                    tally.add(outcome)
            except TypeError:  # the summary of 2026-11-28 took the figures one by one
                tally.add(outcome.agent_id, outcome.score, outcome.passed, outcome.violations)
    out.close()
    loop = CLOCK() - began
    own = clock.corrected()
    raw = sum(v for k, v in seconds.items() if k != "read") - transfer_before
    own["glue"] = max(0.0, loop - raw - clock.children["glue"] * clock.caller)
    return {stage: own.get(stage, 0.0) for stage in ORDER}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--n", type=int, default=2000, help="records to score")
    parser.add_argument("--rounds", type=int, default=3, help="each stage: the least of these")
    parser.add_argument("--json", action="store_true", help="print the split as JSON")
    args = parser.parse_args()

    import phrasecheck.batch as batch
    from phrasecheck.scoring import Scorer

    started = time.perf_counter()
    scorer = Scorer()
    scorer.checker.warm_up()
    scorer.customer_checker.warm_up()
    start_up = time.perf_counter() - started
    if hasattr(batch, "_frozen_heap"):  # as a worker runs since 2026-11-30 (see batch.py)
        gc.freeze()
    try:
        batch._install(scorer, "jsonl", None)
    except TypeError:  # the batch module of 2026-11-28 had no channel option
        batch._install(scorer, "jsonl")
    clock = Clock()
    bare = min(
        sum(one_round(clock, batch, scorer, args.file, args.n).values())
        for _ in range(args.rounds)
    )
    clock.calibrate()
    probes = install(clock)
    rounds = [one_round(clock, batch, scorer, args.file, args.n) for _ in range(args.rounds)]
    split = {stage: min(r[stage] for r in rounds) for stage in ORDER}
    total = sum(split.values())
    with open(args.file, encoding="utf-8") as handle:
        records = min(args.n, sum(1 for _ in handle))
    if args.json:
        print(json.dumps({"records": records, "start_up": start_up, "total": total,
                          "untimed": bare, "stages": split, "probes": probes}))
        return
    print(
        f"{records:,} records; start-up {start_up:.2f} s (not below); CPU time, least of "
        f"{args.rounds} rounds; without timers the loop took {bare:.3f} s; a timer costs "
        f"{clock.own * 1e6:.2f} + {clock.caller * 1e6:.2f} µs, taken out below"
    )
    for stage in ORDER:
        share = split[stage] / total if total else 0.0
        per = split[stage] / max(1, records) * 1e6
        print(f"{stage:>17s} {split[stage]:8.3f} s {share:6.1%} {per:9.1f} µs/record")
    print(f"{'total':>17s} {total:8.3f} s")


if __name__ == "__main__":
    main()
