"""Every bundled rule documents itself (why) and tests itself (examples), and the examples hold.

A failing case here names the rule; ``phrasecheck rules --verify`` prints the file and line.
"""

import textwrap

import pytest

from phrasecheck import Checker
from phrasecheck.resources import bundled_pack_files, bundled_rule_files
from phrasecheck.rules import load_rule_file
from phrasecheck.verify import verify_bundled, verify_files

STANDARD = [(rule.id, None) for file in bundled_rule_files() for rule in load_rule_file(file)]
PACKS = [
    (rule.id, name) for name, file in bundled_pack_files().items() for rule in load_rule_file(file)
]


@pytest.fixture(scope="module")
def checkers():
    found = {None: Checker()}
    found.update({name: Checker(packs=[name]) for name in bundled_pack_files()})
    return found


def test_the_bundled_sets_are_all_here():
    assert [rule_id for rule_id, _ in STANDARD][:1] == ["T01"] and len(STANDARD) >= 50
    assert {"T30", "P20"} <= {rule_id for rule_id, _ in STANDARD}
    assert [rule_id for rule_id, pack in PACKS if pack == "complaint"] == [
        f"K{i:02d}" for i in range(1, 11)
    ]


@pytest.mark.parametrize(("rule_id", "pack"), STANDARD + PACKS)
def test_bundled_rule_explains_and_tests_itself(rule_id, pack, checkers):
    checker = checkers[pack]
    rule = checker.rules[rule_id]
    assert rule.why and "\n" not in rule.why
    assert rule.examples is not None
    assert len(rule.examples.hit) >= 3 and len(rule.examples.miss) >= 3
    files = [bundled_pack_files()[pack]] if pack else bundled_rule_files()
    result = verify_files(checker, files, rule_ids=[rule_id])
    assert result.examples == len(rule.examples.hit) + len(rule.examples.miss)
    assert [str(failure) for failure in result.failures] == []


def test_the_complaint_packs_polite_uses_are_not_flagged(checkers):
    checker = checkers["complaint"]
    assert "K07" not in checker.check("这个我不太清楚，我帮您查一下").rule_ids
    assert "K07" in checker.check("这个我不太清楚。").rule_ids
    assert "K09" not in checker.check("肯定不行的话我们再想办法").rule_ids
    assert "K09" in checker.check("肯定不行，规定就是规定").rule_ids
    # Only the polite continuation excuses it: 你自己去查吧 is no offer to check.
    assert "K07" in checker.check("我不太清楚，你自己去查吧").rule_ids


PACK = """\
schema: 1
kind: taboo
description: a test pack
rules:
  - id: QA01
    phrase: 你自己查
    category: dismissive
    severity: minor
    forms: [你自己查吧]
    suggestion: 我帮您查一下。
    why: 让客户自己查是推脱。
    examples:
      hit:
        - 这个你自己查吧。
      miss:
        - 我帮您查一下。
"""


def test_a_wrong_example_fails_with_file_line_rule_and_sentence(tmp_path):
    wrong = PACK.replace("        - 我帮您查一下。\n", "        - 我帮您查一下。\n        - 你自己查吧\n")
    wrong = wrong.replace("        - 这个你自己查吧。\n", "        - 这个你自己查吧。\n        - 您自己看看吧\n")
    path = tmp_path / "pack.yaml"
    path.write_text(wrong, encoding="utf-8")
    result = verify_files(Checker(rules=path), [path])
    assert result.examples == 4 and not result.ok
    assert [str(failure) for failure in result.failures] == [
        f"{path}:15: QA01: 您自己看看吧: expected hit, got none",
        f"{path}:18: QA01: 你自己查吧: expected no hit, got QA01 [0:5] '你自己查吧'",
    ]


def test_an_example_is_checked_with_all_rules_in_force(tmp_path):
    # 急什么 is T25 alone, but inside 急什么，烦死人了 the longer T04 stands instead.
    text = textwrap.dedent(
        """\
        schema: 1
        kind: taboo
        rules:
          - id: QA02
            phrase: 急什么
            category: impatience
            severity: major
            forms: [急什么急]
            suggestion: 请您不要着急！
            examples:
              hit: [急什么急，烦死人了]
        """
    )
    path = tmp_path / "nested.yaml"
    path.write_text(text, encoding="utf-8")
    (failure,) = verify_files(Checker(rules=path), [path]).failures
    assert str(failure).endswith("expected hit, got none (found T04 instead)")
    assert failure.line == 11


def test_all_packs_load_together_with_the_standard():
    checker = Checker(packs=list(bundled_pack_files()))
    assert len(checker.rules) == len(STANDARD) + len(PACKS)


def test_verify_bundled_covers_the_standard_and_every_pack():
    result = verify_bundled()
    assert result.ok and not result.without_examples
    assert result.rules == len(STANDARD) + len(PACKS)
    assert result.examples >= 6 * result.rules
