"""What a turn is, beyond its phrases: a system line, a line check, a closing remark, a request.

The scorer judges only what a transcript shows. These small tests tell it where the agent
really starts and stops speaking and whether the customer ended the conversation:

* a **system line** (a link, an image file name, an emoji code, an order card) is not speech:
  real chat exports are full of them, and they neither open nor close a conversation;
* a turn that **starts mid-way** (……对，就是那张卡; 那还是会送过来是嘛) continues an exchange
  the transcript does not show;
* a **line check** (喂, 您好, 听得到吗) is what a phone agent says before the real greeting: it
  must not push the greeting out of the opening window;
* a **closing remark** (好的谢谢, 没有了, 再见) ends a conversation: a transcript whose last turn
  is the customer's closing remark did reach its end, while one that ends on the customer's
  question was cut off;
* a **request** in the same turn as a thanks (麻烦尽快，谢谢) makes it thanks in advance, which
  needs an answer to the request, not a 不客气.

Each test reads the normalized text (simplified script, no punctuation or spaces, lower case)
except where punctuation itself is the signal (a question mark).
"""

from __future__ import annotations

import re
from functools import lru_cache

from phrasecheck.normalize import normalize

__all__ = [
    "asks_customer",
    "asks_who_next",
    "checks_the_line",
    "continues_exchange",
    "exasperation",
    "greets_next",
    "in_condition",
    "in_question",
    "is_closing_remark",
    "is_line_check",
    "is_request",
    "is_sticker",
    "is_system_line",
    "phone_number",
    "shows_speech",
    "spoken_words",
]

_SYSTEM_LINE = re.compile(
    r"""^\s*(?:
        <url>|https?://[!-~]+|www\.[!-~]+                 # links (ASCII: 链接+说明 is speech)
      | \S+\.(?:jpe?g|png|gif|bmp|webp|mp4|amr|silk)    # attachments
      | (?:咨询)?订单(?:号|编号)?[:：]\s*\[?ORDERID_\w+\]?.*  # order cards
      | \[ORDERID_\w+\]|\[USERID_\w+\]
    )\s*$""",
    re.X | re.I,
)

# An emoji code is #E- and a letter, then digits or a masked number (#E-s57, #E-s[数字x]);
# words glued to it (#E-s36您好，…) are speech.
_PLACEHOLDER = re.compile(r"\[[^\[\]]{1,12}\]|\#E-[A-Za-z]+(?:\d+|\[[^\[\]]{1,12}\])*")

_LINE_CHECK = re.compile(
    r"^(?:喂|您好|你好|哈喽|hello|hi|嗯|啊|哎|诶|在吗|在的|在|听得到吗|听得见吗|听到吗|能听到吗|"
    r"能听见吗|听到了吗|听见了吗|听得清吗|能听清吗|请讲|请说)+$"
)

_CLOSING_TOKENS = (
    "好的|好滴|好嘞|好吧|好|嗯嗯|嗯|哦哦|哦|噢|恩|行|可以|ok|okay|谢谢|谢了|多谢|感谢|非常感谢|"
    "没有了|没了|没事了|没事|没问题|再见|拜拜|bye|知道了|明白了|了解了|清楚了|收到|晓得了|"
    "麻烦了|辛苦了|那就这样|就这样|先这样|啊|呀|吧|哈|的|啦|了|你|您|你们|亲|那|哈哈|额|呃"
)
_CLOSING_REMARK = re.compile(f"^(?:{_CLOSING_TOKENS})+$")
_SIGN_OFFS = re.compile(
    "没有(?:其他|别的)(?:问题|事)?了?|没(?:其他|别的)(?:问题|事)?了?|不用了|我知道了|好的呢|"
    "麻烦你了|麻烦您了|微笑|笑脸|玫瑰"
)

_REQUEST = re.compile(
    r"麻烦(?:你|您|你们)?(?:尽快|快|帮|给|查|看|处理|安排|催|问|跟进|核实|确认|联系)|"
    r"请(?:你|您|你们)?(?:尽快|帮|给|查|处理|安排|催|核实|确认|务必|不要|别)|"
    r"(?<![哥傅员他她])帮(?:我|忙|俺)|"  # 快递小哥帮我追回来 tells what was done
    r"尽快|赶紧|快点|务必|一定要|急用|让(?:他|她|他们|你们|师傅)"
)
_QUESTION = re.compile(r"能不能|可不可以|能否|可以吗|行吗|好吗|什么时候|多久|怎么办|为什么|吗")


def is_system_line(text: str) -> bool:
    """True for a line an export adds that nobody said: links, attachments, order cards,
    emoji codes and placeholders ([图片], #E-s57).

    The scorer asks of every turn, and almost every turn is speech: the patterns run only on
    a text holding what they need (see :func:`_may_be_system`).
    """
    if not _has_words(text):
        return True
    if _may_be_system(text) and _SYSTEM_LINE.match(text):
        return True
    return ("[" in text or "#" in text) and is_sticker(text)


def _may_be_system(text: str) -> bool:
    """False when ``_SYSTEM_LINE`` cannot match: each of its alternatives holds a "." (a file
    name, www.), a ":" (https://, 订单号：), a "<" (<url>) or a "[" (a masked id)."""
    return "." in text or ":" in text or "：" in text or "<" in text or "[" in text


_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def _has_words(text: str) -> bool:
    """``bool(normalize(text))``, without normalizing most texts: normalization never drops
    a letter or digit (tests/test_batch_output.py checks every code point), so one is enough."""
    return bool(_LETTER_OR_DIGIT.search(text)) or bool(normalize(text))


def spoken_words(text: str) -> str:
    """The normalized words of ``text`` without placeholders and emoji codes ([数字x], #E-s57)."""
    return normalize(_PLACEHOLDER.sub("", text))


def shows_speech(text: str) -> bool:
    """True when the turn holds words someone said (not only a system line)."""
    return not is_system_line(text)


@lru_cache(maxsize=1024)  # every opening expectation asks it of the same first turns
def is_line_check(text: str) -> bool:
    """True for a turn that only checks the line or says hello (喂，您好，听得到吗？)."""
    return _is_line_check(normalize(text))


def _is_line_check(normalized: str) -> bool:
    return bool(normalized) and len(normalized) <= 16 and bool(_LINE_CHECK.match(normalized))


def checks_the_line(text: str) -> bool:
    """True for a check of a silent line (喂喂？ 喂，您好，听得到吗？), not a bare 喂 to answer.

    The standard forbids answering with 喂; repeating it, or pairing it with a greeting or a
    hearing check, is what agents do when the caller says nothing.
    """
    normalized = normalize(text)
    return _is_line_check(normalized) and bool(re.search("听|您好|你好|喂喂|hello", normalized))


def greets_next(text: str, end: int) -> bool:
    """True when a greeting follows ``text[:end]`` at once (喂您好…, 喂，你好…)."""
    return normalize(text[end : end + 12]).startswith(("您好", "你好"))


_WHO_IS_IT = re.compile(r"^(?:请问)?(?:您|你)?是(?!不是).{1,10}?(?:吗|么|嘛|吧)")


def asks_who_next(text: str, end: int) -> bool:
    """True when ``text[:end]`` is followed at once by a check of who answered (喂，是张先生吗？):
    an outbound call's line check, not a bare 喂 to the caller."""
    return bool(_WHO_IS_IT.match(normalize(text[end : end + 24])))


def is_closing_remark(text: str) -> bool:
    """True for a customer turn that only acknowledges, thanks or says goodbye."""
    normalized = _SIGN_OFFS.sub("", normalize(_PLACEHOLDER.sub("", text)))
    if not normalized:
        return bool(normalize(text))  # only sign-offs and stickers: 不用了，谢谢 [微笑]
    return len(normalized) <= 20 and bool(_CLOSING_REMARK.match(normalized))


def is_request(text: str, questions: bool = True) -> bool:
    """True when the turn asks for something (a request or, with ``questions``, a question),
    not only thanks."""
    if questions and ("?" in text or "？" in text):
        return True
    normalized = normalize(_PLACEHOLDER.sub("", text))
    return bool(_REQUEST.search(normalized) or (questions and _QUESTION.search(normalized)))


_PHONE_NUMBER = re.compile(
    r"(?<![\d号])(?:1[3-9]\d(?:[\s\-]?\d){8}|\(?0\d{2,3}\)?[\s\-]?\d{3,4}[\s\-]?\d{4})"
    r"(?!\d)"
)


def phone_number(text: str) -> re.Match[str] | None:
    """Where the turn gives a phone number: a mainland mobile (1xx xxxx xxxx) or a landline
    with its area code, spaces or dashes allowed; order and waybill numbers are not."""
    return _PHONE_NUMBER.search(text)


_CUT = re.compile(r"^\s*(?:…|\.\.\.|。。)")
# 对了/那个/还有… open conversations too (by the way, um, do you still have…): not these.
_CONTINUATION = re.compile(
    r"^(?:对的|对(?!了)|是的|好的|好吧|嗯|恩|那么|那(?!个|边)|然后|另外|所以|要是|好了吗)"
)


def continues_exchange(text: str, greeted: bool, words: bool = True) -> bool:
    """True when a transcript's first turn continues an earlier exchange we do not see.

    It starts with an ellipsis (a recording cut mid-sentence) or, with ``words``, a word that
    answers or follows something said before (对，好的，那…), and greets nobody. Calls pass
    ``words=False``: an agent who picks up with 嗯，说吧 is curt, not cut off.
    """
    if greeted:
        return False
    if _CUT.match(text):
        return True
    return words and bool(_CONTINUATION.match(text.lstrip()))


_ASKS_CUSTOMER = re.compile(
    r"提供|劳烦|麻烦(?:您|你)|辛苦(?:您|你)|告诉我|发(?:一下|下|给我)|给我|复制|点击|重新下|"
    r"选择一下|截(?:个|一下|张)图|"
    r"可以吗|好吗|是吗|对吗|吗$"
)


_PERMISSION = re.compile(r"[\s，,~～]*(?:先|)(?:好吗|可以吗|好不好|行吗|可以不)[\s?？~～]*")


def asks_customer(text: str, check_end: int | None = None) -> bool:
    """True when an agent's turn asks the customer for something (an order number, an action).

    Checking then waits for the customer's answer, so it is not yet going off to check. With
    ``check_end`` (where the words of checking end), a 好吗 right after them only asks leave to
    check (我帮您核实下先好吗): the agent goes off to check all the same.
    """
    if check_end is not None:
        leave = _PERMISSION.match(text, check_end)
        if leave is not None and leave.end() > check_end:
            text = text[:check_end] + text[leave.end() :]
    return "?" in text or "？" in text or bool(_ASKS_CUSTOMER.search(normalize(text)))


def is_sticker(text: str) -> bool:
    """True for a turn of emoji codes or bracketed placeholders only ([微笑], #E-s57)."""
    if "[" not in text and "#" not in text:  # no placeholder can start
        return False
    return not _PLACEHOLDER.sub("", text.strip()).strip()


_BREAK = re.compile(r"[。！!？?；;，,\n]")
_QUESTION_END = re.compile(r"(?:吗|吧|么|呢|没有|不)\s*$")


def in_question(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` stands in a question: its clause ends with a question
    mark, or with 吗/吧/么/呢 (说好的时间是明天上午对吧).

    A clause runs to the next stop, comma or question mark after the span.
    """
    after = _BREAK.search(text, end)
    if after is not None and after.group() in "？?":
        return True
    before = _BREAK.search(text[end:])
    clause = text[end : end + before.start()] if before is not None else text[end:]
    return bool(_QUESTION_END.search(clause))


_CONDITION = re.compile(r"(?:如果|要是|万一|假如|假设|倘若|若是)(?!不是)")
_CONDITION_ENDS = re.compile(r"[。！!？?；;，,\n…~～]|\.\.\.")


def in_condition(text: str, start: int) -> bool:
    """True when ``text[start:]`` stands in an if-clause: 要是有问题太麻烦了 imagines a trouble,
    it does not complain of one. A 就 between the condition and the span makes it the
    consequence, a threat that does complain (要是今天还不到，我就投诉); 要不是 (if it were not
    for) blames.
    """
    said = text[:start]
    if _CONDITION.search(said) is None:  # most spans: no condition before them at all
        return False
    before = _CONDITION_ENDS.split(said)[-1]  # 如果这么容易开裂……多不安全 complains
    conditions = list(_CONDITION.finditer(before))
    return bool(conditions) and "就" not in before[conditions[-1].end() :]


_EXASPERATION = re.compile(
    r"(?:[?？][!！]|[!！][?？]){2,}[?？!！]*"
    r"|(?:为什么|为何|为啥|凭什么|怎么会|怎么能|怎么可以)[^。？?！!；;\n]*[!！]"
)


def exasperation(text: str) -> re.Match[str] | None:
    """Where a turn shouts ？！？！ or asks why with an exclamation mark (为何会这样显示!):
    exasperation that normalised words cannot show (punctuation is dropped) and that ？ alone,
    a plain question, does not carry.

    Every outburst holds an exclamation mark, and most turns hold none: looking for one
    first spares the pattern's search of almost every turn (the scorer asks of each
    customer turn).
    """
    if "!" not in text and "！" not in text:
        return None
    return _EXASPERATION.search(text)
