"""The table of rule kinds is what the loader, matcher, resolver and evaluator go by."""

import pytest

from phrasecheck import Checker, RuleFileError
from phrasecheck.eval import Example, evaluate
from phrasecheck.matcher import spans_breaks
from phrasecheck.rules import KINDS, kind_of_id, load_rule_file
from phrasecheck.rules.kinds import fuzzy_wording, resolution_group


@pytest.mark.parametrize(
    ("rule_id", "kind"),
    [
        ("T01", "taboo"),
        ("G02", "taboo"),
        ("K10", "taboo"),
        ("QA01", "taboo"),
        ("P20", "polite"),
        ("C13", "cue"),
        ("t01", None),
        ("T1", None),
        ("PX", None),
    ],
)
def test_each_id_fits_at_most_one_kind(rule_id, kind):
    assert kind_of_id(rule_id) == kind
    assert sum(bool(spec.id_pattern.match(rule_id)) for spec in KINDS.values()) == (kind is not None)


def test_the_table_decides_fuzzy_policy_and_resolution_groups():
    assert fuzzy_wording("taboo", first_form=False)
    assert fuzzy_wording("polite", first_form=True) and not fuzzy_wording("polite", False)
    assert not fuzzy_wording("cue", first_form=True)
    assert resolution_group("taboo", "K01") == resolution_group("taboo", "T01") == "taboo"
    assert resolution_group("cue", "C10") != resolution_group("cue", "C11")


def test_required_fields_follow_the_kind(tmp_path):
    path = tmp_path / "polite.yaml"
    path.write_text(
        "schema: 1\nkind: polite\nrules:\n  - id: P21\n    phrase: 您辛苦了\n"
        "    category: thanks\n    forms: [您辛苦了]\n    severity: minor\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError, match="rule P21: polite rules take no severity"):
        load_rule_file(path)


def test_a_pack_rule_nests_and_yields_like_any_taboo_rule():
    checker = Checker(packs=["complaint"])
    hits = checker.check("急什么，这是常有的事").hits
    assert [(h.rule_id, h.kind) for h in hits] == [("T25", "taboo"), ("K10", "taboo")]
    # One group: T02 不知道 inside K05's longer 这么简单的问题都不知道 gives way to it.
    assert checker.check("这么简单的问题都不知道？").rule_ids == ["K05"]
    assert Checker().check("这么简单的问题都不知道？").rule_ids == ["T02"]
    # The evaluator counts K rules as taboo by their kind, not by a T prefix.
    report = evaluate(checker, [Example("这是常有的事", frozenset(), "lookalike", 1)])
    assert report.kind("taboo").fp == 1 and report.per_group["lookalike"]["false_taboo"] == 1


def test_an_exception_written_across_a_comma_may_span_one():
    assert spans_breaks("我不太清楚，我帮(你|您)查")
    assert not spans_breaks("不知道(你|您)") and not spans_breaks("(如果|要是)××不知道")
    checker = Checker(packs=["complaint"])
    assert "K07" not in checker.check("这个我不太清楚，我帮您查一下").rule_ids
    # An exception without a comma still may not: 不知道，你问我 is not 不知道你….
    assert "T02" in checker.check("不知道，你问我干什么").rule_ids
