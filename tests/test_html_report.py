"""The HTML report, opened in a real headless Chromium (Debian's, driven by Playwright).

A run over the bundled samples plus a file of awkward records (a broken line, a transcript
without agent speech, markup in an agent id and in a turn) is scored once with
``phrasecheck score --html``; the page must load with no console error and no request, show
the figures of the run's own summary, and let a reader filter and sort.
Set PHRASECHECK_SCREENSHOTS=docs to refresh the README's screenshots.
"""

from __future__ import annotations

import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from html import unescape
from pathlib import Path

import pytest
from cli_helpers import interruptible_cli

CHROMIUM = "/usr/bin/chromium"
AWKWARD = [
    "{broken json",
    json.dumps(
        {
            "id": "silent-01",
            "agent_id": "A02",
            "channel": "chat",
            "turns": [{"role": "customer", "text": "在吗？"}],
        },
        ensure_ascii=False,
    ),
    json.dumps(
        {
            "id": "markup-<i>01</i>",
            "agent_id": "<b>A99</b>",
            "channel": "chat",
            "started_at": "2026-11-05T10:00:00+08:00",
            "turns": [
                {"role": "customer", "text": "我的快递<script>alert(1)</script>到哪了？"},
                {
                    "role": "agent",
                    "text": "您好<img src=x onerror=alert(2)>，急什么，我帮您查一下。",
                },
                {"role": "customer", "text": "好的"},
            ],
        },
        ensure_ascii=False,
    ),
]


def phrasecheck(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "phrasecheck.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


@pytest.fixture(scope="module")
def run(root, tmp_path_factory):
    """One scoring run with --html: its inputs, scores, summary and report."""
    where = tmp_path_factory.mktemp("html")
    extra = where / "awkward.jsonl"
    extra.write_text("\n".join(AWKWARD) + "\n", encoding="utf-8")
    scores, summary, report = where / "scores.jsonl", where / "summary.json", where / "report.html"
    done = phrasecheck(
        "score",
        str(root / "samples"),
        str(extra),
        "-o",
        str(scores),
        "--summary",
        str(summary),
        "--html",
        str(report),
        "-w",
        "2",
        "-q",
    )
    assert done.returncode == 2, done.stderr  # the broken line is an input error
    reports = [json.loads(line) for line in scores.read_text(encoding="utf-8").splitlines()]
    return {
        "dir": where,
        "inputs": [str(root / "samples"), str(extra)],
        "scores": scores,
        "reports": [r for r in reports if "status" in r],
        "summary": json.loads(summary.read_text(encoding="utf-8")),
        "report": report,
    }


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


class Page:
    """A page with everything it tries to fetch and every console error recorded."""

    def __init__(self, browser, path: Path) -> None:
        self.url = path.as_uri()
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._route)
        self.page.goto(self.url)

    def _route(self, route) -> None:
        if route.request.url == self.url:
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def visible_calls(self) -> list[dict]:
        return self.page.eval_on_selector_all(
            "article.call", "els => els.filter(e => !e.hidden).map(e => ({...e.dataset}))"
        )


@pytest.fixture
def page(browser, run):
    opened = Page(browser, run["report"])
    yield opened
    opened.page.close()


def test_the_request_detector_sees_requests_and_errors(browser, tmp_path):
    """The checks below can fail: a page that fetches and logs is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<img src="http://example.invalid/x.png"><script>console.error("boom")</script>',
        encoding="utf-8",
    )
    opened = Page(browser, bad)
    assert opened.requests == ["http://example.invalid/x.png"]
    assert "boom" in opened.errors
    opened.page.close()


def test_the_page_makes_no_request_and_logs_no_error(page):
    page.page.wait_for_load_state("load")
    assert page.requests == []
    assert page.errors == []
    assert page.dialogs == []  # the markup in the records stayed text
    assert page.page.locator("text=<b>A99</b>").count() >= 1


def test_the_overview_shows_the_run_summary(page, run):
    summary = run["summary"]
    figures = page.page.eval_on_selector_all(
        "[data-figure][data-value]",
        "els => Object.fromEntries(els.map(e => [e.dataset.figure, e.dataset.value]))",
    )
    for name in ("records", "transcripts", "scored", "unscorable", "errors", "passed"):
        assert int(figures[name]) == summary[name], name
    assert float(figures["pass_rate"]) == summary["pass_rate"]
    assert float(figures["mean_score"]) == summary["mean_score"]
    scores = [r["score"] for r in run["reports"] if r["score"] is not None]
    assert float(figures["median_score"]) == round(statistics.median(scores), 2)
    assert summary["errors"] == 1 and summary["unscorable"] == 1
    channels = page.page.inner_text("[data-figure=channels]")
    for channel in summary["channels"]:
        label = {"phone": "电话", "chat": "在线", "social": "社交平台"}[channel["channel"]]
        assert f"{label} {channel['transcripts']}" in channels
    assert {r["ruleset"] for r in run["reports"]} == {summary["ruleset"]}
    assert page.page.inner_text("#overview code") == summary["ruleset"]


def test_the_agent_table_has_one_row_per_agent_with_the_summary_figures(page, run):
    rows = page.page.eval_on_selector_all(
        "#agent-table tbody tr",
        "rows => rows.map(r => [...r.cells].map(c => c.dataset.value))",
    )
    agents = run["summary"]["agents"]
    assert [row[0] for row in rows] == [a["agent_id"] or "" for a in agents]
    for row, agent in zip(rows, agents, strict=True):
        assert int(row[1]) == agent["transcripts"]
        assert float(row[2]) == agent["pass_rate"]
        assert float(row[3]) == agent["mean_score"]
        assert int(row[4]) == agent["taboo"]
    ignored = {
        a["agent_id"]: sum(
            v.get("category") == "complaint_soothed"
            for r in run["reports"]
            if r["agent_id"] == a["agent_id"]
            for v in r["violations"]
        )
        for a in agents
    }
    assert {row[0] or None: int(row[5]) for row in rows} == ignored
    assert any(ignored.values())


def test_sorting_the_agent_table_by_pass_rate(page):
    page.page.click("#agent-table th:has-text('合格率')")  # first click: highest first
    rates = page.page.eval_on_selector_all(
        "#agent-table tbody tr", "rows => rows.map(r => parseFloat(r.cells[2].dataset.value))"
    )
    assert rates == sorted(rates, reverse=True) and rates[0] > rates[-1]
    page.page.click("#agent-table th:has-text('合格率')")
    again = page.page.eval_on_selector_all(
        "#agent-table tbody tr", "rows => rows.map(r => parseFloat(r.cells[2].dataset.value))"
    )
    assert again == sorted(rates)
    page.page.focus("#agent-table th:has-text('平均分')")  # by keyboard too
    page.page.keyboard.press("Enter")
    means = page.page.eval_on_selector_all(
        "#agent-table tbody tr", "rows => rows.map(r => parseFloat(r.cells[3].dataset.value))"
    )
    assert means == sorted(means, reverse=True)
    sorted_by = page.page.get_attribute("#agent-table th:has-text('平均分')", "aria-sort")
    assert sorted_by == "descending"


def test_filters_narrow_the_transcript_list(page, run):
    everything = page.visible_calls()
    scored = {r["transcript_id"] for r in run["reports"] if r["status"] == "scored"}
    assert {c["transcript"] for c in everything} >= scored  # all within the worst 100
    page.page.click("#filter-result button[data-result=fail]")
    failed = page.visible_calls()
    assert 0 < len(failed) < len(everything)
    assert {c["result"] for c in failed} == {"fail"}
    assert len(failed) == sum(r["passed"] is False for r in run["reports"])
    assert page.page.inner_text("#shown-count") == str(len(failed))
    page.page.select_option("#filter-kind", "taboo")
    taboo = page.visible_calls()
    assert 0 < len(taboo) <= len(failed)
    assert all("taboo" in c["kinds"].split() for c in taboo)
    page.page.click("#filter-result button[data-result='']")
    page.page.select_option("#filter-kind", "")
    page.page.select_option("#filter-channel", "phone")
    assert {c["channel"] for c in page.visible_calls()} == {"phone"}
    page.page.select_option("#filter-channel", "")
    page.page.click("#agent-table a.agent-link[data-agent=A05] >> nth=0")
    a05 = page.visible_calls()
    assert {c["agent"] for c in a05} == {"A05"}
    assert len(a05) == sum(r["agent_id"] == "A05" for r in run["reports"])
    page.page.click("#agent-table a.agent-link[data-agent=__none__] >> nth=0")  # no agent named
    nameless = page.visible_calls()
    assert {c["agent"] for c in nameless} == {"__none__"}
    assert len(nameless) == sum(
        r["agent_id"] is None and r["status"] == "scored" for r in run["reports"]
    )


def test_highlighted_spans_are_the_findings_quotes(page, run):
    by_id = {r["transcript_id"]: r for r in run["reports"]}
    marks = page.page.eval_on_selector_all(
        "mark[data-finding]",
        """marks => marks.map(m => ({text: m.textContent, cls: m.className,
            finding: m.dataset.finding,
            transcript: m.closest('article').dataset.transcript,
            turn: parseInt(m.closest('li.turn').value)}))""",
    )
    taboo = [m for m in marks if m["cls"] == "taboo"]
    triggers = [m for m in marks if m["cls"] == "trigger"]
    assert taboo and triggers
    for mark in marks:
        number = int(mark["finding"].rsplit("-", 1)[1])
        violation = by_id[mark["transcript"]]["violations"][number - 1]
        if mark["cls"] == "taboo":
            assert mark["text"] == violation["matched"]
            assert mark["turn"] == violation["turn_index"] + 1  # 1-based on the page
        else:
            assert mark["text"] == violation["trigger"]["text"]
            assert mark["turn"] == violation["trigger"]["turn_index"] + 1
    total_taboo = sum(
        len([v for v in r["violations"] if v["kind"] == "taboo"]) for r in run["reports"]
    )
    assert len(taboo) == total_taboo
    # the finding card beside the turn carries the suggestion
    card = page.page.locator(f"#{taboo[0]['finding']}")
    assert "建议说" in card.inner_text()


def test_every_expectation_outcome_is_shown(page, run):
    shown = page.page.eval_on_selector_all(
        "article.call",
        "els => els.map(e => [e.dataset.transcript, e.querySelectorAll('details.outcomes tr .status.met, details.outcomes tr .status.missed, details.outcomes .na').length])",
    )
    expected = {r["transcript_id"]: len(r["expectations"]) for r in run["reports"]}
    assert len(shown) >= len(expected) - 1  # the unscorable one may not be sampled
    for transcript_id, rows in shown:
        assert rows == expected[transcript_id]


def test_screenshots_for_people(browser, root, tmp_path):
    """The bundled samples' report, as the README shows it: the top of the page and one call."""
    report = tmp_path / "report.html"
    done = phrasecheck(
        "score",
        str(root / "samples"),
        "-o",
        str(tmp_path / "s.jsonl"),
        "--html",
        str(report),
        "-q",
        "--exit-zero",
    )
    assert done.returncode == 0, done.stderr
    opened = Page(browser, report)
    assert opened.errors == [] and opened.requests == []
    folder = Path(os.environ.get("PHRASECHECK_SCREENSHOTS") or tmp_path)
    top, call = folder / "report.png", folder / "report-call.png"
    opened.page.set_viewport_size({"width": 1280, "height": 1240})
    opened.page.screenshot(path=str(top))
    opened.page.add_style_tag(content="header.top, .filters { position: static; }")
    opened.page.locator("article.call").nth(1).screenshot(path=str(call))
    for shot in (top, call):
        data = shot.read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 20_000
    opened.page.close()


# --- the report command ------------------------------------------------------------------
def articles(html: str) -> list[str]:
    found = re.findall(r'<article class="call[^"]*"[^>]*data-transcript="([^"]*)"', html)
    return [unescape(ident) for ident in found]


def test_report_from_scores_alone_and_with_transcripts(run, tmp_path):
    alone, joined = tmp_path / "alone.html", tmp_path / "joined.html"
    done = phrasecheck("report", str(run["scores"]), "-o", str(alone))
    assert done.returncode == 0, done.stderr
    done = phrasecheck(
        "report",
        str(run["scores"]),
        "-o",
        str(joined),
        "--transcripts",
        run["inputs"][0],
        "--transcripts",
        run["inputs"][1],
    )
    assert done.returncode == 0, done.stderr
    assert "turns found for" in done.stderr
    html_alone = alone.read_text(encoding="utf-8")
    html_joined = joined.read_text(encoding="utf-8")
    assert 'class="turn' not in html_alone
    assert html_alone.count('class="finding') == sum(len(r["violations"]) for r in run["reports"])
    quotes = re.findall(r'data-quote="([^"]*)"', html_alone)
    assert "急什么" in quotes
    shown = set(articles(html_joined))
    assert shown == set(articles(html_alone))
    turns = sum(r["counts"]["turns"] for r in run["reports"] if r["transcript_id"] in shown)
    assert len(re.findall(r'<li class="turn ', html_joined)) == turns
    # the same figures as the run's own page
    made_by_score = run["report"].read_text(encoding="utf-8")
    figures = re.compile(r'data-figure="(\w+)" data-value="([^"]*)"')
    assert figures.findall(html_joined) == figures.findall(made_by_score)
    assert len(re.findall(r'<li class="turn ', made_by_score)) == turns


def test_details_are_bounded_but_figures_cover_every_record(run, tmp_path):
    out = tmp_path / "small.html"
    done = phrasecheck(
        "report",
        str(run["scores"]),
        "-o",
        str(out),
        "--worst",
        "2",
        "--per-agent",
        "1",
        "--max-details",
        "5",
    )
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    shown = articles(html)
    assert len(shown) == 5
    worst = sorted((r for r in run["reports"] if r["score"] is not None), key=lambda r: r["score"])
    assert shown[:2] == [r["transcript_id"] for r in worst[:2]]
    assert f'data-figure="records" data-value="{run["summary"]["records"]}"' in html


def test_wrapped_reports_error_records_and_junk_lines(run, tmp_path):
    wrapped = tmp_path / "spark.jsonl"
    lines = [
        json.dumps({"transcript_id": r["transcript_id"], "report": json.dumps(r)})
        for r in run["reports"][:3]
    ]
    lines += [
        '{"schema_version": "1.0", "transcript_id": "x", "error": "boom", "source": "in.jsonl", "line": 7}'
    ]
    lines += ["not json", json.dumps({"status": "scored"}), json.dumps(run["reports"][0])]
    wrapped.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "wrapped.html"
    done = phrasecheck("report", str(wrapped), "-o", str(out))
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    assert 'data-figure="transcripts" data-value="4"' in html
    assert f"通话编号 {run['reports'][0]['transcript_id']} 出现了 2 次" in html
    assert 'data-figure="errors" data-value="3"' in html
    assert "in.jsonl" in html and "boom" in html
    assert f'{wrapped}</td><td class="n">5</td>' in html  # the junk line, named
    assert "not a score report" in html


def test_exit_zero_and_usage_errors(root, tmp_path):
    samples = str(root / "samples")
    assert phrasecheck("score", samples, "-o", str(tmp_path / "a.jsonl"), "-q").returncode == 1
    done = phrasecheck("score", samples, "-o", str(tmp_path / "b.jsonl"), "-q", "--exit-zero")
    assert done.returncode == 0
    done = phrasecheck("score", samples, "--format", "csv", "--html", str(tmp_path / "r.html"))
    assert done.returncode == 2 and "--format jsonl" in done.stderr
    done = phrasecheck("report", str(tmp_path / "a.jsonl"), "-o", str(tmp_path / "a.jsonl"))
    assert done.returncode == 2 and "input" in done.stderr
    assert (tmp_path / "a.jsonl").read_text(encoding="utf-8").startswith("{")
    done = phrasecheck(
        "report",
        str(tmp_path / "a.jsonl"),
        "-o",
        str(tmp_path / "r.html"),
        "--transcripts",
        str(tmp_path / "nope.jsonl"),
    )
    assert done.returncode == 2 and "nope.jsonl" in done.stderr


def test_the_quick_start_line_writes_scores_and_report_and_exits_0(root, tmp_path):
    readme = (root / "README.md").read_text(encoding="utf-8")
    first = re.findall(r"```bash\n(.*?)```", readme.split("## Quick start", 1)[1], re.S)[0]
    command = first.splitlines()[0].split(".venv/bin/phrasecheck ", 1)[1].split()
    (tmp_path / "samples").symlink_to(root / "samples")
    done = phrasecheck(*command, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "scores.jsonl").stat().st_size > 0
    assert (tmp_path / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# --- the parts, on realistic records -------------------------------------------------------
def test_started_at_is_copied_into_reports_and_charted_per_day(run, root):
    lines = (root / "samples" / "transcripts.jsonl").read_text(encoding="utf-8").splitlines()
    given = {t["id"]: t.get("started_at") for t in map(json.loads, lines)}
    copied = {r["transcript_id"]: r["started_at"] for r in run["reports"]}
    assert {i: copied[i] for i in given} == given
    assert sum(map(bool, given.values())) > 20
    assert "每日合格率" in run["report"].read_text(encoding="utf-8")


def test_the_median_and_the_kept_details_over_a_stream(run):
    from phrasecheck.htmlreport import DetailOptions, ReportBuilder
    from phrasecheck.report import ScoreReport

    base = [ScoreReport.model_validate(r) for r in run["reports"] if r["score"] is not None]
    builder = ReportBuilder(DetailOptions(worst=5, per_agent=2, limit=12))
    scores = []
    for n in range(3000):  # many records, a few kept
        report = base[n % len(base)].model_copy(
            update={"transcript_id": f"x{n}", "agent_id": f"B{n % 7}", "score": float(n % 101)}
        )
        scores.append(report.score)
        builder.add_report(report)
    assert builder.stats.median() == statistics.median(scores)
    chosen = builder.chosen()
    assert len(chosen) == 12
    worst = [k.report.transcript_id for k in chosen[:5]]
    assert worst == ["x0", "x101", "x202", "x303", "x404"]  # score 0, earliest first
    sampled = [k.report.agent_id for k in chosen[5:]]
    assert len(set(sampled)) == 7  # one from every agent before a second from any
    assert all(len(k.reasons) for k in chosen)


def test_overlapping_highlights_keep_every_word_and_the_taboo_whole():
    from phrasecheck.htmlreport.calls import segments

    text = "急什么我帮您查一下"
    pieces = segments(text, [(0, 3, "taboo", "f1"), (2, 9, "trigger", "f2")])
    assert "".join(p.text for p in pieces) == text
    assert [(p.text, p.classes, p.finding) for p in pieces] == [
        ("急什么", "taboo", "f1"),
        ("我帮您查一下", "trigger", "f2"),
    ]
    pieces = segments("您好，谢谢", [(3, 5, "evidence", "")])
    assert [(p.text, p.classes) for p in pieces] == [("您好，", ""), ("谢谢", "evidence")]


def test_the_file_stays_small_however_many_records_and_agents(run, root):
    """Details are bounded, so size grows only with the agent table: 1,000 agents here."""
    from phrasecheck.htmlreport import ReportBuilder
    from phrasecheck.report import ScoreReport

    lines = (root / "samples" / "transcripts.jsonl").read_text(encoding="utf-8").splitlines()
    sources = {t["id"]: t for t in map(json.loads, lines)}
    base = [ScoreReport.model_validate(r) for r in run["reports"] if r["transcript_id"] in sources]
    sizes = []
    for n in (2_000, 8_000):
        builder = ReportBuilder()
        for index in range(n):
            report = base[index % len(base)]
            builder.add_report(
                report.model_copy(
                    update={"transcript_id": f"n{index}", "agent_id": f"Q{index % 1000:04d}"}
                ),
                sources[report.transcript_id],
            )
        html = builder.render()
        assert len(articles(html)) == 500  # the default limit
        assert html.count('<li class="turn ') > 5_000  # every turn of each, from the run
        assert f'data-figure="records" data-value="{n}"' in html
        sizes.append(len(html.encode("utf-8")))
    assert sizes[1] < 6_000_000
    assert abs(sizes[1] - sizes[0]) < 0.05 * sizes[0]  # four times the records, same size


def test_an_interrupted_run_still_writes_its_report_and_says_so(root, tmp_path):
    line = (root / "samples" / "transcripts.jsonl").read_text(encoding="utf-8").splitlines()[0]
    record = json.loads(line)
    path = tmp_path / "many.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for index in range(60_000):
            handle.write(json.dumps({**record, "id": f"m{index:06d}"}, ensure_ascii=False) + "\n")
    out, html = tmp_path / "out.jsonl", tmp_path / "out.html"
    process = subprocess.Popen(
        interruptible_cli("score", path, "-o", out, "-w", 2, "--html", html, "-q"),
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not out.exists() or out.stat().st_size < 200_000):
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=120)
    assert process.returncode == 130
    written = len(out.read_text(encoding="utf-8").splitlines())
    page = html.read_text(encoding="utf-8")
    assert 'id="interrupted"' in page
    shown = re.search(r'data-figure="records" data-value="(\d+)"', page).group(1)
    assert int(shown) == written, (shown, written)
    assert 0 < written < 60_000
