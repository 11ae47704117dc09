"""Figures over every report record, gathered as records stream past in bounded memory.

The overview's figures come from the batch run's own :class:`~phrasecheck.summary.Tally`, fed
the same facts as during a run, so the page and the run's summary cannot disagree. The rest
(median, histogram, per day, per rule, per agent extras) is counted here; everything kept is
bounded by the number of distinct scores, days, rules and agents, never by the records.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from phrasecheck.batch import Outcome
from phrasecheck.report import ScoreReport, Violation
from phrasecheck.summary import Summary, Tally

ViolationKey = tuple[str, str | None, str | None]  # kind, taboo rule id, expectation id
QUOTES_PER_RULE = 3
ERRORS_SHOWN = 50
_PHRASE = re.compile(r"「(.+?)」")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
COMPLAINT = "complaint_soothed"


def violation_key(violation: Violation) -> ViolationKey:
    """The key the run's summary counts violations by."""
    rule_id = None if violation.expectation else violation.rule_id
    return (violation.kind, rule_id, violation.expectation)


def violation_quote(violation: Violation) -> str | None:
    """The words a finding is about: the taboo words, or what triggered the expectation."""
    if violation.matched:
        return violation.matched
    return violation.trigger.text if violation.trigger is not None else None


def taboo_phrase(violation: Violation) -> str | None:
    """The taboo rule's wording in the standard, as the finding's message quotes it."""
    if violation.kind != "taboo":
        return None
    found = _PHRASE.search(violation.message)
    return found.group(1) if found else None


@dataclass
class RuleFigures:
    """One rule or expectation across the run."""

    key: ViolationKey
    category: str
    phrase: str | None = None  # a taboo rule's wording in the standard
    suggestion: str | None = None
    hits: int = 0
    transcripts: int = 0
    quotes: list[str] = field(default_factory=list)
    message: str = ""  # one example message, for findings without words to quote


@dataclass
class AgentExtras:
    complaints_ignored: int = 0
    unscorable: int = 0
    issues: Counter[ViolationKey] = field(default_factory=Counter)


@dataclass
class ErrorLine:
    source: str
    line: int | None
    transcript_id: str | None
    error: str


class Stats:
    """Everything the report's overview, charts and tables need."""

    def __init__(self) -> None:
        self.tally = Tally()
        self.scores: Counter[float] = Counter()
        self.bins = [[0, 0] for _ in range(10)]  # passed, failed; 0–9 … 90–100
        self.rulesets: Counter[str] = Counter()
        self.profiles: Counter[str] = Counter()
        self.days: dict[str, list[int]] = {}  # day → transcripts, scored, passed
        self.rules: dict[ViolationKey, RuleFigures] = {}
        self.agents: dict[str | None, AgentExtras] = {}  # None: transcripts naming no agent
        self.errors: list[ErrorLine] = []

    def add(self, report: ScoreReport) -> None:
        keys = [violation_key(v) for v in report.violations]
        self.tally.add(
            Outcome(
                output="",
                error=False,
                transcript_id=report.transcript_id,
                agent_id=report.agent_id,
                score=report.score,
                passed=report.passed,
                channel=report.channel,
                channel_inferred=report.channel_source in ("inferred", "default"),
                violations=tuple(keys),
            )
        )
        self.rulesets[report.ruleset] += 1
        self.profiles[report.profile] += 1
        agent = self.agents.setdefault(report.agent_id, AgentExtras())
        day = None
        if report.started_at and _DAY.match(report.started_at):
            day = self.days.setdefault(report.started_at[:10], [0, 0, 0])
            day[0] += 1
        if report.score is None:
            agent.unscorable += 1
            return
        passed = bool(report.passed)
        self.scores[report.score] += 1
        self.bins[min(int(report.score // 10), 9)][0 if passed else 1] += 1
        if day is not None:
            day[1] += 1
            day[2] += passed
        agent.issues.update(keys)
        agent.complaints_ignored += sum(v.category == COMPLAINT for v in report.violations)
        for key, violation in zip(keys, report.violations, strict=True):
            figures = self._figures(key, violation)
            figures.hits += 1
            quote = violation_quote(violation)
            if quote and len(figures.quotes) < QUOTES_PER_RULE and quote not in figures.quotes:
                figures.quotes.append(quote)
        for key in dict.fromkeys(keys):
            self.rules[key].transcripts += 1

    def add_error(self, error: ErrorLine) -> None:
        self.tally.add_error(error.transcript_id)
        if len(self.errors) < ERRORS_SHOWN:
            self.errors.append(error)

    def _figures(self, key: ViolationKey, violation: Violation) -> RuleFigures:
        figures = self.rules.get(key)
        if figures is None:
            figures = RuleFigures(
                key=key,
                category=violation.category,
                phrase=taboo_phrase(violation),
                suggestion=violation.suggestion,
                message=violation.message,
            )
            self.rules[key] = figures
        return figures

    def summary(self, top: int = 10) -> Summary:
        """The figures the run's summary reports (its timing fields are not meaningful here)."""
        return self.tally.summary(seconds=0.0, top=top)

    def median(self) -> float | None:
        n = sum(self.scores.values())
        if not n:
            return None
        ordered = sorted(self.scores.items())
        middle = [(n - 1) // 2, n // 2]
        values: list[float] = []
        seen = 0
        for score, count in ordered:
            while len(values) < 2 and middle[len(values)] < seen + count:
                values.append(score)
            seen += count
            if len(values) == 2:
                break
        return round((values[0] + values[1]) / 2, 2)
