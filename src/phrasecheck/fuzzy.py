"""Approximate matching of long wordings: the slips real speech and typing make.

Wordings of six or more characters are matched approximately; shorter ones carry too
little to survive a replaced character (没办法 and 有办法 differ by one and score 80), so
wordings of five take inserted words only (说话能不能清楚点), inside them, anchored by
their first and last two characters. What an
edit may be is what a slip looks like, not merely what a distance allows:

* inserted characters are the commonest slip (有本事你就去告, 有本事你现在就去投诉), so they
  get two edits more than the other kinds;
* a replaced character must sound like the one it replaces (pypinyin, with the near sounds
  that pinyin input methods and speech recognisers confuse: zh/z, ch/c, sh/s, n/l, -ng/-n),
  or both must be sentence particles (了/啦/啊/呀…). 麻凡 is a slip of 麻烦; 麻利 is a word;
* below ten characters a dropped character must be a light one (particles, 的, 儿, 一, 个…):
  有事明天来 is not 有事明天再来;
* no edit may add, drop or change a polarity character (不 没 有 上 下 …) except for one
  that sounds the same (憋 for 别): 下班了 and 上班了 are opposites.

Candidates come cheaply from the pigeonhole principle: cut a wording into ``edits + 1`` pieces
and any occurrence within that many edits contains one piece exactly. The pieces go into the
same Aho–Corasick automaton as the exact wordings, so only wordings whose piece occurs in the
text are ever scored with rapidfuzz.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

MIN_FUZZY_LENGTH = 6
MIN_INSERTION_LENGTH = 5  # five characters: words may be inserted, nothing replaced or dropped
LONG_WORDING = 10
POLARITY_CHARACTERS = frozenset("不没别无非未莫勿有上下")
PARTICLES = frozenset("了啦啊呀吧吗呢嘛哦哟喔哈咯")
LIGHT_CHARACTERS = PARTICLES | frozenset("的地得着过儿个一们")
# Function words said for one another: 我正忙 is 我在忙, 看见 is 看到, 讲 is 说.
EQUIVALENTS = (frozenset("在正"), frozenset("到见"), frozenset("说讲"))


class Budget(NamedTuple):
    """Edits a wording may carry: in all, and of them replacements plus deletions."""

    edits: int
    changes: int


NO_BUDGET = Budget(0, 0)


def edit_budget(length: int) -> Budget:
    """The edit budget of a wording of ``length`` normalized characters."""
    if length < MIN_INSERTION_LENGTH:
        return NO_BUDGET
    if length < MIN_FUZZY_LENGTH:  # 说话能不能清楚点, 你还是没听懂: insertions only
        return Budget(3, 0)
    if length < LONG_WORDING:
        return Budget(3, 1)
    return Budget(4, 2)


def pieces(wording: str, budget: Budget) -> list[tuple[int, str]]:
    """Cut ``wording`` into ``budget.edits + 1`` near-equal pieces, with their offsets.

    Pieces are never shorter than two characters (one character would anchor everywhere),
    so a wording with many edits may go unfound when every piece is broken: in practice
    inserted words cluster and leave a piece whole.
    """
    if budget.edits and not budget.changes:
        # Insertions only (five characters): words go inside, never at the edges (see
        # objection), so the first and the last two characters both occur whole.
        return [(0, wording[:2]), (len(wording) - 2, wording[-2:])]
    count = min(budget.edits + 1, len(wording) // 2)
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


class Refusal(NamedTuple):
    window: Window
    reason: str


def best_window(
    wording: str, text: str, aligned_start: int, budget: Budget
) -> tuple[Window | None, Refusal | None]:
    """The span of ``text`` near ``aligned_start`` that is ``wording`` with slips.

    Nearer spans win; then the span whose length is closest to the wording's; then the
    earlier one. When spans within the budget exist but none is a slip, the nearest one is
    returned as a refusal, with the reason.
    """
    length, size = len(wording), len(text)
    options: list[tuple[int, int, int, int]] = []
    if not budget.changes:
        # Insertions only: the window starts with the wording's first two characters and
        # ends with its last two (see objection), so only those places are measured.
        head, tail = wording[:2], wording[-2:]
        low = max(0, aligned_start - budget.edits)
        start = text.find(head, low, aligned_start + budget.edits + 2)
        while start != -1:
            first_tail = start + length - 2
            at = text.find(tail, first_tail, first_tail + budget.edits + 2)
            while at != -1:
                end = at + 2
                distance = Levenshtein.distance(wording, text[start:end], score_cutoff=budget.edits)
                if distance <= budget.edits:
                    options.append((distance, end - start - length, start, end))
                at = text.find(tail, at + 1, first_tail + budget.edits + 2)
            start = text.find(head, start + 1, aligned_start + budget.edits + 2)
        return _first_slip(wording, text, options, budget)
    for start in range(max(0, aligned_start - budget.edits), aligned_start + budget.edits + 1):
        if start >= size:
            break
        lowest_end = start + max(1, length - budget.changes)
        for end in range(lowest_end, min(size, start + length + budget.edits) + 1):
            distance = Levenshtein.distance(wording, text[start:end], score_cutoff=budget.edits)
            if distance <= budget.edits:
                options.append((distance, abs(end - start - length), start, end))
    return _first_slip(wording, text, options, budget)


def _first_slip(
    wording: str, text: str, options: list[tuple[int, int, int, int]], budget: Budget
) -> tuple[Window | None, Refusal | None]:
    """The best window of ``options`` that is a slip, else the nearest refusal."""
    refusal = None
    for distance, _, start, end in sorted(options):
        window = Window(start, end, distance, ratio(wording, text[start:end]))
        reason = objection(wording, text[start:end], budget)
        if reason is None:
            return window, None
        refusal = refusal or Refusal(window, reason)
    return None, refusal


def objection(wording: str, window: str, budget: Budget) -> str | None:
    """Why the edits from ``wording`` to ``window`` are not a slip, or None if they are."""
    if not budget.changes and not (
        window.startswith(wording[:2]) and window.endswith(wording[-2:])
    ):
        # A short wording takes inserted words inside it only, not glued to its first or
        # last word: 我们怎么知道 is a question, 我怎么知道 a retort.
        return "words are inserted at the edge of a short wording"
    changes = 0
    for op in Levenshtein.editops(wording, window):
        if op.tag == "insert":
            position = op.dest_pos
            if window[position] in POLARITY_CHARACTERS and not _a_not_a(window, position):
                return f"an edit changes polarity ({window[position]})"
            continue
        changes += 1
        expected = wording[op.src_pos]
        if op.tag == "delete":
            if expected in POLARITY_CHARACTERS:
                return f"an edit changes polarity ({expected})"
            if len(wording) < LONG_WORDING and expected not in LIGHT_CHARACTERS:
                return f"drops {expected}, which carries meaning"
            continue
        found = window[op.dest_pos]
        if (
            (expected in PARTICLES and found in PARTICLES)
            or any(expected in group and found in group for group in EQUIVALENTS)
            or sounds_alike(expected, found)
        ):
            continue  # 憋 for 别 is a slip of the ear or the keyboard, not a change of polarity
        if expected in POLARITY_CHARACTERS or found in POLARITY_CHARACTERS:
            return f"an edit changes polarity ({expected} → {found})"
        return f"{found} does not sound like {expected}"
    if changes > budget.changes:
        return f"{changes} replaced or dropped characters; {budget.changes} allowed"
    return None


def _a_not_a(window: str, position: int) -> bool:
    """True when the 不/没 at ``position`` asks a question (能不能, 是不是), not negates."""
    return 0 < position < len(window) - 1 and window[position - 1] == window[position + 1]


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
    from pypinyin import Style, pinyin  # imported on the first replacement only

    readings = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return frozenset(_fold_sound(r) for r in readings[0]) if readings else frozenset()


def sounds_alike(first: str, second: str) -> bool:
    """True when two characters share a reading, allowing the usual near sounds."""
    return bool(_sounds(first) & _sounds(second))
