"""The Checker: one utterance in, every taboo and polite phrase of the standard out."""

from __future__ import annotations

import os
import threading
from os import PathLike
from typing import TYPE_CHECKING, NamedTuple

from phrasecheck._core import Core, Shape, after_fork, before_fork, preload_words
from phrasecheck.compiler import CompiledRules, Wording
from phrasecheck.models import (
    SCHEMA_VERSION,
    CheckResult,
    Decision,
    Explanation,
    FormType,
    Hit,
    Method,
    trusted,
)
from phrasecheck.models import Candidate as CandidateModel
from phrasecheck.plan import FORM_TYPES, METHODS, PLAN_VERSION, plan_json, plan_text
from phrasecheck.rules.kinds import KINDS
from phrasecheck.rules.loader import load_ruleset
from phrasecheck.rules.model import Rule, RuleSet
from phrasecheck.shippedplan import shipped_plan
from phrasecheck.textsafety import scrub
from phrasecheck.tokenize import Segmenter

if TYPE_CHECKING:
    from phrasecheck._core import Explained
    from phrasecheck._core import Found as CoreFound
    from phrasecheck.profile import ScoreProfile
    from phrasecheck.report import ScoreReport
    from phrasecheck.scoring import Scorer
    from phrasecheck.transcript import Channel, Transcript

# The core's decision codes in an explanation (rust/resolve.rs's STEP_*).
_ACCEPTED, _INSIDE, _OVERLAPS, _EXCEPTION = 1, 2, 3, 4

RulesArg = RuleSet | str | PathLike[str] | list[str | PathLike[str]] | None
PacksArg = str | list[str] | tuple[str, ...]

# The first Checker of a process starts reading jieba's dictionary on a background thread
# (about 0.2 s): by the time the rules are loaded and a glued text needs word boundaries, it
# is mostly read. A fork waits for that thread and for any jieba-rs instance being built, so
# the child, which has only the forking thread, inherits them whole (rust/words.rs).
if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=before_fork, after_in_parent=after_fork, after_in_child=after_fork)


class Checker:
    """Finds the standard's phrases in text.

    >>> checker = Checker()
    >>> [(h.rule_id, h.matched) for h in checker.check("急什麼，煩死人了！").hits]
    [('T04', '急什麼，煩死人了')]

    The rules in force are the bundled standard, plus the bundled ``packs`` named (e.g.
    ``["complaint"]``), plus ``rules``: a rule file or folder, or a list of them, which ADD to
    the standard. ``standard=False`` leaves the standard out, so that only the packs and files
    given count. A :class:`RuleSet` passed as ``rules`` is taken as the complete set.

    A Checker is immutable and safe to share between threads; build it once, since compiling
    the rules is the expensive part. The first Checker of a process also starts reading
    jieba's dictionary (about 0.2 s and 32 MiB) on a background thread, for the word
    boundaries of unpunctuated text. ``version`` is the rule set's content hash, which every
    result carries as ``ruleset``.
    """

    def __init__(
        self, rules: RulesArg = None, *, packs: PacksArg = (), standard: bool = True
    ) -> None:
        preload_words()  # once per process; see the top of this module
        ruleset = as_ruleset(rules, packs, standard)
        self.rules = ruleset
        self.version = ruleset.version
        self._compiled_rules: CompiledRules | None = None
        self._compile_lock = threading.Lock()
        # The bundled standard ships compiled (shippedplan.py): its vocabulary and plan.
        self._shipped = shipped_plan(ruleset.version, PLAN_VERSION)
        if self._shipped is None:
            self._segmenter = Segmenter(self._compiled.short_vocabulary())
        else:
            self._segmenter = Segmenter(self._shipped[0])
        self._scorers: dict[object, Scorer] = {}
        self._scorer_lock = threading.Lock()
        self._built: tuple[Core, Shape[Found]] | None = None
        self._core_lock = threading.Lock()

    @property
    def _compiled(self) -> CompiledRules:
        """The rule set expanded (compiler.py), on first need: a Checker of the bundled
        standard builds its core from the shipped plan, and compiles only to explain."""
        if self._compiled_rules is None:
            with self._compile_lock:
                if self._compiled_rules is None:
                    self._compiled_rules = CompiledRules(self.rules)
        return self._compiled_rules

    @property
    def _core(self) -> Core:
        """The compiled core (``phrasecheck._core``, rust/)."""
        return self._parts[0]

    @property
    def _parts(self) -> tuple[Core, Shape[Found]]:
        """The compiled core and the shape its hits are made in (Found), built from the
        plan on first need, so that a Checker given another's segmenter
        (:meth:`_sharing_segmenter`) builds it with that segmenter's vocabulary."""
        if self._built is None:
            with self._core_lock:
                if self._built is None:
                    vocabulary = self._segmenter.vocabulary
                    shipped, self._shipped = self._shipped, None  # used once, then let go
                    core = None
                    if shipped is not None and shipped[0] == vocabulary:
                        try:
                            core = Core(plan_text(shipped[1]))
                        except ValueError:
                            core = None  # a damaged file: compile, as without one
                    if core is None:
                        core = Core(plan_json(self._compiled, vocabulary))
                    shape = Shape(Found, list(self.rules), FORM_TYPES, METHODS)
                    self._built = (core, shape)
        return self._built

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickles as plain data: the rules as dicts, their sources and the word segmenter
        (its vocabulary and backend name). A spawned process or a Spark executor rebuilds
        an identical Checker from them, without the compiled core or loaded jieba."""
        return (_rebuild_checker, (ruleset_data(self.rules), self.rules.sources, self._segmenter))

    def warm_up(self) -> None:
        """Build the core and load what it loads on first need (jieba's dictionary, the
        same-sound readings).

        Batch runs call this before forking workers, so each starts warm and shares the
        loaded dictionaries copy-on-write instead of loading its own.
        """
        self._segmenter.tokens("您好")
        self.check("你怎么这么麻利")  # a refused slip: the core reads the sound table

    @classmethod
    def _sharing_segmenter(cls, ruleset: RuleSet, other: Checker) -> Checker:
        """A Checker for a subset of ``other``'s rules that shares its word segmenter.

        The scorer checks customer turns for cues only; one jieba instance (90 MB) serves both.
        """
        checker = cls(ruleset)
        checker._segmenter = other._segmenter  # the unused one it replaces never loaded
        return checker

    # Each entry point hands its argument to the core as it is: the core takes only str
    # without lone surrogates (a sequence of them for the batch calls) and refuses anything
    # else with a TypeError or UnicodeEncodeError, on which the argument goes through
    # _text_argument (the error that names what is needed, or the text scrubbed) and the
    # core again. Well-formed text, nearly all of it, skips a Python pass per text.

    def check(self, text: str) -> CheckResult:
        """Every phrase of the standard in ``text``, with offsets into ``text``."""
        text, found = self._find(text, "check")
        return self._result(text, found)

    def find(self, text: str) -> list[Found]:
        """The hits of ``text`` as plain tuples: what :meth:`check` wraps in models.

        For callers that aggregate many texts (the scorer) and need no model per hit.
        """
        return self._find(text, "find")[1]

    def _find(self, text: str, method: str) -> tuple[str, list[Found]]:
        """The text as checked (scrubbed where needed) and its hits."""
        core, shape = self._parts
        try:
            return text, core.find_as(text, shape)
        except _REFUSED:
            text = _text_argument(text, method)
            return text, core.find_as(text, shape)

    def find_many(self, texts: list[str]) -> list[list[Found]]:
        """:meth:`find` of every text in one call to the core, during which other threads
        run (the core releases the GIL)."""
        return self._find_many(texts, "find_many")[1]

    def _find_many(self, texts: list[str], method: str) -> tuple[list[str], list[list[Found]]]:
        """The texts as checked (a list, scrubbed where needed) and the hits of each."""
        core, shape = self._parts
        try:
            return texts, core.find_many_as(texts, shape)
        except _REFUSED:
            texts = [_text_argument(text, method) for text in texts]
            return texts, core.find_many_as(texts, shape)

    def check_many(self, texts: list[str]) -> list[CheckResult]:
        """:meth:`check` of every text, through :meth:`find_many`."""
        texts, found = self._find_many(texts, "check_many")
        return [self._result(text, hits) for text, hits in zip(texts, found, strict=True)]

    def _result(self, text: str, found: list[Found]) -> CheckResult:
        """The result model of checked ``text``, built without validation (see
        :func:`~phrasecheck.models.trusted`): the data is the checker's own."""
        fields = {
            "schema_version": SCHEMA_VERSION,
            "ruleset": self.version,
            "text": text,
            "hits": [_hit(item) for item in found],
        }
        return trusted(CheckResult, fields, _RESULT_GIVEN)

    def _from_core(self, text: str, found: list[CoreFound]) -> list[Found]:
        """The core's hit tuples of ``text`` made Found, as ``find`` makes them."""
        return self._parts[1].make(text, found)

    def score(
        self,
        transcript: Transcript | list | dict,
        profile: ScoreProfile | str | PathLike[str] | None = None,
        channel: Channel | None = None,
    ) -> ScoreReport:
        """Grade a whole transcript; see :class:`phrasecheck.scoring.Scorer`.

        ``profile`` is a :class:`ScoreProfile`, a profile file, or None for the bundled one.
        ``channel`` (phone, chat, social) applies when the transcript does not name its own.
        The scorer for each profile is built once and kept.
        """
        from phrasecheck.profile import ScoreProfile
        from phrasecheck.scoring import Scorer

        # A ScoreProfile is keyed by identity; the scorer keeps it alive, so the id stays its.
        key = id(profile) if isinstance(profile, ScoreProfile) else str(profile)
        scorer = self._scorers.get(key)
        if scorer is None:
            with self._scorer_lock:  # threads scoring at once build one scorer, not one each
                scorer = self._scorers.get(key)
                if scorer is None:
                    scorer = self._scorers[key] = Scorer(self, profile)
        return scorer.score(transcript, channel)

    def explain(self, text: str) -> Explanation:
        """What was considered and why each candidate stood or fell; see ``.render()``.

        The candidates are listed in text order: every wording found exactly, every window
        measured for slips and refused (with the nearest refusal's reason), and what
        resolution decided of each."""
        text = _text_argument(text, "explain")
        normalized, hits, steps = self._core.explain(text)
        return Explanation(
            ruleset=self.version,
            text=text,
            normalized=normalized,
            tokens=self._segmenter.tokens(normalized) if normalized else [],
            candidates=[
                self._candidate(step, found)
                for step, found in zip(
                    steps, self._from_core(text, [step[0] for step in steps]), strict=True
                )
            ],
            hits=[_hit(found) for found in self._from_core(text, hits)],
        )

    def _candidate(self, step: Explained, found: Found) -> CandidateModel:
        """An explanation's line: the candidate as a hit (``found``), the decision and its
        reason."""
        _, wording_index, code, reason, cover = step
        rules = self._compiled.rules
        if code == _ACCEPTED:
            wording = None if wording_index < 0 else self._compiled.wordings[wording_index]
            reason = _acceptance(wording, found.method, found.score)
        elif code == _INSIDE:
            reason = f"{KINDS[found.rule.kind].yield_reason} {rules[cover].id}"
        elif code == _OVERLAPS:
            reason = f"overlaps {rules[cover].id}, which is longer or closer"
        elif code == _EXCEPTION:
            reason = f"inside exception {reason!r}"
        shared = _hit(found).model_dump(include=_SHARED_FIELDS)
        decision: Decision = "accepted" if code == _ACCEPTED else "rejected"
        return CandidateModel(**shared, decision=decision, reason=reason)


# What the core raises for an argument that is not str, or str with lone surrogates.
_REFUSED = (TypeError, UnicodeEncodeError)


def _text_argument(text: object, method: str) -> str:
    """``text`` made safe to report (lone surrogates become U+FFFD, offsets unchanged), or a
    TypeError that says what is needed instead of failing deep inside normalization."""
    if not isinstance(text, str):
        hint = "; decode bytes first, e.g. data.decode('utf-8')" if isinstance(text, bytes) else ""
        raise TypeError(f"Checker.{method} needs a str, got {type(text).__name__}{hint}")
    return scrub(text)


def as_ruleset(rules: RulesArg, packs: PacksArg = (), standard: bool = True) -> RuleSet:
    """The rule set the arguments stand for: the standard unless ``standard`` is False, the
    bundled ``packs``, then the rule files or folders ``rules``; a RuleSet is taken whole."""
    packs = [packs] if isinstance(packs, str) else list(packs)
    if isinstance(rules, RuleSet):
        if packs or not standard:
            raise TypeError("a RuleSet is the complete set: pass files to combine with packs")
        return rules
    paths = [] if rules is None else rules if isinstance(rules, list) else [rules]
    return load_ruleset(paths, packs, standard)


def ruleset_data(ruleset: RuleSet) -> list[dict]:
    """The rules as plain dicts, from which :func:`ruleset_from_data` rebuilds them."""
    return [rule.model_dump() for rule in ruleset]


def ruleset_from_data(rules: list[dict], sources: tuple[str, ...] = ()) -> RuleSet:
    return RuleSet([Rule.model_validate(rule) for rule in rules], tuple(sources))


def _rebuild_checker(rules: list[dict], sources: tuple[str, ...], segmenter: Segmenter) -> Checker:
    checker = Checker(ruleset_from_data(rules, sources))
    checker._segmenter = segmenter  # it may be shared with another Checker (the scorer's)
    return checker


class Found(NamedTuple):
    """A hit before it becomes a :class:`Hit` model."""

    rule: Rule
    start: int
    end: int
    matched: str
    form: str
    form_type: FormType
    method: Method
    score: float


_RESULT_GIVEN = frozenset(("ruleset", "text", "hits"))
_HIT_GIVEN = frozenset(Hit.model_fields)


def _hit(found: Found) -> Hit:
    """The Hit model of ``found``, unvalidated: every value comes from a validated rule or
    from the engine (``_validated_hit`` is the validated path the tests compare it with)."""
    rule = found.rule
    fields = {
        "rule_id": rule.id,
        "kind": rule.kind,
        "phrase": rule.phrase,
        "category": rule.category,
        "start": found.start,
        "end": found.end,
        "matched": found.matched,
        "form": found.form,
        "form_type": found.form_type,
        "method": found.method,
        "score": float(found.score),
        "severity": rule.severity,
        "suggestion": rule.suggestion,
    }
    return trusted(Hit, fields, _HIT_GIVEN)


def _validated_hit(found: Found) -> Hit:
    rule = found.rule
    return Hit(
        rule_id=rule.id,
        kind=rule.kind,
        phrase=rule.phrase,
        category=rule.category,
        start=found.start,
        end=found.end,
        matched=found.matched,
        form=found.form,
        form_type=found.form_type,
        method=found.method,
        score=found.score,
        severity=rule.severity,
        suggestion=rule.suggestion,
    )


_SHARED_FIELDS = set(CandidateModel.model_fields) & set(Hit.model_fields)


def _acceptance(wording: Wording | None, method: Method, score: float) -> str:
    """Why an accepted candidate counts, from the wording it found."""
    if wording is not None and wording.spelling:
        return f"another spelling of {wording.form}: {wording.spelling}"
    if method == "fuzzy" and wording is not None:
        budget = wording.budget
        return (
            f"approximate match, similarity {score:.0f}, within {budget.edits} "
            f"edit(s) of which {budget.changes} may replace or drop a character"
        )
    if method == "template":
        return "matches the wording with its name slots filled"
    return "the wording occurs in the text"
