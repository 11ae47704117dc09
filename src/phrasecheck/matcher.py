"""Finding every rule wording in a normalized text: exact, template and fuzzy candidates.

All wordings, exceptions and fuzzy anchor pieces live in one Aho–Corasick automaton
(pyahocorasick), so one pass over the text yields every overlapping occurrence. Wordings with
name slots are regular expressions, run only when their fixed text occurs. Deciding which
candidates stand (boundaries, exceptions, nesting) is :mod:`phrasecheck.resolve`'s job.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import ahocorasick
from rapidfuzz.distance import LCSseq
from rapidfuzz.fuzz import ratio

from phrasecheck.fuzzy import (
    MIN_FUZZY_LENGTH,
    NO_BUDGET,
    Budget,
    Window,
    best_window,
    edit_budget,
    pieces,
)
from phrasecheck.models import FormType, Method
from phrasecheck.normalize import Normalized, _is_break, normalize
from phrasecheck.rules.kinds import fuzzy_wording
from phrasecheck.rules.model import Rule, RuleSet
from phrasecheck.rules.patterns import expand, has_slots, parse, required_literals, to_regex
from phrasecheck.variants import MAX_SHORT, colloquial, same_sound_spellings

SHORT_WORDING = 3  # wordings this short must stand on word boundaries
# A wording is verified only when two of its anchor pieces occur: one lone two-character
# piece (什么, 我们, 知道) occurs in most sentences, while slips rarely break all but one.
MIN_PIECES_FOUND = 2  # the set pass in find() counts to two

_WORDING, _EXCEPTION, _PIECE, _GATE = 0, 1, 2, 3
# Question words that may end a wording yet belong to a longer question or mean "anyone"
# (resolve.longer_question): 什么 of 什么时候, 谁 of 谁都.
ASKING = ("什么", "啥", "神马", "甚么", "谁", "哪个")
_SPLIT = "a short wording with inserted words may not cross a clause break"


@dataclass(frozen=True, slots=True)
class Wording:
    """One plain-text wording of a rule, ready for matching."""

    rule: Rule
    order: int  # the rule's position in the rule set: ties go to the earlier rule
    raw: str  # as written in the rule file, alternatives expanded
    text: str  # normalized
    form_type: FormType
    budget: Budget  # edits allowed when matching approximately
    needs_boundary: bool  # short enough that it must stand on word boundaries
    least_kept: int  # characters a slip must keep in order (the LCS bound)
    form: str = ""  # the rule's wording it spells (its own text unless a variant)
    method: Method = "exact"  # "fuzzy" for colloquial and same-sound spellings
    score: float = 100.0
    spelling: str = ""  # for a variant: what it changed (啥 for 什么, 集 sounds like 急)
    asks: bool = False  # ends in a question word (急什么, 你找谁): see resolve.longer_question


@dataclass(frozen=True, slots=True)
class Template:
    """A rule's wordings with name slots, as one regular expression."""

    rule: Rule
    order: int
    pattern: re.Pattern[str]


@dataclass(slots=True)
class Candidate:
    """A span of the normalized text where a wording (nearly) occurs."""

    wording: Wording | None  # None for template matches
    rule: Rule
    order: int
    start: int
    end: int
    method: Method  # exact | template | fuzzy ("exact" becomes "normalized" when it is)
    score: float
    form: str
    form_type: FormType

    @property
    def length(self) -> int:
        return self.end - self.start


# The first stage's output: exact and template candidates, slot-free exception spans per
# rule order, and the owners of each anchor piece that occurs.
Exact = tuple[list[Candidate], dict[int, list[tuple[int, int]]], list[tuple[int, ...]]]


@dataclass(slots=True)
class Rejected:
    """A fuzzy window examined and refused, kept for explanations."""

    candidate: Candidate
    reason: str


class CompiledRules:
    """A rule set turned into the automaton and expressions that find its wordings."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.rules = list(ruleset)  # by order
        self.wordings: list[Wording] = []
        self.templates: list[Template] = []
        # rule order → (expression, whether it may span clause breaks)
        self.exception_patterns: dict[int, list[tuple[re.Pattern[str], bool]]] = {}
        self.pieces: dict[int, list[tuple[int, str]]] = {}  # fuzzy wording → anchor pieces
        # fuzzed wording → its fuzzed spellings, each with the part it changes (儿, 咋那)
        self.spelled: dict[int, list[tuple[int, str]]] = {}
        self.ungated: list[int] = []  # templates that must run on every text
        keys: dict[str, list[tuple[int, int, int]]] = defaultdict(list)

        for order, rule in enumerate(ruleset):
            self._compile_rule(rule, order, keys)
        self._add_spellings(keys)

        # Each key carries, by kind, what it stands for, so the hot loop needs no branching.
        self.keys = dict(keys)  # key → (tag, index, extra) entries: the plan's automaton
        self.automaton = ahocorasick.Automaton()
        wordings = self.wordings
        for key, entries in keys.items():
            # Each wording with what its candidates copy, unpacked in the hot loop rather
            # than read attribute by attribute.
            found: list[tuple] = []
            owners: dict[int, None] = {}
            exception_rules: list[tuple[int, bool]] = []  # rule order, may span breaks
            gated: list[int] = []
            for tag, index, extra in entries:
                if tag == _WORDING:
                    w = wordings[index]
                    found.append((w, w.rule, w.order, w.method, w.score, w.form, w.form_type))
                elif tag == _PIECE:
                    owners[index] = None
                elif tag == _EXCEPTION:
                    exception_rules.append((index, bool(extra)))
                else:
                    gated.append(index)
            value = (len(key), tuple(found), tuple(owners), tuple(exception_rules), tuple(gated))
            self.automaton.add_word(key, value)
        self.automaton.make_automaton()
        # pyahocorasick refuses to search an automaton with no keys (a rule set of templates
        # only, or a profile without cues): search an empty iterator instead.
        self._search = self.automaton.iter if keys else lambda text: iter(())

    def _compile_rule(self, rule: Rule, order: int, keys: dict) -> None:
        slotted: list[list] = []
        compiled: set[str] = set()
        groups: tuple[tuple[FormType, list[str]], ...] = (
            ("phrase", rule.forms),
            ("core", rule.core),
        )
        for form_type, patterns in groups:
            for number, pattern in enumerate(patterns):
                parts = parse(pattern)
                if has_slots(parts):
                    slotted.append(parts)
                    continue
                primary = form_type == "phrase" and number == 0
                for raw in expand(parts):
                    text = normalize(raw)
                    if text in compiled:
                        continue  # two forms of one rule that spell the same wording
                    compiled.add(text)
                    budget = _budget(rule, text, primary)
                    wording = Wording(
                        rule,
                        order,
                        raw,
                        text,
                        form_type,
                        budget,
                        needs_boundary=len(text) <= SHORT_WORDING,
                        least_kept=len(text) - budget.changes,
                        form=text,
                        asks=text.endswith(ASKING),
                    )
                    index = len(self.wordings)
                    self.wordings.append(wording)
                    keys[text].append((_WORDING, index, 0))
                    if wording.budget.edits:
                        self.pieces[index] = pieces(text, wording.budget)
                        for offset, piece in self.pieces[index]:
                            keys[piece].append((_PIECE, index, offset))
        slotted_exceptions: dict[bool, list[str]] = {}
        for pattern in rule.exceptions:
            parts = parse(pattern)
            spans = spans_breaks(pattern)
            if has_slots(parts):
                slotted_exceptions.setdefault(spans, []).append(f"(?:{to_regex(parts)})")
                continue
            for raw in expand(parts):
                keys[normalize(raw)].append((_EXCEPTION, order, int(spans)))
        if slotted_exceptions:
            self.exception_patterns[order] = [
                (re.compile("|".join(regexes)), spans)
                for spans, regexes in slotted_exceptions.items()
            ]
        if slotted:
            regex = "|".join(f"(?:{to_regex(parts)})" for parts in slotted)
            # The longest fixed text of each form: one of them occurs in every match, so the
            # expression runs only when the automaton has seen one.
            gates = tuple(max(required_literals(parts), key=len, default="") for parts in slotted)
            if all(gates):
                for gate in gates:
                    keys[gate].append((_GATE, len(self.templates), 0))
            else:  # a form with no fixed text outside groups: run the expression every time
                self.ungated.append(len(self.templates))
            self.templates.append(Template(rule, order, re.compile(regex)))

    def _add_spellings(self, keys: dict[str, list[tuple[int, int, int]]]) -> None:
        """Colloquial, dialect and same-sound spellings of the taboo wordings (variants.py).

        A colloquial spelling is matched like a wording of its length (你咋那么麻烦 is fuzzed
        as 你怎么这么麻烦 is); a same-sound one exactly, on word boundaries. A spelling that is
        already a key (a wording or exception of any rule) is left alone.
        """
        taken = set(keys)
        for original, wording in enumerate(list(self.wordings)):
            if wording.rule.kind != "taboo":
                continue
            spellings = [(text, why, False) for text, why in colloquial(wording.text)]
            if not wording.budget.changes:  # short wordings: same-sound characters too
                spellings += [(text, why, True) for text, why in same_sound_spellings(wording.text)]
            for text, why, same_sound in spellings:
                if text in taken:
                    continue
                taken.add(text)
                budget = NO_BUDGET if same_sound else edit_budget(len(text))
                index = len(self.wordings)
                self.wordings.append(
                    Wording(
                        wording.rule,
                        wording.order,
                        wording.raw,
                        text,
                        wording.form_type,
                        budget,
                        # A same-sounding character may make a word with its neighbour (不管我是
                        # in 不管我是不是): those spellings always stand on word boundaries.
                        needs_boundary=same_sound or len(text) <= SHORT_WORDING,
                        least_kept=len(text) - budget.changes,
                        form=wording.text,
                        method="fuzzy",
                        score=round(ratio(wording.text, text), 1),
                        spelling=why,
                        asks=text.endswith(ASKING),
                    )
                )
                keys[text].append((_WORDING, index, 0))
                if budget.edits:
                    self.pieces[index] = pieces(text, budget)
                    # Tried approximately only when the wording it spells is plausible and the
                    # text holds the part the spelling changes (儿 of 明儿, 咋那): pieces of its
                    # own (什么, 一个) would make every text that shares them pay for it.
                    marker = _changed_part(wording.text, text)
                    self.spelled.setdefault(original, []).append((index, marker))

    def short_vocabulary(self) -> list[str]:
        """Short normalized wordings of the standard's rules, for the word segmenter's
        dictionary. A profile cue's wording (客气的) there would cut the standard's 不客气 in
        two, so cues are left out."""
        return [
            w.text
            for w in self.wordings
            if 2 <= len(w.text) <= SHORT_WORDING + 1 and not w.spelling and w.rule.kind != "cue"
        ]

    def find(
        self,
        doc: Normalized,
        rejected: list[Rejected] | None = None,
        exact: Exact | None = None,
    ) -> tuple[list[Candidate], dict[int, list[tuple[int, int]]]]:
        """Every candidate occurrence, and the exception spans found per rule order.

        An exception must lie within one clause: 不知道，你问我 is not 不知道你…; one written
        with a clause break of its own (我不太清楚，我帮您查) may span one.

        ``rejected``, when given, collects the fuzzy windows that were examined and refused.
        ``exact``, when given, is the first stage's output computed elsewhere (the compiled
        core, :mod:`phrasecheck.core`): it must be what :meth:`exact` returns.
        """
        text = doc.normalized
        candidates, exceptions, anchored = self.exact(doc) if exact is None else exact
        if len(anchored) >= MIN_PIECES_FOUND:
            # Wordings two of whose pieces occur (MIN_PIECES_FOUND): a set pass is three times
            # cheaper than a Counter for the few owners a text has.
            seen: set[int] = set()
            twice: set[int] = set()
            for owners in anchored:
                for index in owners:
                    if index in seen:
                        twice.add(index)
                    else:
                        seen.add(index)
            if twice:
                # A rule whose whole phrase was found exactly is not searched again
                # approximately: whatever else it would find, the report names the same
                # rule. (A core found exactly does not count: the whole phrase around it may
                # swallow a nested rule.)
                matched = {c.order for c in candidates if c.form_type == "phrase"}
                wordings = self.wordings
                plausible = [i for i in twice if wordings[i].order not in matched]
                spelled = self.spelled
                for index in [i for i in plausible if i in spelled]:
                    plausible.extend(
                        spelling for spelling, marker in spelled[index] if marker in text
                    )
                plausible.sort()
                if plausible:
                    self._fuzzy(doc, plausible, candidates, rejected)
        if self.exception_patterns and candidates:
            self.slotted_exceptions(doc, {c.order for c in candidates}, exceptions)
        return candidates, exceptions

    def exact(self, doc: Normalized) -> Exact:
        """The first stage of :meth:`find`: one automaton pass and the templates it gates.

        Returns the exact and template candidates, the exception spans of slot-free
        exceptions per rule order, and the owners of each anchor piece that occurs (the
        fuzzy stage's input). The compiled core reproduces this stage
        (``tests/test_core_parity.py``).
        """
        text = doc.normalized
        candidates: list[Candidate] = []
        exceptions: dict[int, list[tuple[int, int]]] = {}
        anchored: list[tuple[int, ...]] = []  # owners of each anchor piece that occurs

        gated_templates: set[int] = set(self.ungated)
        for last, (length, found, anchor_pieces, exception_rules, gated) in self._search(text):
            end = last + 1
            start = end - length
            for w, rule, order, method, score, form, form_type in found:
                candidates.append(
                    Candidate(w, rule, order, start, end, method, score, form, form_type)
                )
            if anchor_pieces:
                anchored.append(anchor_pieces)
            for order, spans in exception_rules:
                if spans or not doc.crosses_break(start, end):
                    exceptions.setdefault(order, []).append((start, end))
            if gated:
                gated_templates.update(gated)

        for index in sorted(gated_templates):
            template = self.templates[index]
            for found in template.pattern.finditer(text):
                candidates.append(_template_candidate(template, found))

        return candidates, exceptions, anchored

    def slotted_exceptions(
        self, doc: Normalized, orders: set[int], exceptions: dict[int, list[tuple[int, int]]]
    ) -> None:
        """Add the spans of the exceptions with slots of the rules ``orders`` to ``exceptions``."""
        text = doc.normalized
        for order in orders & self.exception_patterns.keys():
            for pattern, spans in self.exception_patterns[order]:
                for found in pattern.finditer(text):
                    if spans or not doc.crosses_break(found.start(), found.end()):
                        exceptions.setdefault(order, []).append(found.span())

    def _fuzzy(
        self,
        doc: Normalized,
        plausible: list[int],
        candidates: list[Candidate],
        rejected: list[Rejected] | None,
    ) -> None:
        """Verify wordings of which two anchor pieces occur, at each place they align."""
        text = doc.normalized
        found_by_rule: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for c in candidates:
            found_by_rule[c.order].append((c.start, c.end))
        seen: set[tuple[int, int, int]] = set()
        refused: dict[tuple[int, int, int], Rejected] = {}
        wordings = self.wordings
        # Necessary condition, one C call per wording: insertions keep the wording's
        # characters in order, so at most `changes` of them may be missing from the text.
        plausible = [
            index
            for index in plausible
            if LCSseq.similarity(wordings[index].text, text) >= wordings[index].least_kept
        ]
        for index, aligned in self._alignments(text, plausible):
            w = self.wordings[index]
            edits = w.budget.edits
            low, high = aligned - edits, aligned + len(w.text) + edits
            found_here = found_by_rule[w.order]
            if any(s < high and low < e and e - s >= len(w.text) for s, e in found_here):
                continue  # the rule already matched here, at least as fully
            # The same bound, now on the region where the wording would stand.
            region = text[max(0, low) : high]
            if LCSseq.similarity(w.text, region) < w.least_kept:
                continue
            window, refusal = best_window(w.text, text, aligned, w.budget)
            if window is None:
                if refusal is not None and rejected is not None:
                    key = (w.order, refusal.window.start, refusal.window.end)
                    if key not in refused or refused[key].candidate.score < refusal.window.score:
                        refused[key] = Rejected(_fuzzy_candidate(w, refusal.window), refusal.reason)
                continue
            if (
                not w.budget.changes
                and doc.crosses_break(window.start, window.end)
                and not Normalized(w.raw).crosses_break(0, len(w.text))
            ):
                # A short wording with words inserted stays within its clause: 我看清楚了，
                # 再问一下 is not 看清楚再问.
                if rejected is not None:
                    key = (w.order, window.start, window.end)
                    refused.setdefault(key, Rejected(_fuzzy_candidate(w, window), _SPLIT))
                continue
            if (index, window.start, window.end) not in seen:
                seen.add((index, window.start, window.end))
                candidates.append(_fuzzy_candidate(w, window))
                found_by_rule[w.order].append((window.start, window.end))
        if rejected is not None:
            rejected.extend(refused.values())

    def _alignments(self, text: str, plausible: list[int]) -> list[tuple[int, int]]:
        """(wording, start) pairs: where the wording would start if its pieces are in place."""
        places = set()
        for index in plausible:
            for offset, piece in self.pieces[index]:
                at = text.find(piece)
                while at != -1:
                    places.add((index, at - offset))
                    at = text.find(piece, at + 1)
        return sorted(places)


def _changed_part(wording: str, spelling: str) -> str:
    """The part of ``spelling`` that differs from ``wording`` (at least one character)."""
    size = min(len(wording), len(spelling))
    prefix = 0
    while prefix < size and wording[prefix] == spelling[prefix]:
        prefix += 1
    suffix = 0
    while suffix < size - prefix and wording[-1 - suffix] == spelling[-1 - suffix]:
        suffix += 1
    low, high = prefix, len(spelling) - suffix
    if low == high:  # a deletion (没 for 没有): the character before it
        low = max(0, low - 1)
    return spelling[low:high]


def short_taboo_wordings(ruleset: RuleSet) -> list[str]:
    """The normalized slot-free taboo wordings short enough for same-sound spellings."""
    found: dict[str, None] = {}
    for rule in ruleset.taboo:
        for pattern in (*rule.forms, *rule.core):
            parts = parse(pattern)
            if not has_slots(parts):
                for raw in expand(parts):
                    text = normalize(raw)
                    if 2 <= len(text) <= MAX_SHORT:
                        found[text] = None
    return list(found)


def _template_candidate(template: Template, found: re.Match[str]) -> Candidate:
    return template_candidate(template, found.start(), found.end(), found.group())


def template_candidate(template: Template, start: int, end: int, matched: str) -> Candidate:
    """A candidate for a template's match ``[start, end)`` of normalized text ``matched``."""
    return Candidate(
        None, template.rule, template.order, start, end, "template", 100.0, matched, "phrase"
    )


def wording_candidate(wording: Wording, start: int, end: int) -> Candidate:
    """A candidate for an occurrence of ``wording`` itself at ``[start, end)``."""
    return Candidate(
        wording,
        wording.rule,
        wording.order,
        start,
        end,
        wording.method,
        wording.score,
        wording.form,
        wording.form_type,
    )


def _fuzzy_candidate(wording: Wording, window: Window) -> Candidate:
    return Candidate(
        wording,
        wording.rule,
        wording.order,
        window.start,
        window.end,
        "fuzzy",
        round(window.score, 1),
        wording.text,
        wording.form_type,
    )


def spans_breaks(pattern: str) -> bool:
    """True for an exception written across a clause break (a comma, a full stop ...)."""
    return any(_is_break(char) for char in pattern if char not in "()|")


def _budget(rule: Rule, text: str, primary: bool) -> Budget:
    """Every taboo wording gets the edit budget; a polite rule only its first form.

    A polite rule's first form is the standard's own wording (感谢您的来电); its other forms
    are many alternatives (P13 alone expands to dozens) whose anchor pieces (电话, 联系) occur
    everywhere: fuzzing them cost most of the time of a check and found nothing more on the
    labelled sets. Cues (profile triggers) are never fuzzed. The policy per kind is
    :data:`phrasecheck.rules.kinds.KINDS`' ``fuzzy``.
    """
    if not fuzzy_wording(rule.kind, primary):
        return NO_BUDGET
    if rule.kind == "polite" and len(text) < MIN_FUZZY_LENGTH:
        return NO_BUDGET  # 请问您找谁, 是的先生: pieces 请问, 先生 occur in most polite speech
    return edit_budget(len(text))
