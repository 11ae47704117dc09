"""The speech tests' shortcuts answer as the plain patterns do.

The scorer asks ``is_system_line`` of every turn, ``exasperation`` of every customer turn and
``in_condition`` of every weak trigger, so each first looks for what its pattern needs (a
"." or ":" for a link or a file, an exclamation mark for an outburst, a condition word before
the span) and skips the pattern when it is absent. These tests compare each with the plain
pattern on generated text made of the very characters the shortcuts look for.
"""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from phrasecheck import speech
from phrasecheck.normalize import normalize

# The marks the shortcuts test for, the words of the patterns, and ordinary speech.
PIECES = [
    ".", ":", "：", "<", "[", "]", "#", "!", "！", "?", "？", "，", "。", " ", "\n", "…",
    "<url>", "<URL>", "http://a.b", "HTTPS://x", "www.x", "a.jpg", "图.PNG", "订单号：",
    "[ORDERID_12]", "ORDERID_7", "[USERID_a]", "[图片]", "#E-s57", "#E-s[数字x]", "[微笑]", "_",
    "如果", "要是", "万一", "假如", "若是", "不是", "就", "为什么", "凭什么", "怎么会",
    "您好", "谢谢", "太慢了", "我要投诉", "好的", "1", "a", "嗯",
]
texts = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)


def plain_system_line(text: str) -> bool:
    has_words = bool(re.search(r"[^\W_]", text)) or bool(normalize(text))
    stripped = text.strip()
    sticker = ("[" in stripped or "#" in stripped) and not speech._PLACEHOLDER.sub(
        "", stripped
    ).strip()
    return not has_words or bool(speech._SYSTEM_LINE.match(text)) or sticker


def plain_condition(text: str, start: int) -> bool:
    before = speech._CONDITION_ENDS.split(text[:start])[-1]
    conditions = list(speech._CONDITION.finditer(before))
    return bool(conditions) and "就" not in before[conditions[-1].end() :]


@settings(max_examples=3000, deadline=None)
@given(texts)
def test_system_line_shortcut_answers_as_the_pattern(text):
    assert speech.is_system_line(text) == plain_system_line(text)
    assert speech.shows_speech(text) == (not plain_system_line(text))


@settings(max_examples=3000, deadline=None)
@given(texts)
def test_exasperation_shortcut_answers_as_the_pattern(text):
    found = speech.exasperation(text)
    plain = speech._EXASPERATION.search(text)
    assert (found and found.span()) == (plain and plain.span())


@settings(max_examples=3000, deadline=None)
@given(texts, st.integers(min_value=0, max_value=40))
def test_condition_shortcut_answers_as_the_pattern(text, start):
    start = min(start, len(text))
    assert speech.in_condition(text, start) == plain_condition(text, start)


def test_the_shortcuts_still_find_what_they_guard():
    assert speech.is_system_line("https://item.jd.com/123.html")
    assert speech.is_system_line("订单号：[ORDERID_10204]")
    assert speech.is_system_line("咨询订单：ORDERID_10204")
    assert speech.is_system_line("[微笑]")
    assert not speech.is_system_line("您好，请问有什么可以帮您")
    assert speech.exasperation("为什么还没到！") is not None
    assert speech.exasperation("为什么还没到？") is None
    assert speech.in_condition("要是有问题太麻烦了", 5)
    assert not speech.in_condition("今天有问题太麻烦了", 5)
