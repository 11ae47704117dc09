"""The summary of a batch run: pass rate, mean score, frequent violations, per agent."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from phrasecheck.report import REPORT_SCHEMA_VERSION

MAX_WARNINGS = 100

if TYPE_CHECKING:
    from phrasecheck.batch import Outcome


class ViolationCount(BaseModel):
    kind: str
    rule_id: str | None = Field(description="The taboo rule; None for a missing phrase.")
    expectation: str | None = Field(description="The profile expectation that was not met.")
    count: int


class AgentFigures(BaseModel):
    """One agent's figures. An agent whose transcripts were all unscorable still has a row:
    0 scored, pass rate and mean 0, and how many could not be scored."""

    agent_id: str | None = Field(description="None: the transcripts that name no agent.")
    transcripts: int = Field(description="Scored transcripts.")
    passed: int
    pass_rate: float = Field(description="passed / transcripts; 0 when none was scored.")
    mean_score: float = Field(description="Over scored transcripts; 0 when none was.")
    taboo: int
    unscorable: int = Field(default=0, description="Transcripts without agent speech.")


class ChannelFigures(BaseModel):
    channel: str
    transcripts: int
    inferred: int = Field(description="How many had no channel of their own or from --channel.")


class Summary(BaseModel):
    """Figures for a whole run. ``errors`` counts records that could not be read or scored;
    ``unscorable`` counts transcripts without agent speech, which have no score and are left
    out of the pass rate and the mean."""

    schema_version: str = REPORT_SCHEMA_VERSION
    records: int = Field(description="Input records: transcripts plus errors.")
    transcripts: int = Field(description="Transcripts read: scored plus unscorable.")
    scored: int
    unscorable: int
    errors: int
    passed: int
    pass_rate: float = Field(description="passed / scored.")
    mean_score: float = Field(description="Over scored transcripts.")
    channels: list[ChannelFigures]
    top_violations: list[ViolationCount]
    agents: list[AgentFigures]
    skipped_files: int = Field(
        default=0, description="Files in input folders or globs that are not transcripts."
    )
    warnings: list[str] = Field(
        default_factory=list,
        description="What was read but looks wrong: empty inputs, duplicate transcript ids, "
        f"interleaved rows, repeated turn_index (the first {MAX_WARNINGS}, then a count).",
    )
    interrupted: bool = False
    seconds: float
    transcripts_per_second: float
    ruleset: str | None = Field(
        default=None,
        description="Content hash of the rules and profile in force: every report's ruleset.",
    )


class Tally:
    """Accumulates outcomes as they arrive."""

    def __init__(self) -> None:
        self.transcripts = 0
        self.scored = 0
        self.errors = 0
        self.channels: Counter[str] = Counter()
        self.inferred: Counter[str] = Counter()
        self.passed = 0
        self.score_total = 0.0
        self.violations: Counter[tuple[str, str | None, str | None]] = Counter()
        # scored, passed, score total, taboo hits, unscorable
        self.agents: dict[str | None, list[float]] = defaultdict(lambda: [0, 0, 0.0, 0, 0])
        self.ids: set[str] = set()
        self.repeated_ids: Counter[str] = Counter()

    def _seen(self, transcript_id: str | None) -> None:
        if transcript_id is None:
            return
        if transcript_id in self.ids:
            self.repeated_ids[transcript_id] += 1
        else:
            self.ids.add(transcript_id)

    def add_error(self, transcript_id: str | None = None) -> None:
        self.errors += 1
        self._seen(transcript_id)

    def add(self, outcome: Outcome) -> None:
        self._seen(outcome.transcript_id)
        self.transcripts += 1
        channel = outcome.channel or "unknown"
        self.channels[channel] += 1
        self.inferred[channel] += outcome.channel_inferred
        if outcome.score is None:
            self.agents[outcome.agent_id][4] += 1  # the agent keeps a row, with 0 scored
            return  # unscorable: counted, but no score to add up
        agent_id, score, passed = outcome.agent_id, outcome.score, bool(outcome.passed)
        violations = outcome.violations
        self.scored += 1
        self.passed += passed
        self.score_total += score
        self.violations.update(violations)
        figures = self.agents[agent_id]  # None: a row for transcripts that name no agent
        figures[0] += 1
        figures[1] += passed
        figures[2] += score
        figures[3] += sum(kind == "taboo" for kind, _, _ in violations)

    def summary(
        self,
        seconds: float,
        interrupted: bool = False,
        top: int = 10,
        warnings: list[str] | None = None,
        skipped_files: int = 0,
        ruleset: str | None = None,
    ) -> Summary:
        n = self.scored
        noted = [*(warnings or []), *self._id_warnings()]
        if len(noted) > MAX_WARNINGS:
            more = len(noted) - MAX_WARNINGS
            noted = [*noted[:MAX_WARNINGS], f"… and {more:,} more warnings"]
        return Summary(
            records=self.transcripts + self.errors,
            transcripts=self.transcripts,
            scored=n,
            unscorable=self.transcripts - n,
            errors=self.errors,
            passed=self.passed,
            pass_rate=round(self.passed / n, 4) if n else 0.0,
            mean_score=round(self.score_total / n, 2) if n else 0.0,
            top_violations=[
                ViolationCount(kind=kind, rule_id=rule_id, expectation=expectation, count=count)
                for (kind, rule_id, expectation), count in self.violations.most_common(top)
            ],
            channels=[
                ChannelFigures(channel=channel, transcripts=count, inferred=self.inferred[channel])
                for channel, count in sorted(self.channels.items())
            ],
            agents=[
                AgentFigures(
                    agent_id=agent_id,
                    transcripts=int(t),
                    passed=int(p),
                    pass_rate=round(p / t, 4) if t else 0.0,
                    mean_score=round(total / t, 2) if t else 0.0,
                    taboo=int(taboo),
                    unscorable=int(unscorable),
                )
                for agent_id, (t, p, total, taboo, unscorable) in sorted(
                    self.agents.items(), key=lambda item: (item[0] is None, item[0] or "")
                )
            ],
            skipped_files=skipped_files,
            warnings=noted,
            interrupted=interrupted,
            seconds=round(seconds, 3),
            transcripts_per_second=round(self.transcripts / seconds, 1) if seconds > 0 else 0.0,
            ruleset=ruleset,
        )

    def _id_warnings(self) -> list[str]:
        return [
            f"transcript id {transcript_id} appears {count + 1} times"
            for transcript_id, count in self.repeated_ids.most_common()
        ]
