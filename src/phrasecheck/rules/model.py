"""Rules as the YAML files state them, validated field by field."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterator
from functools import cached_property
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from phrasecheck.normalize import normalize
from phrasecheck.rules.kinds import Kind, spec
from phrasecheck.rules.patterns import PatternError, expand, fixed_length, has_slots, parse

Severity = Literal["minor", "major", "critical"]
SEVERITIES: tuple[Severity, ...] = ("minor", "major", "critical")
MIN_FIXED_TEXT = 2  # characters a form with slots must hold besides them
MAX_PHRASE_CHARS = 200  # a phrase or form longer than this is a paragraph pasted by mistake


def _checked_pattern(pattern: str) -> str:
    """One form, core or exception: it parses, and each wording keeps some letters.

    Validated item by item, so that every bad item of a list is reported with its line.
    """
    if len(pattern) > MAX_PHRASE_CHARS:
        raise ValueError(f"{pattern[:20]!r}… is longer than {MAX_PHRASE_CHARS} characters")
    try:
        parts = parse(pattern)
        wordings = [] if has_slots(parts) else expand(parts)
    except PatternError as error:
        raise ValueError(f"{pattern!r}: {error}") from None
    if not wordings and fixed_length(parts) < MIN_FIXED_TEXT:
        raise ValueError(
            f"{pattern!r} needs at least {MIN_FIXED_TEXT} characters "
            "besides its slots, or it would match almost anything"
        )
    for wording in wordings:
        if not normalize(wording):
            raise ValueError(
                f"{pattern!r} has a wording with no letters left "
                "once punctuation and spaces are removed"
            )
    return pattern


Pattern = Annotated[str, AfterValidator(_checked_pattern)]

MAX_WHY = 120  # characters: one line a supervisor reads
DOCUMENTATION = {"why", "examples"}  # fields that explain a rule but never change a finding


class Examples(BaseModel):
    """Sentences a rule must find (``hit``) and must leave alone (``miss``).

    ``phrasecheck rules --verify`` checks them; the misses worth writing are the look-alikes,
    polite speech that shares the rule's words.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    hit: list[str] = Field(default_factory=list)
    miss: list[str] = Field(default_factory=list)

    @field_validator("hit", "miss")
    @classmethod
    def _not_blank(cls, sentences: list[str]) -> list[str]:
        for index, sentence in enumerate(sentences):
            if not isinstance(sentence, str) or not sentence.strip():
                raise ValueError(f"item {index + 1} is empty")
        return sentences


class Rule(BaseModel):
    """One phrase of the standard and everything that helps find it in real speech."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Z]{1,3}\d{2,4}$", description="Stable id, e.g. T04 or P07.")
    kind: Kind
    phrase: str = Field(min_length=1, description="The phrase as the standard writes it.")
    category: str = Field(min_length=1)
    severity: Severity | None = None
    forms: list[Pattern] = Field(min_length=1, description="Wordings that count as the phrase.")
    core: list[Pattern] = Field(default_factory=list, description="Hostile parts said alone.")
    exceptions: list[Pattern] = Field(default_factory=list, description="Polite contexts.")
    suggestion: str | None = None
    clause_start: bool = Field(
        default=False,
        description="Count the wordings only where a clause starts: 喂 as an address, "
        "not 喂 (feed) in the middle of a sentence.",
    )
    first_person: bool = Field(
        default=False,
        description="Count the wordings only when the agent says them of itself: not of a "
        "third party (住户们可能还不知道), not in a condition (如果不知道) and not as a hedge "
        "opening an indirect question (不知道是不是…).",
    )
    note: str | None = None
    why: str | None = Field(
        default=None,
        max_length=MAX_WHY,
        description="One line a supervisor understands: why the phrase is (im)polite.",
    )
    examples: Examples | None = Field(
        default=None, description="Sentences the rule must find and must not find."
    )

    @field_validator("why")
    @classmethod
    def _one_line(cls, why: str | None) -> str | None:
        if why is not None and ("\n" in why.strip() or not why.strip()):
            raise ValueError("write one non-empty line")
        return why

    @field_validator("phrase")
    @classmethod
    def _phrase_is_a_phrase(cls, phrase: str) -> str:
        if len(phrase) > MAX_PHRASE_CHARS:
            raise ValueError(f"{phrase[:20]!r}… is longer than {MAX_PHRASE_CHARS} characters")
        return phrase

    @field_validator("category")
    @classmethod
    def _category_is_snake_case(cls, category: str) -> str:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", category):
            raise ValueError(
                f"{category!r}: use lower-case letters, digits and _, e.g. phone_etiquette"
            )
        return category

    @model_validator(mode="after")
    def _fits_kind(self) -> Rule:
        kind = spec(self.kind)
        if not kind.id_pattern.match(self.id):
            raise ValueError(f"{self.kind} rule ids are {kind.id_hint}; got {self.id!r}")
        if kind.needs_severity and self.severity is None:
            raise ValueError(f"{self.kind} rules need a severity: minor, major or critical")
        if kind.needs_suggestion and not self.suggestion:
            raise ValueError(f"{self.kind} rules need a suggestion: what to say instead")
        if not kind.needs_severity and self.severity is not None:
            raise ValueError(f"{self.kind} rules take no severity")
        if not kind.allows_core and self.core:
            raise ValueError(f"{self.kind} rules take no core")
        for pattern in self.core:
            if has_slots(parse(pattern)):
                raise ValueError(
                    f"core {pattern!r}: slots (× ××) are only for forms and exceptions"
                )
        return self


class RuleSet:
    """An ordered, immutable collection of rules with unique ids."""

    def __init__(self, rules: list[Rule] | tuple[Rule, ...], sources: tuple[str, ...] = ()):
        self._rules = tuple(rules)
        self._by_id = {rule.id: rule for rule in self._rules}
        if len(self._by_id) != len(self._rules):
            counts = Counter(rule.id for rule in self._rules)
            duplicates = sorted(rule_id for rule_id, count in counts.items() if count > 1)
            raise ValueError(f"rule ids must be unique; repeated: {', '.join(duplicates)}")
        self.sources = sources

    @classmethod
    def default(cls) -> RuleSet:
        """The standard bundled with phrasecheck (T01–T30, G01–G02, P01–P20)."""
        from phrasecheck.rules.loader import load_rules

        return load_rules()

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    def __getitem__(self, rule_id: str) -> Rule:
        return self._by_id[rule_id]

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._by_id

    @cached_property
    def version(self) -> str:
        """A content hash of the rules (12 hex digits): equal rules, equal version.

        It changes whenever a field of a rule that decides or reports a finding changes, and
        not when only the files' comments, layout or paths do, nor a rule's documentation
        (``why``, ``examples``); reports carry it so a finding can be traced to the exact
        rules that produced it.
        """
        return content_hash(
            [rule.model_dump(mode="json", exclude=DOCUMENTATION) for rule in self._rules]
        )

    @property
    def taboo(self) -> tuple[Rule, ...]:
        return tuple(rule for rule in self._rules if rule.kind == "taboo")

    @property
    def polite(self) -> tuple[Rule, ...]:
        return tuple(rule for rule in self._rules if rule.kind == "polite")

    def __repr__(self) -> str:
        return f"RuleSet({len(self.taboo)} taboo, {len(self.polite)} polite)"


def content_hash(data: object) -> str:
    """12 hex digits of the SHA-256 of ``data`` as canonical JSON (sorted keys, no spaces)."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]
