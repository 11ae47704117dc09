"""Issue 8: nothing lost, nothing misread — output safety, reader correctness, honest runs.

Each test drives the real ``phrasecheck`` command (CliRunner, or a subprocess where a real
pipe or terminal matters) on inputs built to reproduce one reported failure.
"""

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from phrasecheck.cli import main

GOOD = {
    "id": "good-1",
    "agent_id": "A01",
    "turns": [
        {"role": "agent", "text": "您好，万科物业客服中心，我姓李，请问有什么可以帮助您？"},
        {"role": "customer", "text": "我想问一下停车费。"},
        {"role": "agent", "text": "每月三百元，感谢您的来电，再见！"},
    ],
}
BAD = {
    "id": "bad-1",
    "agent_id": "A02",
    "turns": [
        {"role": "agent", "text": "喂，说。"},
        {"role": "customer", "text": "我家漏水了。"},
        {"role": "agent", "text": "急什么，烦死人了，有本事你去告。"},
    ],
}
HEADER = "transcript_id,turn_index,role,text"


def invoke(*args, stdin=None):
    result = CliRunner().invoke(main, [str(a) for a in args], input=stdin)
    return result.exit_code, result.output


def jsonl_lines(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def score(*inputs, tmp_path, extra=()):
    """Score ``inputs`` into out.jsonl with a JSON summary; (exit code, output, reports, summary)."""
    out, summary = tmp_path / "out.jsonl", tmp_path / "summary.json"
    code, output = invoke("score", *inputs, "-o", out, "--summary", summary, "-w", 1, "-q", *extra)
    reports = jsonl_lines(out) if out.exists() else []
    figures = json.loads(summary.read_text("utf-8")) if summary.exists() else None
    return code, output, reports, figures


def taboo_ids(report):
    return [v["rule_id"] for v in report["violations"] if v["kind"] == "taboo"]


# --- 4. lone surrogates -----------------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["jsonl", "csv"])
def test_8_4_lone_surrogates_become_replacement_characters_everywhere(tmp_path, output_format):
    path = tmp_path / "s.jsonl"
    path.write_text(
        '{"id": "x\\ud800", "agent_id": "A\\udc00", "metadata": {"queue": "q\\ud83d"},'
        ' "turns": [{"role": "agent", "text": "急什么\\ud800烦死人了"}]}\n',
        "utf-8",
    )
    out = tmp_path / f"out.{output_format}"
    code, _ = invoke("score", path, "-o", out, "--format", output_format, "-w", 1, "-q")
    assert code == 1  # scored (and failed), not an error record
    if output_format == "jsonl":
        (report,) = jsonl_lines(out)
        assert (report["transcript_id"], report["agent_id"]) == ("x\ufffd", "A\ufffd")
    else:
        rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
        assert {row["transcript_id"] for row in rows} == {"x\ufffd"}
        assert "error" not in {row["kind"] for row in rows}


def test_8_4_checked_text_with_a_lone_surrogate_keeps_its_offsets(checker):
    result = checker.check("急什么\ud800烦死人了")
    assert result.text == "急什么\ufffd烦死人了"
    assert json.loads(result.model_dump_json())["text"] == "急什么\ufffd烦死人了"


# --- 5. an object without turns ---------------------------------------------------------------


def test_8_5_an_object_without_turns_is_an_error_naming_the_field(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{}\n{"note": "x"}\n' + json.dumps(GOOD, ensure_ascii=False) + "\n", "utf-8")
    code, _, reports, _ = score(path, tmp_path=tmp_path)
    assert code == 2 and len(reports) == 3
    assert reports[0]["line"] == 1 and "turns: Field required" in reports[0]["error"]
    assert reports[1]["line"] == 2 and "turns: Field required" in reports[1]["error"]
    assert reports[2]["transcript_id"] == "good-1" and reports[2]["passed"] is True


# --- 13. the Checker's argument ------------------------------------------------------------


@pytest.mark.parametrize("value", [None, b"\xe6\x80\xa5", 42])
def test_8_13_checker_needs_a_str(checker, value):
    with pytest.raises(TypeError, match="needs a str"):
        checker.check(value)
    with pytest.raises(TypeError, match="needs a str"):
        checker.explain(value)
