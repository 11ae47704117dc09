"""phrasecheck.spark on a real local Spark: the CLI's reports, table by table, errors included.

Needs the ``spark`` extra and Java 17; CI installs both (``.ci/run``). Elsewhere the module
is skipped when either is missing, but never on CI, where a skip would hide a broken setup.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

if not os.environ.get("CI"):
    pytest.importorskip("pyspark", reason="the spark extra is not installed")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java 17 (`java` is not on PATH)", allow_module_level=True)

from pyspark.sql import SparkSession
from pyspark.sql.types import StructType

from phrasecheck.report import REPORT_SCHEMA_VERSION
from phrasecheck.spark import (
    REPORT_SCHEMA,
    check_texts,
    explode_violations,
    score_transcripts,
    score_turns,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark():
    os.environ["PYSPARK_PYTHON"] = sys.executable  # executors run this interpreter
    session = (
        SparkSession.builder.master("local[2]")
        .appName("phrasecheck-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        # Small Arrow batches: a sample file crosses to Python in several batches.
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "8")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def cli(root, tmp_path, *inputs, name="cli.jsonl"):
    """The records `phrasecheck score` writes for ``inputs``, by transcript id."""
    out = tmp_path / name
    done = subprocess.run(
        [sys.executable, "-m", "phrasecheck.cli", "score", *map(str, inputs), "-o", str(out),
         "-q", "--workers", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode in (1, 2), done.stderr  # some sample transcripts fail the standard
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def read_turns(spark, path):
    # RFC 4180 quoting ("" inside a quoted field), as the CLI reads CSV.
    return spark.read.option("header", True).option("escape", '"').csv(str(path))


def by_id(rows):
    found = {row["transcript_id"]: row for row in rows}
    assert len(found) == len(rows), "one row per transcript"
    return found


def test_score_transcripts_gives_the_cli_reports_record_for_record(spark, root, tmp_path):
    path = root / "samples" / "transcripts.jsonl"
    expected = by_id(cli(root, tmp_path, path))
    scored = score_transcripts(spark.read.json(str(path)))
    assert scored.schema == StructType.fromDDL(REPORT_SCHEMA)
    rows = [row.asDict(recursive=True) for row in scored.collect()]
    assert len(rows) == len(expected) >= 27
    for row in rows:
        report = expected[row["transcript_id"]]
        assert json.loads(row["report_json"]) == report
        assert row["report_json"] == json.dumps(report, ensure_ascii=False, separators=(",", ":"))
        assert (row["status"], row["score"], row["passed"]) == (
            report["status"],
            report["score"],
            report["passed"],
        )
        assert [(v["kind"], v["rule_id"], v["expectation"]) for v in row["violations"]] == [
            (v["kind"], v.get("rule_id"), v.get("expectation")) for v in report["violations"]
        ]
        assert row["error"] is None
    assert {row["status"] for row in rows} == {"scored"}
    assert sum(not row["passed"] for row in rows) >= 5  # the bad sample agents fail


def test_score_turns_gives_the_cli_reports_for_a_turn_table(spark, root, tmp_path):
    path = root / "samples" / "turns.csv"
    expected = by_id(cli(root, tmp_path, path))
    rows = score_turns(read_turns(spark, path)).collect()
    assert sorted(row.transcript_id for row in rows) == ["csv-0001", "csv-0002", "csv-0003"]
    for row in rows:
        assert json.loads(row.report_json) == expected[row.transcript_id]
        assert row.agent_id == expected[row.transcript_id]["agent_id"]
    assert {r.transcript_id: r.passed for r in rows} == {
        "csv-0001": True,
        "csv-0002": False,
        "csv-0003": True,
    }


def test_score_turns_orders_turns_by_number_not_by_row(spark, root, tmp_path):
    """A warehouse table has no row order: shuffled rows and a numeric order column (10 after
    9, not after 1) give the same report as the file."""
    path = root / "samples" / "turns.csv"
    expected = by_id(cli(root, tmp_path, path))
    from pyspark.sql import functions as F

    table = read_turns(spark, path).withColumn("seq", F.col("turn_index").cast("int"))
    shuffled = table.drop("turn_index").orderBy(F.rand(seed=3)).repartition(3)
    rows = score_turns(shuffled, order_col="seq").collect()
    assert {r.transcript_id: json.loads(r.report_json) for r in rows} == expected


BROKEN_TURNS = [
    # (transcript_id, turn_index, role, text, channel)
    ("ok-1", "0", "agent", "您好，请问有什么可以帮您？", "chat"),
    ("ok-1", "1", "customer", "我的快递到了吗？", "chat"),
    ("ok-1", "2", "agent", "请稍等，我查一下。到了，在南门驿站，还有其他问题吗？", "chat"),
    ("bad-role", "0", "agent", "您好", "chat"),
    ("bad-role", "1", "主持人", "下面请客服发言", "chat"),
    ("no-text", "0", "agent", "您好，物业客服", "chat"),
    ("no-text", "1", "customer", None, "chat"),
    ("bad-channel", "0", "agent", "您好", "fax"),
    ("bad-order", "zero", "agent", "您好", "chat"),
    ("ok-2", "0", "agent", "急什么，我在查了", "chat"),
    ("ok-2", "1", "customer", "好吧", "chat"),
    (None, "0", "agent", "一行没有通话编号", "chat"),
]


def test_a_broken_transcript_in_the_middle_yields_error_rows_and_the_rest_score(spark):
    table = spark.createDataFrame(
        BROKEN_TURNS, "transcript_id string, turn_index string, role string, text string, "
        "channel string"
    )
    rows = {row.transcript_id: row for row in score_turns(table).collect()}
    assert set(rows) == {"ok-1", "ok-2", "bad-role", "no-text", "bad-channel", "bad-order", None}
    assert rows["ok-1"].status == "scored" and rows["ok-1"].passed is True
    assert rows["ok-2"].status == "scored" and rows["ok-2"].violations[0].rule_id == "T25"
    errors = {tid: row.error for tid, row in rows.items() if row.status == "error"}
    assert errors == {
        "bad-role": "turns.1.role: unknown role '主持人'; use one of agent, customer, system, "
        "坐席, 客服, 客户, 用户, 业主, 系统, 机器人",
        "no-text": "turns.1.text: Input should be a valid string",
        "bad-channel": "channel: Input should be 'phone', 'chat' or 'social'",
        "bad-order": "column turn_index is not a number",
        None: "1 row(s) without a transcript id",
    }
    for tid in errors:
        record = json.loads(rows[tid].report_json)
        assert record == {
            "schema_version": REPORT_SCHEMA_VERSION,
            "transcript_id": tid,
            "error": errors[tid],
            "source": "spark:score_turns",
            "line": None,
        }
        assert rows[tid].score is None and rows[tid].violations is None


def test_score_transcripts_errors_match_the_cli_error_records(spark, root, tmp_path):
    good = json.loads((root / "samples" / "transcripts.jsonl").read_text().splitlines()[0])
    records = [
        good,
        {"id": "bad-role", "turns": [{"role": "主持人", "text": "大家好"}]},
        {"id": "no-text", "turns": [{"role": "agent", "text": "您好"}, {"role": "customer"}]},
        {"id": "bad-channel", "channel": "fax", "turns": [{"role": "agent", "text": "您好"}]},
        {"id": "no-turns", "agent_id": "A09"},
        {**good, "id": "last"},
    ]
    path = tmp_path / "broken.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    expected = by_id(cli(root, tmp_path, path))
    rows = by_id([r.asDict(recursive=True) for r in score_transcripts(spark.read.json(str(path))).collect()])
    assert set(rows) == set(expected) == {r["id"] for r in records}
    for tid, record in expected.items():
        mine = json.loads(rows[tid]["report_json"])
        if "error" in record:
            assert rows[tid]["status"] == "error"
            assert (mine["error"], mine["transcript_id"]) == (record["error"], tid)
            assert mine["source"] == "spark:score_transcripts"
        else:
            assert mine == record
    assert rows["no-turns"]["score"] is None  # an error or unscorable, as the CLI says
    assert rows["last"]["status"] == "scored"


def test_explode_violations_gives_one_row_per_violation(spark, root):
    scored = score_transcripts(spark.read.json(str(root / "samples" / "transcripts.jsonl")))
    scored.createOrReplaceTempView("reports")
    exploded = explode_violations(scored)
    exploded.createOrReplaceTempView("violations")
    total = sum(len(r.violations) for r in scored.collect())
    clean = spark.sql("select count(*) from reports where size(violations) = 0").first()[0]
    assert total > 20 and clean > 5
    assert exploded.count() == total + clean  # clean transcripts keep one row
    top = spark.sql(
        "select rule_id, count(*) as n from violations where kind = 'taboo' "
        "group by rule_id order by n desc, rule_id limit 3"
    ).collect()
    assert top and all(row.rule_id and row.n >= 1 for row in top)
    per_agent = spark.sql(
        "select agent_id, avg(score) as mean, sum(cast(passed as int)) as passed "
        "from reports group by agent_id order by agent_id"
    ).collect()
    lines = (root / "samples" / "transcripts.jsonl").read_text(encoding="utf-8").splitlines()
    agents = {json.loads(line).get("agent_id") for line in lines}
    assert [row.agent_id for row in per_agent] == sorted(agents, key=lambda a: (a is not None, a))


def test_explode_violations_keeps_errors_as_kind_error(spark):
    table = spark.createDataFrame(BROKEN_TURNS[:5], "transcript_id string, turn_index string, "
                                  "role string, text string, channel string")
    rows = explode_violations(score_turns(table)).where("transcript_id = 'bad-role'").collect()
    assert [(r.kind, r.message[:20]) for r in rows] == [("error", "turns.1.role: unknow")]


def test_check_texts_keeps_the_columns_and_adds_the_cli_result(spark, checker):
    from phrasecheck.models import CheckResult

    messages = [
        (101, "急什麼，煩死人了！"),
        (102, "您好，请问有什么可以帮您？"),
        (103, None),
        (104, "不知道您现在方便吗？"),
        (105, ""),
    ]
    table = spark.createDataFrame(messages, "message_id long, text string")
    out = check_texts(table)
    assert out.columns == ["message_id", "text", "hits", "has_taboo", "error", "result_json"]
    rows = {row.message_id: row for row in out.collect()}
    assert set(rows) == {101, 102, 103, 104, 105}
    for message_id, text in messages:
        row = rows[message_id]
        if text is None:
            assert (row.error, row.hits, row.result_json) == ("text is null", None, None)
            continue
        assert row.result_json == checker.check(text).model_dump_json()  # `check --json`
        result = CheckResult.model_validate_json(row.result_json)
        assert [h.rule_id for h in row.hits] == [h.rule_id for h in result.hits]
        assert row.has_taboo == result.has_taboo
    assert [h.rule_id for h in rows[101].hits] == ["T04"] and rows[101].has_taboo
    assert not rows[104].has_taboo  # the polite look-alike stays polite
    assert rows[105].hits == []


def test_bad_arguments_fail_at_once_naming_what(spark):
    table = spark.createDataFrame([("a", "agent", "您好")], "id string, role string, text string")
    with pytest.raises(ValueError, match=r"lacks column.*transcript_id"):
        score_turns(table)
    with pytest.raises(ValueError, match="unknown channel 'fax'; use phone, chat or social"):
        score_turns(table, transcript_col="id", order_col=None, channel="fax")
    with pytest.raises(ValueError, match="adds columns the DataFrame already has: error"):
        check_texts(table.withColumnRenamed("role", "error"))


def test_a_custom_profile_reaches_the_executors(spark, root, tmp_path):
    text = (root / "data" / "score_profile.yaml").read_text(encoding="utf-8")
    strict = tmp_path / "strict.yaml"
    strict.write_text(text.replace("pass_mark: 80", "pass_mark: 99.5"), encoding="utf-8")
    table = read_turns(spark, root / "samples" / "turns.csv")
    default = {r.transcript_id: r.passed for r in score_turns(table).collect()}
    rows = {r.transcript_id: r for r in score_turns(table, profile=strict).collect()}
    assert default["csv-0003"] is True and rows["csv-0003"].passed is False  # 94 < 99.5
    assert rows["csv-0001"].passed is True  # 100


def test_the_example_script_runs_under_spark_submit(root, tmp_path):
    spark_submit = Path(sys.executable).parent / "spark-submit"
    assert spark_submit.exists(), "pyspark installs spark-submit beside the interpreter"
    out = tmp_path / "scored"
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable}
    script, turns = root / "examples" / "score_table.py", root / "samples" / "turns.csv"
    local = ["--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1"]
    done = subprocess.run(
        [str(spark_submit), "--master", "local[2]", *local, str(script), str(turns), str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "3 transcripts: 3 scored, 0 unscorable, 0 errors; 2 passed" in done.stdout
    reports = list((out / "reports").glob("*.parquet"))
    violations = list((out / "violations").glob("*.parquet"))
    assert reports and violations
    again = subprocess.run(
        [sys.executable, str(script), str(turns), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 1 and "already exists" in again.stderr  # never overwrites


def test_the_readme_shows_the_example_script(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("## On Spark", 1)[1].split("\n## ", 1)[0]
    script = (root / "examples" / "score_table.py").read_text(encoding="utf-8")
    fence = "```python title=examples/score_table.py\n"
    assert fence in section
    assert section.split(fence, 1)[1].split("```", 1)[0] == script


def test_a_worker_rebuilds_the_scorer_once_and_scores_whole_batches(spark, monkeypatch, root):
    """What each Python worker does with the batches Spark hands it, without Spark: the
    pickled Scorer is rebuilt on the first batch only, and every batch yields one row per
    transcript with the schema Spark was promised."""
    import pickle

    import pyarrow as pa
    from pyspark.sql.pandas.types import to_arrow_schema

    from phrasecheck import spark as module
    from phrasecheck.scoring import Scorer

    built = []
    real_loads = pickle.loads
    monkeypatch.setattr(module.pickle, "loads", lambda data: built.append(1) or real_loads(data))
    monkeypatch.setattr(module, "_BUILT", {})
    payload = pickle.dumps(Scorer())
    schema = StructType.fromDDL(REPORT_SCHEMA)  # the driver parses it (DDL needs the JVM)
    lines = (root / "samples" / "transcripts.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    fields = ("id", "agent_id", "channel", "direction", "turns")
    batches = [
        pa.RecordBatch.from_pylist([{k: r.get(k) for k in fields} for r in records[i : i + 7]])
        for i in range(0, len(records), 7)
    ]
    key = module._key(payload)
    outputs = []
    for task in (batches[:2], batches[2:]):  # two tasks in one worker process
        run = module._score_batches(key, payload, module._record, "spark:x", None, schema, iter(task))
        outputs.extend(run)
    assert len(built) == 1
    assert [out.num_rows for out in outputs] == [b.num_rows for b in batches]
    assert all(out.schema == to_arrow_schema(schema, timezone="UTC") for out in outputs)
    ids = [row["transcript_id"] for out in outputs for row in out.to_pylist()]
    assert ids == [r["id"] for r in records]

