"""Context that decides whether a taboo wording is said: who says it, quotation, questions."""

import pytest


def ids(checker, text):
    return sorted({hit.rule_id for hit in checker.check(text).hits})


@pytest.mark.parametrize(
    "text",
    [
        "住户们可能还不知道，我们会再发通知",  # plural noun + two adverbs
        "不少客户也不知道这个入口",
        "孩子大概还不知道电梯在维保",
        "师傅那边也不知道具体几点到",  # 那边 is passed over
        "业主并不知道这个规定",  # jieba's compound 并不知道
        "新来的同事可能不知道流程",
        "您邻居说他不知道要交押金",  # reported speech: its own subject decides
        "大家都不知道新门禁的密码",
        "保洁阿姨不知道您家有人",
    ],
)
def test_a_third_party_not_knowing_is_not_dismissive(checker, text):
    assert "T02" not in ids(checker, text)


@pytest.mark.parametrize(
    "text",
    [
        "不知道是不是网络的原因，您再试一次",  # a whether-question after it
        "不知道师傅修得怎么样，您用着还好吗",  # a wh-question and no subject
        "不知道明天上午师傅上门方便吗",
        "如果不知道自己的户号，看一下缴费单",  # a condition
        "不知道房号的话，报一下姓名也行",
        "之前我们不知道这个情况，给您添麻烦了",  # narrating what was not known then
    ],
)
def test_hedges_conditions_and_narration_are_not_dismissive(checker, text):
    assert "T02" not in ids(checker, text)


@pytest.mark.parametrize(
    "text",
    [
        "这个我不知道",
        "不知道。",
        "停水到几点 嗯 不知道",  # an interjection is no subject
        "这个事情我也不知道你去问问别人吧",  # a run-on: 不知道你 is no polite inquiry
        "停水的事我也不知道什么时候来水",  # a wh-question after a named speaker: a statement
        "快递员的电话不知道",  # a thing fronted as the topic: the speaker is implied
        "我们也不知道",
    ],
)
def test_the_agent_not_knowing_is_dismissive(checker, text):
    assert "T02" in ids(checker, text)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("住户们可能还不知道", "said of someone else (住户们)"),
        ("如果不知道户号", "a condition (如果…)"),
        ("不知道是不是停电了", "opens an indirect question (不知道是不是…)"),
        ("之前我们不知道这个情况", "narrates what was not known then (之前…)"),
        ("不知道也没关系", "a concession (不知道也没关系)"),
    ],
)
def test_explain_says_who_says_a_first_person_wording(checker, text, why):
    (candidate,) = [c for c in checker.explain(text).candidates if c.rule_id == "T02"]
    assert candidate.decision == "rejected"
    assert candidate.reason == f"not said by the agent of itself: {why}"


@pytest.mark.parametrize(
    "text",
    [
        "我们不会跟业主说“不知道”",
        '"你找谁"这种说法是不允许的',
        "「急什么」这三个字不能对业主讲",
        "你找谁这种说法是不允许的",  # named as a wording, without quotation marks
        "培训时讲过，千万别跟业主说急什么",  # the object of a prohibition of saying
        "『烦死人了』这样的话绝对不能说",
    ],
)
def test_a_quoted_or_mentioned_wording_is_not_said(checker, text):
    assert not [h for h in checker.check(text).hits if h.kind == "taboo"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“急什么”，你说呢", []),
        ("急什么，我说了“稍等”", ["T25"]),  # the quotation elsewhere does not cover it
        ("我说急什么，烦死人了", ["T04"]),  # 说 alone is no prohibition
    ],
)
def test_mention_is_decided_per_hit(checker, text, expected):
    assert [h.rule_id for h in checker.check(text).taboo] == expected


@pytest.mark.parametrize(
    "text", ["急什么时候", "您急什么时候要", "你急什么时候要，我给您安排", "你急啥时候用"]
)
def test_a_time_question_is_not_impatience(checker, text):
    assert "T25" not in ids(checker, text)


@pytest.mark.parametrize(
    "text",
    ["好的喂喂喂听得到吗", "您好喂喂喂能听到吗", "那个 喂喂 您还在吗"],
)
def test_a_repeated_hello_is_a_line_check_anywhere(checker, text):
    (hit,) = checker.check(text).taboo
    assert hit.rule_id == "T01" and set(hit.matched) == {"喂"}


def test_feeding_is_still_not_a_hello(checker):
    assert ids(checker, "请不要在阳台喂鸽子") == []
    assert ids(checker, "请不要喂喂猫") == []


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        ("你说话能不能清楚点", "T21"),  # 能不能 asks, it does not negate
        ("讲了大半天了你还是没听懂", "T13"),
        ("急什么急，没看见我正忙着吗", "T05"),  # 正 for 在: said for one another
        ("哪个？他今天不在", "T06"),  # the form's own break may be crossed
    ],
)
def test_words_inserted_into_short_and_mid_length_wordings(checker, text, rule_id):
    assert [h.rule_id for h in checker.check(text).taboo] == [rule_id]


@pytest.mark.parametrize(
    "text",
    [
        "施工图我看清楚了，再问一下您想改哪面墙",  # insertion across a clause break
        "我们怎么知道您到家了呢？您到家回个电话就行",  # 们 glued to the first word
        "我们处理不了的部分会转给工程部",
        "您说话不清楚的话，我们可以换个方式",  # 不 inserted is a negation, not a question
    ],
)
def test_insertions_that_change_the_meaning_are_refused(checker, text):
    assert checker.check(text).taboo == []


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        ("您好，万科物业客服中心，我姓李，请问有什么可以帮到您？", "P02"),
        ("是的，张女士，马上安排", "P08"),
        ("请留一下电话和姓名，好吗", "P13"),
        ("麻烦留一下您的姓名和联系电话", "P13"),
        ("请您填写一下投诉单", "P15"),
        ("请您把投诉单填写好", "P15"),
        ("打扰您了，不好意思", "P19"),  # either order
        ("早上好，阳光物业客服中心，我是3号客服小王，有什么可以帮您", "P02"),  # 请问 left out
        ("请您与保安部李队长联系", "P12"),
        ("麻烦您联系一下客服部王经理", "P12"),
        ("请问您找哪一位", "P09"),
        ("好的，拜拜", "P06"),
    ],
)
def test_polite_variants(checker, text, rule_id):
    assert [h.rule_id for h in checker.check(text).polite] == [rule_id]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("你找谁都可以，值班的同事都能办", []),  # 谁……都: anyone
        ("你找谁？都几点了", ["T28"]),  # a break between them: a question
        ("我们要下班了，您明天再来也可以办", []),  # an offer, not a refusal
        ("要下班了，有事明天再来", ["T07"]),
    ],
)
def test_anyone_and_offers(checker, text, expected):
    assert [h.rule_id for h in checker.check(text).taboo] == expected


@pytest.mark.parametrize(
    "text",
    [
        "物流公司不知道仓库搬迁的事，所以显示异常",  # a body of people is a third party
        "业委会那边目前也不知道具体的施工日期",
        "不知道我这样解释清楚了没有，您还有疑问随时问我",  # …了没有: a whether-question
        "他们科室可能还不知道这个通知，我来转告",  # a noun owned by a third person
        "您是不是不知道登录密码？我教您找回",  # asking whether the customer knows
        "是不是不知道在哪里下载？我发链接给您",
        "密码不知道也没关系，我帮您重置",  # a concession: not knowing is fine
    ],
)
def test_organisations_and_whether_questions(checker, text):
    assert "T02" not in ids(checker, text)


@pytest.mark.parametrize("text", ["我们部门也不知道", "我是不是不知道？反正我不知道"])
def test_the_agents_own_side_still_does_not_know(checker, text):
    assert "T02" in ids(checker, text)


@pytest.mark.parametrize(
    "text",
    [
        "这个事儿我来处理，您不用再跑了",  # the 不 of 不用 belongs to the next clause
        "您问的是哪个师傅？他不在的话我请班长回您电话",  # …的话: a condition
    ],
)
def test_a_slip_borrowing_another_clause_or_a_condition_is_not_said(checker, text):
    assert checker.check(text).taboo == []


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [("这个事儿，我处理不了", "T19"), ("这事儿我处理不来", "T19"), ("那个？他不在。", "T06")],
)
def test_slips_with_their_negation_in_place_still_count(checker, text, rule_id):
    assert rule_id in ids(checker, text)


def test_a_slip_said_twice_in_a_row_is_two_hits(checker):
    """The second slip's search margins reach into the first one's clause; the rule has not
    matched where the second one stands, so it is found too."""
    text = "有本事你就去告！有本事你就去告！"
    assert [(h.rule_id, h.start, h.end) for h in checker.check(text).taboo] == [
        ("T11", 0, 7),
        ("T11", 8, 15),
    ]
