"""Score a table of transcripts with phrasecheck on Spark; write reports and violations.

    spark-submit score_table.py INPUT OUTPUT

INPUT is a turn table (.csv, or .parquet with transcript_id, turn_index, role, text), JSON
Lines transcripts (.jsonl, .json), or a metastore table as table:db.name. OUTPUT gets
reports/ (one row per transcript) and violations/ (one row per violation), as Parquet.
"""

import sys
from pathlib import Path

from pyspark.sql import SparkSession

from phrasecheck.spark import explode_violations, score_transcripts, score_turns


def main(source: str, target: str) -> None:
    if "://" not in target and Path(target).exists():  # elsewhere Spark refuses it itself
        sys.exit(f"{target} already exists: the output never replaces anything")
    spark = SparkSession.builder.appName("phrasecheck").getOrCreate()
    if source.startswith("table:"):
        table = spark.table(source.removeprefix("table:"))
    elif source.endswith((".jsonl", ".json")):
        table = spark.read.json(source)
    elif source.endswith(".csv"):
        table = spark.read.option("header", True).option("escape", '"').csv(source)
    else:
        table = spark.read.parquet(source)
    scored = score_transcripts(table) if "turns" in table.columns else score_turns(table)
    # Never overwrite: Spark's default mode, errorifexists, refuses a target that exists.
    scored.write.parquet(f"{target}/reports")
    reports = spark.read.parquet(f"{target}/reports")  # read back: score once, not per query
    explode_violations(reports).write.parquet(f"{target}/violations")
    reports.createOrReplaceTempView("reports")
    total = spark.sql(
        "select count(*) as n, count_if(status = 'scored') as scored,"
        " count_if(status = 'unscorable') as unscorable, count_if(status = 'error') as errors,"
        " count_if(passed) as passed, avg(score) as mean from reports"
    ).first()
    print(
        f"{total.n} transcripts: {total.scored} scored, {total.unscorable} unscorable, "
        f"{total.errors} errors; {total.passed} passed, mean score {total.mean or 0:.1f}"
    )
    spark.stop()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
