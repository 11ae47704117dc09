import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phrasecheck import SCHEMA_VERSION, CheckResult
from phrasecheck.normalize import normalize


def ids(checker, text):
    return [hit.rule_id for hit in checker.check(text).hits]


def test_the_contract_of_a_hit(checker):
    result = checker.check("你問我，我問誰？")
    (hit,) = result.hits
    assert (hit.rule_id, hit.kind, hit.severity) == ("T15", "taboo", "major")
    assert (hit.start, hit.end, hit.matched) == (0, 7, "你問我，我問誰")
    assert hit.method == "normalized" and hit.score == 100
    assert "查询" in hit.suggestion
    assert result.has_taboo and result.taboo == [hit] and result.polite == []


def test_exact_method_when_the_text_has_the_wording_as_written(checker):
    (hit,) = checker.check("急什么，烦死人了").hits
    assert (hit.rule_id, hit.method, hit.form_type) == ("T04", "exact", "phrase")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("急什么，烦死人了！", ["T04"]),  # nested T25 is reported once, as T04
        ("你自己都不知道，我怎么知道", ["T30"]),  # nested T02 likewise
        ("都下班了，你不知道呀", ["T24"]),
        ("急什么", ["T25"]),
        ("我不知道", ["T02"]),
        ("烦死人了，别打了", ["T04"]),  # core said alone
        ("你这个人没长眼睛吗", ["T03"]),
        ("讲了这么久你还没听懂？", ["T13"]),
        ("你找谁", ["T28"]),
        ("你找谁呀，大声点", ["T23"]),
    ],
)
def test_taboo_phrases_cores_and_nesting(checker, text, expected):
    assert ids(checker, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "不知道您现在方便吗？",
        "不知道是否方便跟您确认一下地址",
        "请稍等一下，我帮您查询",
        "请问您找谁？",
        "您着急什么时候用，我安排师傅",
        "小区有喂养宠物的规定",
        "等一下我给您回电话",
        "今天不办公，明天上午九点开始办理",
        "我再说一遍，您记一下",
        "他现在不在工位上，我帮您转接",
        "您好像没听清楚，我再说一遍",
        "如果您还没听懂，我再解释一下",
    ],
)
def test_polite_look_alikes_are_not_taboo(checker, text):
    assert checker.check(text).taboo == []


@pytest.mark.parametrize(
    ("text", "rule_id", "method"),
    [
        ("有本事你就去告", "T11", "fuzzy"),  # inserted word
        ("有本是你去告", "T11", "fuzzy"),  # homophone slip
        ("你怎么这么麻凡", "T18", "fuzzy"),
        ("墙上贴着，没长眼睛", "T03", "exact"),  # missing particle: an optional part
        ("你找谁啊再说一遍我没听清", "T23", "fuzzy"),  # dropped character, long phrase
        ("急什么，真是烦死人了", "T04", "fuzzy"),  # two inserted characters
        ("不舒服，你别来啦", "T08", "fuzzy"),  # one particle for another
    ],
)
def test_speech_slips_are_found_approximately(checker, text, rule_id, method):
    (hit,) = checker.check(text).taboo
    assert (hit.rule_id, hit.method) == (rule_id, method)
    if method == "fuzzy":
        assert 75 <= hit.score < 100


@pytest.mark.parametrize(
    "text",
    [
        "要上班了，明天再来",  # polarity flip of 要下班了
        "有办法",  # short phrases are never fuzzed
        "你怎么这么麻利",  # short wordings differ by more than their budget
        "我处理好了",  # 不 → 好 changes polarity
        "有事明天来也可以，今天我们先给您登记",  # dropping 再 changes the meaning
        "我给您说清楚一点，费用分两部分",  # an exception of T21
    ],
)
def test_fuzzy_matching_does_not_overreach(checker, text):
    assert checker.check(text).taboo == []


def test_polite_phrases_and_templates(checker):
    greeting = "您好，万科物业客服中心，我姓李，请问有什么可以帮助您？"
    assert ids(checker, greeting) == ["P02"]
    assert ids(checker, "下午好！绿城物业客服中心，我姓欧阳，请问有什么可以帮您？") == ["P02"]
    assert ids(checker, "您好，请问有什么可以帮您？") == ["P01", "P10"]
    assert ids(checker, "对不起，打扰了，再见！") == ["P19", "P06"]
    assert ids(checker, "请您与工程部张先生联系") == ["P12"]
    assert ids(checker, "请问您找谁？") == ["P09"]
    assert ids(checker, "你好烦") == ["T22"]  # not a greeting


def test_polite_slips_in_the_standards_own_wording(checker):
    assert [(h.rule_id, h.method) for h in checker.check("感谢您的来点，再见").hits] == [
        ("P18", "fuzzy"),
        ("P06", "exact"),
    ]
    assert [
        h.rule_id for h in checker.check("对于您反应的问题，我们会马上处理，并尽快给您回复").hits
    ] == ["P20"]


def test_short_wordings_need_word_boundaries(checker):
    assert ids(checker, "喂，你好") == ["T01", "P01"]
    assert ids(checker, "喂你好") == ["T01", "P01"]  # glued: jieba decides
    assert ids(checker, "您着急什么时候用") == []
    assert ids(checker, "你好像没听懂") == []


def test_asr_pause_marks_inside_a_phrase(checker):
    result = checker.check("好的那感谢_您的来电_再见")
    assert [(h.rule_id, h.matched) for h in result.hits] == [
        ("P18", "感谢_您的来电"),
        ("P06", "再见"),
    ]


@pytest.mark.parametrize("text", ["", "   \n\t", "😀🙏", "\ue000\ue001", "。。。！！"])
def test_empty_and_symbol_only_text(checker, text):
    assert checker.check(text).hits == []


def test_emoji_and_private_use_inside_a_phrase(checker):
    text = "急\ue000什么😀，烦死人了🙄"
    (hit,) = checker.check(text).hits
    assert hit.rule_id == "T04"
    assert hit.matched == text[hit.start : hit.end] == "急\ue000什么😀，烦死人了"


def test_a_100000_character_text(checker):
    filler = "您好，这里是物业客服，我们会尽快安排师傅上门。"
    text = (filler * (100_000 // len(filler) + 1))[:99_990] + "有本事你去告"
    result = checker.check(text)
    assert result.taboo[-1].rule_id == "T11"
    assert result.taboo[-1].matched == "有本事你去告"
    assert len(result.polite) > 1000


def test_json_is_stable_and_versioned(checker):
    result = checker.check("对不起，我不知道")
    data = json.loads(result.model_dump_json())
    assert data["schema_version"] == SCHEMA_VERSION
    assert [h["rule_id"] for h in data["hits"]] == ["P04", "T02"]
    assert set(data["hits"][1]) == {
        "rule_id",
        "kind",
        "phrase",
        "category",
        "start",
        "end",
        "matched",
        "form",
        "form_type",
        "method",
        "score",
        "severity",
        "suggestion",
    }
    assert CheckResult.model_validate_json(result.model_dump_json()) == result


def test_explain_says_why(checker):
    explanation = checker.explain("不知道您现在方便吗？急什麼")
    reasons = {(c.rule_id, c.decision): c.reason for c in explanation.candidates}
    assert "exception '不知道您'" in reasons[("T02", "rejected")]
    assert reasons[("T25", "accepted")] == "the wording occurs in the text"
    assert explanation.normalized == "不知道您现在方便吗急什么"
    assert "急什么" in explanation.tokens
    rendered = explanation.render()
    assert "✗ T02" in rendered and "✓ T25" in rendered


def test_explain_shows_boundary_and_polarity_rejections(checker):
    boundary = checker.explain("您着急什么时候用").candidates
    assert [(c.rule_id, c.reason) for c in boundary] == [("T25", "short wording splits a word")]
    polarity = checker.explain("要上班了，有事明天再来吧").candidates
    assert any("polarity (下 → 上)" in c.reason for c in polarity if c.decision == "rejected")
    sound = checker.explain("你怎么这么麻利").candidates
    assert [(c.rule_id, c.reason) for c in sound] == [("T18", "利 does not sound like 烦")]


TABOO_SAMPLES = [
    "急什么，烦死人了",
    "你问我，我问谁",
    "有本事你去告",
    "你怎么这么麻烦",
    "我不管，该找谁找谁",
]
NOISE = st.sampled_from(list(" \u3000，。！？\u200b😀"))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(TABOO_SAMPLES), st.data())
def test_traditional_width_and_punctuation_give_the_same_hits(checker, phrase, data):
    import opencc

    variant = opencc.OpenCC("s2t").convert(phrase)
    variant = "".join(
        chr(ord(c) + 0xFEE0) if c.isascii() and c.isprintable() and c != " " else c for c in variant
    )
    noisy = "".join(c + data.draw(st.text(NOISE, max_size=2)) for c in variant)
    plain, messy = checker.check(phrase).hits, checker.check(noisy).hits
    assert [h.rule_id for h in messy] == [h.rule_id for h in plain]
    for hit in messy:
        assert hit.matched == noisy[hit.start : hit.end]
        assert normalize(hit.matched) == normalize(phrase)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("池塘的锦鲤有专人喂，请不要投喂", []),  # 喂 counts only where a clause starts
        ("喂，听得见吗", ["T01"]),
        ("不知道，你问我，我问谁？", ["T02", "T15"]),  # an exception may not cross a comma
        ("不知道您现在方便吗", []),
        ("不知道明天上午师傅上门方便吗", []),  # exception with a slot: 不知道××吗
        ("快递员的电话我真不知道", ["T02"]),  # jieba's compound 真不知道 holds the word 不知道
        ("谢谢您的配合", ["P03"]),  # and 谢谢您 holds 谢谢
        ("我们下次再见面聊", []),
        ("我不管您是租户还是业主，都一样登记", []),  # 不管……还是: regardless
        ("有本事你现在就去投诉", ["T11"]),  # three inserted characters
        ("今天不舒服，你憋来了", ["T08"]),  # 憋 sounds like 别: not a polarity change
    ],
)
def test_context_rules(checker, text, expected):
    assert ids(checker, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("那就这么说定了，您看怎么样？", []),
        ("等您说完了没有问题的话，我就帮您提交", []),
        ("我不管您什么时候打来，我们都会接待。", []),
        ("我帮你找谁能处理这个问题", []),
        ("您稍等，我帮您查一下", ["P07"]),
        ("感谢来电，再见", ["P18", "P06"]),
        # spaces from a speech recogniser are not clause breaks
        ("不知道 您 贵姓", []),
        ("您好 我们 可以 帮 您 喂 猫", ["P01"]),
        ("我不管 怎样 都会 帮 您 处理", []),
        ("抱歉☹️打扰了", ["P19"]),  # a variation selector is not a letter
    ],
)
def test_review_findings(checker, text, expected):
    assert ids(checker, text) == expected


def test_thousands_of_hits_in_one_text_stay_fast(checker):
    result = checker.check("急什么，烦死人了！" * 5000)
    assert len(result.hits) == 5000 and {h.rule_id for h in result.hits} == {"T04"}
