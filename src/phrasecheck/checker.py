"""The Checker: one utterance in, every taboo and polite phrase of the standard out."""

from __future__ import annotations

import os
import threading
from os import PathLike
from typing import TYPE_CHECKING, NamedTuple

from phrasecheck.matcher import Candidate, CompiledRules, Exact, Rejected
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
from phrasecheck.normalize import Normalized
from phrasecheck.plan import FORM_TYPES, METHODS
from phrasecheck.resolve import Trace, resolve
from phrasecheck.rules.loader import load_ruleset
from phrasecheck.rules.model import Rule, RuleSet
from phrasecheck.textsafety import scrub
from phrasecheck.tokenize import Segmenter

if TYPE_CHECKING:
    from phrasecheck._core import Found as CoreFound
    from phrasecheck.core import CompiledCore
    from phrasecheck.profile import ScoreProfile
    from phrasecheck.report import ScoreReport
    from phrasecheck.scoring import Scorer
    from phrasecheck.transcript import Channel, Transcript

# "core": the compiled core finds the hits of every text, slips included (the Python engine
# only those the core hands back, see core.py); "python": the Python engine alone (the
# reference, and the escape hatch PHRASECHECK_ENGINE=python); "core-exact": the core's first
# stage only.
ENGINES = ("python", "core-exact", "core")
DEFAULT_ENGINE = "core"

RulesArg = RuleSet | str | PathLike[str] | list[str | PathLike[str]] | None
PacksArg = str | list[str] | tuple[str, ...]


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
    the rules is the expensive part. ``version`` is the rule set's content hash, which every
    result carries as ``ruleset``.
    """

    def __init__(
        self, rules: RulesArg = None, *, packs: PacksArg = (), standard: bool = True
    ) -> None:
        ruleset = as_ruleset(rules, packs, standard)
        self.rules = ruleset
        self.version = ruleset.version
        self._compiled = CompiledRules(ruleset)
        self._segmenter = Segmenter(self._compiled.short_vocabulary())
        self._scorers: dict[object, Scorer] = {}
        self._scorer_lock = threading.Lock()
        self._engine = "python"
        self._built_core: CompiledCore | None = None
        self._core_lock = threading.Lock()
        self._use_engine(os.environ.get("PHRASECHECK_ENGINE", DEFAULT_ENGINE))

    def _use_engine(self, engine: str) -> Checker:
        """Internal switch while the compiled core is ported: ``"python"`` (the reference)
        or ``"core-exact"`` (the core normalizes and runs the first matching stage) or
        ``"core"`` (the core finds the hits of every text that needs no fuzzy verification);
        see :mod:`phrasecheck.core`. Results are the same; parity tests compare them. The
        core is built on first use, so that a Checker given another's segmenter
        (:meth:`_sharing_segmenter`) builds it with that segmenter's vocabulary. Returns the
        Checker, so that ``Checker(rules)._use_engine("python")`` is one expression."""
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
        self._engine = engine
        self._built_core = None
        return self

    @property
    def _core(self) -> CompiledCore | None:
        """The compiled core, built on first need; None with the Python engine."""
        if self._engine == "python":
            return None
        if self._built_core is None:
            with self._core_lock:
                if self._built_core is None:
                    from phrasecheck.core import CompiledCore

                    self._built_core = CompiledCore(
                        self._compiled, self._segmenter.vocabulary
                    )
        return self._built_core

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickles as plain data: the rules as dicts, their sources and the word segmenter
        (its vocabulary and backend name). A spawned process or a Spark executor rebuilds
        an identical Checker from them, without the compiled automaton or loaded jieba."""
        return (
            _rebuild_checker,
            (ruleset_data(self.rules), self.rules.sources, self._segmenter, self._engine),
        )

    def warm_up(self) -> None:
        """Load what is otherwise loaded on first need (jieba, pypinyin).

        Batch runs call this before forking workers, so each starts warm and shares the
        loaded dictionaries copy-on-write instead of loading its own.
        """
        self._segmenter.tokens("您好")
        self.check("你怎么这么麻利")  # a refused fuzzy candidate: loads the pinyin readings

    @classmethod
    def _sharing_segmenter(cls, ruleset: RuleSet, other: Checker) -> Checker:
        """A Checker for a subset of ``other``'s rules that shares its word segmenter.

        The scorer checks customer turns for cues only; one jieba instance (90 MB) serves both.
        """
        checker = cls(ruleset)
        checker._segmenter = other._segmenter  # the unused one it replaces never loaded
        return checker

    def check(self, text: str) -> CheckResult:
        """Every phrase of the standard in ``text``, with offsets into ``text``."""
        text = _text_argument(text, "check")
        return self._result(text, self._find(text))

    def find(self, text: str) -> list[Found]:
        """The hits of ``text`` as plain tuples: what :meth:`check` wraps in models.

        For callers that aggregate many texts (the scorer) and need no model per hit.
        """
        return self._find(_text_argument(text, "find"))

    def _find(self, text: str) -> list[Found]:
        if self._engine == "core":
            core = self._core
            assert core is not None
            found = core.find(text)
            if found is not None:
                return self._from_core(text, found)
        return self._find_python(text)

    def find_many(self, texts: list[str]) -> list[list[Found]]:
        """:meth:`find` of every text; with the compiled core, one call for the whole batch,
        during which other threads run (the core releases the GIL)."""
        return self._find_many([_text_argument(text, "find_many") for text in texts])

    def _find_many(self, texts: list[str]) -> list[list[Found]]:
        if self._engine != "core":
            return [self._find_python(text) for text in texts]
        core = self._core
        assert core is not None
        return [
            self._find_python(text) if found is None else self._from_core(text, found)
            for text, found in zip(texts, core.find_many(texts), strict=True)
        ]

    def check_many(self, texts: list[str]) -> list[CheckResult]:
        """:meth:`check` of every text, through :meth:`find_many`."""
        texts = [_text_argument(text, "check_many") for text in texts]
        return [
            self._result(text, hits)
            for text, hits in zip(texts, self._find_many(texts), strict=True)
        ]

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

    def _find_python(self, text: str) -> list[Found]:
        doc, exact = self._scan(text)
        if not doc.normalized:
            return []
        candidates, exceptions = self._compiled.find(doc, exact=exact)
        if not candidates:
            return []
        return [_found(doc, c) for c in resolve(doc, candidates, exceptions, self._segmenter)]

    def _from_core(self, text: str, found: list[CoreFound]) -> list[Found]:
        # Most texts hold no hit, and the scorer converts every turn of every transcript: the
        # empty case returns at once, and each Found is made with tuple.__new__ (the same
        # tuple as Found(...), without the generated __new__'s frame: a third of the cost).
        if not found:
            return []
        rules = self._compiled.rules
        make = tuple.__new__
        return [
            make(
                Found,
                (
                    rules[order],
                    start,
                    end,
                    text[start:end],
                    form,
                    FORM_TYPES[form_type],
                    METHODS[method],
                    score,
                ),
            )
            for order, start, end, form, form_type, method, score in found
        ]

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
        """What was considered and why each candidate stood or fell; see ``.render()``."""
        text = _text_argument(text, "explain")
        doc, exact = self._scan(text)
        rejected: list[Rejected] = []
        candidates, exceptions = self._compiled.find(doc, rejected, exact)
        trace: Trace = [(r.candidate, "rejected", r.reason) for r in rejected]
        kept = resolve(doc, candidates, exceptions, self._segmenter, trace)
        trace.sort(key=lambda item: (item[0].start, item[0].end, item[0].order))
        return Explanation(
            ruleset=self.version,
            text=text,
            normalized=doc.normalized,
            tokens=self._segmenter.tokens(doc.normalized) if doc.normalized else [],
            candidates=[_candidate(doc, c, decision, reason) for c, decision, reason in trace],
            hits=[_hit(_found(doc, c)) for c in kept],
        )

    def _scan(self, text: str) -> tuple[Normalized, Exact | None]:
        """``text`` normalized, and the first matching stage when the core computes it."""
        core = self._core
        if core is None:
            return Normalized(text), None
        return core.scan(text)


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


def _rebuild_checker(
    rules: list[dict], sources: tuple[str, ...], segmenter: Segmenter, engine: str = "python"
) -> Checker:
    checker = Checker(ruleset_from_data(rules, sources))
    checker._segmenter = segmenter  # it may be shared with another Checker (the scorer's)
    if engine != checker._engine:
        checker._use_engine(engine)
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


def _found(doc: Normalized, candidate: Candidate) -> Found:
    start, end = doc.span(candidate.start, candidate.end)
    matched = doc.original[start:end]
    method: Method = candidate.method
    if method == "exact" and candidate.wording is not None and matched != candidate.wording.raw:
        method = "normalized"
    return Found(
        candidate.rule,
        start,
        end,
        matched,
        candidate.form,
        candidate.form_type,
        method,
        candidate.score,
    )


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


def _candidate(
    doc: Normalized, candidate: Candidate, decision: Decision, reason: str
) -> CandidateModel:
    shared = _hit(_found(doc, candidate)).model_dump(include=_SHARED_FIELDS)
    return CandidateModel(**shared, decision=decision, reason=reason)
