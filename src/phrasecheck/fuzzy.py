"""Approximate matching of long wordings: the slips real speech and typing make.

Only wordings of six or more characters are matched approximately; shorter ones carry too
little to survive an edit (没办法 and 有办法 differ by one character and score 80). The budget
of edits grows with length, and every edit must look like a slip:

* an edit may never touch a polarity character (不 没 有 上 下 …): 下班了 and 上班了 are
  opposites, not slips;
* a replaced character must sound like the one it replaces (pypinyin, with the near sounds
  that pinyin input methods and speech recognisers confuse: zh/z, ch/c, sh/s, n/l, -ng/-n).
  麻凡 is a slip of 麻烦; 麻利 is another word. Inserted and dropped characters are free.

Candidates come cheaply from the pigeonhole principle: cut a wording into budget + 1 pieces
and any occurrence within the budget contains one piece exactly. The pieces go into the same
Aho–Corasick automaton as the exact wordings, so only wordings whose piece occurs in the text
are ever scored with rapidfuzz.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

MIN_FUZZY_LENGTH = 6
POLARITY_CHARACTERS = frozenset("不没别无非未莫勿有上下")


def edit_budget(length: int) -> int:
    """How many edits a wording of ``length`` normalized characters may carry."""
    if length < MIN_FUZZY_LENGTH:
        return 0
    return 1 if length < 10 else 2


def pieces(wording: str, budget: int) -> list[tuple[int, str]]:
    """Cut ``wording`` into ``budget + 1`` near-equal pieces, with their offsets."""
    count = budget + 1
    size, extra = divmod(len(wording), count)
    result: list[tuple[int, str]] = []
    offset = 0
    for index in range(count):
        length = size + (1 if index < extra else 0)
        result.append((offset, wording[offset : offset + length]))
        offset += length
    return result


class Window(NamedTuple):
    start: int
    end: int
    distance: int
    score: float


def best_window(wording: str, text: str, aligned_start: int, budget: int) -> Window | None:
    """The span of ``text`` near ``aligned_start`` closest to ``wording``, if within budget.

    Ties go to the span whose length is closest to the wording's, then to the earlier one.
    """
    length = len(wording)
    size = len(text)
    best: tuple[int, int, int, int] | None = None  # distance, length gap, start, end
    for start in range(max(0, aligned_start - budget), min(size, aligned_start + budget) + 1):
        lowest_end = max(start + 1, start + length - budget)
        for end in range(lowest_end, min(size, start + length + budget) + 1):
            distance = Levenshtein.distance(wording, text[start:end], score_cutoff=budget)
            if distance > budget:
                continue
            key = (distance, abs(end - start - length), start, end)
            if best is None or key < best:
                best = key
    if best is None:
        return None
    distance, _, start, end = best
    return Window(start, end, distance, ratio(wording, text[start:end]))


def objection(wording: str, window: str) -> str | None:
    """Why the edits from ``wording`` to ``window`` are not a slip, or None if they are."""
    for op in Levenshtein.editops(wording, window):
        if op.tag in ("replace", "delete") and wording[op.src_pos] in POLARITY_CHARACTERS:
            return f"an edit changes polarity ({wording[op.src_pos]})"
        if op.tag in ("replace", "insert") and window[op.dest_pos] in POLARITY_CHARACTERS:
            return f"an edit changes polarity ({window[op.dest_pos]})"
        if op.tag == "replace":
            expected, found = wording[op.src_pos], window[op.dest_pos]
            if not sounds_alike(expected, found):
                return f"{found} does not sound like {expected}"
    return None


_NEAR_SOUNDS = (("zh", "z"), ("ch", "c"), ("sh", "s"))


def _fold_sound(syllable: str) -> str:
    for long, short in _NEAR_SOUNDS:
        if syllable.startswith(long):
            syllable = short + syllable[len(long) :]
            break
    if syllable.startswith("n"):
        syllable = "l" + syllable[1:]
    if syllable.endswith("ng"):
        syllable = syllable[:-1]
    return syllable


@lru_cache(maxsize=4096)
def _sounds(char: str) -> frozenset[str]:
    from pypinyin import Style, pinyin  # imported on the first substitution only

    readings = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return frozenset(_fold_sound(r) for r in readings[0]) if readings else frozenset()


def sounds_alike(first: str, second: str) -> bool:
    """True when two characters share a reading, allowing the usual near sounds."""
    return bool(_sounds(first) & _sounds(second))
