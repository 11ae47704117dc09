import json
import textwrap

import pytest
from pydantic import ValidationError

from phrasecheck import ProfileError, Scorer, Transcript, load_profile

GREETING = "您好，万科物业客服中心，我姓李，请问有什么可以帮助您？"


def call(*turns, direction="inbound", channel="phone"):
    return {
        "id": "t1",
        "agent_id": "A01",
        "channel": channel,
        "direction": direction,
        "turns": [{"role": role, "text": text} for role, text in turns],
    }


PERFECT = call(
    ("agent", GREETING),
    ("customer", "我家厨房水管漏水了，3栋502。"),
    ("agent", "对不起给您添麻烦了，请稍等，我帮您查一下维修师傅的安排。"),
    ("customer", "好的，谢谢。"),
    ("agent", "不客气。师傅半小时内上门，感谢您的来电，再见！"),
)


@pytest.fixture(scope="module")
def scorer():
    return Scorer()


def kinds(report):
    return [(v.kind, v.rule_id or v.expectation) for v in report.violations]


def test_a_perfect_call_scores_100_and_passes(scorer):
    report = scorer.score(PERFECT)
    assert (report.score, report.passed, report.violations) == (100, True, [])
    assert [(p.rule_id, p.turn_index) for p in report.polite] == [
        ("P02", 0),
        ("P04", 2),
        ("P07", 2),
        ("P05", 4),
        ("P18", 4),
        ("P06", 4),
    ]
    assert report.counts.agent_turns == 3 and report.counts.customer_turns == 2


def replace_turn(transcript, index, text):
    changed = json.loads(json.dumps(transcript))
    changed["turns"][index]["text"] = text
    return changed


def test_missing_opening_alone(scorer):
    report = scorer.score(replace_turn(PERFECT, 0, "嗯，说吧。"))
    assert kinds(report) == [
        ("missing_opening", "P01"),
        ("missing_opening", "P02"),
        ("missing_opening", "P02"),
    ]
    assert report.violations[0].turn_range == (0, 2)
    assert report.score == 100 - 5 - 3 - 3


def test_partial_greeting_gets_partial_credit(scorer):
    report = scorer.score(replace_turn(PERFECT, 0, "您好，请问有什么可以帮您？"))
    assert [v.expectation for v in report.violations] == ["opening_introduction"]
    assert report.score == 97


def test_missing_closing_alone(scorer):
    report = scorer.score(replace_turn(PERFECT, 4, "不客气。师傅半小时内上门。"))
    assert [v.expectation for v in report.violations] == ["closing_thanks", "closing_goodbye"]
    assert all(v.kind == "missing_closing" for v in report.violations)
    assert report.violations[1].suggestion == "再见！"


def test_missing_reply_to_thanks_alone(scorer):
    report = scorer.score(replace_turn(PERFECT, 4, "师傅半小时内上门，感谢您的来电，再见！"))
    (violation,) = report.violations
    assert (violation.kind, violation.expectation, violation.turn_index) == (
        "missing_response",
        "reply_to_thanks",
        3,
    )
    assert violation.turn_range == (4, 4)


def test_missing_wait_before_checking_alone(scorer):
    report = scorer.score(
        replace_turn(PERFECT, 2, "对不起给您添麻烦了，我帮您查一下维修师傅的安排。")
    )
    (violation,) = report.violations
    assert (violation.expectation, violation.rule_id, violation.turn_index) == (
        "wait_before_checking",
        "P07",
        2,
    )


def test_missing_apology_after_a_complaint(scorer):
    report = scorer.score(
        call(
            ("agent", GREETING),
            ("customer", "你们到底管不管？报修三天了没人来！"),
            ("agent", "师傅下午过去。"),
            ("customer", "行吧。"),
            ("agent", "感谢您的来电，再见！"),
        )
    )
    assert [(v.expectation, v.turn_index) for v in report.violations] == [("soothe_complaint", 1)]


def test_a_fatal_taboo_fails_an_otherwise_perfect_call(scorer):
    report = scorer.score(replace_turn(PERFECT, 2, "有本事你去告！请稍等，我帮您查一下。"))
    (violation,) = report.violations
    assert (violation.kind, violation.rule_id, violation.severity) == ("taboo", "T11", "critical")
    assert violation.fatal and violation.matched == "有本事你去告"
    assert (violation.turn_index, violation.start, violation.end) == (2, 0, 6)
    assert report.score == 80 and report.passed is False and report.fatal


def test_customer_side_taboo_words_are_ignored(scorer):
    report = scorer.score(
        replace_turn(PERFECT, 1, "急什么急，你问我我问谁？我不知道！水管漏水了。")
    )
    assert report.violations == [] and report.score == 100


def test_inbound_and_outbound_closings(scorer):
    outbound = call(
        ("agent", "您好，我是万科物业客服中心的小李，不知道您现在方便吗？"),
        ("customer", "方便，你说。"),
        ("agent", "提醒您本月物业费还没有缴纳，对不起，打扰了，再见！"),
        direction="outbound",
    )
    assert scorer.score(outbound).violations == []
    as_inbound = {**outbound, "direction": "inbound"}
    assert [v.expectation for v in scorer.score(as_inbound).violations] == [
        "opening_offer_help",
        "closing_thanks",
    ]


def test_repeats_are_reported_each_time_but_deducted_less(scorer):
    turns = (
        [("agent", GREETING)] + [("agent", "我不知道。")] * 5 + [("agent", "感谢您的来电，再见！")]
    )
    report = scorer.score(call(*turns))
    taboo = [v for v in report.violations if v.kind == "taboo"]
    assert [v.points for v in taboo] == [5, 2.5, 1.25, 0, 0]
    assert [v.repeat for v in taboo] == [1, 2, 3, 4, 5]


def test_score_never_goes_below_zero(scorer):
    rude = [
        "你怎么这么麻烦",
        "急什么，烦死人了",
        "你问我，我问谁",
        "我不管，该找谁找谁",
        "你看清楚再问",
    ]
    report = scorer.score(call(*[("agent", text) for text in rude * 3]))
    assert sum(v.points for v in report.violations) > 100
    assert report.score == 0 and not report.passed


def test_a_custom_profile_changes_the_outcome(tmp_path):
    profile = load_profile()
    strict = profile.model_copy(update={"pass_mark": 99.0})
    report = Scorer(profile=strict).score(replace_turn(PERFECT, 4, "不客气，再见！"))
    assert report.score == 96 and not report.passed
    assert Scorer().score(replace_turn(PERFECT, 4, "不客气，再见！")).passed

    path = tmp_path / "profile.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            schema: 1
            name: zero-tolerance
            pass_mark: 60
            taboo:
              points: {minor: 1, major: 1, critical: 1}
              fatal_severities: []
              fatal_rules: [T02]
            """
        ),
        encoding="utf-8",
    )
    report = Scorer(profile=path).score(replace_turn(PERFECT, 4, "这个我不知道，再见"))
    assert report.profile == "zero-tolerance"
    assert report.score == 99 and report.fatal and not report.passed


def test_profile_errors_name_the_line_and_field(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "schema: 1\nexpectations:\n  - id: greet\n    where: middle\n    any_of: [P01]\n    points: 1\n",
        encoding="utf-8",
    )
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert f"{path}:4: field 'expectations.0.where'" in str(caught.value)
    path.write_text(
        "schema: 1\nexpectations:\n  - {id: greet, where: opening, any_of: [P99], points: 1}\n",
        encoding="utf-8",
    )
    with pytest.raises(ProfileError, match="not in the rule set: P99"):
        Scorer(profile=path)


def test_chinese_role_labels_and_plain_lists():
    transcript = Transcript.coerce(
        [
            {"role": "坐席", "text": GREETING},
            {"role": "用户", "text": "好的"},
            {"role": "客服", "text": "再见"},
        ]
    )
    assert [t.role for t in transcript.turns] == ["agent", "customer", "agent"]


def test_unknown_role_names_the_turn():
    with pytest.raises(ValidationError) as caught:
        Transcript.coerce([{"role": "agent", "text": "您好"}, {"role": "主持人", "text": "hi"}])
    assert "turns.1.role" in str(caught.value).replace("\n", ".").replace(" ", "")
    assert "unknown role '主持人'" in str(caught.value)


def test_empty_and_agentless_transcripts(scorer):
    for transcript in ([], call(("customer", "喂？有人吗？"))):
        report = scorer.score(transcript)
        assert [v.kind for v in report.violations] == ["no_agent_speech"]
        assert report.score == 0 and not report.passed


def test_long_turns_and_asr_artefacts(scorer):
    long_turn = "好的，" + "我们已经安排维修师傅上门处理，" * 3000 + "感谢您的来电，再见！"
    report = scorer.score(call(("agent", GREETING), ("customer", "好"), ("agent", long_turn)))
    assert report.violations == []
    asr = scorer.score(
        call(("agent", GREETING), ("customer", "好的"), ("agent", "好的那感谢_您的来电_再_见"))
    )
    assert asr.violations == []
    garbled = scorer.score(
        call(("agent", GREETING), ("customer", "好的"), ("agent", "好的那感谢_见"))
    )
    assert {v.expectation for v in garbled.violations} == {"closing_thanks", "closing_goodbye"}


def test_bundled_samples_grade_as_their_authors_meant(scorer, root):
    lines = (root / "samples" / "transcripts.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 20
    for line in lines:
        data = json.loads(line)
        report = scorer.score(data)
        quality = data["metadata"]["expected_quality"]
        if quality == "good":
            assert report.passed and not report.counts.taboo, data["id"]
        elif quality == "bad":
            assert not report.passed, data["id"]
        else:
            assert report.violations, data["id"]


def test_negative_points_and_unknown_rules_name_the_profile_file(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("schema: 1\ntaboo:\n  points: {minor: -5, major: 10, critical: 20}\n", "utf-8")
    with pytest.raises(ProfileError, match="greater than or equal to 0"):
        load_profile(path)
    path.write_text(
        "schema: 1\nname: mine\nexpectations:\n  - {id: x, where: opening, any_of: [P66], points: 1}\n",
        "utf-8",
    )
    with pytest.raises(ProfileError, match=f"{path}: refers to rules not in the rule set: P66"):
        Scorer(profile=path)


def test_threads_scoring_at_once_share_one_scorer():
    from concurrent.futures import ThreadPoolExecutor

    from phrasecheck import Checker

    checker = Checker()
    with ThreadPoolExecutor(8) as pool:
        reports = list(pool.map(lambda _: checker.score(PERFECT), range(16)))
    assert {r.score for r in reports} == {100}
    assert len(checker._scorers) == 1
