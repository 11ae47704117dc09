"""Leftovers of an independent review: system and bot turns, profile lines for unknown rule
ids, and a summary row for an agent whose transcripts were all unscorable."""

import json

import pytest

from phrasecheck import ProfileError, Scorer, Transcript
from tests.cli_helpers import GOOD, invoke, jsonl_lines, write_jsonl

BOT_CHAT = {
    "id": "bot-1",
    "agent_id": "A05",
    "channel": "chat",
    "turns": [
        {"role": "机器人", "text": "您好，我是智能助手小京，请问您要咨询什么？"},
        {"role": "customer", "text": "转人工"},
        {"role": "system", "text": "用户发起转人工，正在为您接入客服"},
        {"role": "客服", "text": "亲，您的订单明天送达。"},
        {"role": "bot", "text": "不知道您对本次服务是否满意？请点击评价"},
        {"role": "customer", "text": "好的谢谢"},
        {"role": "客服", "text": "不客气，祝您生活愉快！"},
    ],
}


@pytest.fixture(scope="module")
def scorer():
    return Scorer()


def test_system_and_bot_turns_are_kept_but_are_nobodys_speech(scorer):
    transcript = Transcript.coerce(BOT_CHAT)
    assert [turn.role for turn in transcript.turns].count("system") == 3
    report = scorer.score(BOT_CHAT)
    assert report.status == "scored" and report.counts.turns == 7
    assert report.counts.agent_turns == 2 and report.counts.customer_turns == 2
    # The bot's 您好 is not the agent's greeting: the agent opened with 亲 (turn 4).
    (greeting,) = [o for o in report.expectations if o.expectation == "opening_greeting"]
    assert greeting.status == "met" and greeting.evidence.turn_index == 3
    assert report.violations == []


def test_a_transcript_of_bot_and_customer_only_is_unscorable_not_an_error(scorer):
    report = scorer.score(
        [{"role": "bot", "text": "您好，请问有什么可以帮您？"}, {"role": "用户", "text": "人工"}]
    )
    assert report.status == "unscorable" and report.score is None


def test_the_command_scores_records_with_system_turns(tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", [BOT_CHAT])
    code, _ = invoke("score", path, "-o", tmp_path / "out.jsonl", "-q")
    (report,) = jsonl_lines(tmp_path / "out.jsonl")
    assert code == 0 and "error" not in report and report["status"] == "scored"


def test_an_unknown_role_is_still_an_error_naming_the_turn():
    with pytest.raises(ValueError, match=r"turns\.1\.role"):
        Transcript.coerce([{"role": "agent", "text": "您好"}, {"role": "主持人", "text": "好"}])


def test_unknown_rule_ids_in_a_profile_name_their_lines(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "schema: 1\n"
        "name: mine\n"
        "taboo:\n"
        "  fatal_rules: [T99]\n"
        "expectations:\n"
        "  - id: hello\n"
        "    where: opening\n"
        "    any_of:\n"
        "      - P01\n"
        "      - P66\n"
        "    points: 1\n",
        "utf-8",
    )
    with pytest.raises(ProfileError) as error:
        Scorer(profile=path)
    assert error.value.problems == [
        "10: field 'expectations.0.any_of', item 2: refers to rule P66, which is not in the rule set",
        "4: field 'taboo.fatal_rules', item 1: refers to rule T99, which is not in the rule set",
    ]
    assert str(error.value).splitlines()[0].startswith(f"{path}:10: ")


def test_an_agent_with_only_unscorable_transcripts_has_a_row(tmp_path):
    silent = {
        "id": "silent-1",
        "agent_id": "A09",
        "turns": [{"role": "customer", "text": "喂？有人吗？"}, {"role": "system", "text": "通话结束"}],
    }
    path = write_jsonl(tmp_path / "in.jsonl", [GOOD, silent, {**silent, "id": "silent-2"}])
    summary_path = tmp_path / "s.json"
    code, _ = invoke("score", path, "-o", tmp_path / "out.jsonl", "-q", "--summary", summary_path)
    summary = json.loads(summary_path.read_text("utf-8"))
    agents = {row["agent_id"]: row for row in summary["agents"]}
    assert code == 0 and summary["unscorable"] == 2
    assert agents["A09"] == {
        "agent_id": "A09",
        "transcripts": 0,
        "passed": 0,
        "pass_rate": 0.0,
        "mean_score": 0.0,
        "taboo": 0,
        "unscorable": 2,
    }
    assert agents["A01"]["transcripts"] == 1 and agents["A01"]["unscorable"] == 0


def test_the_html_report_shows_the_unscorable_agent_without_a_rate(tmp_path):
    silent = {"id": "s", "agent_id": "A09", "turns": [{"role": "customer", "text": "有人吗"}]}
    path = write_jsonl(tmp_path / "in.jsonl", [GOOD, silent])
    html = tmp_path / "r.html"
    code, _ = invoke("score", path, "-o", tmp_path / "out.jsonl", "-q", "--html", html)
    text = html.read_text("utf-8")
    row = text[text.index('<tr data-agent="A09">') :]
    row = row[: row.index("</tr>")]
    assert code == 0 and "—" in row and "%" not in row


def test_a_text_transcript_with_a_bot_line_is_scored(tmp_path):
    path = tmp_path / "chat-7.txt"
    path.write_text(
        "机器人：您好，我是智能助手，请问您要咨询什么？\n"
        "客户：转人工\n"
        "系统：正在为您转接人工客服\n"
        "客服：亲，您好，请问有什么可以帮您？\n"
        "客户：我的快递到哪了\n"
        "客服：已经到您所在的站点了，今天送达。\n",
        "utf-8",
    )
    code, _ = invoke("score", path, "--channel", "chat", "-o", tmp_path / "out.jsonl", "-q")
    (report,) = jsonl_lines(tmp_path / "out.jsonl")
    assert code in (0, 1) and report["status"] == "scored"
    assert report["counts"] == {**report["counts"], "turns": 6, "agent_turns": 2}
