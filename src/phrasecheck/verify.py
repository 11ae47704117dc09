"""Self-testing rules: every rule's ``examples`` checked against the checker that uses it.

A rule file may give each rule sentences it must find (``examples.hit``) and sentences it must
leave alone (``examples.miss``). A sentence is checked with all the rules in force, as in real
use, since a hit may give way to a longer rule or to polite speech around it. A failure names
the file and line of the sentence, so a QA lead can fix the rule or the example at once::

    my_rules.yaml:14: K01: 请问有没有这回事？: expected no hit, got K01 [3:8] '没有这回事'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from os import PathLike
from typing import Literal

from phrasecheck.checker import Checker
from phrasecheck.resources import bundled_pack_files, bundled_rule_files
from phrasecheck.rules.loader import RuleFileError, expand_rule_paths, pack_file
from phrasecheck.yamlfile import line_of, read_yaml

Expected = Literal["hit", "miss"]


@dataclass(frozen=True)
class Failure:
    """One example the rule got wrong."""

    file: str
    line: int
    rule_id: str
    example: str
    expected: Expected
    got: str  # "none", or the hits that should not be there

    def __str__(self) -> str:
        wanted = "hit" if self.expected == "hit" else "no hit"
        where = f"{self.file}:{self.line}: {self.rule_id}"
        return f"{where}: {self.example}: expected {wanted}, got {self.got}"


@dataclass
class Verification:
    """What a run of ``--verify`` found."""

    rules: int = 0
    examples: int = 0
    failures: list[Failure] = field(default_factory=list)
    without_examples: list[str] = field(default_factory=list)  # rule ids

    @property
    def ok(self) -> bool:
        return not self.failures

    def add(self, other: Verification) -> None:
        self.rules += other.rules
        self.examples += other.examples
        self.failures += other.failures
        self.without_examples += other.without_examples


def verify_files(
    checker: Checker, files: Iterable[str | PathLike[str]], rule_ids: Iterable[str] | None = None
) -> Verification:
    """Check the examples of the rules in ``files`` (each must be among ``checker``'s rules).

    ``rule_ids``, when given, limits the check to those rules.
    """
    wanted = None if rule_ids is None else set(rule_ids)
    result = Verification()
    for file in expand_rule_paths(files):
        data, document = read_yaml(file, RuleFileError)
        items = data.get("rules") if isinstance(data, dict) else None
        for index, item in enumerate(items or []):
            rule_id = str(item.get("id")) if isinstance(item, dict) else ""
            if rule_id not in checker.rules or (wanted is not None and rule_id not in wanted):
                continue
            rule = checker.rules[rule_id]
            result.rules += 1
            if rule.examples is None or not (rule.examples.hit or rule.examples.miss):
                result.without_examples.append(rule_id)
                continue
            groups: tuple[tuple[Expected, list[str]], ...] = (
                ("hit", rule.examples.hit),
                ("miss", rule.examples.miss),
            )
            for expected, sentences in groups:
                for number, sentence in enumerate(sentences):
                    result.examples += 1
                    line = line_of(document, ("rules", index, "examples", expected, number))
                    got = _wrong(checker, rule_id, sentence, expected)
                    if got is not None:
                        result.failures.append(
                            Failure(str(file), line, rule_id, sentence, expected, got)
                        )
    return result


def _wrong(checker: Checker, rule_id: str, sentence: str, expected: Expected) -> str | None:
    """What was wrong with ``sentence``, or None when the rule behaved as expected."""
    hits = checker.check(sentence).hits
    mine = [hit for hit in hits if hit.rule_id == rule_id]
    if expected == "hit":
        if mine:
            return None
        others = sorted({hit.rule_id for hit in hits})
        return "none" + (f" (found {', '.join(others)} instead)" if others else "")
    if not mine:
        return None
    return ", ".join(f"{hit.rule_id} [{hit.start}:{hit.end}] {hit.matched!r}" for hit in mine)


def verify_bundled(packs: Iterable[str] | None = None, standard: bool = True) -> Verification:
    """Check the examples of the bundled standard and of every bundled pack, each pack in
    force together with the standard, as ``--pack`` uses it.

    With ``packs`` named, only those packs are checked (still with the standard in force,
    unless ``standard`` is False).
    """
    result = Verification()
    if packs is None:
        result.add(verify_files(Checker(), bundled_rule_files()))
    for name in bundled_pack_files() if packs is None else packs:
        checker = Checker(packs=[name], standard=standard)
        result.add(verify_files(checker, [pack_file(name)]))
    return result
