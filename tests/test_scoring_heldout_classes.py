"""Error classes found on the held-out real chats (tests/dialogues/heldout/), one test per class.

The held-out labels were blind until their first run; these classes were read from its
disagreements. Each transcript is written for this file in the words real chats use; none is
taken from the public corpora. A class is a general reading of the words, never one dialogue.
"""

import pytest
from scoring_helpers import chat, outcomes, statuses

from phrasecheck import Scorer
from phrasecheck.speech import asks_customer, is_sticker, spoken_words


@pytest.fixture(scope="module")
def scorer():
    return Scorer()


# --- what is speech ----------------------------------------------------------------------


def test_words_glued_to_an_emoji_code_are_speech(scorer):
    assert is_sticker("#E-s36#E-s[数字x]")
    assert is_sticker("#E-s5[数字x] [微笑]")
    assert not is_sticker("#E-s36您好，请问有什么可以帮到您")
    assert spoken_words("#E-s[数字x]嗯嗯") == "嗯嗯"
    report = scorer.score(
        chat(
            ("customer", "你好"),
            ("agent", "#E-s36您好，请问有什么可以帮到您"),
            ("customer", "水壶只有一面冒泡"),
            ("agent", "这款是U型发热的，两面都会加热"),
            ("customer", "好的，那我等售后电话?"),
            ("agent", "#E-s21嗯嗯，是的"),
            ("customer", "好的，谢谢!"),
            ("agent", "请问还有什么问题可以帮到您的嘛#E-s21"),
        )
    )
    assert statuses(report, "opening_greeting") == ["met"]
    # 嗯嗯 after the sticker is the agent's answer: the thanks that follows is for it, and the
    # reply ignores it.
    assert statuses(report, "reply_to_thanks") == ["missed"]


# --- the opening ---------------------------------------------------------------------------


def test_a_bare_ack_uses_up_the_chat_opening_but_not_a_calls(scorer):
    turns = (
        ("customer", "你好，我昨天买的冰箱今天降价了"),
        ("agent", "嗯嗯"),
        ("customer", "能申请价保吗"),
        ("agent", "还请麻烦您提供下订单号呢"),
        ("customer", "12345"),
        ("agent", "您好，这个订单还没完成呢"),
    )
    assert statuses(scorer.score(chat(*turns)), "opening_greeting") == ["missed"]
    call = (
        ("agent", "喂？"),
        ("customer", "喂，听得到吗"),
        ("agent", "嗯嗯"),
        ("agent", "您好，这里是客服中心，请问有什么可以帮您？"),
    )
    assert statuses(scorer.score(chat(*call, channel="phone")), "opening_greeting") == ["met"]


# --- waits -------------------------------------------------------------------------------


def test_asking_leave_to_check_is_still_going_off_to_check(scorer):
    assert not asks_customer("这边为您核实下先好吗", 7)
    assert asks_customer("请提供订单号，我帮您查一下好吗", 13)
    report = scorer.score(
        chat(
            ("agent", "您好，请问有什么可以帮您"),
            ("customer", "包裹到海外一直在清关，你们也不说怎么办"),
            ("agent", "亲亲您先别急"),
            ("agent", "这边为您核实下先好吗"),
            ("agent", "承运商已经下班了，暂时得不到回复"),
        )
    )
    assert statuses(report, "wait_before_checking") == ["missed"]


def test_helping_look_something_up_is_going_off_to_check(scorer):
    report = scorer.score(
        chat(
            ("agent", "您好，请问有什么可以帮您"),
            ("customer", "我订的空调明天能到吗"),
            ("agent", "还请麻烦您提供下订单号呢"),
            ("customer", "[ORDERID_1]"),
            ("agent", "#E-s21帮您查看一下"),
            ("agent", "预计是明天送达呢"),
        )
    )
    (wait,) = outcomes(report, "wait_before_checking")
    assert wait.status == "missed" and wait.trigger.text == "帮您查看一下"


# --- complaints without complaint words ------------------------------------------------------


def complaint_chat(said):
    return chat(
        ("agent", "您好，请问有什么可以帮您"),
        ("customer", said),
        ("agent", "订单预计明天送达"),
        ("agent", "请问还有其他问题吗"),
    )


@pytest.mark.parametrize(
    "said",
    [
        "这要什么时候才能到……",  # when will it finally come
        "你们到底还能不能取消",  # 到底 outside a question
        "下单到现在已经四五天了呀",  # how long it has been
        "现在都9点了",
        "这么慢的吗",  # a reproach, question mark or not
        "难道不能寄回去维修吗?",
        "我的快递怎么还没有到啊？",
        "为啥还是送到我公司",
        "酸奶是用冷藏箱送来的，可是冰糕为啥不用呢",  # a why-not after a contrast
        "原来一直都发邮箱的，这次怎么没发?",
        "我仍在等这一单快递",
        "申请了售后，没回复",
        "我并未要求改日再投",
        "让快递小心点儿，箱子上次都快坏了",  # blame for an earlier failure
        "为何物流会这样显示!",  # a why-question shouted
    ],
)
def test_complaints_voiced_without_complaint_words(scorer, said):
    report = scorer.score(complaint_chat(said))
    assert statuses(report, "soothe_complaint") == ["missed"], said


@pytest.mark.parametrize(
    "said",
    [
        "这两款到底有什么区别？",  # 到底 in a calm question
        "已经三天了吗？",
        "什么时候才能开发票呢？",
        "装修进度还没到需要热水器的这一步",
        "有没有回复呢",
        "为什么比自营店便宜呢？",  # why, but no exclamation and no contrast
        "我的运费为什么没退回呢",
    ],
)
def test_calm_questions_with_the_same_markers_are_not_complaints(scorer, said):
    report = scorer.score(complaint_chat(said))
    assert statuses(report, "soothe_complaint") == ["not_applicable"], said


@pytest.mark.parametrize("reply", ["您是货到付款的，不用担心此状态", "这边帮您备注催促一下"])
def test_reassurance_and_a_noted_chase_soothe(scorer, reply):
    report = scorer.score(
        chat(
            ("agent", "您好，请问有什么可以帮您"),
            ("customer", "订单显示被锁定，到底这个订单还有没有效"),
            ("agent", reply),
        )
    )
    assert statuses(report, "soothe_complaint") == ["met"]


# --- callbacks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "promise",
    ["我们专员会在24小时之内联系您的，请耐心等待", "请您放心，核实之后具体怎么处理也会告知您的"],
)
def test_a_callback_with_a_deadline_or_after_a_check_needs_contact(scorer, promise):
    report = scorer.score(
        chat(
            ("agent", "您好，请问有什么可以帮您"),
            ("customer", "随身听坏了，售后申请了一直没人处理"),
            ("agent", promise),
            ("customer", "好的"),
        )
    )
    (callback,) = outcomes(report, "ask_contact_for_callback")
    assert callback.status == "missed"


def test_asking_for_the_address_and_phone_meets_a_callback(scorer):
    report = scorer.score(
        chat(
            ("agent", "您好，请问有什么可以帮您"),
            ("customer", "我不想自提，需要送货上门"),
            ("agent", "好的，我这边为您跟进，24小时内短信通知您，请您提供下送货的地址以及电话"),
            ("customer", "朝阳区望京西园三区，电话就是收货人的"),
        )
    )
    assert statuses(report, "ask_contact_for_callback") == ["met"]


# --- closings ----------------------------------------------------------------------------


def test_asking_whether_there_is_anything_else_closes_a_chat(scorer):
    report = scorer.score(
        chat(
            ("agent", "您好，请问有什么可以帮您"),
            ("customer", "快递什么时候到"),
            ("agent", "预计傍晚给您送到"),
            ("customer", "好"),
            ("agent", "请问还有没有其他可以帮您的哟?#E-s21"),
        )
    )
    assert statuses(report, "closing_courtesy_chat") == ["met"]


def test_a_customers_closing_uh_ends_the_chat(scorer):
    turns = (
        ("agent", "您好，请问有什么可以帮您"),
        ("customer", "加湿器今天的气很小"),
        ("agent", "可以加一半水试试"),
        ("customer", "那意思是不能加太多？"),
        ("agent", "是的"),
        ("customer", "额"),
    )
    (closing,) = outcomes(scorer.score(chat(*turns)), "closing_courtesy_chat")
    assert closing.status == "missed"
