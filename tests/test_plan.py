"""The plan: a rule set compiled into plain data, the only thing that crosses into the core."""

from __future__ import annotations

import importlib
import json

import pytest

from phrasecheck.plan import PLAN_VERSION, compile_plan, normalizer_plan

normalize_module = importlib.import_module("phrasecheck.normalize")

_PLAIN = (str, int, float, bool, type(None))


def _assert_plain(value: object, where: str = "plan") -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str), f"{where}: key {key!r} is not a string"
            _assert_plain(item, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _assert_plain(item, f"{where}[{index}]")
    else:
        assert type(value) in _PLAIN, f"{where}: {type(value).__name__} is not plain data"


@pytest.fixture(scope="module")
def plan(checker):
    return compile_plan(checker._compiled)


def test_the_plan_is_plain_data_and_survives_json(plan):
    _assert_plain(plan)
    assert plan["version"] == PLAN_VERSION
    again = json.loads(json.dumps(plan, ensure_ascii=False))
    assert again == json.loads(json.dumps(again, ensure_ascii=False))
    assert len(again["keys"]) == len(plan["keys"]) > 1000


def test_the_plan_says_what_the_matcher_compiled(checker, plan):
    compiled = checker._compiled
    assert [rule["id"] for rule in plan["rules"]] == [rule.id for rule in checker.rules]
    assert [w[2] for w in plan["wordings"]] == [w.text for w in compiled.wordings]
    assert {key for key, _ in plan["keys"]} == set(compiled.keys)
    t01 = next(r for r in plan["rules"] if r["id"] == "T01")
    assert t01["clause_start"] and t01["kind"] == "taboo"
    # T25 急什么: a short wording that must stand on word boundaries and ends in a question word
    jishenme = next(w for w in plan["wordings"] if w[2] == "急什么" and w[9] == 0)
    assert jishenme[6] is True and jishenme[12] is True
    assert "急什么" in plan["vocabulary"]
    assert plan["budgets"]["min_fuzzy_length"] == 6 and "不" in plan["budgets"]["polarity"]


def test_the_fold_table_is_what_normalize_does_to_every_code_point():
    table = normalizer_plan()
    mapped = dict(table["mapped"])
    fold = normalize_module._table()._fold
    expected_next = 0
    for first, last, action in table["runs"]:
        assert first == expected_next
        expected_next = last + 1
        for code_point in range(first, last + 1):
            folded = fold(chr(code_point))
            if action == 0:
                assert folded == chr(code_point)
            elif action == 1:
                assert folded is None
            else:
                assert folded == chr(mapped[code_point]) != chr(code_point)
    assert expected_next == 0x110000
    assert mapped[ord("麼")] == ord("么") and mapped[ord("Ａ")] == ord("a")


def test_the_break_table_is_normalizes_clause_breaks():
    breaks = normalizer_plan()["breaks"]
    inside = {c for first, last in breaks for c in range(first, last + 1)}
    for code_point in range(0x3100):  # Latin, punctuation blocks and CJK punctuation
        assert (code_point in inside) == normalize_module._is_break(chr(code_point))
    assert ord("，") in inside and ord("_") not in inside and ord(" ") not in inside
