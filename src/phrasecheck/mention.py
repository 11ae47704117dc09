"""Quotation and mention: a taboo wording the agent quotes, names or forbids is not said.

我们不会跟业主说“不知道”, “你找谁”这种说法是不允许的, 千万别说急什么: the agent talks
*about* the wording. Three signs, each general:

* the wording lies inside a pair of quotation marks (“” "" 「」 『』 ‘’ '');
* it is followed, in its clause, by a noun for a wording (这种说法, 这句话, 这样的话, 这种字眼);
* it is the object of a prohibition of saying (不能/不要/别/禁止/不会 … 说/讲/回答 …).

The compiled core (``rust/resolve.rs``) looks for them; the tables are here, for the plan.
"""

from __future__ import annotations

import re

_REACH = 14  # characters looked at on either side of a hit

QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』", '"': '"', "'": "'", "＂": "＂"}
# 这种说法, 这句话, 这样的话, 这类话, 之类的话, 这几个字, 这种字眼
_NAMED_AFTER = re.compile(
    r"的?(这|那|此|之类的|一类的)(种|样的|类|个|句|些|几个|几句|)"
    r"(说法|话|字眼|用语|表达|口头禅|措辞|句子|词儿|几个字)"
)
_NAMED_FIRST = frozenset("的这那此之一")
_SAY_LAST = frozenset("说讲答复用")
_FORBIDDEN_BEFORE = re.compile(
    r"(不能|不要|不许|不准|禁止|不可以|不应该|不该|不得|别|不会|严禁|千万别|避免|杜绝|不允许)"
    r".{0,8}?(说|讲|回答|回复|用)$"
)
