"""Deciding which candidates stand: what the compiled core reads to decide it.

The core (``rust/resolve.rs``) asks of each candidate, in the order of the reasons a QA lead
would give:

1. a short wording that splits a word is not that wording (喂 in 喂养, 急什么 in 着急什么时候),
   and a rule marked ``clause_start`` counts only where a clause starts;
2. a taboo wording followed by 的话 is a condition, not said; a slip whose negation lies in
   another clause is not the wording (这个事儿我来处理，您不用再跑了); a question word that
   belongs to a longer question does not ask (急什么时候要, 你找谁都可以);
3. a hit inside one of its rule's exceptions is polite speech (不知道您现在方便吗), and a
   first-person wording counts only when the agent says it of itself (:mod:`.subject`);
4. a taboo wording inside a polite phrase is part of that phrase (你找谁 in 请问您找谁), and a
   polite wording inside a taboo one is not politeness (你好 in 你好烦);
5. of overlapping hits of one kind the longest, most specific one is reported, once
   (急什么，烦死人了 is T04, not T04 + T25), and a quoted or mentioned taboo wording is not
   said (:mod:`.mention`).

``Checker.explain`` lists every candidate with the reason it stood or fell. This module holds
the word lists of step 2, which the plan carries to the core.
"""

from __future__ import annotations

__all__ = ["ALL", "ANYONE", "LONGER_QUESTIONS", "NEGATIONS", "QUESTION_TAILS"]

NEGATIONS = frozenset("不没别无未莫勿")
# A question word at the end of a short wording that runs on into a longer question phrase:
# 急什么时候 asks when (您着急什么时候要), 急啥时候 likewise.
LONGER_QUESTIONS = ("什么", "啥", "神马", "甚么")
QUESTION_TAILS = ("时候", "时间", "地方", "日子", "样子", "样的", "时", "样")
ANYONE = ("谁", "哪个")  # 谁……都/也: whoever
ALL = ("都", "也")
