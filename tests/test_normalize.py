from hypothesis import given
from hypothesis import strategies as st

from phrasecheck.normalize import Normalized, normalize


def test_traditional_to_simplified():
    assert normalize("你問我，我問誰？") == "你问我我问谁"
    assert normalize("急什麼，沒看到我在忙著嗎") == "急什么没看到我在忙着吗"


def test_full_width_case_and_spaces():
    assert normalize("ＡＢＣ　ａｂｃ１２３ Abc") == "abcabc123abc"


def test_invisible_private_use_and_emoji_are_dropped():
    assert normalize("急\u200b什\ufeff么\ue000😀\u2060") == "急什么"


def test_offsets_point_at_original_characters():
    doc = Normalized("「急什麼」，　煩死人了！")
    assert doc.normalized == "急什么烦死人了"
    for index, char in enumerate(doc.normalized):
        assert normalize(doc.original[doc.offsets[index]]) == char
    assert doc.span(0, 3) == (1, 4)
    assert doc.original[slice(*doc.span(3, 7))] == "煩死人了"


def test_untouched_text_uses_identity_offsets():
    doc = Normalized("急什么烦死人了")
    assert list(doc.offsets) == list(range(7))


def test_clause_breaks_are_punctuation_not_spaces_or_pause_marks():
    doc = Normalized("我看清楚了，再问一下")
    assert doc.crosses_break(3, 6) and not doc.crosses_break(0, 5)
    assert not Normalized("我 看清楚_了").crosses_break(0, 5)


NOISE = st.sampled_from(list(" \u3000，。！？、…—\u200b\u200c\ufeff\ue001·*~😀"))
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)


@given(st.lists(st.tuples(CJK, st.lists(NOISE, max_size=2)), max_size=30))
def test_noise_never_changes_the_normalized_text(pairs):
    clean = "".join(char for char, _ in pairs)
    noisy = "".join(char + "".join(noise) for char, noise in pairs)
    doc = Normalized(noisy)
    assert doc.normalized == normalize(clean)
    assert len(doc.offsets) == len(doc.normalized)
    for index, char in enumerate(doc.normalized):
        assert normalize(noisy[doc.offsets[index]]) == char


def test_characters_the_phrase_table_converts():
    # OpenCC's character table keeps 覆 (also a simplified character); its phrase table turns
    # 回覆 into 回复, and so does matching.
    assert normalize("我們會盡快給您回覆") == "我们会尽快给您回复"
    assert normalize("什麼") == normalize("什么") == "什么"


TRADITIONAL = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF) | st.sampled_from(
    list("麼麽么覆藉瞭於乾後裡著妳祢")
)


@given(st.text(TRADITIONAL, max_size=20))
def test_normalizing_twice_changes_nothing(text):
    once = normalize(text)
    assert normalize(once) == once
