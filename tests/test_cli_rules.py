"""Rule packs, --rules that adds, --no-standard, rules --verify and eval on the command line."""

import json
import re
import subprocess
import sys

from click.testing import CliRunner

from phrasecheck import Checker
from phrasecheck.cli import main

MY_RULES = """\
schema: 1
kind: taboo
rules:
  - id: QA01
    phrase: 你自己查
    category: dismissive
    severity: minor
    forms: [你自己查吧]
    suggestion: 我帮您查一下。
    why: 让客户自己查是推脱。
    examples:
      hit: [这个你自己查吧。]
      miss: [我帮您查一下。]
"""


def invoke(*args, stdin=None):
    result = CliRunner().invoke(main, [str(a) for a in args], input=stdin)
    return result.exit_code, result.output


def my_rules(tmp_path, text=MY_RULES):
    path = tmp_path / "my.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_check_with_the_complaint_pack_finds_its_rule():
    code, output = invoke("check", "--pack", "complaint", "这个问题太简单了，你自己看说明书")
    assert code == 1
    assert "text:0-8: K05 [taboo/major] 这个问题太简单了" in output
    code, output = invoke("check", "这个问题太简单了，你自己看说明书")
    assert code == 0 and "K05" not in output


def test_an_unknown_pack_is_a_usage_error_naming_the_packs():
    code, output = invoke("check", "--pack", "complain", "你好")
    assert code == 2 and "complain: no bundled rule pack of this name (packs: complaint" in output


def test_rules_adds_to_the_standard_and_no_standard_replaces_it(tmp_path):
    path = my_rules(tmp_path)
    code, output = invoke("check", "--json", "--rules", path, "急什么，你自己查吧")
    assert code == 1
    assert [hit["rule_id"] for hit in json.loads(output)["hits"]] == ["T25", "QA01"]
    code, output = invoke("check", "--json", "--rules", path, "--no-standard", "急什么，你自己查吧")
    assert [hit["rule_id"] for hit in json.loads(output)["hits"]] == ["QA01"]
    code, output = invoke("rules", "--json", "--rules", path)
    ids = [rule["id"] for rule in json.loads(output)]
    assert {f"T{i:02d}" for i in range(1, 31)} | {f"P{i:02d}" for i in range(1, 21)} <= set(ids)
    assert ids[-1] == "QA01"


def test_score_with_added_rules_keeps_the_default_profile_working(tmp_path, root):
    path = my_rules(tmp_path)
    out, summary = tmp_path / "out.jsonl", tmp_path / "summary.json"
    args = ["score", root / "samples", "--rules", path, "-o", out, "-w", 1, "-q"]
    code, output = invoke(*args, "--summary", summary)
    assert code in (0, 1), output  # 1: some sample agents fail the standard
    reports = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert reports and all(r.get("profile") == "default" for r in reports)
    figures = json.loads(summary.read_text("utf-8"))
    assert {r["ruleset"] for r in reports} == {figures["ruleset"]}
    from phrasecheck import Scorer

    assert figures["ruleset"] == Scorer(rules=path).version != Scorer().version
    # Without the standard the default profile has nothing to refer to: a clear error.
    code, output = invoke(*args, "--no-standard")
    assert code == 2 and re.search(
        r"score_profile\.yaml:\d+: field 'expectations\.0\.any_of', item 1: refers to rule P01,",
        output,
    )


def test_rules_lists_the_packs_and_their_rules():
    code, output = invoke("rules")
    assert code == 0
    assert "\npack complaint (add with --pack complaint): 处理投诉的九句禁语" in output
    assert "\nK05  taboo  major" in output and "\nK10  taboo  minor" in output
    standard = Checker().rules
    taboo, polite = len(standard.taboo), len(standard.polite)
    assert taboo >= 30 and polite >= 20
    assert f"ruleset {standard.version}: {taboo} taboo, {polite} polite" in output
    assert "why:   一句“不知道”就把客户打发了" in output
    code, output = invoke("rules", "--pack", "complaint")
    assert "pack complaint (add" not in output  # in force: listed with the rules
    with_pack = Checker(packs=["complaint"]).version
    assert f"ruleset {with_pack}: {taboo + 10} taboo, {polite} polite" in output


def test_rules_verify_passes_on_everything_bundled():
    code, output = invoke("rules", "--verify")
    assert code == 0, output
    assert f"examples of {len(Checker(packs=['complaint']).rules)} rules: ok" in output
    code, output = invoke("rules", "--verify", "--pack", "complaint")
    assert code == 0 and "examples of 10 rules: ok" in output
    code, output = invoke("rules", "--verify", "--pack", "nope")
    assert code == 2 and "no bundled rule pack of this name" in output


def test_rules_verify_fails_with_a_clear_line_for_a_wrong_example(tmp_path):
    path = my_rules(tmp_path, MY_RULES.replace("miss: [我帮您查一下。]", "miss: [你自己查吧]"))
    code, output = invoke("rules", "--verify", path)
    assert code == 1
    assert f"{path}:13: QA01: 你自己查吧: expected no hit, got QA01 [0:5] '你自己查吧'" in output
    assert "2 examples of 1 rules: 1 failed" in output
    path = my_rules(tmp_path, MY_RULES.replace("hit: [这个你自己查吧。]", "hit: [您自己看吧]"))
    code, output = invoke("rules", "--verify", path)
    assert code == 1 and f"{path}:12: QA01: 您自己看吧: expected hit, got none" in output
    code, output = invoke("rules", "--verify", my_rules(tmp_path))
    assert code == 0 and "2 examples of 1 rules: ok" in output
    code, output = invoke("rules", "--verify", "--rules", my_rules(tmp_path), "--no-standard")
    assert code == 0 and "2 examples of 1 rules: ok" in output


def test_eval_is_a_subcommand_and_the_module_still_runs(root):
    devset = root / "tests" / "devset" / "heldout.jsonl"
    code, output = invoke("eval", devset, "--quiet")
    assert code == 0
    assert output.startswith("307 utterances") and "\ntaboo   precision" in output
    module = subprocess.run(
        [sys.executable, "-m", "phrasecheck.eval", str(devset), "--quiet"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert module.stdout.strip() == output.strip()
    code, output = invoke("eval", root / "nope.jsonl")
    assert code == 2 and "no labelled set at" in output


def test_every_result_carries_the_ruleset_hash():
    checker = Checker(packs="complaint")
    assert checker.check("您好").ruleset == checker.version == checker.rules.version
    assert checker.explain("您好").ruleset == checker.version
    code, output = invoke("check", "--json", "--pack", "complaint", "您好")
    assert code == 0 and json.loads(output)["ruleset"] == checker.version
    code, output = invoke("explain", "--json", "您好")
    assert code == 0 and json.loads(output)["ruleset"] == Checker().version
