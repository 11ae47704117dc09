"""Precision and recall of a Checker on a labelled set of utterances.

Run ``phrasecheck eval [DEVSET.jsonl] [--rules PATH] [--pack NAME]`` (or ``python -m
phrasecheck.eval``, the same options); the default set is the repository's
``tests/devset/devset.jsonl``. Each line is
``{"text": ..., "expect": ["T04", "P07"], "group": "traditional"}``; a predicted rule id
counts as a true positive when the line expects it, per utterance (set semantics).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from phrasecheck.checker import Checker
from phrasecheck.rules.kinds import KINDS, kind_of_id

DEFAULT_DEVSET = Path("tests/devset/devset.jsonl")


@dataclass(frozen=True)
class Example:
    text: str
    expect: frozenset[str]
    group: str
    line: int


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class Report:
    per_rule: dict[str, Tally] = field(default_factory=dict)
    per_group: dict[str, Counter] = field(default_factory=dict)
    errors: list[tuple[Example, frozenset[str]]] = field(default_factory=list)
    examples: int = 0
    kinds: dict[str, str] = field(default_factory=dict)  # rule id → its kind

    def kind(self, name: str) -> Tally:
        """The tallies of every rule of kind ``name`` (taboo, polite, cue) added up."""
        total = Tally()
        for rule_id, tally in self.per_rule.items():
            if self.kinds.get(rule_id) == name:
                total.add(tally)
        return total

    def false_taboo_in(self, group: str) -> int:
        return self.per_group.get(group, Counter())["false_taboo"]


def load_examples(path: str | Path) -> list[Example]:
    examples = []
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                examples.append(
                    Example(record["text"], frozenset(record["expect"]), record["group"], number)
                )
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}:{number}: bad example: {error}") from None
    return examples


def evaluate(checker: Checker, examples: Iterable[Example]) -> Report:
    report = Report()
    for example in examples:
        report.examples += 1
        predicted = frozenset(hit.rule_id for hit in checker.check(example.text).hits)
        group = report.per_group.setdefault(example.group, Counter())
        group["examples"] += 1
        for rule_id in predicted | example.expect:
            tally = report.per_rule.setdefault(rule_id, Tally())
            kind = report.kinds.get(rule_id) or _kind(checker, rule_id)
            report.kinds[rule_id] = kind
            if rule_id in predicted and rule_id in example.expect:
                tally.tp += 1
            elif rule_id in predicted:
                tally.fp += 1
                group[f"false_{kind}"] += 1
            else:
                tally.fn += 1
                group[f"missed_{kind}"] += 1
        if predicted != example.expect:
            report.errors.append((example, predicted))
    return report


def _kind(checker: Checker, rule_id: str) -> str:
    """The kind of a predicted or expected id: its rule's, or the one its spelling implies."""
    if rule_id in checker.rules:
        return checker.rules[rule_id].kind
    return kind_of_id(rule_id) or "unknown"


def render(report: Report, show_errors: bool = True) -> str:
    lines = [f"{report.examples} utterances", "", "rule   tp  fp  fn  precision  recall"]
    for rule_id in sorted(report.per_rule):
        t = report.per_rule[rule_id]
        lines.append(
            f"{rule_id:<5} {t.tp:>4} {t.fp:>3} {t.fn:>3}  {t.precision:>9.3f}  {t.recall:>6.3f}"
        )
    lines.append("")
    for label in (name for name in KINDS if name in report.kinds.values()):
        t = report.kind(label)
        lines.append(
            f"{label:<7} precision {t.precision:.3f}  recall {t.recall:.3f}  "
            f"(tp {t.tp}, fp {t.fp}, fn {t.fn})"
        )
    lines.append("")
    lines.append("group          examples  missed_taboo  false_taboo  missed_polite  false_polite")
    for name in sorted(report.per_group):
        g = report.per_group[name]
        lines.append(
            f"{name:<14} {g['examples']:>8}  {g['missed_taboo']:>12}  {g['false_taboo']:>11}"
            f"  {g['missed_polite']:>13}  {g['false_polite']:>12}"
        )
    if show_errors and report.errors:
        lines.append("")
        lines.append("disagreements (line: expected → predicted):")
        for example, predicted in report.errors:
            lines.append(
                f"  {example.line}: {sorted(example.expect)} → {sorted(predicted)}  {example.text}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m phrasecheck.eval", description=__doc__)
    parser.add_argument("devset", nargs="?", default=str(DEFAULT_DEVSET))
    parser.add_argument(
        "--rules", action="append", default=[], help="rule file or folder to add (repeatable)"
    )
    parser.add_argument(
        "--pack", action="append", default=[], help="bundled rule pack to add (repeatable)"
    )
    parser.add_argument(
        "--no-standard", action="store_true", help="leave the bundled standard out"
    )
    parser.add_argument("--quiet", action="store_true", help="omit the list of disagreements")
    args = parser.parse_args(argv)
    if not Path(args.devset).is_file():
        parser.error(f"no labelled set at {args.devset}")
    checker = Checker(args.rules, packs=args.pack, standard=not args.no_standard)
    report = evaluate(checker, load_examples(args.devset))
    print(render(report, show_errors=not args.quiet))
    return 0


if __name__ == "__main__":
    sys.exit(main())
