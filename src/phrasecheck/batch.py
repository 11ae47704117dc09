"""Scoring many transcripts: worker processes, ordered output, one output per input record.

Workers are forked after the rules are compiled, so each starts warm and shares the
compiled automaton copy-on-write; threads would gain nothing, since every library on the hot
path holds the GIL. Results come back in input order (``imap``) and are written as they
arrive, whole lines only, so an interrupted run leaves a valid file of everything so far.

The parent process reads, writes and counts for all workers, so what crosses between them is
kept cheap: records and outcomes pickle as plain tuples, in chunks of ``CHUNK``, and a JSON
Lines report travels as UTF-8 bytes that the parent writes as they are (no decode and encode
of every line). Workers write reports from the scorer's plain data (:mod:`phrasecheck.reportjson`)
instead of validating and serialising the models, byte for byte the same JSON.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import json
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Any, TextIO

from pydantic import ValidationError

from phrasecheck.failures import as_exception, recoverable
from phrasecheck.readers import ReadProgress, Record, decode_record
from phrasecheck.report import REPORT_SCHEMA_VERSION, ScoreReport
from phrasecheck.reportjson import report_json
from phrasecheck.scoring import Scorer
from phrasecheck.summary import Summary, Tally
from phrasecheck.textsafety import scrub
from phrasecheck.transcript import Channel
from phrasecheck.yamlfile import validation_details

CSV_COLUMNS = (
    "transcript_id",
    "agent_id",
    "channel",
    "status",
    "score",
    "passed",
    "kind",
    "category",
    "rule_id",
    "expectation",
    "turn_index",
    "start",
    "end",
    "matched",
    "severity",
    "points",
    "fatal",
    "message",
    "suggestion",
)


CHUNK = 256  # records per task sent to a worker: fewer, larger messages between processes
# Records a worker scores together, one matcher call per role: measured per transcript (3,072
# generated ones, one process, alternating), 32 or 64 at once cost ~8% less than 1 or 256
# (whose objects, from JSON to report, no longer fit the processor's cache).
AT_ONCE = 32


@dataclass(frozen=True)
class Outcome:
    """What a worker sends back: the formatted output and the figures for the summary.

    ``output`` is text, or for a JSON Lines report its UTF-8 bytes.
    """

    output: str | bytes
    error: bool
    transcript_id: str | None = None
    agent_id: str | None = None
    score: float | None = None  # None: unscorable (no agent speech)
    passed: bool | None = None
    channel: str | None = None
    channel_inferred: bool = False
    violations: tuple[tuple[str, str | None, str | None], ...] = ()

    def __reduce__(self) -> tuple[type[Outcome], tuple[Any, ...]]:
        """Pickles as a plain tuple: a fraction of a dataclass's cost, paid for every record."""
        return Outcome, (
            self.output,
            self.error,
            self.transcript_id,
            self.agent_id,
            self.score,
            self.passed,
            self.channel,
            self.channel_inferred,
            self.violations,
        )

    @classmethod
    def of(cls, report: ScoreReport, output: str | bytes = "") -> Outcome:
        """The summary's figures of one report (violations counted by rule or expectation)."""
        return cls(
            output=output,
            error=False,
            transcript_id=report.transcript_id,
            agent_id=report.agent_id,
            score=report.score,
            passed=report.passed,
            channel=report.channel,
            channel_inferred=report.channel_source in ("inferred", "default"),
            violations=tuple(
                (v.kind, None if v.expectation else v.rule_id, v.expectation)
                for v in report.violations
            ),
        )

    @classmethod
    def of_data(cls, data: dict[str, Any], output: str | bytes) -> Outcome:
        """The same figures from :meth:`Scorer.report_data`'s plain data."""
        return cls(
            output=output,
            error=False,
            transcript_id=data["transcript_id"],
            agent_id=data["agent_id"],
            score=data["score"],
            passed=data["passed"],
            channel=data["channel"],
            channel_inferred=data["channel_source"] in ("inferred", "default"),
            violations=tuple(
                (v["kind"], None if v["expectation"] else v["rule_id"], v["expectation"])
                for v in data["violations"]
            ),
        )


_worker_scorer: Scorer | None = None
_worker_format = "jsonl"
_worker_channel: Channel | None = None


def _install(scorer: Scorer, output_format: str, channel: Channel | None = None) -> None:
    global _worker_scorer, _worker_format, _worker_channel
    _worker_scorer, _worker_format, _worker_channel = scorer, output_format, channel


def _worker_init(scorer: Scorer | None, output_format: str, channel: Channel | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    if scorer is not None:  # spawn start method: the scorer came pickled
        _install(scorer, output_format, channel)
        gc.freeze()  # as a forked worker's is (see _frozen_heap)


def score_record(record: Record) -> Outcome:
    """Score one record, or describe why it cannot be scored. Never raises for bad input."""
    return score_records([record])[0]


def score_records(records: list[Record]) -> list[Outcome]:
    """Score each record (what :func:`score_record` gives, in order). The JSON Lines path
    scores ``AT_ONCE`` transcripts together (:meth:`Scorer.report_data_many`): one call of
    the matcher per role for all of them."""
    assert _worker_scorer is not None, "outcomes() installs the scorer before scoring"
    if len(records) > AT_ONCE:
        return [
            outcome
            for at in range(0, len(records), AT_ONCE)
            for outcome in score_records(records[at : at + AT_ONCE])
        ]
    outcomes: list[Outcome | None] = []
    waiting: list[int] = []  # records whose transcripts are scored together below
    datas: list[dict | list] = []
    for record in records:
        data = _decoded(record)
        if isinstance(data, Outcome):
            outcomes.append(data)
        elif _worker_format == "csv":
            outcomes.append(_csv_outcome(record, data))
        else:
            waiting.append(len(outcomes))
            datas.append(data)
            outcomes.append(None)
    found = _worker_scorer.report_data_many(datas, _worker_channel) if datas else []
    for position, report in zip(waiting, found, strict=True):
        outcomes[position] = _json_outcome(records[position], report)
    return [outcome for outcome in outcomes if outcome is not None]


def _decoded(record: Record) -> dict | list | Outcome:
    """The record's transcript data, or the error outcome of a record that holds none."""
    if record.error is not None:
        return _error(record, record.error)
    try:
        return decode_record(record)
    except json.JSONDecodeError as error:  # a JSON line: the column is an offset in the line
        return _error(record, f"invalid JSON: {error.msg} at column {error.pos + 1}")
    except ValueError as error:
        return _error(record, str(error), _id_of(record))
    except Exception as error:  # deep nesting (RecursionError) and the like
        return _error(record, f"unreadable record: {type(error).__name__}: {error}")


def _csv_outcome(record: Record, data: dict | list) -> Outcome:
    assert _worker_scorer is not None
    report = score_data(_worker_scorer, data, _worker_channel)
    if isinstance(report, str):
        return _error(record, report, _id_of(record))
    try:
        return Outcome.of(report, _format_report(report))
    except Exception as error:  # a bug must not lose the record or stop the run
        return _internal_error(record, error)


def _json_outcome(record: Record, report: dict[str, Any] | Exception) -> Outcome:
    if isinstance(report, Exception):
        return _error(record, _reason(report), _id_of(record))
    try:
        return Outcome.of_data(report, report_json(report) + b"\n")
    except Exception as error:
        return _internal_error(record, error)


def _internal_error(record: Record, error: Exception) -> Outcome:
    return _error(record, f"internal error: {type(error).__name__}: {error}", _id_of(record))


def score_data(
    scorer: Scorer, data: dict | list, channel: Channel | None = None
) -> ScoreReport | str:
    """The report for one transcript's data, or the reason it cannot be scored.

    Never raises for bad input: every path that scores many transcripts (the CLI's workers,
    the Spark functions) turns the reason into an error record and goes on.
    """
    return _guarded(scorer.score, data, channel)


def report_data(
    scorer: Scorer, data: dict | list, channel: Channel | None = None
) -> dict[str, Any] | str:
    """Like :func:`score_data`, the report as plain data (:meth:`Scorer.report_data`)."""
    return _guarded(scorer.report_data, data, channel)


def _guarded(
    score: Callable[[dict | list, Channel | None], Any], data: dict | list, channel: Channel | None
) -> Any:
    try:
        return score(data, channel)
    except BaseException as error:  # a bug or a core panic must not lose the record or stop the run
        if not recoverable(error):
            raise
        return _reason(as_exception(error))


def _reason(error: Exception) -> str:
    """Why a transcript could not be scored, as its error record says."""
    if isinstance(error, ValidationError):
        return _validation_message(error)
    if isinstance(error, ValueError):
        return str(error)
    return f"internal error: {type(error).__name__}: {error}"


def _id_of(record: Record) -> str | None:
    if record.transcript_id:
        return record.transcript_id
    try:
        data = decode_record(record)
        found = data.get("id") if isinstance(data, dict) else None
        return None if found is None else scrub(str(found))
    except ValueError:
        return None


def _validation_message(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(map(str, location))}: {message}" if location else message
        for location, message in validation_details(error)
    )


def _error(record: Record, reason: str, transcript_id: str | None = None) -> Outcome:
    transcript_id = transcript_id or record.transcript_id
    if record.item is not None:  # a JSON array has items, not lines, to point at
        reason = f"item {record.item}: {reason}"
    if _worker_format == "csv":
        row = {
            "transcript_id": transcript_id,
            "kind": "error",
            "message": f"{record.source}:{record.line}: {reason}",
        }
        return Outcome(_csv_lines([row]), error=True, transcript_id=transcript_id)
    output = error_json(transcript_id, reason, record.source, record.line) + "\n"
    return Outcome(output, error=True, transcript_id=transcript_id)


def error_json(transcript_id: str | None, reason: str, source: str, line: int | None) -> str:
    """An error record as JSON text (no newline), as ``phrasecheck score`` writes it."""
    payload = {
        "schema_version": REPORT_SCHEMA_VERSION,  # error records are part of the reports stream
        "transcript_id": transcript_id,
        "error": reason,
        "source": source,
        "line": line,
    }
    return _json_text(payload)


def _json_text(payload: dict) -> str:
    """JSON, readable UTF-8 where possible, ASCII escapes where the text is not valid
    Unicode (a lone surrogate from a ``\\ud800`` escape in the input)."""
    text = json.dumps(payload, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(payload)
    return text


def _format_report(report: ScoreReport) -> str:
    """A report as CSV rows (JSON Lines reports are written from plain data)."""
    base = {
        "transcript_id": report.transcript_id,
        "agent_id": report.agent_id,
        "channel": report.channel,
        "status": report.status,
        "score": report.score,
        "passed": report.passed,
    }
    rows = []
    for violation in report.violations:
        row = violation.model_dump(exclude={"expected", "window", "trigger", "repeat"})
        if violation.trigger is not None and row["matched"] is None:
            row["matched"] = violation.trigger.text  # what the customer or agent said
        rows.append({**base, **row})
    return _csv_lines(rows or [base])


def _csv_lines(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def csv_header() -> str:
    return ",".join(CSV_COLUMNS) + "\n"


def outcomes(
    records: Iterable[Record],
    scorer: Scorer,
    workers: int,
    output_format: str = "jsonl",
    channel: Channel | None = None,
) -> Generator[Outcome, None, None]:
    """Outcomes in input order, scored by ``workers`` processes (1: in this process).

    ``channel`` applies to records that do not name their own.
    """
    _install(scorer, output_format, channel)
    # What loads on first need (jieba, pypinyin, each role's compiled core) loads now: the
    # forked workers share it, and the heap is frozen with it in.
    scorer.checker.warm_up()
    scorer.customer_checker.warm_up()
    if workers <= 1:
        with _frozen_heap():
            for chunk in _chunks(records):
                yield from score_records(chunk)
        return
    context = multiprocessing.get_context(start_method())
    shipped = None if context.get_start_method() == "fork" else scorer
    with _frozen_heap():  # forked workers start with the loaded scorer frozen too
        pool = context.Pool(workers, _worker_init, (shipped, output_format, channel))
        try:
            for scored in pool.imap(score_records, _chunks(records)):
                yield from scored
            pool.close()
        finally:
            _stop(pool)


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """Keep what is alive now — the scorer's compiled rules, dictionaries and models, a few
    hundred thousand objects — out of the garbage collector's passes while scoring.

    A chunk of transcripts in the making holds tens of thousands of objects, enough to set
    off full collections that walk the whole heap again and again (a quarter of a worker's
    time when measured). What is frozen is moved back when the run ends — unless something
    was frozen already (the caller's own freeze, or another run in this process): unfreezing
    cannot be partial, so then the heap is left as it was found.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _chunks(records: Iterable[Record]) -> Iterator[list[Record]]:
    """The records in lists of ``CHUNK``: what a worker scores at once.

    Ctrl-C while a list is filling (a slow feed on standard input) hands on what was read so
    far before the interrupt goes on: those records left their pipe and must not be lost."""
    iterator = iter(records)
    while True:
        chunk: list[Record] = []
        try:
            chunk.extend(islice(iterator, CHUNK))
        except KeyboardInterrupt:
            if chunk:
                yield chunk
            raise
        if not chunk:
            return
        yield chunk


_STOP_SECONDS = 10.0


def _stop(pool: Any) -> None:
    """Terminate the workers, waiting at most ``_STOP_SECONDS``.

    ``Pool.terminate`` joins the pool's handler threads, and when Ctrl-C lands while its result
    handler is reading from a worker it is killing, that join can wait for ever (seen once in
    CI: the parent hung with both workers dead). The workers are killed first either way; the
    threads are daemons, so a run that gives up on them still exits.
    """
    stopper = threading.Thread(target=_terminate, args=(pool,), daemon=True)
    stopper.start()
    stopper.join(_STOP_SECONDS)


def _terminate(pool: Any) -> None:
    pool.terminate()
    pool.join()


def start_method() -> str:
    """fork where the platform has it (workers inherit the warm scorer), else spawn (the
    scorer is pickled to each worker). ``PHRASECHECK_START_METHOD`` forces one: tests use
    it to prove the spawned path on Linux."""
    forced = os.environ.get("PHRASECHECK_START_METHOD")
    methods = multiprocessing.get_all_start_methods()
    if forced:
        if forced not in methods:
            raise ValueError(
                f"PHRASECHECK_START_METHOD={forced!r}: use one of {', '.join(methods)}"
            )
        return forced
    return "fork" if "fork" in methods else "spawn"


def run(
    records: Iterable[Record],
    scorer: Scorer,
    out: TextIO,
    *,
    workers: int = 2,
    output_format: str = "jsonl",
    channel: Channel | None = None,
    on_outcome: Callable[[Tally], None] | None = None,
    bom: bool = True,
    progress: ReadProgress | None = None,
    skipped_files: int = 0,
    on_result: Callable[[Record, Outcome], None] | None = None,
) -> Summary:
    """Score every record into ``out``; return the summary (also after Ctrl-C).

    ``on_result`` sees each record with its outcome (the HTML report keeps the turns of a
    few); records wait for their outcome in a queue no longer than the pool's read-ahead.

    CSV output starts with a byte-order mark (unless ``bom`` is False): without one, Excel
    reads UTF-8 as the local code page and shows Chinese as mojibake. A closed output (a
    pipe whose reader quit) raises BrokenPipeError after the workers are stopped.
    """
    tally = Tally()
    pending: deque[Record] = deque()
    if on_result is not None:
        records = _remembered(records, pending)
    started = time.perf_counter()
    interrupted = False
    if output_format == "csv":
        out.write(("\ufeff" if bom else "") + csv_header())
    write = _writer(out)
    stream = outcomes(records, scorer, workers, output_format, channel)
    try:
        for outcome in stream:
            with _whole(on_result is not None):
                write(outcome.output)
                if outcome.error:
                    tally.add_error(outcome.transcript_id)
                else:
                    tally.add(outcome)
                if on_outcome is not None:
                    on_outcome(tally)
                if on_result is not None:
                    on_result(pending.popleft(), outcome)
        out.flush()
    except KeyboardInterrupt:
        interrupted = True
        out.flush()
    finally:
        stream.close()  # stops the workers whatever ended the run
    warnings = [] if progress is None else list(progress.warnings)
    if skipped_files:
        warnings.append(f"skipped {skipped_files:,} file(s) in folders or globs: not transcripts")
    return tally.summary(
        time.perf_counter() - started,
        interrupted,
        warnings=warnings,
        skipped_files=skipped_files,
        ruleset=scorer.version,
    )


def _writer(out: TextIO) -> Callable[[str | bytes], object]:
    """Writes outputs to ``out``: bytes go straight to the binary file under a UTF-8 text
    stream (a report is encoded once, in the worker), text through the stream."""
    binary = getattr(out, "buffer", None)
    encoding = getattr(out, "encoding", None)
    translated = os.linesep != "\n" or getattr(out, "line_buffering", False)
    if binary is None or translated or not encoding or codecs.lookup(encoding).name != "utf-8":

        def through_text(output: str | bytes) -> object:
            return out.write(output if isinstance(output, str) else output.decode("utf-8"))

        return through_text
    errors = getattr(out, "errors", None) or "strict"
    out.flush()  # what was written as text (a CSV header) goes first

    def direct(output: str | bytes) -> object:
        if isinstance(output, str):
            output = output.encode("utf-8", errors)
        return binary.write(output)

    return direct


def _remembered(records: Iterable[Record], pending: deque[Record]) -> Iterator[Record]:
    """The records, each queued as it goes out, to be paired with its outcome (in order)."""
    for record in records:
        pending.append(record)
        yield record


@contextmanager
def _whole(enabled: bool) -> Iterator[None]:
    """Ctrl-C waits until one outcome is written, counted and handed on, so that the output,
    the summary and what ``on_result`` built (the HTML report) hold the same records."""
    if not enabled:
        yield
        return
    caught: list[int] = []
    try:
        previous = signal.signal(signal.SIGINT, lambda number, frame: caught.append(number))
    except ValueError:  # not the main thread: signals cannot be handled here anyway
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)
    if caught:
        raise KeyboardInterrupt
