"""The table of rule kinds is what the loader, matcher, resolver and evaluator go by."""

import pytest

from phrasecheck import Checker, Rule, RuleFileError, RuleSet
from phrasecheck.compiler import spans_breaks
from phrasecheck.eval import Example, evaluate
from phrasecheck.rules import KINDS, kind_of_id, load_rule_file
from phrasecheck.rules.kinds import fuzzy_wording


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


def test_the_table_decides_fuzzy_policy():
    assert fuzzy_wording("taboo", first_form=False)
    assert fuzzy_wording("polite", first_form=True) and not fuzzy_wording("polite", False)
    assert not fuzzy_wording("cue", first_form=True)


def test_the_table_decides_which_hits_compete():
    def rule(rule_id, kind, forms):
        fields = {"severity": "minor", "suggestion": "请稍等"} if kind == "taboo" else {}
        return Rule(id=rule_id, kind=kind, phrase=forms[0], category="x", forms=forms, **fields)

    # Overlapping taboo hits compete (the longer stands); overlapping cues do not.
    taboo = Checker(RuleSet([rule("T91", "taboo", ["烦死了"]), rule("T92", "taboo", ["真烦死了"])]))
    assert taboo.check("真烦死了").rule_ids == ["T92"]
    cues = Checker(RuleSet([rule("C91", "cue", ["烦死了"]), rule("C92", "cue", ["真烦死了"])]))
    assert sorted(cues.check("真烦死了").rule_ids) == ["C91", "C92"]
    # A taboo wording inside a polite phrase gives way to it, and the reverse.
    mixed = Checker(RuleSet([rule("T93", "taboo", ["你找谁"]), rule("P93", "polite", ["请问你找谁"])]))
    assert mixed.check("请问你找谁").rule_ids == ["P93"]
    assert [c.reason for c in mixed.explain("请问你找谁").candidates if c.rule_id == "T93"] == [
        "part of polite phrase P93"
    ]


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
