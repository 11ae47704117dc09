"""Precision and recall of the transcript grader per QA category, on labelled dialogues.

Each labelled dialogue says, per category, whether a QA lead saw a violation (``violated``),
nothing wrong (``met``) or nothing to judge (``na``). The grader "flags" a category when its
report holds a violation of that category (taboo hits count as ``rude``). Per category:
precision = flagged and labelled violated / flagged; recall = flagged and labelled violated /
labelled violated. Each dialogue is graded with the channel (and direction) its label gives.

    python tests/dialogues/evaluate.py                 # every set that is present
    python tests/dialogues/evaluate.py --source written --errors
    python tests/dialogues/evaluate.py --errors complaint_soothed   # one category's errors
    python tests/dialogues/evaluate.py --labels heldout   # the blind held-out labels

``--labels dev`` (the default) reads ``labels/``, the set the grader was developed on;
``--labels heldout``, ``heldout2``, ``heldout3`` and ``heldout4`` read those folders, dialogues labelled
later, blind, each measured once before anything was tuned on it.

The written set (``written.jsonl``) is committed; the public ones are rebuilt into ``.build/``
by ``rebuild.py`` from fetched snapshots.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from phrasecheck import Scorer

HERE = Path(__file__).resolve().parent
CATEGORIES = (
    "greeting",
    "offer_help",
    "phone_intro",
    "closing",
    "thanks_answered",
    "complaint_soothed",
    "wait_announced",
    "callback_contact",
    "rude",
)


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    positives: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class Evaluation:
    dialogues: int = 0
    per_category: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)


def transcripts(source: str) -> dict[str, dict]:
    path = HERE / "written.jsonl" if source == "written" else HERE / ".build" / f"{source}.jsonl"
    if not path.is_file():
        return {}
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    return {record["id"]: record for record in records}


LABEL_SETS = {
    "dev": "labels",
    "heldout": "heldout",
    "heldout2": "heldout2",
    "heldout3": "heldout3",
    "heldout4": "heldout4",
}


def labels(source: str, label_set: str = "dev") -> list[dict]:
    path = HERE / LABEL_SETS[label_set] / f"{source}.jsonl"
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]


def sources(label_set: str = "dev") -> list[str]:
    return sorted(path.stem for path in (HERE / LABEL_SETS[label_set]).glob("*.jsonl"))


def flagged(report) -> dict[str, str]:
    """Category → the first violation message of that category."""
    found: dict[str, str] = {}
    for violation in report.violations:
        found.setdefault(violation.category, violation.message)
    return found


def evaluate(scorer: Scorer, source: str, evaluation: Evaluation, label_set: str = "dev") -> int:
    texts = transcripts(source)
    if not texts:
        return 0
    count = 0
    for label in labels(source, label_set):
        record = texts.get(label["id"])
        if record is None:
            continue
        record = {**record, "channel": label["channel"], "direction": label.get("direction")}
        report = scorer.score(record)
        flags = flagged(report)
        count += 1
        for category in CATEGORIES:
            truth = label["labels"][category] == "violated"
            said = category in flags
            tally = evaluation.per_category[category]
            tally.positives += truth
            if said and truth:
                tally.tp += 1
            elif said:
                tally.fp += 1
                evaluation.errors.append((label["id"], category, "FP", flags[category]))
            elif truth:
                tally.fn += 1
                reason = label.get("reasons", {}).get(category, "")
                evaluation.errors.append((label["id"], category, "FN", reason))
    evaluation.dialogues += count
    return count


def render(evaluation: Evaluation, title: str) -> str:
    lines = [f"{title}: {evaluation.dialogues} dialogues", ""]
    lines.append(f"{'category':<18} {'violated':>8} {'flagged':>8} {'precision':>9} {'recall':>7}")
    total = Tally()
    for category in CATEGORIES:
        tally = evaluation.per_category[category]
        total.tp += tally.tp
        total.fp += tally.fp
        total.fn += tally.fn
        total.positives += tally.positives
        lines.append(_row(category, tally))
    lines.append(_row("all", total))
    return "\n".join(lines)


def _row(name: str, tally: Tally) -> str:
    def fmt(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    flagged_count = tally.tp + tally.fp
    return (
        f"{name:<18} {tally.positives:>8} {flagged_count:>8} "
        f"{fmt(tally.precision):>9} {fmt(tally.recall):>7}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", action="append", help="only these sets (repeatable)")
    parser.add_argument(
        "--labels", choices=sorted(LABEL_SETS), default="dev", help="which labels to measure"
    )
    parser.add_argument(
        "--errors",
        nargs="?",
        const="all",
        choices=["all", *CATEGORIES],
        help="list every disagreement, or only those of one category",
    )
    parser.add_argument(
        "--profile", help="a score profile file to grade with (default: the bundled one)"
    )
    args = parser.parse_args(argv)
    scorer = Scorer(profile=args.profile)
    overall = Evaluation()
    chosen = args.source or sources(args.labels)
    for source in chosen:
        single = Evaluation()
        if not evaluate(scorer, source, single, args.labels):
            print(f"{source}: no text (run tests/dialogues/rebuild.py)", file=sys.stderr)
            continue
        print(render(single, source), end="\n\n")
        for category, tally in single.per_category.items():
            merged = overall.per_category[category]
            merged.tp += tally.tp
            merged.fp += tally.fp
            merged.fn += tally.fn
            merged.positives += tally.positives
        overall.dialogues += single.dialogues
        overall.errors += single.errors
    if len(chosen) > 1:
        print(render(overall, "all sets"))
    if args.errors:
        print()
        for dialogue, category, kind, detail in overall.errors:
            if args.errors != "all" and category != args.errors:
                continue
            print(f"{kind} {dialogue} {category}: {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
