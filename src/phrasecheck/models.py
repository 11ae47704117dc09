"""Result models: the public, versioned contract of every check.

``model_dump_json()`` of these models is the stable JSON form. ``schema_version`` changes
only when a field is removed or changes meaning; new optional fields do not bump it.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from phrasecheck.rules.model import Kind, Severity

SCHEMA_VERSION = "1.0"
RULESET_DESCRIPTION = (
    "Content hash of the rules in force (RuleSet.version): equal hashes, equal rules, so a "
    "finding can be traced to the exact rules that produced it."
)

Method = Literal["exact", "normalized", "template", "fuzzy"]
FormType = Literal["phrase", "core"]


class Hit(BaseModel):
    """One phrase of the standard found in a text."""

    model_config = ConfigDict(frozen=True)

    rule_id: str = Field(description="Stable rule id, e.g. T04 or P07.")
    kind: Kind
    phrase: str = Field(description="The phrase as the standard writes it.")
    category: str
    start: int = Field(description="Start offset in the original text.")
    end: int = Field(description="End offset (exclusive) in the original text.")
    matched: str = Field(description="original_text[start:end].")
    form: str = Field(description="The rule's wording that matched, normalized.")
    form_type: FormType = Field(
        description="'phrase' for a whole-phrase wording, 'core' for a hostile part said alone."
    )
    method: Method = Field(
        description="exact: the text has the wording as written; normalized: equal after "
        "script, width, case and punctuation folding; template: a wording with name slots; "
        "fuzzy: within the edit budget of a long wording."
    )
    score: float = Field(ge=0, le=100, description="Similarity 0–100; 100 unless fuzzy.")
    severity: Severity | None = Field(default=None, description="Taboo hits only.")
    suggestion: str | None = Field(default=None, description="Taboo hits: what to say instead.")


class CheckResult(BaseModel):
    """Every taboo and polite phrase found in one utterance, in text order."""

    model_config = ConfigDict(frozen=True)

    schema_version: str = SCHEMA_VERSION
    ruleset: str | None = Field(default=None, description=RULESET_DESCRIPTION)
    text: str
    hits: list[Hit]

    @property
    def taboo(self) -> list[Hit]:
        return [hit for hit in self.hits if hit.kind == "taboo"]

    @property
    def polite(self) -> list[Hit]:
        return [hit for hit in self.hits if hit.kind == "polite"]

    @property
    def has_taboo(self) -> bool:
        return any(hit.kind == "taboo" for hit in self.hits)

    @property
    def rule_ids(self) -> list[str]:
        return [hit.rule_id for hit in self.hits]


Decision = Literal["accepted", "rejected"]

_Model = TypeVar("_Model", bound=BaseModel)
_set = object.__setattr__


_FIELDS_SET: dict[tuple[type[BaseModel], frozenset[str]], set[str]] = {}


def trusted(model: type[_Model], fields: dict[str, Any], given: frozenset[str]) -> _Model:
    """A frozen ``model`` holding ``fields`` without validating them, for data the checker
    itself computed with the right types (a float score, a kind from a validated rule, offsets).

    Validating every hit of every check costs more than finding it; pydantic's own
    ``model_construct`` skips validation but is slower still (it fills defaults field by
    field), so this sets what ``model_construct`` sets, directly. ``fields`` must hold every
    field; ``given`` are those the validated path would have been given (``model_fields_set``).
    ``tests/test_checker.py`` proves the result equal, and its JSON identical, to the
    validated model on every labelled set.

    The instances of one model and ``given`` share one fields-set: a set of their own was a
    quarter of a retained check result's cost, most of it the garbage collector walking
    them. Only frozen models may share it, and they never change it: assignment and deletion
    raise before pydantic would add to it, and ``model_copy`` copies it first.
    """
    shared = _FIELDS_SET.get((model, given))
    if shared is None:
        if not model.model_config.get("frozen"):
            raise TypeError(f"trusted() builds frozen models only, not {model.__name__}")
        shared = _FIELDS_SET.setdefault((model, given), set(given))
    instance = model.__new__(model)
    _set(instance, "__dict__", fields)
    _set(instance, "__pydantic_fields_set__", shared)
    _set(instance, "__pydantic_extra__", None)
    _set(instance, "__pydantic_private__", None)
    return instance


class Candidate(BaseModel):
    """A place where a rule's wording was considered, and what was decided about it."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    kind: Kind
    form: str
    form_type: FormType
    method: Method
    start: int = Field(description="Start offset in the original text.")
    end: int = Field(description="End offset (exclusive) in the original text.")
    matched: str
    score: float
    decision: Decision
    reason: str = Field(description="Why the candidate was accepted or rejected.")


class Explanation(BaseModel):
    """What the checker saw and decided for one text: for arguing with a finding."""

    model_config = ConfigDict(frozen=True)

    schema_version: str = SCHEMA_VERSION
    ruleset: str | None = Field(default=None, description=RULESET_DESCRIPTION)
    text: str
    normalized: str = Field(description="The text as matching sees it.")
    tokens: list[str] | None = Field(
        default=None,
        description="The normalized text's words, as the boundary check for short wordings sees "
        "them.",
    )
    candidates: list[Candidate]
    hits: list[Hit]

    def render(self) -> str:
        """A human-readable account, one candidate per line."""
        lines = [f"text:       {self.text}", f"normalized: {self.normalized}"]
        if self.tokens is not None:
            lines.append(f"tokens:     {' / '.join(self.tokens)}")
        if not self.candidates:
            lines.append("no rule wording was found, exactly or approximately")
        for item in self.candidates:
            mark = "✓" if item.decision == "accepted" else "✗"
            lines.append(
                f"{mark} {item.rule_id} {item.form_type:<6} {item.method:<10} "
                f"[{item.start}:{item.end}] {item.matched!r} ~ {item.form!r} "
                f"score {item.score:.0f}: {item.reason}"
            )
        return "\n".join(lines)
