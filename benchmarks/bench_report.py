"""HTML report generation: time and file size for 1,000 and 100,000 transcripts.

Why: a QA lead runs `phrasecheck report` over a day's or a month's scores; the figures must
cover every record while the file stays small enough to mail (≤ 10 MB for a million
transcripts). Scores are synthesised from real ones: a few thousand generated transcripts
(benchmarks/corpus.py) are scored once, and their reports are repeated under new ids, spread
over ``--agents`` agents and 30 days. The matching transcripts are written too, so the
``--transcripts`` join (every turn of the detailed transcripts) is measured on the same data.
Peer in the same run: reading the scores file with ``json.loads`` alone, the floor for any
report over these records. Also: `phrasecheck score` with and without ``--html``.

    python benchmarks/bench_report.py [--sizes 1000 100000] [--agents 200] [--score-sizes 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import corpus  # benchmarks/corpus.py: the script's folder is on sys.path

import phrasecheck
from phrasecheck.scoring import Scorer

WORK = Path(tempfile.gettempdir()) / "phrasecheck-bench-report"
BASE = 2000  # distinct transcripts actually scored; larger sizes repeat them


def base_pairs(turns: int) -> list[tuple[dict, dict]]:
    scorer = Scorer()
    pairs = []
    for transcript in corpus.transcripts(BASE, seed=11, turns=turns):
        report = json.loads(scorer.score(transcript).model_dump_json())
        pairs.append((transcript, report))
    return pairs


def write_files(n: int, pairs: list[tuple[dict, dict]], agents: int) -> tuple[Path, Path]:
    """n score records and their transcripts, under new ids, agents and days."""
    scores = WORK / f"scores-{n}.jsonl"
    transcripts = WORK / f"transcripts-{n}.jsonl"
    with scores.open("w", encoding="utf-8") as s, transcripts.open("w", encoding="utf-8") as t:
        for index in range(n):
            transcript, report = pairs[index % len(pairs)]
            ident = f"r{index:07d}"
            agent = f"A{index % agents:03d}"
            started = f"2026-11-{1 + index % 30:02d}T{8 + index % 10:02d}:00:00+08:00"
            s.write(
                json.dumps(
                    {**report, "transcript_id": ident, "agent_id": agent, "started_at": started},
                    ensure_ascii=False,
                )
                + "\n"
            )
            t.write(
                json.dumps(
                    {**transcript, "id": ident, "agent_id": agent, "started_at": started},
                    ensure_ascii=False,
                )
                + "\n"
            )
    return scores, transcripts


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr}")
    return seconds


def floor(path: Path) -> float:
    started = time.perf_counter()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            json.loads(line)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--score-sizes", type=int, nargs="*", default=[1000])
    args = parser.parse_args()
    print(
        f"phrasecheck {phrasecheck.__version__} report benchmark — Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{datetime.now().astimezone():%Y-%m-%d %H:%M %z}"
    )
    WORK.mkdir(parents=True, exist_ok=True)
    pairs = base_pairs(args.turns)
    cli = [sys.executable, "-m", "phrasecheck.cli"]
    print(
        f"{BASE:,} scored corpus transcripts × {args.turns} turns, repeated; {args.agents} agents, "
        "30 days; defaults: worst 100, 2 per agent, at most 500 in detail; wall time incl. start-up"
    )
    columns = [("records", 9), ("json.loads", 11), ("report", 8), ("size", 9)]
    columns += [("+transcripts", 13), ("size", 9)]
    print(" ".join(f"{name:>{width}}" for name, width in columns))
    for n in args.sizes:
        scores, transcripts = write_files(n, pairs, args.agents)
        out = WORK / f"report-{n}.html"
        base = floor(scores)
        alone = timed([*cli, "report", str(scores), "-o", str(out)])
        size_alone = out.stat().st_size
        joined = timed(
            [*cli, "report", str(scores), "-o", str(out), "--transcripts", str(transcripts)]
        )
        size_joined = out.stat().st_size
        print(
            f"{n:>9,} {base:>10.1f}s {alone:>7.1f}s {size_alone / 2**20:>7.2f}MB "
            f"{joined:>12.1f}s {size_joined / 2**20:>7.2f}MB   "
            f"(report = {alone / base:.1f}× json.loads; {n / alone:,.0f} records/s)"
        )
        scores.unlink()
        transcripts.unlink()
    for n in args.score_sizes:
        _, transcripts = write_files(n, pairs, args.agents)
        out, html = WORK / "scores.jsonl", WORK / "score.html"
        plain = timed([*cli, "score", str(transcripts), "-o", str(out), "-q", "-w", "2"])
        with_html = timed(
            [*cli, "score", str(transcripts), "-o", str(out), "-q", "-w", "2", "--html", str(html)]
        )
        print(
            f"score {n:,} transcripts, 2 workers: {plain:.1f} s; with --html {with_html:.1f} s "
            f"({with_html / plain:.2f}×), report {html.stat().st_size / 2**20:.2f} MB"
        )
        transcripts.unlink()


if __name__ == "__main__":
    main()
