"""Colloquial, dialect and same-sound spellings of taboo wordings."""

import pytest

from phrasecheck import homophones
from phrasecheck._homophone_table import TABLE
from phrasecheck.variants import colloquial, same_sound_spellings


def test_the_shipped_homophone_table_is_what_pypinyin_gives():
    wordings = homophones.bundled_short_wordings()
    assert set(TABLE) == set(wordings), "regenerate: python -m phrasecheck.homophones"
    assert homophones.build(wordings) == TABLE


def test_homophones_keep_the_tone_and_the_wordings_own_reading():
    (_, _, dao) = homophones.same_sound("不知道")
    assert "到" in dao and "刀" not in dao  # dào, not dāo
    (_, zhang, _, _) = homophones.same_sound("没长眼睛")
    assert "张" not in zhang and "掌" in zhang  # 长 is read zhǎng here
    assert homophones.same_sound("不知道")[0] == ""  # polarity characters are never replaced


def test_a_wording_missing_from_the_table_is_computed():
    assert "新鲜物" not in TABLE
    assert "薪" in homophones.same_sound("新鲜物")[0]


def test_colloquial_spellings():
    spellings = dict(colloquial("喊什么"))
    assert {"喊啥", "喊神马", "喊什么喊", "喊啥喊", "喊甚么"} <= set(spellings)
    assert "啥 for 什么" in spellings["喊啥喊"] and "echo" in spellings["喊啥喊"]
    assert "你咋这么麻烦" in dict(colloquial("你怎么这么麻烦"))
    assert "我不晓得" in dict(colloquial("我不知道"))
    assert "等一会儿儿" not in dict(colloquial("等一会儿"))


def test_same_sound_spellings_only_for_short_wordings():
    assert ("集什么", "集 sounds like 急") in same_sound_spellings("急什么")
    assert same_sound_spellings("有本事你去告") == []


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        ("急神马，师傅在路上", "T25"),
        ("集什么，又不是你一家停水", "T25"),
        ("这事我不知到", "T02"),
        ("急啥子嘛", "T25"),
        ("喊啥喊，排队", "T12"),
        ("你咋这么麻烦", "T18"),
        ("就这么说，怎么着？", "T10"),
        ("这个我也不晓得", "T02"),
        ("你讲话清楚点", "T21"),
        ("找小刘？哪个？他不再。", "T06"),  # 再 for 在
        ("说完了木有？快点", "T09"),  # 木有 for 没有
        ("身体不舒服，你甭来了", "T08"),  # 甭 for 别
        ("这个事儿我处理不来", "T19"),  # 不来 for 不了
    ],
)
def test_spellings_are_found_as_their_rule(checker, text, rule_id):
    hits = checker.check(text).taboo
    assert [h.rule_id for h in hits] == [rule_id]


@pytest.mark.parametrize(
    "text",
    [
        "以及什么时候交费",
        "第几集什么时候播",
        "您急啥时候要",
        "您记一下，什么时候方便",
        "我们集中处理",
        "红木家具我们不负责安装",
        "甭管您在哪儿下单，售后都由我们负责",
        "系统里没有查到这个人的登记，麻烦您再核对一下",  # a search that found nobody
    ],
)
def test_spellings_do_not_overreach(checker, text):
    assert checker.check(text).taboo == []


def test_explain_names_the_spelling(checker):
    explanation = checker.explain("集什么")
    (candidate,) = [c for c in explanation.candidates if c.decision == "accepted"]
    assert candidate.method == "fuzzy" and candidate.form == "急什么"
    assert "集 sounds like 急" in candidate.reason


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [("说完了没得", "T09"), ("你去告嘛", "T11")],  # 没得 for 没有, 嘛 for a final 吧
)
def test_dialect_and_particle_spellings(checker, text, rule_id):
    assert [h.rule_id for h in checker.check(text).taboo] == [rule_id]


def test_a_same_sound_spelling_must_stand_on_word_boundaries(checker):
    # 不管我是 spells 不管我事 with 是 for 事, but here 是 belongs to 是不是
    assert checker.check("不管我是不是业主，都要登记").taboo == []


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        ("你急个神马，排队就是了", "T25"),  # 个 before 什么, an internet spelling
        ("急撒子急，一会儿就通了", "T25"),  # Sichuanese 撒子, the echo
        ("不造啊，问快递员吧", "T02"),  # internet slang for 不知道
        ("你肿么这么麻烦", "T18"),
        ("你咋那么麻烦呢", "T18"),  # 那么 for 这么
        ("就这样说，怎么样？", "T10"),
        ("有能耐你去告", "T11"),
        ("有本事你告去啊", "T11"),  # 告去: the verb before 去
        ("你自己瞅清楚再问", "T26"),
        ("你找哪个，没得这个人", "T28"),  # 哪个 for 谁
        ("马上要下班了，有事明儿再来", "T07"),  # a spelling of a long wording, fuzzed
        ("出去出去，今儿不办公", "T14"),
        ("讲了老半天，你还没听明白？", "T13"),
    ],
)
def test_dialect_and_internet_spellings_of_any_length(checker, text, rule_id):
    assert [h.rule_id for h in checker.check(text).taboo] == [rule_id]


def test_a_fuzzy_core_does_not_hide_the_whole_phrase(checker):
    # 烦死个人了 (a core with 个 inserted) and 急啥 are both parts of T04 said whole
    assert [h.rule_id for h in checker.check("急啥呀，烦死个人了").taboo] == ["T04"]
