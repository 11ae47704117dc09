"""Reading throughput of the transcript readers, against the plainest way to read each file.

Why: the readers decode before splitting lines (so UTF-16 works), read tables twice (so
interleaved rows are grouped) and stream JSON arrays with ijson. This measures what that
costs, as a ratio to a baseline in the same run: iterating the file's lines (JSON Lines),
``csv.reader`` over the file (CSV), ``json.load`` of the whole document (JSON). Reading is
a small part of a scoring run (see bench_batch.py), so the ratio matters only if it is large.

    python benchmarks/bench_readers.py [--transcripts 20000] [--turns 20] [--repeat 5]
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import corpus  # benchmarks/corpus.py: the script's folder is on sys.path

from phrasecheck.readers import read_file


def write_corpus(folder: Path, n: int, turns: int) -> dict[str, Path]:
    items = list(corpus.transcripts(n, turns=turns))
    paths = {name: folder / f"calls.{name}" for name in ("jsonl", "csv", "json")}
    with paths["jsonl"].open("w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    with paths["csv"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["transcript_id", "turn_index", "role", "text", "agent_id"])
        for item in items:
            for index, turn in enumerate(item["turns"]):
                writer.writerow([item["id"], index, turn["role"], turn["text"], item["agent_id"]])
    paths["json"].write_text(json.dumps(items, ensure_ascii=False, indent=2), "utf-8")
    return paths


def baseline(fmt: str, path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        if fmt == "jsonl":
            return sum(1 for line in handle if line.strip())
        if fmt == "csv":
            ids = {row[0] for row in csv.reader(handle)}
            return len(ids) - 1
        return len(json.load(handle))


def readers(path: Path) -> int:
    return sum(1 for record in read_file(str(path)) if record.error is None)


def median_seconds(function, *args, repeat: int) -> tuple[float, int]:
    times, result = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        result = function(*args)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--transcripts", type=int, default=20_000)
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, {datetime.now():%Y-%m-%d %H:%M}")
    with tempfile.TemporaryDirectory() as folder:
        paths = write_corpus(Path(folder), args.transcripts, args.turns)
        print(f"{args.transcripts:,} transcripts of {args.turns} turns; median of {args.repeat}")
        print(f"{'format':<6} {'MB':>6} {'baseline s':>11} {'readers s':>10} {'ratio':>6}")
        for fmt, path in paths.items():
            base, expected = median_seconds(baseline, fmt, path, repeat=args.repeat)
            mine, found = median_seconds(readers, path, repeat=args.repeat)
            if found != expected:
                sys.exit(f"{fmt}: readers found {found} transcripts, the baseline {expected}")
            size = path.stat().st_size / 1e6
            print(f"{fmt:<6} {size:6.1f} {base:11.3f} {mine:10.3f} {mine / base:6.1f}")


if __name__ == "__main__":
    main()
