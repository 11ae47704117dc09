"""The summary of a batch run: pass rate, mean score, frequent violations, per agent."""

from __future__ import annotations

from collections import Counter, defaultdict

from pydantic import BaseModel, Field

from phrasecheck.models import SCHEMA_VERSION


class ViolationCount(BaseModel):
    kind: str
    rule_id: str | None = Field(description="The taboo rule; None for a missing phrase.")
    expectation: str | None = Field(description="The profile expectation that was not met.")
    count: int


class AgentFigures(BaseModel):
    agent_id: str
    transcripts: int
    passed: int
    pass_rate: float
    mean_score: float
    taboo: int


class Summary(BaseModel):
    """Figures for a whole run. ``errors`` counts records that could not be scored."""

    schema_version: str = SCHEMA_VERSION
    records: int = Field(description="Input records: transcripts scored plus errors.")
    transcripts: int
    errors: int
    passed: int
    pass_rate: float
    mean_score: float
    top_violations: list[ViolationCount]
    agents: list[AgentFigures]
    interrupted: bool = False
    seconds: float
    transcripts_per_second: float
    ruleset: str | None = Field(
        default=None, description="Content hash of the rules in force (RuleSet.version)."
    )
    profile_version: str | None = Field(
        default=None, description="Content hash of the score profile (ScoreProfile.version)."
    )


class Tally:
    """Accumulates outcomes as they arrive."""

    def __init__(self) -> None:
        self.transcripts = 0
        self.errors = 0
        self.passed = 0
        self.score_total = 0.0
        self.violations: Counter[tuple[str, str | None, str | None]] = Counter()
        self.agents: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0, 0])

    def add_error(self) -> None:
        self.errors += 1

    def add(
        self,
        agent_id: str | None,
        score: float,
        passed: bool,
        violations: list[tuple[str, str | None, str | None]],
    ) -> None:
        self.transcripts += 1
        self.passed += passed
        self.score_total += score
        self.violations.update(violations)
        if agent_id is not None:
            figures = self.agents[agent_id]
            figures[0] += 1
            figures[1] += passed
            figures[2] += score
            figures[3] += sum(kind == "taboo" for kind, _, _ in violations)

    def summary(
        self,
        seconds: float,
        interrupted: bool = False,
        top: int = 10,
        ruleset: str | None = None,
        profile_version: str | None = None,
    ) -> Summary:
        n = self.transcripts
        return Summary(
            records=n + self.errors,
            transcripts=n,
            errors=self.errors,
            passed=self.passed,
            pass_rate=round(self.passed / n, 4) if n else 0.0,
            mean_score=round(self.score_total / n, 2) if n else 0.0,
            top_violations=[
                ViolationCount(kind=kind, rule_id=rule_id, expectation=expectation, count=count)
                for (kind, rule_id, expectation), count in self.violations.most_common(top)
            ],
            agents=[
                AgentFigures(
                    agent_id=agent_id,
                    transcripts=int(t),
                    passed=int(p),
                    pass_rate=round(p / t, 4),
                    mean_score=round(total / t, 2),
                    taboo=int(taboo),
                )
                for agent_id, (t, p, total, taboo) in sorted(self.agents.items())
            ],
            interrupted=interrupted,
            seconds=round(seconds, 3),
            transcripts_per_second=round(n / seconds, 1) if seconds > 0 else 0.0,
            ruleset=ruleset,
            profile_version=profile_version,
        )
