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
same Aho–Corasick automaton as the exact wordings, so only wordings two of whose pieces occur
in the text are ever measured.

This module holds the policy as data (budgets, pieces, character classes), which the plan
carries; the compiled core (``rust/fuzzy.rs``) measures the windows and decides each edit,
and ``Checker.explain`` gives its reason when a window is refused.
"""

from __future__ import annotations

from typing import NamedTuple

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
