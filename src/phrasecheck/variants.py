"""Other spellings of taboo wordings: colloquial and dialect forms, and same-sound slips.

A rule file lists a wording once (急什么, 你怎么这么麻烦); agents say and type it many ways.
Every slot-free taboo wording also matches, exactly and as its own rule:

* **colloquial and dialect equivalents** from :data:`COLLOQUIAL` (啥/神马/甚么/啥子 for 什么,
  咋 for 怎么, 怎么着 for 怎么样, 晓得 for 知道, 讲 for 说, 看见 for 看到, 么 for a final 吗),
  up to two replacements in one wording: 急神马, 你咋这么麻烦, 就这么说，怎么着;
* **the scolding echo** of a verb + 什么 wording: 喊什么 → 喊什么喊 (and so 喊啥喊);
* for wordings of five characters or fewer, which are never fuzzed, **one character replaced by
  a same-sounding one** (:mod:`phrasecheck.homophones`): 集什么, 不知到, 没张眼睛.

These spellings are keys of the same automaton, so they cost nothing until they occur; a
spelling that is already a wording or an exception of any rule is left to that rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from phrasecheck.homophones import MAX_SHORT, same_sound

__all__ = ["COLLOQUIAL", "FINAL_PARTICLES", "MAX_SHORT", "colloquial", "same_sound_spellings"]

# canonical text → colloquial or dialect spellings said for it
COLLOQUIAL: dict[str, tuple[str, ...]] = {
    "什么": ("啥", "神马", "甚么", "啥子", "撒子", "森么", "个什么", "个啥", "个神马"),
    "怎么样": ("怎么着", "咋样"),
    "怎么": ("咋", "肿么"),
    "这么": ("那么", "这样"),
    "不知道": ("不造", "布吉岛"),
    "知道": ("晓得",),
    "说": ("讲",),
    "讲": ("说",),
    "看看": ("看一下", "看一看", "瞅瞅"),
    "看": ("瞅", "瞧"),
    "看到": ("看见",),
    "看见": ("看到",),
    "听懂": ("听明白",),
    "一会": ("一会儿",),
    "没有": ("没得", "没", "木有"),
    "没": ("木",),  # internet spelling: 木有, 木看到
    "不": ("木",),  # 他木在, 木知道
    "别": ("甭",),  # northern 甭 = 不用/别: 你甭来了
    "不了": ("不来",),  # can't manage: 处理不来, 办不来
    "谁": ("哪个",),
    "哪个": ("哪一个", "那个"),  # 那 typed for 哪
    "本事": ("能耐", "本领"),
    "去告": ("告去",),
    "去投诉": ("投诉去",),
    "明天": ("明儿",),
    "今天": ("今儿",),
}
# final particles said for one another
FINAL_PARTICLES: dict[str, tuple[str, ...]] = {
    "吗": ("么", "嘛"),
    "吧": ("嘛", "呗"),
    "呀": ("啊", "哇"),
    "啊": ("呀", "哇"),
}
MAX_REPLACEMENTS = 2
_ECHO = re.compile(r"(.)什么")  # 喊什么, 叫什么, 急什么: said again at the end in scolding


def colloquial(wording: str) -> list[tuple[str, str]]:
    """Colloquial spellings of ``wording`` (normalized), each with what it replaced."""
    bases = [(wording, "")]
    echo = _ECHO.fullmatch(wording)
    if echo:
        bases.append((wording + echo.group(1), f"the echo {wording}{echo.group(1)}"))
    found: dict[str, str] = {}
    for base, why in bases:
        if base != wording:
            found.setdefault(base, why)
        for spelling, replaced in _replacements(base, MAX_REPLACEMENTS):
            reason = ", ".join(filter(None, [why, replaced]))
            found.setdefault(spelling, reason)
    found.pop(wording, None)
    return list(found.items())


def _replacements(text: str, depth: int) -> Iterator[tuple[str, str]]:
    if depth == 0:
        return
    for canonical, spellings in COLLOQUIAL.items():
        at = text.find(canonical)
        while at != -1:
            for spelling in spellings:
                if spelling.startswith(canonical) and text.startswith(spelling, at):
                    continue  # 一会儿 already says 一会儿
                changed = text[:at] + spelling + text[at + len(canonical) :]
                reason = f"{spelling} for {canonical}"
                yield changed, reason
                for deeper, more in _replacements(changed, depth - 1):
                    yield deeper, f"{reason}, {more}"
            at = text.find(canonical, at + len(canonical))
    last = text[-1:]
    for particle in FINAL_PARTICLES.get(last, ()):
        yield text[:-1] + particle, f"{particle} for {last}"


def same_sound_spellings(wording: str) -> list[tuple[str, str]]:
    """``wording`` with one character replaced by a same-sounding one (short wordings only)."""
    if not 2 <= len(wording) <= MAX_SHORT or len(set(wording)) == 1:
        return []  # long wordings are fuzzed; a repeated call (喂喂) has no slip to catch
    spellings = []
    for position, chars in enumerate(same_sound(wording)):
        for char in chars:
            spelling = wording[:position] + char + wording[position + 1 :]
            spellings.append((spelling, f"{char} sounds like {wording[position]}"))
    return spellings
