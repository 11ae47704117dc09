"""A rule set expanded into what the compiled core matches: wordings, templates, pieces.

Every rule's forms and cores are expanded (alternatives, colloquial and same-sound spellings
of the taboo wordings) into normalized wordings with their edit budgets and anchor pieces;
wordings with name slots become one regular expression per rule, gated by their fixed text;
exceptions become automaton keys or expressions. Each automaton key says what it stands for.
:mod:`phrasecheck.plan` writes all of it as plain data for the core (``rust/``), which does
the matching: one automaton pass, templates, slips, then resolution.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from phrasecheck._core import similarity
from phrasecheck.fuzzy import MIN_FUZZY_LENGTH, NO_BUDGET, Budget, edit_budget, pieces
from phrasecheck.models import FormType, Method
from phrasecheck.normalize import _is_break, normalize
from phrasecheck.resolve import ANYONE, LONGER_QUESTIONS
from phrasecheck.rules.kinds import fuzzy_wording
from phrasecheck.rules.model import Rule, RuleSet
from phrasecheck.rules.patterns import expand, has_slots, parse, required_literals, to_regex
from phrasecheck.variants import MAX_SHORT, colloquial, same_sound_spellings

SHORT_WORDING = 3  # wordings this short must stand on word boundaries
# A wording is verified only when two of its anchor pieces occur: one lone two-character
# piece (什么, 我们, 知道) occurs in most sentences, while slips rarely break all but one.
MIN_PIECES_FOUND = 2  # the core's fuzzy stage counts each wording's pieces found

# What an automaton key stands for (rust/plan.rs reads the same tags).
_WORDING, _EXCEPTION, _PIECE, _GATE = 0, 1, 2, 3
# Question words that may end a wording yet belong to a longer question or mean "anyone"
# (resolution's word lists): 什么 of 什么时候, 谁 of 谁都.
ASKING = (*LONGER_QUESTIONS, *ANYONE)


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
    asks: bool = False  # ends in a question word (急什么, 你找谁): may ask a longer question


@dataclass(frozen=True, slots=True)
class Template:
    """A rule's wordings with name slots, as one regular expression."""

    rule: Rule
    order: int
    pattern: re.Pattern[str]


class CompiledRules:
    """A rule set expanded into wordings, templates, exception expressions, anchor pieces
    and spellings, with the automaton keys that find them (the plan's source)."""

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

        self.keys = dict(keys)  # key → (tag, index, extra) entries: the plan's automaton

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
                        # rapidfuzz's fuzz.ratio rounded to one place, from the core:
                        # importing rapidfuzz would cost start-up 16 ms for this alone.
                        score=similarity(wording.text, text)[2],
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
