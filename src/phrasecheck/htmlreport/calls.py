"""One transcript as the page shows it: turns cut around highlights, each finding placed
beside its turn, every expectation's outcome in Chinese.

Reports quote words by turn and character offsets; the transcript supplies the turns. A
highlight is drawn only where the turn really holds the quoted words at those offsets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from phrasecheck.htmlreport import labels
from phrasecheck.htmlreport.details import Kept
from phrasecheck.htmlreport.stats import ViolationKey, taboo_phrase, violation_key
from phrasecheck.report import Outcome, ScoreReport, Violation

NO_AGENT = "__none__"  # the filter's value for transcripts that name no agent


def key_label(key: ViolationKey, phrase: str | None = None) -> str:
    kind, rule_id, expectation = key
    if expectation:
        return labels.expectation(expectation)
    if rule_id:
        return f"{rule_id}「{phrase}」" if phrase else rule_id
    return labels.kind(kind)


@dataclass
class Segment:
    text: str
    classes: str = ""
    finding: str = ""


@dataclass
class Finding:
    id: str
    kind: str
    kind_label: str
    label: str
    message: str
    quote: str | None
    suggestion: str | None
    expected: list[str]
    points: float
    severity: str
    fatal: bool
    turn: int | None  # 0-based turn it is shown beside


@dataclass
class TurnView:
    number: int
    role: str
    role_label: str
    segments: list[Segment]
    findings: list[Finding] = field(default_factory=list)


@dataclass
class OutcomeView:
    label: str
    status: str
    status_label: str
    reason: str
    original: str


@dataclass
class DetailView:
    anchor: str
    agent_key: str
    report: ScoreReport
    result: str  # pass, fail, unscorable
    result_label: str
    kinds: str
    reasons: str
    findings: list[Finding]
    turns: list[TurnView] | None
    unplaced: list[Finding]
    outcomes: list[OutcomeView]


def detail_view(kept: Kept) -> DetailView:
    report = kept.report
    anchor = f"t{kept.seq}"
    findings = [_finding(f"{anchor}-{n}", v) for n, v in enumerate(report.violations, start=1)]
    if report.passed is None:
        result, result_label = "unscorable", "无法评分"
    elif report.passed:
        result, result_label = "pass", "合格"
    else:
        result, result_label = "fail", "不合格"
    turns, unplaced = None, findings
    if kept.turns is not None:
        turns, unplaced = _turns(kept.turns, report, findings)
    return DetailView(
        anchor=anchor,
        agent_key=report.agent_id if report.agent_id is not None else NO_AGENT,
        report=report,
        result=result,
        result_label=result_label,
        kinds=" ".join(sorted({v.kind for v in report.violations})),
        reasons="、".join(
            {"worst": "得分最低之一", "sample": "坐席抽样"}[r] for r in sorted(kept.reasons)
        ),
        findings=findings,
        turns=turns,
        unplaced=unplaced,
        outcomes=[_outcome(o) for o in report.expectations],
    )


def _finding(ident: str, violation: Violation) -> Finding:
    key = violation_key(violation)
    quote = violation.matched or (violation.trigger.text if violation.trigger else None)
    phrase = taboo_phrase(violation)
    if violation.kind == "taboo":
        turn = violation.turn_index
    elif violation.trigger is not None:
        turn = violation.trigger.turn_index
    elif violation.window:
        turn = violation.window[0] if violation.kind == "missing_opening" else violation.window[-1]
    else:
        turn = None
    return Finding(
        id=ident,
        kind=violation.kind,
        kind_label=labels.kind(violation.kind),
        label=key_label(key, phrase),
        message=violation.message,
        quote=quote,
        suggestion=violation.suggestion,
        expected=[p.phrase for p in violation.expected[:4]],
        points=violation.points,
        severity=labels.SEVERITIES.get(str(violation.severity), str(violation.severity)),
        fatal=violation.fatal,
        turn=turn,
    )


def _turns(
    turns: list[dict], report: ScoreReport, findings: list[Finding]
) -> tuple[list[TurnView], list[Finding]]:
    spans: dict[int, list[tuple[int, int, str, str]]] = {}

    def mark(
        index: int | None,
        start: int | None,
        end: int | None,
        cls: str,
        words: str | None,
        finding: str = "",
    ) -> None:
        if index is None or start is None or end is None or not 0 <= index < len(turns):
            return
        if turns[index]["text"][start:end] != words:  # another transcript with the same id
            return
        spans.setdefault(index, []).append((start, end, cls, finding))

    for violation, finding in zip(report.violations, findings, strict=True):
        if violation.kind == "taboo":
            mark(
                violation.turn_index,
                violation.start,
                violation.end,
                "taboo",
                violation.matched,
                finding.id,
            )
        elif violation.trigger is not None:
            t = violation.trigger
            mark(t.turn_index, t.start, t.end, "trigger", t.text, finding.id)
    for outcome in report.expectations:
        if outcome.status == "met" and outcome.evidence is not None:
            e = outcome.evidence
            mark(e.turn_index, e.start, e.end, "evidence", e.text)
    views = [
        TurnView(
            number=index + 1,
            role=turn["role"],
            role_label=labels.ROLES.get(turn["role"], turn["role"]),
            segments=segments(turn["text"], spans.get(index, [])),
        )
        for index, turn in enumerate(turns)
    ]
    unplaced = []
    for finding in findings:
        if finding.turn is not None and 0 <= finding.turn < len(views):
            views[finding.turn].findings.append(finding)
        else:
            unplaced.append(finding)
    return views, unplaced


_PRIORITY = {"taboo": 0, "trigger": 1, "evidence": 2}


def segments(text: str, spans: list[tuple[int, int, str, str]]) -> list[Segment]:
    """The text cut where highlights begin and end. Where highlights overlap, the more
    important one keeps its words whole (taboo over trigger over evidence); the other is
    shown around it."""
    if not spans:
        return [Segment(text)]
    owner: list[tuple[int, int, str, str] | None] = [None] * len(text)
    for span in sorted(spans, key=lambda span: _PRIORITY[span[2]], reverse=True):
        owner[span[0] : span[1]] = [span] * (span[1] - span[0])
    out: list[Segment] = []
    start = 0
    for end in range(1, len(text) + 1):
        if end == len(text) or owner[end] is not owner[start]:
            piece, found = text[start:end], owner[start]
            out.append(Segment(piece) if found is None else Segment(piece, found[2], found[3]))
            start = end
    return out


def _outcome(outcome: Outcome) -> OutcomeView:
    if outcome.status == "met" and outcome.evidence is not None:
        e = outcome.evidence
        reason = f"第{e.turn_index + 1}轮说了“{e.text}”"
    elif outcome.status == "missed":
        searched = labels.turns(outcome.window)
        if outcome.trigger is not None:
            t = outcome.trigger
            who = labels.ROLES.get(t.role, t.role)
            reason = f"第{t.turn_index + 1}轮{who}说“{t.text}”，{searched}坐席未回应"
        else:
            reason = f"{searched}坐席发言中没有说"
    else:
        reason = labels.not_applicable(outcome.reason)
    return OutcomeView(
        label=labels.expectation(outcome.expectation),
        status=outcome.status,
        status_label=labels.OUTCOMES.get(outcome.status, outcome.status),
        reason=reason,
        original=outcome.reason,
    )
