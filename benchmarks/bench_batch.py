"""End-to-end batch scoring through the real CLI: 1 and 2 workers, against another checkout.

Why: QA teams score a day's calls in one ``phrasecheck score`` run, so what matters is the
whole pipeline — reading JSONL, scoring every turn, writing reports — and whether the
worker processes pay off on a small machine. The corpus is written once to a temp file
(reused on later runs of the same size) so that generating it is never timed.

With ``--baseline-src`` (the ``src`` folder of another checkout, e.g. ``git archive main``
unpacked) every run of this tree is paired with a run of the baseline on the same file, in
alternation, and the ratio of each pair is reported, of wall and of CPU time: on a shared
machine only ratios measured side by side mean anything (CPU time least of all depends on
what else runs). The two outputs are compared byte for byte. ``--stages`` adds the time split
of one worker's stages (``stages.py``) for both.

    python benchmarks/bench_batch.py [--transcripts 100000] [--turns 20] [--workers 1 2]
        [--repeat 1] [--baseline-src OTHER/src] [--stages 2000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import corpus  # benchmarks/corpus.py: the script's folder is on sys.path

import phrasecheck

WORK = Path(tempfile.gettempdir()) / "phrasecheck-bench"
HERE = Path(__file__).resolve().parent


def corpus_file(n: int, turns: int, seed: int) -> Path:
    """The generated JSONL corpus of this size, written once and reused."""
    path = WORK / f"transcripts-n{n}-t{turns}-s{seed}.jsonl"
    if path.exists():
        print(f"corpus: reusing {path}")
        return path
    WORK.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    started = time.perf_counter()
    with partial.open("w", encoding="utf-8") as handle:
        for transcript in corpus.transcripts(n, seed=seed, turns=turns):
            handle.write(json.dumps(transcript, ensure_ascii=False) + "\n")
    partial.rename(path)  # only a complete file is ever reused
    print(f"corpus: wrote {path} in {time.perf_counter() - started:.0f} s")
    return path


def _env(src: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if src:
        env["PYTHONPATH"] = src
    return env


def score(path: Path, workers: int, src: str | None = None) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (all processes) and the output's SHA-256 for one
    ``phrasecheck score`` run (process start-up included) of this tree or of ``src``."""
    tag = "base" if src else "this"
    out = WORK / f"{path.stem}.w{workers}.{tag}.{os.getpid()}.out.jsonl"
    command = [sys.executable, "-m", "phrasecheck.cli", "score", str(path), "-o", str(out)]
    command += ["-q", "--workers", str(workers)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=_env(src))
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):  # 1 = some transcript failed the standard: expected
        sys.exit(f"phrasecheck score ({tag}) exited {done.returncode}:\n{done.stderr}")
    digest = verify(path, out)
    out.unlink()
    return seconds, cpu, digest


def verify(path: Path, out: Path) -> str:
    """One output line per input line, and no error records; returns the output's hash."""
    with path.open(encoding="utf-8") as handle:
        expected = sum(1 for _ in handle)
    lines = errors = 0
    digest = hashlib.sha256()
    with out.open("rb") as handle:
        for line in handle:
            lines += 1
            errors += b'"error":' in line
            digest.update(line)
    if lines != expected or errors:
        sys.exit(f"{out}: {lines} lines for {expected} inputs, {errors} error records")
    return digest.hexdigest()


def stages(path: Path, n: int, src: str | None) -> dict:
    """One worker's time split (``stages.py``) for this tree or for ``src``."""
    command = [sys.executable, str(HERE / "stages.py"), str(path), "--n", str(n), "--json"]
    done = subprocess.run(command, capture_output=True, text=True, env=_env(src), check=True)
    return json.loads(done.stdout)


def print_stages(path: Path, n: int, baseline: str | None) -> None:
    ours = stages(path, n, None)
    theirs = stages(path, n, baseline) if baseline else None
    records = ours["records"]
    print(
        f"\nOne worker's stages on the first {records:,} transcripts (benchmarks/stages.py: "
        "own time per stage, least of 3 rounds; µs per transcript and share)"
    )
    head = f"{'stage':>17s}{'this tree':>20s}"
    print(head + (f"{'baseline':>20s}" if theirs else ""))
    for stage in ours["stages"]:
        row = f"{stage:>17s}"
        for split in (ours, theirs) if theirs else (ours,):
            seconds = split["stages"][stage]
            row += f"{seconds / records * 1e6:>12,.0f} {seconds / split['total']:>6.1%}"
        print(row)
    row = f"{'total':>17s}"
    for split in (ours, theirs) if theirs else (ours,):
        row += f"{split['total'] / records * 1e6:>12,.0f} {'':>6s}"
    print(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=100_000)
    parser.add_argument("--turns", type=int, default=20, help="turns per transcript")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="runs per worker count (median)")
    parser.add_argument("--baseline-src", help="src folder of another checkout to pair runs with")
    parser.add_argument(
        "--stages", type=int, default=0, metavar="N", help="also split one worker's time on N"
    )
    args = parser.parse_args()
    baseline = str(Path(args.baseline_src).resolve()) if args.baseline_src else None

    print(
        f"phrasecheck {phrasecheck.__version__} batch benchmark — Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{datetime.now().astimezone():%Y-%m-%d %H:%M %z}"
        + (f"; baseline {baseline}" if baseline else "")
    )
    path = corpus_file(args.transcripts, args.turns, args.seed)
    n = args.transcripts
    agent = n * ((args.turns + 1) // 2)
    print(
        f"{n:,d} transcripts × {args.turns} turns ({agent:,d} agent utterances, "
        f"{path.stat().st_size / 2**20:.0f} MiB); `phrasecheck score FILE -o OUT -q --workers N`, "
        f"wall time incl. start-up, median of {args.repeat}; output verified: 1 line per input"
    )
    header = [("workers", 7), ("seconds", 9), ("CPU s", 8), ("transcripts/s", 15)]
    header += [("agent utt/s", 13), ("speed-up", 10)]
    if baseline:
        header += [("baseline s", 12), ("base CPU s", 12), ("ratio", 8), ("ratios", 24)]
        header += [("CPU ratio", 11), ("CPU ratios", 24)]
    print("".join(f"{name:>{width}s}" for name, width in header))
    first = None
    same = True
    for workers in args.workers:
        ours, theirs = [], []
        for _ in range(args.repeat):  # alternate, so that both see the same load
            if baseline:
                theirs.append(score(path, workers, baseline))
            ours.append(score(path, workers))
        seconds = statistics.median(run[0] for run in ours)
        cpu = statistics.median(run[1] for run in ours)
        first = first or seconds
        row = (
            f"{workers:>7d}{seconds:>9.1f}{cpu:>8.1f}{n / seconds:>15,.0f}"
            f"{agent / seconds:>13,.0f}{first / seconds:>9.2f}×"
        )
        if baseline:
            ratios = [b[0] / o[0] for o, b in zip(ours, theirs, strict=True)]
            cpu_ratios = [b[1] / o[1] for o, b in zip(ours, theirs, strict=True)]
            listed = ", ".join(f"{r:.2f}" for r in ratios)
            row += (
                f"{statistics.median(run[0] for run in theirs):>12.1f}"
                f"{statistics.median(run[1] for run in theirs):>12.1f}"
                f"{statistics.median(ratios):>7.2f}×  {listed:<22s}"
                f"{statistics.median(cpu_ratios):>10.2f}×  "
                + ", ".join(f"{r:.2f}" for r in cpu_ratios)
            )
            same = same and all(o[2] == b[2] for o, b in zip(ours, theirs, strict=True))
        print(row)
    per_second = agent / seconds
    print(
        f"projected for 1,000,000 agent utterances with {args.workers[-1]} workers "
        f"(same transcript shape): {1_000_000 / per_second:.0f} s"
    )
    if baseline:
        print(
            "ratio: baseline seconds ÷ this tree's, per pair of runs (median; > 1 is faster); "
            "CPU ratio: the same of CPU seconds (all processes), steadier on a shared machine; "
            + ("outputs identical byte for byte" if same else "OUTPUTS DIFFER from the baseline")
        )
    if args.stages:
        print_stages(path, args.stages, baseline)


if __name__ == "__main__":
    main()
