"""Error classes found on the labelled real dialogues (tests/dialogues/), one test per class.

Each transcript is written for this file in the words real chats and calls use; none is
taken from the public corpora. A class is a general reading of the words (a wait announced
for another matter, thanks while the agent is still working, a complaint in an if-clause),
never a single dialogue.
"""

import textwrap
from pathlib import Path

import pytest
from scoring_helpers import chat, outcomes, statuses

from phrasecheck import ProfileError, Scorer, load_profile
from phrasecheck.speech import in_condition, is_request, is_system_line


@pytest.fixture(scope="module")
def scorer():
    return Scorer()


# --- thanks ----------------------------------------------------------------------------


def test_a_bare_keqi_answers_thanks(scorer):
    report = scorer.score(
        chat(
            ("agent", "您好，亲，请问有什么可以帮您？"),
            ("customer", "赠品能补发吗"),
            ("agent", "可以的，已经给您登记补发了"),
            ("customer", "OK，谢谢"),
            ("agent", "客气"),
            ("agent", "请问还有什么可以帮您的吗?"),
        )
    )
    assert statuses(report, "reply_to_thanks") == ["met"]


def test_thanks_sent_after_the_customers_own_request_is_thanks_in_advance(scorer):
    report = scorer.score(
        chat(
            ("agent", "您好，亲爱的，这边给您查询下，请稍等"),
            ("customer", "订单取消不了，麻烦帮忙把赠品加回来"),
            ("customer", "谢谢"),
            ("agent", "如果主商品收到了，可以给您申请补发赠品"),
        )
    )
    (thanks,) = outcomes(report, "reply_to_thanks")
    assert thanks.status == "not_applicable" and "request" in thanks.reason


def test_thanks_while_the_agent_is_still_working_needs_no_reply(scorer):
    before = chat(
        ("agent", "您好，请问您是购买的什么商品呢"),
        ("customer", "置物架两件"),
        ("agent", "好的，正在为您查询，还请您稍微等待一小会"),
        ("customer", "嗯，谢谢!"),
        ("agent", "让您久等了，请问收货人是哪位呢"),
    )
    (thanks,) = outcomes(scorer.score(before), "reply_to_thanks")
    assert thanks.status == "not_applicable" and "still working" in thanks.reason
    reply = chat(
        ("agent", "您好，发票发到哪个邮箱呢"),
        ("customer", "就发这个邮箱"),
        ("customer", "谢谢"),
        ("agent", "稍等 您好，已帮您发送，十分钟内请查收邮箱"),
    )
    assert statuses(scorer.score(reply), "reply_to_thanks") == ["not_applicable"]


def test_a_wait_already_followed_by_the_answer_is_over(scorer):
    # Chat exports join an agent's messages: 稍等 … then the result, in one turn.
    report = scorer.score(
        chat(
            ("agent", "您好，稍等，我帮您查一下 结果：该商品符合价保规则，已为您申请价保30元"),
            ("customer", "好，多谢"),
            ("agent", "请问还有其他问题需要咨询吗"),
        )
    )
    assert statuses(report, "reply_to_thanks") == ["missed"]


def test_a_long_wait_for_another_department_is_not_the_agent_still_working(scorer):
    # 请您耐心等待售后审核 is days away; thanks after it is for the application made.
    report = scorer.score(
        chat(
            ("agent", "您好，这边已经给您申请售后，辛苦您耐心等待售后审核处理呢"),
            ("customer", "谢谢"),
            ("agent", "请问还有什么可以帮到您的呢?"),
        )
    )
    assert statuses(report, "reply_to_thanks") == ["missed"]


def test_requests_behind_stickers_and_urgency_make_thanks_in_advance():
    assert is_request("麻烦您能告诉一下吗#E-s[数字x]")
    assert is_request("我们着急用了，操点心，发个放心的!")
    assert not is_request("昨天寄错地址，快递小哥帮我追回来重新派送，太靠谱了！")
    assert is_request("那航空大概多少钱？")
    assert not is_request("那航空大概多少钱？", questions=False)


def test_thanks_for_what_was_done_still_needs_a_reply_when_a_new_question_follows(scorer):
    call = chat(
        ("agent", "您好，飞鸿速运，请问有什么可以帮您？"),
        ("customer", "寄水果到广州要几天？"),
        ("agent", "走航空第二天就到，水果建议您走航空。"),
        ("customer", "哦，好的，谢谢提醒。那航空大概多少钱？"),
        ("agent", "首重二十三元，续重每公斤十二元。"),
        channel="phone",
        direction="inbound",
    )
    assert statuses(scorer.score(call), "reply_to_thanks") == ["missed"]
    praise = chat(
        ("customer", "感谢@飞鸿速运，快递小哥帮我追回来重新派送，一分钱没多收，太靠谱了！"),
        ("agent", "如需修改地址，可在小程序“我的寄件”中自助操作。"),
        channel="social",
    )
    assert statuses(scorer.score(praise), "reply_to_thanks") == ["missed"]


# --- complaints ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "complaint",
    [
        "服了，不能跟快递说一下吗",
        "真是麻烦的要死",
        "淘宝可比你们好多了，都是随时可以取消的",
        "打电话给他还骂我，什么素质！",
        "你就不能帮我取消退款吗",
        "客服说打电话给我，一直没有打",
        "可以快点嘛",
        "这已经不是第一次了",
        # discontent stated as fact, the same failure again, blame, exasperation
        "我根本就没收到货",
        "运费险没有到账啊",
        "退款申请了已经五天多了",
        "换了一台新的怎么还是开不了机",
        "修过两次了还是这样",
        "我刚才就跟你说了要取消的",
        "一定要这么久的吗",
        "我晕，又要重新下单",
        "上次你们打电话说一周补货，今天又说没有计划",
        "为什么不能商家操作，还要我们自己弄",
        "问题还是没有解决",
        "呵呵",
        "你们就没什么办法给解决一下吗",
        "物流一直没动静",
        "我一直没看到退款",
    ],
)
def test_complaints_in_real_words(scorer, complaint):
    report = scorer.score(
        chat(
            ("agent", "您好，请问有什么可以帮您？"),
            ("customer", complaint),
            ("agent", "订单已经提交了"),
        )
    )
    assert statuses(report, "soothe_complaint") == ["missed"], complaint


@pytest.mark.parametrize(
    "neutral",
    [
        "我一直没拆，包装还是好的",  # what the customer has not done yet is no failure
        "店铺老板一直没在线吗",  # a question
        "太麻烦了，谢谢你",  # thanks (麻烦您了), not a complaint
        "是不是根本没发货？",  # a question, not a statement
        "请问怎么还是要填地址？",
        "你们系统崩溃了吗？",
    ],
)
def test_neutral_words_near_complaint_words_are_not_complaints(scorer, neutral):
    report = scorer.score(
        chat(
            ("agent", "您好，请问有什么可以帮您？"),
            ("customer", neutral),
            ("agent", "好的，这边看到订单已经出库了"),
        )
    )
    assert statuses(report, "soothe_complaint") == ["not_applicable"], neutral


def test_an_agent_naming_itself_xiaomei_is_the_speaker_of_a_brush_off(scorer):
    report = scorer.score(
        chat(
            ("agent", "您好，亲"),
            ("customer", "你们这个赠品到底什么时候发？"),
            ("agent", "建议您联系商家，小妹这边不太清楚哦"),
        )
    )
    assert [v.rule_id for v in report.violations if v.kind == "taboo"] == ["G01"]
    # a third party's not knowing is information, as before
    others = scorer.score(
        chat(
            ("agent", "您好，亲"),
            ("customer", "赠品什么时候发？"),
            ("agent", "商家那边也不清楚呢"),
        )
    )
    assert not [v for v in others.violations if v.kind == "taboo"]


def test_shouted_question_marks_are_exasperation_a_plain_question_is_not(scorer):
    def soothe(*customer):
        turns = [("agent", "您好，有什么可以帮您？")]
        turns += [("customer", text) for text in customer]
        turns += [("agent", "白点是水垢，用白醋煮一下就能去掉。")]
        return outcomes(scorer.score(chat(*turns)), "soothe_complaint")

    (shouted,) = soothe("这斑点是什么？洗不掉的", "为什么会有这种现象？！？！？！")
    assert shouted.status == "missed" and shouted.trigger.rule_id == "exasperation"
    assert shouted.trigger.text == "？！？！？！" and shouted.trigger.turn_index == 2
    assert [o.status for o in soothe("这斑点是什么？？", "真的吗?!")] == ["not_applicable"]


def test_a_trouble_imagined_in_an_if_clause_is_not_a_complaint(scorer):
    report = scorer.score(
        chat(
            ("agent", "您好，亲，这款是老人机"),
            ("customer", "要是有问题太麻烦了，他们也弄不懂"),
            ("agent", "这款质量很稳定的"),
        )
    )
    assert statuses(report, "soothe_complaint") == ["not_applicable"]
    assert in_condition("要是有问题太麻烦了", 5)
    assert not in_condition("要是今天还不到，我就投诉", 10)  # a threat complains
    assert not in_condition("如果这么容易开裂……多不安全", 14)  # the clause ended
    assert not in_condition("要不是你们这个保价问题，用的着那么麻烦吗", 18)


def test_urging_a_colleague_or_handling_it_now_soothes(scorer):
    for answer in ("有同事帮您催促物流的，辛苦您等待下", "请您稍等一下，正在为您核实处理中哦"):
        report = scorer.score(
            chat(
                ("agent", "您好，请问有什么可以帮您？"),
                ("customer", "京东物流从来没有这么慢过，到现在都没送到"),
                ("agent", answer),
            )
        )
        assert statuses(report, "soothe_complaint") == ["met"], answer


# --- waits ----------------------------------------------------------------------------


def test_a_wait_asked_before_the_customers_next_question_is_not_for_the_next_check(scorer):
    report = scorer.score(
        chat(
            ("agent", "亲亲，预计今天到达呢，您耐心稍等一下"),
            ("customer", "现在那个到哪里了"),
            ("agent", "亲，小妹给您查询一下的呢"),
            ("customer", "好的"),
            ("agent", "亲亲，另外一个包裹已经提交取消申请了"),
        )
    )
    (wait,) = outcomes(report, "wait_before_checking")
    assert wait.status == "missed" and wait.window == [2, 4]
    together = scorer.score(
        chat(
            ("customer", "到哪里了"),
            ("agent", "亲亲，请您稍等"),
            ("agent", "小妹给您查询一下"),
        )
    )
    assert statuses(together, "wait_before_checking") == ["met"]


@pytest.mark.parametrize("check", ["系统匹配的呢，这边咨询站点的哈", "好的，我走系统再申请看下"])
def test_asking_a_station_or_trying_the_system_is_going_off_to_check(scorer, check):
    report = scorer.score(
        chat(("customer", "这个不是站点的电话啊"), ("agent", check), ("customer", "不用了"))
    )
    assert statuses(report, "wait_before_checking") == ["missed"], check


def test_a_check_handed_on_or_already_done_needs_no_wait(scorer):
    handed = scorer.score(
        chat(("customer", "显示签收了但没收到"), ("agent", "抱歉给您添麻烦了，帮您核实下，站点会联系您"))
    )
    (wait,) = outcomes(handed, "wait_before_checking")
    assert wait.status == "not_applicable" and "later" in wait.reason
    done = scorer.score(
        chat(("customer", "退票了吗"), ("agent", "亲亲这边给您核实已经申请退票了"))
    )
    assert statuses(done, "wait_before_checking") == ["not_applicable"]
    looked = scorer.score(
        chat(("customer", "赠品是什么"), ("agent", "这边帮您查看了，送的是手机壳哟~"))
    )
    assert statuses(looked, "wait_before_checking") == ["not_applicable"]


# --- callbacks ------------------------------------------------------------------------


def test_contact_asked_with_the_address_or_confirmed_meets_a_callback(scorer):
    for ask in (
        "支付完成告知我您的收货地址和联系方式，寄出后短信告知您快递单号",
        "订单上的电话可以联系您本人吗？专员会尽快联系您",
    ):
        report = scorer.score(chat(("customer", "行程单怎么寄"), ("agent", ask)))
        assert statuses(report, "ask_contact_for_callback") == ["met"], ask


def test_a_text_message_promise_is_a_callback_and_one_ask_does_for_later_ones(scorer):
    bare = scorer.score(
        chat(("customer", "发票能改抬头吗"), ("agent", "这边给您换开了，开具好短信告知"))
    )
    assert statuses(bare, "ask_contact_for_callback") == ["missed"]
    later = scorer.score(
        chat(
            ("agent", "您好，请提供一下您的收货地址和联系方式"),
            ("customer", "四川成都"),
            ("agent", "好的"),
            ("customer", "还有发票"),
            ("agent", "发票随行程单一起"),
            ("customer", "好"),
            ("agent", "机票是行程单，不是发票"),
            ("customer", "好的"),
            ("agent", "三个工作日左右寄出，有寄出单号短信告知"),
        )
    )
    assert statuses(later, "ask_contact_for_callback") == ["met"]


def test_a_promise_to_notify_qin_and_an_ask_without_qing(scorer):
    promised = scorer.score(
        chat(("customer", "维修要多久"), ("agent", "检测后会通知亲亲哦，还请耐心等待"))
    )
    assert statuses(promised, "ask_contact_for_callback") == ["missed"]
    for ask in ("专员明天上午给您回电，辛苦您提供一下回电号码呢", "[电话]这个手机号对吗亲"):
        asked = scorer.score(
            chat(
                ("customer", "赔偿怎么算"),
                ("agent", "这边给您升级处理，专员会尽快联系您"),
                ("customer", "好的"),
                ("agent", ask),
            )
        )
        assert statuses(asked, "ask_contact_for_callback") == ["met"], ask


def test_a_link_glued_to_words_is_speech():
    assert is_system_line("https://item.jd.com/20185936243.html")
    assert not is_system_line("https://item.jd.com/1.html亲亲，支付完成告知我您的联系方式")


# --- rude -----------------------------------------------------------------------------


def test_hello_to_check_who_answered_an_outbound_call_is_tolerated(scorer):
    outbound = scorer.score(
        chat(
            ("agent", "喂，是张先生吗？"),
            ("customer", "是，你哪位？"),
            channel="phone",
            direction="outbound",
        )
    )
    assert not [v for v in outbound.violations if v.rule_id == "T01"]
    bare = scorer.score(
        chat(("agent", "喂，你的快递到了，下来拿一下。"), channel="phone", direction="outbound")
    )
    assert [v.rule_id for v in bare.violations if v.kind == "taboo"] == ["T01"]


# --- the profile options these classes use -------------------------------------------


@pytest.mark.parametrize(
    ("option", "expectation"),
    [
        ("pending_if: [P07]", "wait_before_checking"),
        ("skip_if_said: [P07]", "reply_to_thanks"),
        ("same_exchange: true", "reply_to_thanks"),
        ("met_earlier: true", "reply_to_thanks"),
    ],
)
def test_options_for_the_other_role_are_errors_with_a_line(tmp_path, option, expectation):
    source = load_profile().source
    assert source is not None
    bundled = Path(source).read_text("utf-8")
    anchor = f"  - id: {expectation}\n"
    assert anchor in bundled
    path = tmp_path / "p.yaml"
    path.write_text(bundled.replace(anchor, anchor + f"    {option}\n"), "utf-8")
    with pytest.raises(ProfileError) as error:
        load_profile(path)
    line = bundled[: bundled.index(anchor)].count("\n") + 1
    assert f"p.yaml:{line}" in str(error.value)
    assert option.split(":")[0] in str(error.value)


def test_pending_if_names_defined_cues_only(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            schema: 1
            expectations:
              - id: thanks
                where: response
                trigger: [C10]
                trigger_role: customer
                pending_if: [C99]
                any_of: [P05]
                points: 2
            cues:
              - {id: C10, phrase: 谢谢, category: thanks, forms: [谢谢]}
            """
        ),
        "utf-8",
    )
    with pytest.raises(ProfileError, match="C99"):
        load_profile(path)


def test_a_check_announced_while_asking_can_be_due_after_the_answer(tmp_path):
    """QA leads differ on 请提供订单号，帮您查询: the bundled profile waits for nothing; a
    profile with due_after_answer expects 请稍等 once the number arrives."""
    source = load_profile().source
    assert source is not None
    bundled = Path(source).read_text("utf-8")
    path = tmp_path / "strict.yaml"
    path.write_text(
        bundled.replace("    skip_if_asking: true\n", "    skip_if_asking: true\n    due_after_answer: true\n"),
        "utf-8",
    )

    def transcript(reply):
        return chat(
            ("customer", "我的快递怎么还没到"),
            ("agent", "您好，麻烦提供一下订单号，这边帮您查询"),
            ("customer", "[ORDERID_10379471]"),
            ("agent", reply),
            ("customer", "好的"),
        )

    direct = transcript("亲，您的包裹已经到站点了，今天会派送的")
    waited = transcript("好的，请您稍等哦")
    strict, default = Scorer(profile=path), Scorer()
    assert statuses(default.score(direct), "wait_before_checking") == ["not_applicable"]
    (missed,) = outcomes(strict.score(direct), "wait_before_checking")
    assert missed.status == "missed" and missed.window == [1, 3]
    assert statuses(strict.score(waited), "wait_before_checking") == ["met"]
    # a wait said while asking counts, and a check handed on (站点会联系您) needs none
    asked = chat(
        ("customer", "我的快递怎么还没到"),
        ("agent", "麻烦提供一下订单号，请您稍等，这边帮您查询"),
        ("customer", "[ORDERID_10379471]"),
        ("agent", "亲，您的包裹已经到站点了"),
    )
    assert statuses(strict.score(asked), "wait_before_checking") == ["met"]
    handed = chat(
        ("customer", "我的快递怎么还没到"),
        ("agent", "请提供一下订单号，我帮您核实下，站点会联系您的"),
        ("customer", "[ORDERID_10379471]"),
        ("agent", "好的，已经登记了"),
    )
    (excused,) = outcomes(strict.score(handed), "wait_before_checking")
    assert excused.status == "not_applicable" and "later" in excused.reason
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        bundled.replace("    skip_if_asking: true\n", "    due_after_answer: true\n"), "utf-8"
    )
    with pytest.raises(ProfileError, match="due_after_answer needs skip_if_asking"):
        load_profile(broken)
