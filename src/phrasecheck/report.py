"""Score reports: the graded, explainable result for one transcript (versioned JSON).

Schema 2.0 (the transcript-scoring rework) changed, compared with 1.0:

* ``status`` is ``scored`` or ``unscorable`` (no agent speech); an unscorable transcript has
  ``score`` and ``passed`` set to null instead of 0 / false;
* ``channel_source`` says where the channel came from (record, option, inferred, default) and
  ``channel_reason`` why; channels are phone, chat and social;
* ``expectations`` lists the outcome of every expectation of the profile: met, missed or
  not_applicable, with the reason and the evidence;
* a violation quotes its ``trigger`` (turn, span, words), names the agent turns searched
  (``window``, replacing ``turn_range``) and every phrase that would have satisfied it
  (``expected`` holds ``{id, phrase}`` objects instead of bare ids); ``rule_id`` is set for taboo
  hits only; ``category`` groups violations the way a QA form does;
* ``ruleset`` is a content hash of the rules and profile that produced the report.

Added within 2.0 (optional, so readers of earlier 2.0 reports are unaffected): ``started_at``,
copied from the transcript, so that reports alone can be grouped by day; in the run summary,
``agents[].unscorable`` (an agent whose transcripts were all unscorable has a row with 0
scored); a trigger quote's ``rule_id`` may be ``exasperation`` (a run of ？！？！), as a met_by
quote's may be ``phone_number``.

JSON keeps 0-based turn indexes; messages for people use 1-based turn numbers (第3轮).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from phrasecheck.rules.model import Severity

REPORT_SCHEMA_VERSION = "2.0"

ViolationKind = Literal["taboo", "missing_opening", "missing_closing", "missing_response"]
Status = Literal["scored", "unscorable"]
OutcomeStatus = Literal["met", "missed", "not_applicable"]
ChannelSource = Literal["record", "option", "inferred", "default"]


class Quote(BaseModel):
    """Words of one turn: what triggered an expectation, or what met it."""

    model_config = ConfigDict(frozen=True)

    turn_index: int = Field(description="0-based index of the turn in the transcript.")
    role: Literal["agent", "customer"]
    rule_id: str = Field(description="The rule or cue whose wording was found.")
    start: int = Field(description="Character offset in that turn's text.")
    end: int
    text: str = Field(description="The quoted words, as the transcript writes them.")


class ExpectedPhrase(BaseModel):
    """One phrase that would have satisfied an expectation."""

    model_config = ConfigDict(frozen=True)

    id: str
    phrase: str


class Violation(BaseModel):
    """Something the agent said that is forbidden, or did not say that was expected."""

    model_config = ConfigDict(frozen=True)

    kind: ViolationKind
    category: str = Field(description="QA category: rude, greeting, closing, complaint_soothed…")
    rule_id: str | None = Field(default=None, description="The taboo rule (taboo hits only).")
    expectation: str | None = Field(default=None, description="Profile expectation id.")
    turn_index: int | None = Field(
        default=None, description="The turn it applies to: the taboo turn, or the trigger turn."
    )
    start: int | None = Field(default=None, description="Character offset of a taboo hit.")
    end: int | None = None
    matched: str | None = Field(default=None, description="The taboo words as said.")
    trigger: Quote | None = Field(
        default=None, description="What made a response expected: the customer's or agent's words."
    )
    window: list[int] = Field(
        default_factory=list, description="Agent turns searched for an expected phrase."
    )
    expected: list[ExpectedPhrase] = Field(
        default_factory=list, description="Any of these would have satisfied the expectation."
    )
    severity: Severity
    points: float = Field(description="Points deducted for this violation.")
    repeat: int = Field(default=1, description="n-th violation of this rule or expectation.")
    fatal: bool = False
    message: str = Field(description="For people, with 1-based turn numbers (第3轮).")
    suggestion: str | None = None


class Outcome(BaseModel):
    """How one expectation of the profile ended for this transcript."""

    model_config = ConfigDict(frozen=True)

    expectation: str
    category: str
    where: Literal["opening", "closing", "response"]
    status: OutcomeStatus
    reason: str = Field(description="Why it is met, missed or not applicable.")
    trigger: Quote | None = None
    evidence: Quote | None = Field(default=None, description="The words that met it.")
    window: list[int] = Field(default_factory=list)


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

    schema_version: str = REPORT_SCHEMA_VERSION
    transcript_id: str
    agent_id: str | None = None
    channel: Literal["phone", "chat", "social"]
    channel_source: ChannelSource
    channel_reason: str
    direction: Literal["inbound", "outbound"] | None = None
    direction_source: Literal["record", "default"] | None = Field(
        default=None,
        description="Calls only: the record's direction, or the default (inbound) when it "
        "does not say.",
    )
    started_at: str | None = Field(
        default=None, description="When the conversation started, copied from the transcript."
    )
    profile: str
    ruleset: str = Field(description="Content hash of the rules and profile in force.")
    status: Status
    score: float | None = Field(ge=0, le=100, description="None when unscorable.")
    passed: bool | None = Field(description="None when unscorable.")
    fatal: bool = Field(description="A fatal violation failed the transcript outright.")
    violations: list[Violation]
    expectations: list[Outcome]
    polite: list[PoliteUse]
    counts: Counts
