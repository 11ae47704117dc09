"""Where one batch worker's time goes: ``phrasecheck score``'s stages, timed in one process.

Why: the end-to-end figure of ``bench_batch.py`` says how fast, not why. This script runs the
batch path of whatever ``phrasecheck`` is importable (this tree, or another checkout's ``src``
on ``PYTHONPATH``, so that the same split can be taken of the code before a change) in one
process, with a timer around each stage's functions. Each timer counts its function's own time
(time spent in another timed function inside it goes to that one), so the stages add up.

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
    *(
        ("phrasecheck.speech", name, "speech tests")
        for name in (
            "asks_customer",
            "checks_the_line",
            "continues_exchange",
            "greets_next",
            "in_question",
            "is_closing_remark",
            "is_line_check",
            "is_request",
            "is_sticker",
            "is_system_line",
            "phone_number",
            "shows_speech",
        )
    ),
    ("phrasecheck.scoring", "Scorer.score", "scoring logic"),
    ("phrasecheck.scoring", "Scorer.report_data", "scoring logic"),
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
    """Own time per stage: a timed call inside another is taken out of the outer one."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.inner = [0.0]  # per open call: time spent in timed calls inside it

    def wrap(self, function: Callable[..., Any], stage: str) -> Callable[..., Any]:
        seconds, inner, clock = self.seconds, self.inner, time.perf_counter

        def timed(*args: Any, **kwargs: Any) -> Any:
            inner.append(0.0)
            started = clock()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = clock() - started
                nested = inner.pop()
                seconds[stage] += elapsed - nested
                inner[-1] += elapsed

        return timed


def install(clock: Clock) -> list[str]:
    """Wrap every probe this version has, wherever a phrasecheck module holds it."""
    found = []
    for module_name, path, stage in PROBES:
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

    clock.seconds.clear()
    seconds = clock.seconds
    started = time.perf_counter()
    records = list(islice(read_inputs([file]), n))
    seconds["read"] += time.perf_counter() - started

    # What the pool sends: chunks of tasks to a worker, lists of results back.
    chunk = getattr(batch, "CHUNK", 64)
    started = time.perf_counter()
    for at in range(0, len(records), chunk):
        pickle.loads(pickle.dumps(records[at : at + chunk], pickle.HIGHEST_PROTOCOL))
    seconds["transfer"] += time.perf_counter() - started

    out = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    write = batch._writer(out) if hasattr(batch, "_writer") else out.write
    tally = Tally()
    before = sum(seconds.values())
    began = time.perf_counter()
    results = [
        [batch.score_record(r) for r in records[at : at + chunk]]
        for at in range(0, len(records), chunk)
    ]
    started = time.perf_counter()
    results = [pickle.loads(pickle.dumps(r, pickle.HIGHEST_PROTOCOL)) for r in results]
    seconds["transfer"] += time.perf_counter() - started
    for result in results:
        for outcome in result:
            written = time.perf_counter()
            write(outcome.output)
            seconds["write"] += time.perf_counter() - written
            try:
                if outcome.error:
                    tally.add_error(outcome.transcript_id)
                else:
                    tally.add(outcome)
            except TypeError:  # the summary of 2026-11-28 took the figures one by one
                tally.add(outcome.agent_id, outcome.score, outcome.passed, outcome.violations)
    out.close()
    loop = time.perf_counter() - began
    seconds["glue"] = max(0.0, loop - (sum(seconds.values()) - before))
    return {stage: seconds.get(stage, 0.0) for stage in ORDER}


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
    start_up = time.perf_counter() - started
    clock = Clock()
    probes = install(clock)
    try:
        batch._install(scorer, "jsonl", None)
    except TypeError:  # the batch module of 2026-11-28 had no channel option
        batch._install(scorer, "jsonl")
    rounds = [one_round(clock, batch, scorer, args.file, args.n) for _ in range(args.rounds)]
    split = {stage: min(r[stage] for r in rounds) for stage in ORDER}
    total = sum(split.values())
    with open(args.file, encoding="utf-8") as handle:
        records = min(args.n, sum(1 for _ in handle))
    if args.json:
        print(json.dumps({"records": records, "start_up": start_up, "total": total,
                          "stages": split, "probes": probes}))
        return
    print(f"{records:,} records; start-up {start_up:.2f} s (not below); least of {args.rounds}")
    for stage in ORDER:
        share = split[stage] / total if total else 0.0
        per = split[stage] / max(1, records) * 1e6
        print(f"{stage:>17s} {split[stage]:8.3f} s {share:6.1%} {per:9.1f} µs/record")
    print(f"{'total':>17s} {total:8.3f} s")


if __name__ == "__main__":
    main()
