"""Score reports: the graded, explainable result for one transcript (versioned JSON)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from phrasecheck.models import SCHEMA_VERSION
from phrasecheck.rules.model import Severity

ViolationKind = Literal[
    "taboo", "missing_opening", "missing_closing", "missing_response", "no_agent_speech"
]


class Violation(BaseModel):
    """Something the agent said that is forbidden, or did not say that was expected."""

    model_config = ConfigDict(frozen=True)

    kind: ViolationKind
    rule_id: str | None = Field(
        default=None, description="The taboo rule, or the first polite rule that was expected."
    )
    expectation: str | None = Field(default=None, description="Profile expectation id.")
    expected: list[str] = Field(default_factory=list, description="Any of these would do.")
    turn_index: int | None = Field(default=None, description="The turn it applies to.")
    start: int | None = Field(default=None, description="Character offset in that turn.")
    end: int | None = None
    matched: str | None = None
    turn_range: tuple[int, int] | None = Field(
        default=None, description="First and last turn index where the phrase was expected."
    )
    severity: Severity
    points: float = Field(description="Points deducted for this violation.")
    repeat: int = Field(default=1, description="n-th violation of this rule or expectation.")
    fatal: bool = False
    message: str
    suggestion: str | None = None


class PoliteUse(BaseModel):
    model_config = ConfigDict(frozen=True)

    rule_id: str
    turn_index: int
    matched: str


class Counts(BaseModel):
    model_config = ConfigDict(frozen=True)

    turns: int
    agent_turns: int
    customer_turns: int
    taboo: int
    polite: int


class ScoreReport(BaseModel):
    """A transcript graded against a score profile."""

    model_config = ConfigDict(frozen=True)

    schema_version: str = SCHEMA_VERSION
    transcript_id: str
    agent_id: str | None = None
    channel: str | None = None
    direction: str | None = None
    profile: str
    score: float = Field(ge=0, le=100)
    passed: bool
    fatal: bool = Field(description="A fatal violation failed the transcript outright.")
    violations: list[Violation]
    polite: list[PoliteUse]
    counts: Counts
