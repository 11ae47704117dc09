"""The view a supervisor reads: figures, charts, tables and transcripts, rendered by jinja2.

jinja2 escapes every value the page shows (agent ids, quotes and turns come from outside and
may hold markup); nothing here builds HTML by hand. The page is one file: styles, script and
charts are inline, and its Content-Security-Policy forbids any request.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version

from jinja2 import Environment, PackageLoader, StrictUndefined

from phrasecheck.htmlreport import charts, labels
from phrasecheck.htmlreport.calls import NO_AGENT, DetailView, detail_view, key_label
from phrasecheck.htmlreport.details import DetailOptions, Kept
from phrasecheck.htmlreport.stats import Stats

TOP_RULES_CHARTED = 10
AGENTS_CHARTED = 30
DAYS_CHARTED = 92


def render(
    stats: Stats,
    chosen: list[Kept],
    options: DetailOptions,
    run_date: datetime | None,
    title: str | None,
    *,
    warnings: list[str] | None = None,
    interrupted: bool = False,
) -> str:
    summary = stats.summary(top=TOP_RULES_CHARTED)
    details = [detail_view(kept) for kept in chosen]
    rulesets = stats.rulesets.most_common()
    env = Environment(
        loader=PackageLoader("phrasecheck.htmlreport", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = env.get_template("report.html.j2")
    return template.render(
        title=title or "服务用语质检报告",
        summary=summary,
        median=stats.median(),
        run_date=_when(run_date or datetime.now(timezone.utc)),
        generated=_when(datetime.now(timezone.utc)),
        tool_version=_tool_version(),
        rulesets=rulesets,
        profiles=stats.profiles.most_common(),
        channels=[(labels.channel(c.channel), c) for c in summary.channels],
        charts=_charts(stats, summary),
        agents=_agents(stats, summary, details),
        rules=_rules(stats),
        details=details,
        detail_options=options,
        errors=stats.errors,
        warnings=summary.warnings if warnings is None else warnings,
        interrupted=interrupted,
        filters=_filters(details),
        labels=labels,
    )


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M %Z")


def _tool_version() -> str:
    try:
        return version("phrasecheck")
    except PackageNotFoundError:
        return "dev"


def _charts(stats: Stats, summary) -> list[charts.Chart]:
    out = []
    bins = []
    for number, (passed, failed) in enumerate(stats.bins):
        low = number * 10
        label = f"{low}–{low + 9}" if number < 9 else "90–100"
        bins.append(
            (
                label,
                [
                    (float(passed), charts.PASS, f"{label} 分：合格 {passed:,}"),
                    (float(failed), charts.FAIL, f"{label} 分：不合格 {failed:,}"),
                ],
            )
        )
    out.append(
        charts.columns(
            "得分分布（已评分通话）",
            bins,
            legend=[("合格", charts.PASS), ("不合格", charts.FAIL)],
            notes=[
                f"{passed + failed:,}" if passed + failed else "" for passed, failed in stats.bins
            ],
        )
    )
    top = [
        (
            key_label(item_key, stats.rules[item_key].phrase),
            item.count,
            f"{item.count:,}",
            charts.FAIL if item.kind == "taboo" else charts.NEUTRAL,
        )
        for item in summary.top_violations
        for item_key in [(item.kind, item.rule_id, item.expectation)]
    ]
    out.append(charts.rows("最常见的问题（次数）", top))
    scored = [a for a in summary.agents if a.transcripts]  # none scored: no rate to chart
    agents = sorted(scored, key=lambda a: (a.pass_rate, a.agent_id or ""))
    agents = agents[:AGENTS_CHARTED]
    title = (
        "各坐席合格率"
        if len(scored) <= AGENTS_CHARTED
        else (f"合格率最低的 {AGENTS_CHARTED} 位坐席（共 {len(scored):,} 位）")
    )
    out.append(
        charts.rows(
            title,
            [
                (
                    a.agent_id if a.agent_id is not None else "（未标注）",
                    a.pass_rate,
                    f"{a.pass_rate:.0%}（{a.transcripts:,} 通）",
                    charts.PASS if a.pass_rate >= 0.8 else charts.FAIL,
                )
                for a in agents
            ],
            percent=True,
            label_width=120,
        )
    )
    if stats.days:
        days = sorted(stats.days.items())[-DAYS_CHARTED:]
        out.append(
            charts.columns(
                "每日合格率（按通话开始日期）",
                [
                    (
                        day[5:],
                        [
                            (
                                passed / scored if scored else 0.0,
                                charts.NEUTRAL,
                                f"{day}：合格率 {passed / scored if scored else 0:.0%}，"
                                f"{count:,} 通（已评分 {scored:,}）",
                            )
                        ],
                    )
                    for day, (count, scored, passed) in days
                ],
                percent=True,
                notes=[f"{int(figures[1]):,}通" for _, figures in days],
            )
        )
    return out


@dataclass
class AgentRow:
    agent_id: str | None
    key: str  # the agent filter's value
    transcripts: int
    passed: int
    pass_rate: float
    mean_score: float
    taboo: int
    complaints_ignored: int
    unscorable: int
    top_issue: str
    top_issue_count: int
    shown: int


def _agents(stats: Stats, summary, details: list[DetailView]) -> list[AgentRow]:
    shown = Counter(d.report.agent_id for d in details)
    rows = []
    for figures in summary.agents:
        extras = stats.agents[figures.agent_id]
        issue = extras.issues.most_common(1)
        top_key = issue[0][0] if issue else None
        rows.append(
            AgentRow(
                agent_id=figures.agent_id,
                key=figures.agent_id if figures.agent_id is not None else NO_AGENT,
                transcripts=figures.transcripts,
                passed=figures.passed,
                pass_rate=figures.pass_rate,
                mean_score=figures.mean_score,
                taboo=figures.taboo,
                complaints_ignored=extras.complaints_ignored,
                unscorable=extras.unscorable,
                top_issue=key_label(top_key, stats.rules[top_key].phrase) if top_key else "—",
                top_issue_count=issue[0][1] if issue else 0,
                shown=shown[figures.agent_id],
            )
        )
    return rows


@dataclass
class RuleRow:
    label: str
    ident: str
    kind: str
    kind_label: str
    category: str
    hits: int
    transcripts: int
    quotes: list[str]
    suggestion: str | None
    message: str


def _rules(stats: Stats) -> list[RuleRow]:
    rows = []
    ordered = sorted(stats.rules.items(), key=lambda kv: (-kv[1].hits, -kv[1].transcripts))
    for key, figures in ordered:
        kind, rule_id, expectation = key
        rows.append(
            RuleRow(
                label=key_label(key, figures.phrase),
                ident=rule_id or expectation or kind,
                kind=kind,
                kind_label=labels.kind(kind),
                category=labels.category(figures.category),
                hits=figures.hits,
                transcripts=figures.transcripts,
                quotes=figures.quotes,
                suggestion=figures.suggestion,
                message=figures.message,
            )
        )
    return rows


def _filters(details: list[DetailView]) -> dict[str, list[tuple[str, str]]]:
    agents = sorted({d.agent_key for d in details if d.agent_key != NO_AGENT})
    channels = sorted({d.report.channel for d in details})
    kinds = sorted({k for d in details for k in d.kinds.split()})
    return {
        "agent": [(a, a) for a in agents]
        + ([(NO_AGENT, "（未标注坐席）")] if any(d.agent_key == NO_AGENT for d in details) else []),
        "channel": [(c, labels.channel(c)) for c in channels],
        "kind": [(k, labels.kind(k)) for k in kinds],
        "result": [("pass", "合格"), ("fail", "不合格"), ("unscorable", "无法评分")],
    }
