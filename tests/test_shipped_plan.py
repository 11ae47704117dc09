"""The bundled standard's plan ships precomputed (data/standard_plan.json): it must be what
compiling the standard gives now, serve only the rule set and code it was made from, and
check exactly as a compiled one does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import phrasecheck.checker
from phrasecheck import Checker, RuleSet
from phrasecheck.plan import PLAN_VERSION, rules_plan
from phrasecheck.shippedplan import render, shipped_plan

ROOT = Path(__file__).resolve().parents[1]
REGENERATE = "stale: run `python -m phrasecheck.shippedplan` and commit data/standard_plan.json"


@pytest.fixture(scope="module")
def compiled_checker() -> Checker:
    """A Checker of the standard that compiles its rules (the shipped plan refused)."""
    real = phrasecheck.checker.shipped_plan
    phrasecheck.checker.shipped_plan = lambda version, plan_version: None  # type: ignore[assignment]
    try:
        return Checker()
    finally:
        phrasecheck.checker.shipped_plan = real


def test_the_shipped_plan_is_what_the_standard_compiles_to(compiled_checker):
    shipped = shipped_plan(compiled_checker.version, PLAN_VERSION)
    assert shipped is not None, REGENERATE
    vocabulary, rules_part = shipped
    compiled = compiled_checker._compiled
    assert vocabulary == compiled_checker._segmenter.vocabulary, REGENERATE
    fresh = json.loads(json.dumps(rules_plan(compiled, vocabulary)))
    assert json.loads(rules_part) == fresh, REGENERATE


def test_a_default_checker_checks_from_it_as_a_compiled_one_does(compiled_checker):
    checker = Checker()
    texts = [
        json.loads(line)["text"]
        for path in sorted((ROOT / "tests" / "devset").glob("*.jsonl"))
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    ]
    assert checker.find_many(texts) == compiled_checker.find_many(texts)
    assert sum(map(bool, checker.find_many(texts))) > 1000
    assert checker._compiled_rules is None  # built from the shipped plan, nothing compiled
    sample = texts[::25]
    assert [checker.explain(t) for t in sample] == [compiled_checker.explain(t) for t in sample]
    assert checker._compiled_rules is not None  # explaining compiles, for the wordings


def test_other_rule_sets_compile(compiled_checker):
    assert shipped_plan(Checker(packs=["complaint"]).version, PLAN_VERSION) is None
    fewer = RuleSet(list(compiled_checker.rules)[1:])
    assert shipped_plan(fewer.version, PLAN_VERSION) is None
    assert shipped_plan(compiled_checker.version, PLAN_VERSION + 1) is None
    assert Checker(fewer).check("急什麼，煩死人了").hits[0].rule_id == "T04"


def test_a_file_made_from_other_code_or_unreadable_is_not_used(
    compiled_checker, tmp_path, monkeypatch
):
    version = compiled_checker.version
    vocabulary, rules_part = shipped_plan(version, PLAN_VERSION) or ((), "")
    target = tmp_path / "standard_plan.json"
    monkeypatch.setattr("phrasecheck.shippedplan.PLAN_FILE", target)
    assert shipped_plan(version, PLAN_VERSION) is None  # missing
    target.write_text(render(version, PLAN_VERSION, vocabulary, rules_part), "utf-8")
    assert shipped_plan(version, PLAN_VERSION) == (vocabulary, rules_part)
    head, rest = target.read_text("utf-8").split("\n", 1)
    for broken in (
        head.replace('"sources": "', '"sources": "0'),  # other compiler code
        "[1, 2]",
        "not json",
    ):
        target.write_text(broken + "\n" + rest, "utf-8")
        assert shipped_plan(version, PLAN_VERSION) is None, broken
    target.write_text(head + "\n", "utf-8")  # no plan after the first line
    assert shipped_plan(version, PLAN_VERSION) is None


def test_a_damaged_plan_behind_a_good_first_line_is_compiled_instead(
    compiled_checker, tmp_path, monkeypatch
):
    version = compiled_checker.version
    vocabulary, rules_part = shipped_plan(version, PLAN_VERSION) or ((), "")
    target = tmp_path / "standard_plan.json"
    target.write_text(render(version, PLAN_VERSION, vocabulary, rules_part[: len(rules_part) // 2]))
    monkeypatch.setattr("phrasecheck.shippedplan.PLAN_FILE", target)
    checker = Checker()
    assert checker._shipped is not None  # the first line matched
    texts = ["急什麼，煩死人了！", "您好请问有什么可以帮您", "你问我，我问谁？"]
    assert checker.find_many(texts) == compiled_checker.find_many(texts)
    assert checker._compiled_rules is not None  # the core refused the file; it compiled


def test_a_checker_with_another_segmenter_compiles(compiled_checker):
    other = Checker(packs=["complaint"])
    checker = Checker._sharing_segmenter(compiled_checker.rules, other)
    assert checker._shipped is not None and checker._segmenter is other._segmenter
    assert checker.check("急什麼，煩死人了").hits[0].rule_id == "T04"
    assert checker._compiled_rules is not None  # the shipped plan holds another vocabulary

