import textwrap

import pytest

from phrasecheck import Checker, RuleFileError, load_rules
from phrasecheck.rules import load_rule_file


def test_bundled_rules_follow_the_standard_order():
    rules = load_rules()
    standard = [f"T{i:02d}" for i in range(1, 31)]
    assert [r.id for r in rules.taboo] == [*standard, "G01", "G02"]  # then the guidance
    assert [r.id for r in rules.polite] == [f"P{i:02d}" for i in range(1, 21)]
    assert rules["T15"].phrase == "你问我，我问谁？"
    assert all(r.severity and r.suggestion for r in rules.taboo)


GOOD_RULE = """\
schema: 1
kind: taboo
rules:
  - id: T31
    phrase: 你自己查
    category: dismissive
    severity: minor
    forms: [你自己查吧]
    suggestion: 我帮您查一下。
"""


def write(tmp_path, text, name="rules.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_custom_rule_file_adds_to_the_standard(tmp_path):
    path = write(tmp_path, GOOD_RULE)
    checker = Checker(rules=path)
    assert {h.rule_id for h in checker.check("急什么，你自己查吧").hits} == {"T25", "T31"}
    assert len(checker.rules) == len(load_rules()) + 1 and "P20" in checker.rules
    assert checker.version != Checker().version


def test_standard_false_replaces_the_standard(tmp_path):
    path = write(tmp_path, GOOD_RULE)
    checker = Checker(rules=path, standard=False)
    assert [h.rule_id for h in checker.check("急什么，你自己查吧。").hits] == ["T31"]
    assert len(checker.rules) == 1
    with pytest.raises(RuleFileError, match="no rules"):
        Checker(standard=False)


def test_passing_the_bundled_files_as_well_reads_them_once(tmp_path):
    from phrasecheck.resources import bundled_rule_files

    path = write(tmp_path, GOOD_RULE)
    checker = Checker(rules=[*bundled_rule_files(), path])
    assert {h.rule_id for h in checker.check("急什么，你自己查吧").hits} == {"T25", "T31"}
    assert len(checker.rules) == len(load_rules()) + 1


def test_an_id_of_the_standard_cannot_be_reused_when_adding(tmp_path):
    path = write(tmp_path, GOOD_RULE.replace("T31", "T05"))
    with pytest.raises(RuleFileError, match=r"T05: id already defined in .*forbidden_phrases"):
        Checker(rules=path)
    assert "T05" in Checker(rules=path, standard=False).rules


@pytest.mark.parametrize(
    ("replace", "by", "expected"),
    [
        (
            "    severity: minor\n",
            "",
            "rules.yaml:4: rule T31: taboo rules need a severity",
        ),
        (
            "severity: minor",
            "severity: fatal",
            "rules.yaml:7: rule T31, field 'severity': Input should be",
        ),
        ("forms: [你自己查吧]", "forms: []", "field 'forms': List should have at least 1 item"),
        (
            "forms: [你自己查吧]",
            "forms: [你自己(查|看吧]",
            "field 'forms', item 1: '你自己(查|看吧': a '(' is never closed",
        ),
        ("forms: [你自己查吧]", "forms: ['？！']", "no letters left"),
        (
            "forms: [你自己查吧]",
            "froms: [你自己查吧]",
            "field 'froms': Extra inputs are not permitted",
        ),
        ("id: T31", "id: P31", "taboo rule ids are a capital-letter prefix other than P or C"),
        ("id: T31", "id: C31", "got 'C31'"),
        ("id: T31", "id: K31", None),
        ("schema: 1", "schema: 2", "rules.yaml:1: field 'schema' must be 1"),
        ("kind: taboo", "kind: rude", "field 'kind' must be one of 'taboo', 'polite', 'cue'"),
        ("    suggestion: 我帮您查一下。\n", "    suggestion: 我帮您查一下。\n    why: |\n      a\n      b\n", "rules.yaml:10: rule T31, field 'why': write one non-empty line"),
        ("    suggestion: 我帮您查一下。\n", "    suggestion: 我帮您查一下。\n    examples: {hits: [你自己查吧]}\n", "field 'examples.hits': Extra inputs"),
        ("    phrase: 你自己查\n", "    phrase: [你自己查\n", "not valid YAML"),
    ],
)
def test_bad_rule_files_are_rejected_with_file_line_rule_and_field(tmp_path, replace, by, expected):
    assert replace in GOOD_RULE
    path = write(tmp_path, GOOD_RULE.replace(replace, by))
    if expected is None:  # a control: the change alone is fine
        assert len(load_rule_file(path)) == 1
        return
    with pytest.raises(RuleFileError) as caught:
        load_rule_file(path)
    assert expected in str(caught.value)
    assert str(path) in str(caught.value)


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    text = GOOD_RULE + GOOD_RULE.split("rules:\n")[1].replace("T31", "T32").replace("minor", "huge")
    text = text.replace("category: dismissive", "category: Dismissive", 1)
    with pytest.raises(RuleFileError) as caught:
        load_rule_file(write(tmp_path, text))
    problems = caught.value.problems
    assert any(
        p.startswith("6: rule T31, field 'category': 'Dismissive': use lower-case")
        for p in problems
    )
    assert any(p.startswith("13: rule T32, field 'severity'") for p in problems)


def test_duplicate_ids_and_wordings_across_files_are_rejected(tmp_path):
    first = write(tmp_path, GOOD_RULE, "a.yaml")
    second = write(tmp_path, GOOD_RULE, "b.yaml")
    with pytest.raises(RuleFileError, match="T31: id already defined in"):
        load_rules(first, second)
    third = write(tmp_path, GOOD_RULE.replace("T31", "T40"), "c.yaml")
    with pytest.raises(RuleFileError, match="wording '你自己查吧' is also a wording of T31"):
        load_rules(first, third)


def test_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(RuleFileError, match="no such file or folder"):
        load_rules(tmp_path / "nope.yaml")
    with pytest.raises(RuleFileError, match=r"no \*\.yaml rule files"):
        load_rules(tmp_path)


def test_a_slotted_form_without_fixed_text_outside_groups_still_matches(tmp_path):
    path = write(
        tmp_path, GOOD_RULE.replace("forms: [你自己查吧]", "forms: ['(你|您)××(查吧|看吧)']")
    )
    assert [h.rule_id for h in Checker(rules=path).check("您自己去查吧").hits] == ["T31"]


def test_a_key_given_twice_and_slot_only_forms_are_rejected(tmp_path):
    twice = GOOD_RULE.replace(
        "    forms: [你自己查吧]\n", "    forms: [你自己查吧]\n    forms: [你查吧]\n"
    )
    with pytest.raises(RuleFileError, match="the key 'forms' is given twice"):
        load_rule_file(write(tmp_path, twice))
    slots = GOOD_RULE.replace("forms: [你自己查吧]", "forms: ['×']")
    with pytest.raises(RuleFileError, match="needs at least 2 characters besides its slots"):
        load_rule_file(write(tmp_path, slots))


def test_ruleset_and_profile_versions_follow_content_not_files(tmp_path):
    from phrasecheck import RuleSet, load_profile, load_rules

    rules = load_rules()
    assert len(rules.version) == 12 and rules.version == load_rules().version
    changed = [r.model_copy(update={"suggestion": "请稍等"}) if r.id == "T02" else r for r in rules]
    assert RuleSet(changed).version != rules.version
    # Documentation explains a rule but never changes a finding: the version stays.
    documented = [r.model_copy(update={"why": "另一句说明", "examples": None}) for r in rules]
    assert RuleSet(documented).version == rules.version
    profile = load_profile()
    assert len(profile.version) == 12
    assert profile.model_copy(update={"pass_mark": 70}).version != profile.version


# --- issue 8.10: forms that look like regular expressions ------------------------------------


@pytest.mark.parametrize("form", ["你.*烦", "[没不]有", "\\\\d+块", "烦死了?", "^你好$", "你{2}"])
def test_8_10_regular_expression_syntax_in_a_form_is_rejected(tmp_path, form):
    text = GOOD_RULE.replace("forms: [你自己查吧]", f"forms: [你自己查吧, '{form}']")
    with pytest.raises(RuleFileError) as caught:
        load_rule_file(write(tmp_path, text))
    message = str(caught.value)
    assert "rules.yaml:8: rule T31, field 'forms', item 2" in message
    assert "regular-expression syntax" in message and "(a|b)" in message


def test_8_10_the_command_names_the_rule_file_problem(tmp_path):
    from click.testing import CliRunner

    from phrasecheck.cli import main

    path = write(tmp_path, GOOD_RULE.replace("forms: [你自己查吧]", "forms: ['你.*烦']"))
    result = CliRunner().invoke(main, ["check", "你好", "--rules", str(path)])
    assert result.exit_code == 2
    assert "field 'forms', item 1: '你.*烦': '.' at character 2 is regular-expression" in (
        result.output
    )


# --- issue 8.14: rule-file errors, all of them, with lines -----------------------------------


def test_8_14_duplicate_ids_and_overlapping_wordings_carry_line_numbers(tmp_path):
    first = write(tmp_path, GOOD_RULE, "a.yaml")
    second = write(tmp_path, "\n\n" + GOOD_RULE, "b.yaml")
    with pytest.raises(RuleFileError) as caught:
        load_rules(first, second)
    assert f"{second}:6: rule T31: id already defined in {first}:4" in str(caught.value)
    third = write(tmp_path, GOOD_RULE.replace("T31", "T40"), "c.yaml")
    with pytest.raises(RuleFileError) as caught:
        load_rules(first, third)
    assert f"{third}:4: rule T40: wording '你自己查吧' is also a wording of T31 ({first}:4)" in str(
        caught.value
    )


def test_8_14_a_folder_of_several_broken_files_reports_all_of_them(tmp_path):
    write(tmp_path, GOOD_RULE.replace("severity: minor", "severity: huge"), "a.yaml")
    write(
        tmp_path,
        GOOD_RULE.replace("T31", "T32").replace("category: dismissive", "category: X"),
        "b.yaml",
    )
    write(tmp_path, "schema: 2\nkind: taboo\nrules: []\n", "c.yaml")
    with pytest.raises(RuleFileError) as caught:
        load_rules(tmp_path)
    message = str(caught.value)
    assert f"{tmp_path / 'a.yaml'}:7: rule T31, field 'severity'" in message
    assert f"{tmp_path / 'b.yaml'}:6: rule T32, field 'category'" in message
    assert f"{tmp_path / 'c.yaml'}:1: field 'schema' must be 1" in message
    assert [error.path for error in caught.value.errors] == [
        str(tmp_path / name) for name in ("a.yaml", "b.yaml", "c.yaml")
    ]


def test_8_14_every_bad_item_of_a_field_is_reported(tmp_path):
    text = GOOD_RULE.replace(
        "    forms: [你自己查吧]\n",
        "    forms:\n      - 你自己(查\n      - 你自己查吧\n      - '？！'\n      - 你.*查\n",
    )
    with pytest.raises(RuleFileError) as caught:
        load_rule_file(write(tmp_path, text))
    problems = caught.value.problems
    assert [p.split(":")[0] for p in problems] == ["9", "11", "12"]
    assert "item 1: '你自己(查': a '(' is never closed" in problems[0]
    assert "item 3: '？！'" in problems[1] and "item 4: '你.*查'" in problems[2]


def test_8_14_a_phrase_or_form_longer_than_200_characters_is_rejected(tmp_path):
    long = "请" * 201
    for field in ("phrase: 你自己查", "forms: [你自己查吧]"):
        key = field.split(":")[0]
        value = long if key == "phrase" else f"[{long}]"
        text = GOOD_RULE.replace(field, f"{key}: {value}")
        with pytest.raises(RuleFileError, match="longer than 200 characters"):
            load_rule_file(write(tmp_path, text))
    ok = GOOD_RULE.replace("forms: [你自己查吧]", f"forms: [你自己查吧, {'请' * 200}]")
    assert load_rule_file(write(tmp_path, ok))
