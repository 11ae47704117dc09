"""Scoring tables in Apache Spark: one report per transcript, exactly as the CLI writes it.

``pip install 'phrasecheck[spark]'``. Three entry points, each returning a DataFrame with a
fixed, typed schema:

* :func:`score_turns` — a table with one row per turn (the warehouse's usual shape);
* :func:`score_transcripts` — one row per transcript, the JSON Lines record's fields;
* :func:`check_texts` — single utterances (a chat-message table), checked like
  ``phrasecheck check``.

Work is done in batches, never per row: ``mapInArrow`` hands each Python worker whole Arrow
batches, and each worker process rebuilds the Scorer once, from the plain data it was pickled
to, and keeps it for every later task. Bad input never fails the job: a transcript that
cannot be scored (an unknown role, a missing text, a bad channel) becomes a row with
``status = "error"``, the reason in ``error``, and the CLI's error record in
``report_json``. :func:`explode_violations` flattens the violations into one row each, the
shape of ``phrasecheck score --format csv``, for SQL dashboards.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from phrasecheck.batch import error_json, score_data
from phrasecheck.checker import Checker, RulesArg, as_ruleset
from phrasecheck.scoring import ProfileArg, Scorer
from phrasecheck.transcript import Channel, parse_channel

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame
    from pyspark.sql.types import StructType

__all__ = [
    "CHECK_COLUMNS",
    "REPORT_SCHEMA",
    "VIOLATION_FIELDS",
    "check_texts",
    "explode_violations",
    "score_transcripts",
    "score_turns",
]

VIOLATION_FIELDS = (
    "kind string, category string, rule_id string, expectation string, turn_index int, "
    "`start` int, `end` int, matched string, severity string, points double, repeat int, "
    "fatal boolean, message string, suggestion string"
)
"""One violation: the columns of ``phrasecheck score --format csv`` (``matched`` holds the
trigger's words for a missing response), plus ``repeat``."""

REPORT_SCHEMA = (
    "transcript_id string, agent_id string, channel string, channel_source string, "
    "direction string, status string, score double, passed boolean, fatal boolean, "
    f"profile string, ruleset string, violations array<struct<{VIOLATION_FIELDS}>>, "
    "error string, report_json string"
)
"""What :func:`score_turns` and :func:`score_transcripts` return, one row per transcript.

``status`` is ``scored``, ``unscorable`` (no agent speech: ``score`` and ``passed`` null) or
``error`` (``error`` holds the reason; the report columns are null). ``report_json`` is the
line ``phrasecheck score`` writes for the transcript: the full ``ScoreReport`` JSON, or for
an error the CLI's error record, whose ``source`` is ``spark:<function>`` and ``line`` null.
"""

HIT_FIELDS = (
    "rule_id string, kind string, severity string, category string, `start` int, `end` int, "
    "matched string, method string, score double, suggestion string"
)
CHECK_COLUMNS = (
    f"hits array<struct<{HIT_FIELDS}>>, has_taboo boolean, error string, result_json string"
)
"""The columns :func:`check_texts` adds to its input's: ``result_json`` is what
``phrasecheck check --json`` prints for the text."""

_CHECK_NAMES = ("hits", "has_taboo", "error", "result_json")
_TRANSCRIPT_FIELDS = ("agent_id", "channel", "direction", "started_at")
_TURN_FIELDS = ("role", "text", "start", "end")

# Per Python worker process: scorers and checkers rebuilt from their pickles, by content key.
# Spark reuses worker processes across tasks, so each builds its Scorer once per job.
_BUILT: dict[str, Any] = {}


def score_turns(
    df: DataFrame,
    *,
    transcript_col: str = "transcript_id",
    order_col: str | None = "turn_index",
    role_col: str = "role",
    text_col: str = "text",
    channel: Channel | str | None = None,
    profile: ProfileArg = None,
    rules: Checker | RulesArg = None,
) -> DataFrame:
    """Score a table with one row per turn; one output row per transcript (:data:`REPORT_SCHEMA`).

    Turns are ordered by ``order_col`` as a number (None: the table's own row order); the
    optional columns ``start`` and ``end`` are turn times, and ``agent_id``, ``channel``,
    ``direction`` and ``started_at`` are taken from the transcript's first row, as the CLI
    reads a CSV export. A null text is an error (Spark's CSV reader turns an empty cell into
    null: ``df.na.fill("", [text_col])`` first if empty turns are meant).
    """
    from pyspark.sql import functions as F

    _require(df, [transcript_col, role_col, text_col] + ([order_col] if order_col else []))
    present = set(df.columns)
    # The input order, for ties and the first row (a non-deterministic id must be a column
    # before it can be aggregated).
    df = df.withColumn("__phrasecheck_seq", F.monotonically_increasing_id())
    fields = [
        F.col("__phrasecheck_seq").alias("seq"),
        (F.col(order_col) if order_col else F.lit(None)).cast("string").alias("order"),
        F.col(role_col).cast("string").alias("role"),
        F.col(text_col).cast("string").alias("text"),
    ]
    optional = [name for name in ("start", "end", *_TRANSCRIPT_FIELDS) if name in present]
    fields += [F.col(name).cast("string").alias(name) for name in optional]
    grouped = df.groupBy(F.col(transcript_col).cast("string").alias("transcript_id")).agg(
        F.collect_list(F.struct(*fields)).alias("rows")
    )
    decode = partial(_turn_rows, order_col)
    return _score(grouped, decode, "score_turns", channel, profile, rules)


def score_transcripts(
    df: DataFrame,
    *,
    id_col: str = "id",
    turns_col: str = "turns",
    channel: Channel | str | None = None,
    profile: ProfileArg = None,
    rules: Checker | RulesArg = None,
) -> DataFrame:
    """Score a table with one row per transcript (:data:`REPORT_SCHEMA`).

    The row holds the fields of a JSON Lines record — ``id``, ``turns`` (an array of structs
    with ``role`` and ``text``, optionally ``start`` and ``end``), and optionally
    ``agent_id``, ``channel``, ``direction``, ``started_at`` — so ``spark.read.json`` of the
    CLI's input gives the CLI's reports.
    """
    from pyspark.sql import functions as F

    _require(df, [id_col, turns_col])
    columns = [F.col(id_col).alias("id"), F.col(turns_col).alias("turns")]
    columns += [F.col(name) for name in _TRANSCRIPT_FIELDS if name in df.columns]
    return _score(df.select(*columns), _record, "score_transcripts", channel, profile, rules)


def check_texts(
    df: DataFrame, text_col: str = "text", *, rules: Checker | RulesArg = None
) -> DataFrame:
    """Check one utterance per row: the input's columns plus :data:`CHECK_COLUMNS`."""
    from pyspark.sql.types import StructType

    _require(df, [text_col])
    clash = [name for name in _CHECK_NAMES if name in df.columns]
    if clash:
        raise ValueError(f"check_texts adds columns the DataFrame already has: {', '.join(clash)}")
    checker = rules if isinstance(rules, Checker) else Checker(as_ruleset(rules))
    payload = pickle.dumps(checker)
    schema = StructType(df.schema.fields + _struct(CHECK_COLUMNS).fields)
    function = partial(_check_batches, _key(payload), payload, text_col, schema)
    return df.mapInArrow(function, schema)


def explode_violations(scored: DataFrame) -> DataFrame:
    """One row per violation, for SQL dashboards: the shape of ``--format csv``.

    A transcript without violations keeps one row with null violation columns, and an error
    row becomes kind ``error`` with the reason as its message, so counts per transcript hold.
    """
    from pyspark.sql import functions as F

    exploded = scored.select(
        "transcript_id",
        "agent_id",
        "channel",
        "status",
        "score",
        "passed",
        "error",
        F.explode_outer("violations").alias("v"),
    )
    names = [name.split()[0].strip("`") for name in VIOLATION_FIELDS.split(", ")]
    columns = [F.col(f"v.{name}") for name in names]
    is_error = F.col("status") == "error"
    columns[names.index("kind")] = F.when(is_error, F.lit("error")).otherwise(F.col("v.kind"))
    columns[names.index("message")] = F.when(is_error, F.col("error")).otherwise(
        F.col("v.message")
    )
    return exploded.select(
        "transcript_id",
        "agent_id",
        "channel",
        "status",
        "score",
        "passed",
        *[column.alias(name) for column, name in zip(columns, names, strict=True)],
    )


# --- the driver side -----------------------------------------------------------------------


def _require(df: DataFrame, columns: list[str]) -> None:
    missing = [name for name in columns if name not in df.columns]
    if missing:
        have = ", ".join(df.columns)
        raise ValueError(f"the DataFrame lacks column(s) {', '.join(missing)} (it has {have})")


def _score(
    df: DataFrame,
    decode: Callable[[dict], tuple[str | None, str | None, Any]],
    source: str,
    channel: Channel | str | None,
    profile: ProfileArg,
    rules: Checker | RulesArg,
) -> DataFrame:
    channel = parse_channel(channel) if channel is not None else None  # call, im… accepted
    # Built here, so a bad rule or profile file fails at once, naming file and line; the
    # CLI builds its Scorer from a RuleSet the same way.
    ruleset = rules.rules if isinstance(rules, Checker) else as_ruleset(rules)
    payload = pickle.dumps(Scorer(ruleset, profile))
    schema = _struct(REPORT_SCHEMA)  # parsed here: parsing DDL needs the JVM
    function = partial(
        _score_batches, _key(payload), payload, decode, f"spark:{source}", channel, schema
    )
    return df.mapInArrow(function, schema)


def _struct(ddl: str) -> StructType:
    from pyspark.sql.types import StructType

    schema = StructType.fromDDL(ddl)
    assert isinstance(schema, StructType), ddl
    return schema


def _key(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


# --- the executor side ---------------------------------------------------------------------


def _built(key: str, payload: bytes) -> Any:
    """The object pickled in ``payload``, rebuilt once per worker process."""
    found = _BUILT.get(key)
    if found is None:
        found = _BUILT[key] = pickle.loads(payload)
    return found


def _arrow_schema(schema: StructType) -> pa.Schema:
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(schema, timezone="UTC")


def _score_batches(
    key: str,
    payload: bytes,
    decode: Callable[[dict], tuple[str | None, str | None, Any]],
    source: str,
    channel: Channel | None,
    spark_schema: StructType,
    batches: Iterator[pa.RecordBatch],
) -> Iterator[pa.RecordBatch]:
    import pyarrow as pa

    scorer: Scorer = _built(key, payload)
    schema = _arrow_schema(spark_schema)
    for batch in batches:
        rows = [_score_row(scorer, decode, record, source, channel) for record in batch.to_pylist()]
        yield pa.RecordBatch.from_pylist(rows, schema=schema)


def _score_row(
    scorer: Scorer,
    decode: Callable[[dict], tuple[str | None, str | None, Any]],
    record: dict,
    source: str,
    channel: Channel | None,
) -> dict:
    transcript_id, agent_id, data = decode(record)
    if isinstance(data, str):
        return _error_row(transcript_id, agent_id, data, source)
    report = score_data(scorer, data, channel)
    if isinstance(report, str):
        return _error_row(transcript_id, agent_id, report, source)
    violations = []
    for v in report.violations:
        matched = v.matched if v.matched is not None or v.trigger is None else v.trigger.text
        violations.append(
            {
                "kind": v.kind,
                "category": v.category,
                "rule_id": v.rule_id,
                "expectation": v.expectation,
                "turn_index": v.turn_index,
                "start": v.start,
                "end": v.end,
                "matched": matched,
                "severity": v.severity,
                "points": v.points,
                "repeat": v.repeat,
                "fatal": v.fatal,
                "message": v.message,
                "suggestion": v.suggestion,
            }
        )
    return {
        "transcript_id": report.transcript_id,
        "agent_id": report.agent_id,
        "channel": report.channel,
        "channel_source": report.channel_source,
        "direction": report.direction,
        "status": report.status,
        "score": report.score,
        "passed": report.passed,
        "fatal": report.fatal,
        "profile": report.profile,
        "ruleset": report.ruleset,
        "violations": violations,
        "error": None,
        "report_json": report.model_dump_json(),
    }


def _error_row(transcript_id: str | None, agent_id: str | None, reason: str, source: str) -> dict:
    return {
        "transcript_id": transcript_id,
        "agent_id": agent_id,
        "status": "error",
        "error": reason,
        "report_json": error_json(transcript_id, reason, source, None),
    }


def _present(mapping: dict, keys: tuple[str, ...]) -> dict:
    return {key: mapping[key] for key in keys if mapping.get(key) is not None}


def _text_id(value: Any) -> str | None:
    return None if value is None else str(value)


def _record(row: dict) -> tuple[str | None, str | None, Any]:
    """A score_transcripts row as the Transcript data the CLI would read from JSON Lines.

    Spark gives absent fields as null; null is left out, as an absent JSON key is.
    """
    data = _present(row, ("id", *_TRANSCRIPT_FIELDS))
    turns = row.get("turns")
    if turns is not None:
        data["turns"] = [
            {k: v for k, v in turn.items() if v is not None} if isinstance(turn, dict) else turn
            for turn in turns
        ]
    agent_id = row.get("agent_id")
    return _text_id(row.get("id")), agent_id if isinstance(agent_id, str) else None, data


def _turn_rows(order_col: str | None, row: dict) -> tuple[str | None, str | None, Any]:
    """A transcript's rows from score_turns as the Transcript data the CLI builds from CSV.

    Turns in ``order`` (a number), ties in input order; transcript fields from the first
    row in input order; empty values left out, as the CLI's CSV reader does. The text stays
    null when it is, which the model reports as an error naming the turn.
    """
    transcript_id = row["transcript_id"]
    rows = row["rows"]
    first = min(rows, key=lambda r: r["seq"])
    agent_id = first.get("agent_id") or None
    if transcript_id is None:
        return None, agent_id, f"{len(rows)} row(s) without a transcript id"
    transcript_id = transcript_id.strip()
    try:
        if order_col is None:
            ordered = sorted(rows, key=lambda r: r["seq"])
        else:
            ordered = sorted(rows, key=lambda r: (float(r["order"]), r["seq"]))
    except (TypeError, ValueError):
        return transcript_id, agent_id, f"column {order_col} is not a number"
    turns = []
    for turn in ordered:
        item = {key: turn[key] for key in _TURN_FIELDS if turn.get(key) not in (None, "")}
        item["text"] = turn["text"]  # "" is a turn without speech, as in the CLI; null an error
        turns.append(item)
    data: dict[str, Any] = {"id": transcript_id, "turns": turns}
    data.update({k: v for k, v in _present(first, _TRANSCRIPT_FIELDS).items() if v != ""})
    return transcript_id, agent_id, data


def _check_batches(
    key: str,
    payload: bytes,
    text_col: str,
    spark_schema: StructType,
    batches: Iterator[pa.RecordBatch],
) -> Iterator[pa.RecordBatch]:
    import pyarrow as pa

    checker: Checker = _built(key, payload)
    schema = _arrow_schema(spark_schema)
    added = schema.names[-len(_CHECK_NAMES) :]
    for batch in batches:
        columns: dict[str, list] = {name: [] for name in added}
        for text in batch.column(text_col).to_pylist():
            if not isinstance(text, str):
                row: dict[str, Any] = {"hits": None, "has_taboo": None, "result_json": None}
                row["error"] = f"{text_col} is null" if text is None else f"{text_col} is not text"
            else:
                result = checker.check(text)
                row = {
                    "hits": [_hit_row(hit) for hit in result.hits],
                    "has_taboo": result.has_taboo,
                    "error": None,
                    "result_json": result.model_dump_json(),
                }
            for name in added:
                columns[name].append(row[name])
        arrays = [*batch.columns]
        arrays += [pa.array(columns[name], type=schema.field(name).type) for name in added]
        yield pa.RecordBatch.from_arrays(arrays, schema=schema)


def _hit_row(hit: Any) -> dict:
    return {
        "rule_id": hit.rule_id,
        "kind": hit.kind,
        "severity": hit.severity,
        "category": hit.category,
        "start": hit.start,
        "end": hit.end,
        "matched": hit.matched,
        "method": hit.method,
        "score": hit.score,
        "suggestion": hit.suggestion,
    }
