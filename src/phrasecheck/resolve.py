"""Deciding which candidates stand: boundaries, exceptions, polite context and nesting.

The order of the checks is the order of the reasons a QA lead would give:

1. a short wording that splits a word is not that wording (喂 in 喂养, 急什么 in 着急什么时候),
   and a rule marked ``clause_start`` counts only where a clause starts;
2. a hit inside one of its rule's exceptions is polite speech (不知道您现在方便吗);
3. a taboo wording inside a polite phrase is part of that phrase (你找谁 in 请问您找谁), and a
   polite wording inside a taboo one is not politeness (你好 in 你好烦);
4. of overlapping hits of one kind the longest, most specific one is reported, once
   (急什么，烦死人了 is T04, not T04 + T25).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from phrasecheck.matcher import Candidate, spans_breaks
from phrasecheck.mention import mentioned, quoted_spans
from phrasecheck.models import Decision
from phrasecheck.normalize import Normalized
from phrasecheck.rules.kinds import KINDS
from phrasecheck.subject import who_says
from phrasecheck.tokenize import Segmenter, Words

NEGATIONS = frozenset("不没别无未莫勿")
_FEW = 8  # below this many candidates a plain scan is faster than interval bookkeeping
Trace = list[tuple[Candidate, Decision, str]]  # candidate, "accepted" | "rejected", reason


def resolve(
    doc: Normalized,
    candidates: list[Candidate],
    exceptions: dict[int, list[tuple[int, int]]],
    segmenter: Segmenter,
    trace: Trace | None = None,
) -> list[Candidate]:
    """The candidates that stand, in text order."""
    standing: list[Candidate] = []
    words: Words | None = None
    for candidate in candidates:
        reason = None
        wording = candidate.wording
        start, end = candidate.start, candidate.end
        rule = candidate.rule
        if rule.clause_start and not doc.starts_clause(start) and not _repeated(doc, start, end):
            reason = "not at the start of a clause"
        elif (
            wording is not None
            and wording.needs_boundary
            and not (doc.detached_before(start) and doc.detached_after(end))
        ):
            if words is None:
                words = segmenter.words(doc.normalized)
            if words.splits(start, end, wording.text):
                reason = "short wording splits a word"
        if reason is None and rule.kind == "taboo" and doc.normalized.startswith("的话", end):
            reason = "a condition (…的话), not said"
        if (
            reason is None
            and candidate.method == "fuzzy"
            and wording is not None
            and not spans_breaks(wording.raw)
        ):
            reason = _negation_elsewhere(doc, start, end, wording.text)
        if reason is None and wording is not None and wording.asks and not doc.detached_after(end):
            reason = longer_question(doc.normalized, start, end)
        if reason is None:
            for left, right in exceptions.get(candidate.order, ()):
                if left < end and start < right:
                    reason = f"inside exception {doc.normalized[left:right]!r}"
                    break
        if reason is None and rule.first_person:
            # Only the clause is read, and only the words before the hit are tagged:
            # tagging costs far more than cutting, and nothing else decides the subject.
            low, high = doc.clause_bounds(start, end)
            clause = doc.normalized[low:high]
            before = clause[: start - low]
            verdict, why = who_says(
                segmenter.tagged(before) if before else (),
                start - low,
                end - low,
                (0, high - low),
                clause,
            )
            if verdict != "said":
                reason = f"not said by the agent of itself: {why}"
        if reason is None:
            standing.append(candidate)
        elif trace is not None:
            trace.append((candidate, "rejected", reason))

    if len(standing) == 1:  # the common case: nothing to weigh against
        if standing[0].rule.kind == "taboo":
            standing = _said(doc, standing, trace)
        if trace is not None and standing:
            trace.append((standing[0], "accepted", _acceptance(standing[0])))
        return standing
    # Which hits compete, and inside which others a kind's hits give way, is the kinds
    # table's: the taboo hits compete with each other, as do the polite ones; a cue (a score
    # profile's trigger) is independent of other cues, so only repeats of one are merged.
    by_kind: dict[str, list[Candidate]] = {}
    for c in standing:
        items = by_kind.get(c.rule.kind)
        if items is None:
            by_kind[c.rule.kind] = [c]
        else:
            items.append(c)
    kept: list[Candidate] = []
    for kind in KINDS:  # in the table's order: polite is weighed against the taboo still standing
        items = by_kind.get(kind)
        if not items:
            continue
        spec = KINDS[kind]
        inside = spec.yields_inside
        if inside is not None and by_kind.get(inside):
            items = by_kind[kind] = _outside(items, by_kind[inside], spec.yield_reason, trace)
        if spec.group_per_rule:
            for rule_id in dict.fromkeys(c.rule.id for c in items):
                kept += _most_specific([c for c in items if c.rule.id == rule_id], trace)
        elif kind == "taboo":  # of the taboo hits that stand, the quoted are not said
            kept += _said(doc, _most_specific(items, trace), trace)
        else:
            kept += _most_specific(items, trace)
    kept.sort(key=lambda c: (c.start, c.end))
    if trace is not None:
        for candidate in kept:
            trace.append((candidate, "accepted", _acceptance(candidate)))
    return kept


# A question word at the end of a short wording that runs on into a longer question phrase:
# 急什么时候 asks when (您着急什么时候要), 急啥时候 likewise.
_LONGER_QUESTIONS = ("什么", "啥", "神马", "甚么")
_QUESTION_TAILS = ("时候", "时间", "地方", "日子", "样子", "样的", "时", "样")
_ANYONE = ("谁", "哪个")  # 谁……都/也: whoever
_ALL = ("都", "也")


def _negation_elsewhere(doc: Normalized, start: int, end: int, wording: str) -> str | None:
    """Refuse a slip whose negation was borrowed from the next or previous clause.

    这个事儿我来处理，您不用再跑了 is not 这个事儿我处理不了: the 不 of 不用 lies past the comma.
    For a wording without clause breaks of its own, every negation of it must stand in the
    clause that holds most of the window.
    """
    negations = [char for char in wording if char in NEGATIONS]
    if not negations or not doc.crosses_break(start, end):
        return None
    pieces, low = [], start
    while low < end:
        _, high = doc.clause_bounds(low, low + 1)
        pieces.append(doc.normalized[low : min(high, end)])
        low = min(high, end)
    main = max(pieces, key=len)
    if all(main.count(char) >= negations.count(char) for char in set(negations)):
        return None
    return "its negation lies in another clause"


def longer_question(text: str, start: int, end: int) -> str | None:
    """Why a wording ending in a question word does not ask it, or None.

    Its 什么 may belong to a longer question (急什么时候要), and a 谁 followed by 都/也 means
    anyone (你找谁都可以).
    """
    wording = text[start:end]
    for word in _LONGER_QUESTIONS:
        if wording.endswith(word) and text.startswith(_QUESTION_TAILS, end):
            return f"its {word} belongs to a longer question ({word}{text[end : end + 2]})"
    if wording.endswith(_ANYONE) and text.startswith(_ALL, end):
        return f"{wording}{text[end]} means anyone, not a question"
    return None


def _repeated(doc: Normalized, start: int, end: int) -> bool:
    """True when the hit begins a word said over and over (喂喂喂): a call wherever it stands.

    Only the first of the run counts, so 喂喂喂 is one hit."""
    text = doc.normalized
    first = text[start]
    if start > 0 and text[start - 1] == first:
        return False
    return text[start:end] == first * (end - start) and (
        end - start > 1 or text[end : end + 1] == first
    )


def _said(doc: Normalized, items: list[Candidate], trace: Trace | None) -> list[Candidate]:
    """``items`` less the taboo hits that are quoted or mentioned rather than said.

    Asked after nesting, of the hits that stand: the nested ones lie in the same quotation.
    """
    quotes = quoted_spans(doc.original)
    kept = []
    for item in items:
        reason = None
        if item.rule.kind == "taboo":
            reason = mentioned(doc, item.start, item.end, quotes)
        if reason is None:
            kept.append(item)
        elif trace is not None:
            trace.append((item, "rejected", reason))
    return kept


def _outside(
    items: list[Candidate], others: list[Candidate], why: str, trace: Trace | None
) -> list[Candidate]:
    """``items`` not lying wholly inside one of ``others``."""
    if not others or not items:
        return items
    few = len(others) <= _FEW  # a handful: scanning beats keeping the index
    if not few:
        others = sorted(others, key=lambda c: c.start)
        starts = [other.start for other in others]
        longest = max(other.length for other in others)
    kept = []
    for item in items:
        if few:
            nearby = others
        else:  # only others starting in [item.start - longest, item.start] can hold the item
            low = bisect_left(starts, item.start - longest)
            nearby = others[low : bisect_right(starts, item.start)]
        cover = next((o for o in nearby if o.start <= item.start and item.end <= o.end), None)
        if cover is None:
            kept.append(item)
        elif trace is not None:
            trace.append((item, "rejected", f"{why} {cover.rule.id}"))
    return kept


def _most_specific(items: list[Candidate], trace: Trace | None) -> list[Candidate]:
    """Of overlapping items, the longest (then closest, then phrase before core, then the
    earlier rule); intervals kept sorted so that a long text with thousands of hits stays
    fast."""
    if len(items) < 2:
        return items
    ranked = sorted(
        items, key=lambda c: (-c.length, -c.score, c.form_type != "phrase", c.order, c.start)
    )
    kept: list[Candidate] = []
    starts: list[int] = []
    by_start: list[Candidate] = []
    longest = 0
    few = len(ranked) <= _FEW  # a handful: scanning beats keeping the index
    for item in ranked:
        if few:
            nearby = kept
        else:
            low = bisect_left(starts, item.start - longest)
            nearby = by_start[low : bisect_left(starts, item.end)]
        cover = next((k for k in nearby if _overlaps_mostly(item, k)), None)
        if cover is None:
            kept.append(item)
            if not few:
                position = bisect_left(starts, item.start)
                starts.insert(position, item.start)
                by_start.insert(position, item)
                longest = max(longest, item.length)
        elif trace is not None:
            trace.append((item, "rejected", f"overlaps {cover.rule.id}, which is longer or closer"))
    return kept


def _overlaps_mostly(item: Candidate, other: Candidate) -> bool:
    """True when ``item`` shares at least half of itself with ``other``."""
    shared = min(item.end, other.end) - max(item.start, other.start)
    return shared > 0 and 2 * shared >= item.length


def _acceptance(candidate: Candidate) -> str:
    if candidate.wording is not None and candidate.wording.spelling:
        return f"another spelling of {candidate.wording.form}: {candidate.wording.spelling}"
    if candidate.method == "fuzzy" and candidate.wording is not None:
        budget = candidate.wording.budget
        return (
            f"approximate match, similarity {candidate.score:.0f}, within {budget.edits} "
            f"edit(s) of which {budget.changes} may replace or drop a character"
        )
    if candidate.method == "template":
        return "matches the wording with its name slots filled"
    return "the wording occurs in the text"
