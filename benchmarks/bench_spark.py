"""Scoring on Spark in local mode against the CLI with the same number of cores, same data.

Why: a data engineer will ask what Spark costs. On one machine Spark can only lose — a JVM,
Arrow transfers, a shuffle for turn tables — and the question is by how much: the target is
at least 0.6× the CLI's throughput on 2 cores. Both read the same generated JSON Lines
transcripts (benchmarks/corpus.py, written once and reused) and write every full report
(the CLI a JSONL file, Spark a Parquet table with the report columns and ``report_json``).

    python benchmarks/bench_spark.py [--transcripts 100000] [--turns 20] [--cores 2]
                                     [--shapes transcripts turns]

``transcripts`` times ``score_transcripts(spark.read.json(FILE))``; ``turns`` first writes the
same transcripts as a Parquet table with a row per turn (not timed), then times
``score_turns`` on it, shuffle included. Spark's session start-up is reported on its own line
and left out of the job times; the CLI's process start-up is in its time (about 0.5 s).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import time
from datetime import datetime

import bench_batch  # benchmarks/bench_batch.py: the corpus file and the CLI run

import phrasecheck

TRANSCRIPT_DDL = (
    "id string, agent_id string, channel string, direction string, "
    "turns array<struct<role: string, text: string>>"
)


def session(cores: int):
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    spark = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("phrasecheck-bench")
        .config("spark.driver.memory", "4g")
        .config("spark.sql.shuffle.partitions", str(cores * 4))
        .config("spark.sql.files.minPartitionNum", str(cores * 4))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def turn_table(spark, path, target) -> None:
    """The transcripts as a warehouse turn table: transcript_id, turn_index, role, text…"""
    from pyspark.sql import functions as F

    if target.exists():
        return
    table = spark.read.schema(TRANSCRIPT_DDL).json(str(path))
    turns = table.select(
        F.col("id").alias("transcript_id"),
        "agent_id",
        "channel",
        "direction",
        F.posexplode("turns").alias("turn_index", "turn"),
    ).select("transcript_id", "turn_index", "turn.role", "turn.text", "agent_id", "channel")
    turns.write.parquet(str(target))


def run_spark(spark, shape: str, path, out) -> tuple[float, int, int]:
    """Seconds for one scoring job written to Parquet; rows written and error rows."""
    from phrasecheck.spark import score_transcripts, score_turns

    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    if shape == "transcripts":
        scored = score_transcripts(spark.read.schema(TRANSCRIPT_DDL).json(str(path)))
    else:
        scored = score_turns(spark.read.parquet(str(path)))
    scored.write.parquet(str(out))
    seconds = time.perf_counter() - started
    written = spark.read.parquet(str(out))
    rows = written.count()
    errors = written.where("status = 'error'").count()
    shutil.rmtree(out, ignore_errors=True)
    return seconds, rows, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=100_000)
    parser.add_argument("--turns", type=int, default=20, help="turns per transcript")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--cores", type=int, default=2, help="CLI workers and local[N]")
    parser.add_argument("--shapes", nargs="+", default=["transcripts", "turns"])
    args = parser.parse_args()

    import pyspark

    print(
        f"phrasecheck {phrasecheck.__version__} Spark benchmark — Python "
        f"{platform.python_version()}, pyspark {pyspark.__version__}, {os.cpu_count()} CPUs, "
        f"load {os.getloadavg()[0]:.1f}, {datetime.now().astimezone():%Y-%m-%d %H:%M %z}"
    )
    path = bench_batch.corpus_file(args.transcripts, args.turns, args.seed)
    n = args.transcripts
    print(f"{n:,d} transcripts × {args.turns} turns, {path.stat().st_size / 2**20:.0f} MiB JSONL")

    cli = bench_batch.score(path, args.cores)  # verified: a line per input, no error records
    print(f"{'CLI --workers ' + str(args.cores):<34}{cli:>8.1f} s{n / cli:>10,.0f} transcripts/s")

    started = time.perf_counter()
    spark = session(args.cores)
    spark.range(1).count()
    print(f"{'Spark session start-up':<34}{time.perf_counter() - started:>8.1f} s")
    try:
        table = bench_batch.WORK / f"{path.stem}.turns.parquet"
        for shape in args.shapes:
            source = path
            if shape == "turns":
                turn_table(spark, path, table)
                source = table
            out = bench_batch.WORK / f"{path.stem}.spark-{shape}.parquet"
            seconds, rows, errors = run_spark(spark, shape, source, out)
            if rows != n or errors:
                sys.exit(f"Spark {shape}: {rows} rows for {n} transcripts, {errors} errors")
            label = f"Spark local[{args.cores}] score_{shape}"
            print(
                f"{label:<34}{seconds:>8.1f} s{n / seconds:>10,.0f} transcripts/s"
                f"{cli / seconds:>7.2f}× the CLI"
            )
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
