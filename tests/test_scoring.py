import json
import textwrap

import pytest
from pydantic import ValidationError

from phrasecheck import ProfileError, Scorer, Transcript, load_profile
from phrasecheck.transcript import ROLE_LABELS, parse_role

GREETING = "您好，万科物业客服中心，我姓李，请问有什么可以帮助您？"


def call(*turns, direction="inbound", channel="phone"):
    return {
        "id": "t1",
        "agent_id": "A01",
        "channel": channel,
        "direction": direction,
        "turns": [{"role": role, "text": text} for role, text in turns],
    }


PERFECT_TURNS = [
    ("agent", GREETING),
    ("customer", "我家厨房水管漏水了，3栋502。"),
    ("agent", "对不起给您添麻烦了，请稍等，我帮您查一下维修师傅的安排。"),
    ("customer", "好的，谢谢。"),
    ("agent", "不客气。师傅半小时内上门，感谢您的来电，再见！"),
]
PERFECT = call(*PERFECT_TURNS)


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


def outcome(report, expectation):
    (found,) = [o for o in report.expectations if o.expectation == expectation]
    return found


def test_missing_opening_alone(scorer):
    report = scorer.score(replace_turn(PERFECT, 0, "嗯，说吧。"))
    assert [(v.kind, v.expectation) for v in report.violations] == [
        ("missing_opening", "opening_greeting"),
        ("missing_opening", "opening_introduction"),
        ("missing_opening", "opening_offer_help"),
    ]
    assert report.violations[0].window == [0, 2]
    assert report.violations[0].rule_id is None
    assert [e.id for e in report.violations[0].expected] == ["P01", "P02", "C02"]
    assert "第1–3轮" in report.violations[0].message
    assert report.score == 100 - 3 - 2 - 2


def test_partial_greeting_gets_partial_credit(scorer):
    report = scorer.score(replace_turn(PERFECT, 0, "您好，请问有什么可以帮您？"))
    assert [v.expectation for v in report.violations] == ["opening_introduction"]
    assert report.score == 98


def test_missing_closing_alone(scorer):
    report = scorer.score(replace_turn(PERFECT, 4, "不客气。师傅半小时内上门。"))
    assert [v.expectation for v in report.violations] == ["closing_thanks", "closing_goodbye"]
    assert all(v.kind == "missing_closing" and v.category == "closing" for v in report.violations)
    assert report.violations[1].suggestion == "再见！"


def test_missing_reply_to_thanks_alone(scorer):
    # The thanks comes once the matter is done (thanks after 请稍等 is thanks in advance).
    answered = replace_turn(PERFECT, 2, "对不起给您添麻烦了，我帮您查过了，维修师傅半小时内上门。")
    report = scorer.score(replace_turn(answered, 4, "好的，感谢您的来电，再见！"))
    (violation,) = report.violations
    assert (violation.kind, violation.expectation, violation.turn_index) == (
        "missing_response",
        "reply_to_thanks",
        3,
    )
    assert violation.window == [4]
    assert violation.trigger.text == "谢谢" and violation.trigger.role == "customer"
    assert violation.message.startswith("第4轮客户说“谢谢”")


def test_missing_wait_before_checking_alone(scorer):
    report = scorer.score(
        replace_turn(PERFECT, 2, "对不起给您添麻烦了，我帮您查一下维修师傅的安排。")
    )
    (violation,) = report.violations
    assert (violation.expectation, violation.rule_id, violation.turn_index) == (
        "wait_before_checking",
        None,
        2,
    )
    assert violation.trigger.text == "我帮您查一下" and violation.trigger.role == "agent"
    assert violation.suggestion == "请稍等！"


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
    assert report.violations[0].severity == "major" and report.violations[0].points == 20


def test_a_fatal_taboo_fails_an_otherwise_perfect_call(scorer):
    report = scorer.score(replace_turn(PERFECT, 2, "有本事你去告！请稍等，我帮您查一下。"))
    (violation,) = report.violations
    assert (violation.kind, violation.rule_id, violation.severity) == ("taboo", "T11", "critical")
    assert violation.fatal and violation.matched == "有本事你去告"
    assert (violation.turn_index, violation.start, violation.end) == (2, 0, 6)
    assert violation.category == "rude" and violation.message.startswith("第3轮")
    assert report.score == 70 and report.passed is False and report.fatal


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
    assert [v.points for v in taboo] == [8, 4, 2, 0, 0]
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
    assert report.score == 98 and not report.passed
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
    with pytest.raises(ProfileError, match=r"bad\.yaml:3: .* refers to rule P99, which is not in"):
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


def test_role_labels_as_written_and_padded_or_capitalised_agree():
    # parse_role answers a label found as written without folding it (most exports), which
    # holds only while every label in ROLE_LABELS is already stripped and lower case.
    for label, role in ROLE_LABELS.items():
        assert label == label.strip().lower()
        assert parse_role(label) == parse_role(f" {label.upper()} ") == role


def test_unknown_role_names_the_turn():
    with pytest.raises(ValidationError) as caught:
        Transcript.coerce([{"role": "agent", "text": "您好"}, {"role": "主持人", "text": "hi"}])
    assert "turns.1.role" in str(caught.value).replace("\n", ".").replace(" ", "")
    assert "unknown role '主持人'" in str(caught.value)


def test_transcripts_without_agent_speech_are_unscorable_not_zero(scorer):
    only_links = call(("customer", "我的订单呢？"), ("agent", "<url>"), ("agent", "a1b2.jpg"))
    for transcript in ([], call(("customer", "喂？有人吗？")), only_links):
        report = scorer.score(transcript)
        assert report.status == "unscorable"
        assert report.score is None and report.passed is None and report.violations == []
        assert {o.status for o in report.expectations} == {"not_applicable"}
        assert report.expectations[0].reason == "no agent speech in the transcript"


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
    message = "field 'expectations.0.any_of', item 1: refers to rule P66, which is not in the rule set"
    with pytest.raises(ProfileError) as error:
        Scorer(profile=path)
    assert str(error.value) == f"{path}:4: {message}"


def test_threads_scoring_at_once_share_one_scorer():
    from concurrent.futures import ThreadPoolExecutor

    from phrasecheck import Checker

    checker = Checker()
    with ThreadPoolExecutor(8) as pool:
        reports = list(pool.map(lambda _: checker.score(PERFECT), range(16)))
    assert {r.score for r in reports} == {100}
    assert len(checker._scorers) == 1


# --- channels: where the channel comes from, and what each channel is asked for ----------

CHAT = [
    ("customer", "在吗？我的订单显示已签收，但我没收到货。"),
    ("agent", "您好，我帮您查一下物流信息，请稍等。"),
    ("agent", "亲，快递放在小区驿站了，取件码已经发到您手机上。"),
    ("customer", "找到了，谢谢。"),
    ("agent", "客气了，祝您生活愉快！"),
]


def test_channel_comes_from_record_then_option_then_evidence(scorer):
    plain = {"id": "c1", "turns": [{"role": r, "text": t} for r, t in CHAT]}
    report = scorer.score(plain)
    assert (report.channel, report.channel_source) == ("chat", "default")
    assert scorer.score(plain, channel="social").channel_source == "option"
    assert scorer.score({**plain, "channel": "IM"}, channel="social").channel == "chat"
    timed = {**plain, "turns": [{**t, "start": 1.0} for t in plain["turns"]]}
    assert (scorer.score(timed).channel, scorer.score(timed).channel_source) == (
        "phone",
        "inferred",
    )
    answered = [{"role": "agent", "text": "喂，您好，听得到吗？"}, *plain["turns"]]
    assert scorer.score({"turns": answered}).channel == "phone"


def test_a_chat_is_not_asked_for_phone_formulas(scorer):
    report = scorer.score(call(*CHAT, channel="chat"))
    assert report.violations == [] and report.score == 100
    assert outcome(report, "opening_introduction").status == "not_applicable"
    assert outcome(report, "closing_thanks").reason == "not expected on the chat channel"
    # The same words graded as a phone call miss the call's formulas.
    as_call = scorer.score(call(*CHAT, channel="phone"))
    assert {v.expectation for v in as_call.violations} >= {
        "opening_introduction",
        "closing_thanks",
    }


def test_real_answers_in_other_words_count(scorer):
    report = scorer.score(call(*CHAT, channel="chat"))
    assert outcome(report, "reply_to_thanks").evidence.text == "客气了"
    assert outcome(report, "wait_before_checking").evidence.text == "请稍等"
    assert outcome(report, "closing_courtesy_chat").status == "met"
    for answer in ("太客气了", "不用谢", "应该的"):
        text = f"{answer}，有问题随时联系我们。"
        changed = scorer.score(call(*CHAT[:4], ("agent", text), channel="chat"))
        assert outcome(changed, "reply_to_thanks").status == "met", answer
    for wait in ("稍等哦", "稍候，我查一下", "请您耐心等待，我这边帮您核实一下"):
        turns = [CHAT[0], ("agent", f"您好，{wait}。"), *CHAT[2:]]
        if "查" not in wait and "核实" not in wait:
            turns[1] = ("agent", f"您好，我帮您查一下，{wait}。")
        changed = scorer.score(call(*turns, channel="chat"))
        assert outcome(changed, "wait_before_checking").status == "met", wait


def test_a_social_thread_is_judged_on_its_replies(scorer):
    thread = call(
        ("customer", "@某某快递 你们的快递员把我的包裹扔在门口就走了，东西丢了，太坑人了！"),
        ("agent", "您好，非常抱歉给您带来不便，请私信我们您的运单号和联系方式，我们马上为您处理。"),
        channel="social",
    )
    report = scorer.score(thread)
    assert report.passed and report.violations == []
    assert outcome(report, "soothe_complaint").status == "met"
    assert outcome(report, "closing_courtesy_chat").status == "not_applicable"
    curt = scorer.score(replace_turn(thread, 1, "私信运单号。"))
    assert [v.expectation for v in curt.violations] == ["opening_greeting", "soothe_complaint"]
    assert curt.score == 100 - 3 - 20 and not curt.passed


# --- judge only what the transcript shows ---------------------------------------------------


def test_a_transcript_cut_off_on_the_customer_has_no_closing_to_judge(scorer):
    cut = call(*PERFECT_TURNS[:3], ("customer", "那师傅大概几点能到？"))
    report = scorer.score(cut)
    assert {o.status for o in report.expectations if o.where == "closing"} == {"not_applicable"}
    assert "ends on the customer (第4轮)" in outcome(report, "closing_goodbye").reason
    assert report.violations == []
    # A customer's closing remark does end the conversation: the closing is judged.
    answered = ("agent", "好的，师傅下午上门。")
    ended = scorer.score(call(*PERFECT_TURNS[:2], answered, ("customer", "好的，谢谢，再见。")))
    assert outcome(ended, "closing_goodbye").status == "missed"
    # An agent who went off to check has not finished the conversation either.
    busy = scorer.score(call(*PERFECT_TURNS[:3]))
    assert "still working (第3轮)" in outcome(busy, "closing_goodbye").reason


def test_a_chat_that_starts_mid_way_has_no_opening_to_judge(scorer):
    report = scorer.score(
        call(("agent", "好的，那我再帮您看一下。"), ("customer", "嗯"), channel="chat")
    )
    assert outcome(report, "opening_greeting").status == "not_applicable"
    assert "starts mid-way" in outcome(report, "opening_greeting").reason


def test_a_line_check_does_not_push_the_greeting_out_of_the_window(scorer):
    report = scorer.score(
        call(
            ("agent", "喂？"),
            ("agent", "喂，您好，听得到吗？"),
            ("customer", "听得到。"),
            ("agent", "您好，万科物业客服中心，我姓李，请问有什么可以帮助您？"),
            ("customer", "没事了，谢谢，再见。"),
            ("agent", "不客气，感谢您的来电，再见！"),
        )
    )
    assert outcome(report, "opening_introduction").evidence.turn_index == 3
    assert {v.kind for v in report.violations} == {"taboo"}  # only 喂 (T01)


def test_thanks_in_advance_is_not_thanks_to_answer(scorer):
    turns = [*PERFECT_TURNS[:3], ("customer", "麻烦尽快安排，谢谢。"), PERFECT_TURNS[4]]
    turns[4] = ("agent", "好的，师傅半小时内上门，感谢您的来电，再见！")
    report = scorer.score(call(*turns))
    assert outcome(report, "reply_to_thanks").status == "not_applicable"
    assert report.violations == []


# --- real complaint cues, and weights that match QA practice --------------------------------


@pytest.mark.parametrize(
    "complaint",
    ["买的什么垃圾东西", "你们这不是坑人吗", "凭什么不给退", "太失望了", "都几次了还没修好"],
)
def test_real_anger_is_a_complaint(scorer, complaint):
    report = scorer.score(replace_turn(PERFECT, 1, complaint))
    assert outcome(report, "soothe_complaint").status == "met"  # PERFECT apologises next
    ignored = replace_turn(replace_turn(PERFECT, 1, complaint), 2, "请稍等，我帮您查一下。")
    assert "soothe_complaint" in {v.expectation for v in scorer.score(ignored).violations}


def test_a_neutral_question_is_not_a_complaint(scorer):
    neutral = replace_turn(PERFECT, 1, "我家门口的灯一直闪，怎么回事？")
    neutral = replace_turn(neutral, 2, "请稍等，我帮您查一下。")
    report = scorer.score(neutral)
    assert outcome(report, "soothe_complaint").status == "not_applicable"


def test_an_ignored_angry_complaint_and_a_dismissive_reply_fail(scorer):
    rude = call(
        ("agent", GREETING),
        ("customer", "都第三次了，你们到底管不管！"),
        ("agent", "这个我不知道。"),
        ("customer", "算了。"),
        ("agent", "感谢您的来电，再见！"),
    )
    report = scorer.score(rude)
    assert {v.expectation or v.rule_id for v in report.violations} == {"soothe_complaint", "T02"}
    assert not report.passed and report.score == 100 - 20 - 8
    courteous = replace_turn(rude, 2, "非常抱歉给您添麻烦了，我马上为您安排师傅。")
    assert scorer.score(courteous).passed


def test_a_callback_needs_a_number_unless_the_customer_gave_one(scorer):
    promise = replace_turn(PERFECT, 2, "对不起，请稍等，我查一下，有结果了第一时间通知您。")
    report = scorer.score(promise)
    assert [v.expectation for v in report.violations] == ["ask_contact_for_callback"]
    given = replace_turn(promise, 1, "我家厨房水管漏水了，有事打13800001202。")
    assert outcome(scorer.score(given), "ask_contact_for_callback").evidence.rule_id == (
        "phone_number"
    )
    asked = replace_turn(promise, 4, "请提供一下您的联系方式，感谢您的来电，再见！")
    assert outcome(scorer.score(asked), "ask_contact_for_callback").status == "met"


def test_every_expectation_has_an_outcome_and_the_report_names_its_ruleset(scorer):
    report = scorer.score(PERFECT)
    assert [o.expectation for o in report.expectations] == [
        e.id for e in scorer.profile.expectations
    ]
    assert report.ruleset == scorer.version and len(report.ruleset) == 12
    assert (report.direction, report.direction_source) == ("inbound", "record")
    unsaid = scorer.score({**PERFECT, "direction": None})
    assert (unsaid.direction, unsaid.direction_source) == ("inbound", "default")
    chat = scorer.score({**PERFECT, "channel": "chat"})
    assert chat.direction_source is None
    assert report.schema_version == "2.0"


# --- found by review: neutral questions, outbursts, closings, channels --------------------


@pytest.mark.parametrize(
    "question",
    ["你们物业提供什么服务？", "说好的时间是明天上午对吧", "请问投诉怎么走流程？", "这个价格太贵了有优惠吗"],
)
def test_a_neutral_question_with_complaint_words_is_not_a_complaint(scorer, question):
    chat = call(("agent", "您好，有什么可以帮您？"), ("customer", question),
                ("agent", "我们提供保洁、维修、安保等服务。"), channel="chat")
    assert outcome(scorer.score(chat), "soothe_complaint").status == "not_applicable"
    angry = replace_turn(chat, 1, question.rstrip("？") + "！")
    assert outcome(scorer.score(angry), "soothe_complaint").status == "missed"


def test_one_outburst_over_several_messages_is_one_complaint(scorer):
    split = call(("agent", "您好"), ("customer", "垃圾"), ("customer", "骗子"),
                 ("customer", "我要投诉你们"), ("agent", "订单号多少"), channel="chat")
    missed = [v for v in scorer.score(split).violations if v.expectation == "soothe_complaint"]
    assert len(missed) == 1 and missed[0].trigger.text == "垃圾"


def test_the_greeting_is_not_the_closing_and_an_open_question_is_not_an_end(scorer):
    short = call(("agent", "您好，请问有什么可以帮您"), ("customer", "退货地址是哪里"),
                 ("agent", "北京市朝阳区xx路1号"), ("customer", "好的"), channel="chat")
    assert outcome(scorer.score(short), "closing_courtesy_chat").status == "missed"
    asking = call(("customer", "退货怎么退"), ("agent", "您好，在订单页面点申请售后"),
                  ("customer", "找不到"), ("agent", "您是用的app还是网页？"), channel="chat")
    assert "agent's question" in outcome(scorer.score(asking), "closing_courtesy_chat").reason


def test_channel_inference_is_not_fooled_by_chat_words(scorer):
    chat = [{"role": "customer", "text": "在吗我要退款"},
            {"role": "agent", "text": "亲，您好，正在为您转接售后专员"},
            {"role": "agent", "text": "亲，喂养的时候少量多餐哦"}]
    assert scorer.score(chat).channel == "chat"
    outbound = {"direction": "outbound", "turns": chat}
    assert scorer.score(outbound).channel == "phone"
    with pytest.raises(ValueError, match="unknown channel 'fax'"):
        scorer.score(chat, channel="fax")
    assert scorer.score(chat, channel="weibo").channel == "social"


def test_a_check_already_done_needs_no_wait(scorer):
    done = call(("customer", "我的快递到哪了"), ("agent", "您好，我帮您查了一下，已经发货了。"),
                channel="chat")
    assert outcome(scorer.score(done), "wait_before_checking").status == "not_applicable"


def test_excused_triggers_say_why(scorer):
    chat = call(("agent", "您好"), ("customer", "麻烦尽快发货，谢谢"), ("agent", "好的，今天发出。"),
                channel="chat")
    (thanks,) = [o for o in scorer.score(chat).expectations if o.expectation == "reply_to_thanks"]
    assert thanks.status == "not_applicable" and "request" in thanks.reason
    assert thanks.trigger.text == "谢谢"


def test_options_that_would_do_nothing_are_profile_errors(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "schema: 1\nexpectations:\n  - {id: g, where: opening, any_of: [P01], points: 1, "
        "skip_if_asking: true}\n",
        "utf-8",
    )
    with pytest.raises(ProfileError, match="skip_if_asking do"):
        load_profile(path)
