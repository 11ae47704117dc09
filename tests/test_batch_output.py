"""The batch path's fast output is the models' output, byte for byte, and nothing is lost.

``phrasecheck score`` writes reports from the scorer's plain data with orjson instead of
validating and serialising the pydantic models, and sends records and outcomes between
processes as tuples and bytes. These tests hold it to the models: on the samples, the written
dialogues and a generated corpus, every line equals ``score_data(...).model_dump_json()``
(the path it replaced), and every input record yields one line.
"""

import io
import json
import pickle
import sys
from copy import deepcopy
from pathlib import Path

import pytest
from pydantic_core import PydanticSerializationError

from phrasecheck import batch, reportjson
from phrasecheck.readers import Record, decode_record, read_inputs
from phrasecheck.report import ScoreReport
from phrasecheck.scoring import Scorer

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def scorer():
    return Scorer()


@pytest.fixture(scope="module")
def generated():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import corpus
    finally:
        sys.path.remove(str(BENCHMARKS))
    return list(corpus.transcripts(400, seed=5, turns=20))


def _transcripts(root, generated):
    lines = (root / "samples" / "transcripts.jsonl").read_text(encoding="utf-8").splitlines()
    lines += (root / "tests" / "dialogues" / "written.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()] + generated


def test_report_data_is_the_report_and_serialises_to_its_json(scorer, root, generated):
    transcripts = _transcripts(root, generated)
    assert len(transcripts) > 450
    channels = set()
    for data in transcripts:
        plain = scorer.report_data(data)
        report = scorer.score(data)
        assert plain == report.model_dump()
        assert reportjson.report_json(plain) == report.model_dump_json().encode("utf-8")
        channels.add(plain["channel"])
    assert channels == {"phone", "chat", "social"}


def test_the_plain_data_path_skips_the_models(scorer, root, generated, monkeypatch):
    """The shape check passes on real reports, so the models are not built at all."""

    def refuse(data):
        raise AssertionError("the fast path fell back to the models")

    monkeypatch.setattr(reportjson.ScoreReport, "model_validate", refuse)
    for data in _transcripts(root, generated)[:120]:
        assert reportjson.report_json(scorer.report_data(data)).startswith(b'{"schema_version"')


def test_a_shape_the_models_do_not_have_goes_through_them(scorer, root):
    lines = (root / "samples" / "transcripts.jsonl").read_text(encoding="utf-8").splitlines()
    plain = next(p for p in map(scorer.report_data, map(json.loads, lines)) if p["violations"])
    expected = ScoreReport.model_validate(plain).model_dump_json().encode("utf-8")
    extra = {**plain, "later_field": 1}  # a field the scorer added but the model lacks
    assert reportjson.report_json(extra) == expected
    reordered = {"transcript_id": plain["transcript_id"], **plain}
    assert reportjson.report_json(reordered) == expected
    violation = {**plain["violations"][0]}
    del violation["fatal"]  # a violation missing a field: the model's default
    missing = {**plain, "violations": [violation, *plain["violations"][1:]]}
    assert reportjson.report_json(missing) == expected


def test_a_misshapen_object_inside_a_report_is_found(scorer, generated):
    """Objects the scorer shares within a report (a trigger in its outcome and its
    violation, one expected list for every violation of an expectation) are checked once;
    a wrong shape is found wherever it is, shared or not."""
    plain = next(
        p
        for p in map(scorer.report_data, generated)
        if p["polite"] and any(v["trigger"] for v in p["violations"])
    )
    assert reportjson._shaped(plain)
    missed = next(i for i, v in enumerate(plain["violations"]) if v["trigger"] is not None)
    met = next(i for i, o in enumerate(plain["expectations"]) if o["evidence"] is not None)

    def reordered(item: dict) -> dict:
        return dict(reversed(item.items()))

    def broken(change) -> dict:
        copy = deepcopy(plain)  # keeps what is shared shared
        change(copy)
        return copy

    def shared_trigger(copy):
        trigger = copy["violations"][missed]["trigger"]
        flipped = reordered(trigger)
        trigger.clear()
        trigger.update(flipped)  # in place: its outcome holds the same object

    def own_trigger(copy):
        copy["violations"][missed]["trigger"] = reordered(copy["violations"][missed]["trigger"])

    def expected_entry(copy):
        expected = copy["violations"][missed]["expected"]
        expected[-1] = reordered(expected[-1])  # in place: the list may be shared

    def evidence(copy):
        copy["expectations"][met]["evidence"] = reordered(copy["expectations"][met]["evidence"])

    def polite(copy):
        copy["polite"][-1] = reordered(copy["polite"][-1])

    for change in (shared_trigger, own_trigger, expected_entry, evidence, polite):
        odd = broken(change)
        assert not reportjson._shaped(odd), change.__name__
        expected = ScoreReport.model_validate(odd).model_dump_json().encode("utf-8")
        assert reportjson.report_json(odd) == expected, change.__name__


def test_text_orjson_refuses_goes_to_the_models_and_fails_as_it_did(scorer):
    """The scorer scrubs lone surrogates from all it copies; were one to slip through, the
    models refuse it as before (the batch writes an internal-error record for it)."""
    plain = scorer.report_data({"id": "s1", "turns": [{"role": "agent", "text": "您好"}]})
    odd = {**plain, "channel_reason": "lone \udc80 surrogate"}
    with pytest.raises(PydanticSerializationError):
        ScoreReport.model_validate(odd).model_dump_json()
    with pytest.raises(PydanticSerializationError):
        reportjson.report_json(odd)


def _old_line(scorer, record):
    """What the batch path wrote before: the models, or an error record."""
    try:
        data = decode_record(record)
    except json.JSONDecodeError as error:
        return None, f"invalid JSON: {error.msg} at column {error.pos + 1}"
    except ValueError as error:
        return None, str(error)
    report = batch.score_data(scorer, data)
    if isinstance(report, str):
        return None, report
    return report.model_dump_json(), None


def test_every_record_gives_the_line_the_models_gave(scorer, root, generated, tmp_path):
    """Samples, dialogues, generated transcripts and bad lines, through two workers."""
    lines = [json.dumps(t, ensure_ascii=False) for t in _transcripts(root, generated)]
    bad = ['{"id": "broken", "turns": [', '{"id": "no-turns"}', "[1, 2]", '"text"']
    bad += ['{"id": "bad-role", "turns": [{"role": "主持人", "text": "您好"}]}']
    for offset, line in enumerate(bad):
        lines.insert(37 * offset + 5, line)
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with out.open("w", encoding="utf-8", errors="backslashreplace", newline="") as handle:
        summary = batch.run(read_inputs([str(source)]), scorer, handle, workers=2)
    written = out.read_text(encoding="utf-8").splitlines()
    assert len(written) == len(lines) == summary.records
    assert summary.errors == len(bad)
    records = list(read_inputs([str(source)]))
    errors = 0
    for record, line in zip(records, written, strict=True):
        expected, reason = _old_line(scorer, record)
        if expected is not None:
            assert line == expected
        else:
            errors += 1
            error = json.loads(line)
            assert error["line"] == record.line and reason in error["error"]
    assert errors == len(bad)


def _mixed_records(root, generated):
    """Good transcripts with every kind of bad record among them, as one chunk."""
    lines = [json.dumps(t, ensure_ascii=False) for t in _transcripts(root, generated)[:60]]
    bad = ['{"id": "broken", "turns": [', '{"id": "no-turns"}', "[1, 2]", '"text"']
    bad += ['{"id": "bad-role", "turns": [{"role": "主持人", "text": "您好"}]}', "[]"]
    for offset, line in enumerate(bad):
        lines.insert(9 * offset + 3, line)
    return [Record("in.jsonl", number, line) for number, line in enumerate(lines, 1)]


def test_a_chunk_scored_at_once_gives_each_record_its_own_outcome(scorer, root, generated):
    """score_records calls the matcher once for the chunk; every outcome is the one the
    record gets alone, errors included, in order."""
    records = _mixed_records(root, generated)
    bad_json = '{"id": "broken", "turns": ['
    batch._install(scorer, "jsonl")
    together = batch.score_records(records)
    alone = [batch.score_records([record])[0] for record in records]
    assert together == alone
    assert sum(outcome.error for outcome in together) == 5  # "[]" is an unscorable transcript
    datas = [json.loads(record.data) for record in records if record.data != bad_json]
    many = scorer.report_data_many(datas)
    for data, found in zip(datas, many, strict=True):
        if isinstance(found, Exception):
            with pytest.raises(type(found)):
                scorer.report_data(data)
        else:
            assert found == scorer.report_data(data)


def test_a_chunk_the_matcher_fails_on_is_scored_record_by_record(
    scorer, root, generated, monkeypatch
):
    """Were the matcher to fail on one transcript of a chunk, the others are still scored,
    and that one gets the error it gets alone."""
    records = _mixed_records(root, generated)
    batch._install(scorer, "jsonl")
    alone = [batch.score_records([record])[0] for record in records]
    from phrasecheck.scoreview import View

    build_many = View.build_many.__func__

    def fails_on_many(cls, transcripts, agent, customer):
        if len(transcripts) > 1:
            raise RuntimeError("the matcher failed")
        return build_many(cls, transcripts, agent, customer)

    monkeypatch.setattr(View, "build_many", classmethod(fails_on_many))
    assert batch.score_records(records) == alone


def test_one_worker_and_two_write_the_same_bytes(scorer, root, generated, tmp_path):
    source = tmp_path / "in.jsonl"
    lines = [json.dumps(t, ensure_ascii=False) for t in _transcripts(root, generated)]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = []
    for workers in (1, 2):
        out = tmp_path / f"out{workers}.jsonl"
        with out.open("w", encoding="utf-8", errors="backslashreplace", newline="") as handle:
            batch.run(read_inputs([str(source)]), scorer, handle, workers=workers)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"\n") == len(lines)


def test_a_text_stream_without_a_binary_buffer_gets_text(scorer, root):
    source = root / "samples" / "transcripts.jsonl"
    text = io.StringIO()
    batch.run(read_inputs([str(source)]), scorer, text, workers=1)
    lines = text.getvalue().splitlines()
    assert len(lines) == 30
    assert all(json.loads(line)["schema_version"] == "2.0" for line in lines)


def test_records_and_outcomes_pickle_as_they_were():
    record = Record("in.jsonl", 7, data='{"id": 1}', transcript_id="x", item=None)
    assert pickle.loads(pickle.dumps(record)) == record
    outcome = batch.Outcome(
        output=b'{"a": 1}\n',
        error=False,
        transcript_id="t1",
        agent_id="A01",
        score=85.0,
        passed=True,
        channel="chat",
        channel_inferred=True,
        violations=(("taboo", "T01", None), ("missing_opening", None, "opening_greeting")),
    )
    assert pickle.loads(pickle.dumps(outcome)) == outcome
    assert len(pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)) < 200


def test_the_summary_figures_are_those_of_the_report(scorer, root, generated):
    for data in _transcripts(root, generated)[:100]:
        plain = scorer.report_data(data)
        fast = batch.Outcome.of_data(plain, b"")
        assert fast == batch.Outcome.of(scorer.score(data), b"")


def test_normalization_never_drops_a_letter_or_digit():
    """speech.is_system_line trusts this to skip normalizing a turn with a letter or digit."""
    from phrasecheck.normalize import normalize
    from phrasecheck.speech import _LETTER_OR_DIGIT

    dropped = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if _LETTER_OR_DIGIT.match(chr(code)) and not normalize(chr(code))
    ]
    assert dropped == []


@pytest.mark.parametrize(
    "text",
    ["", "  ", "[微笑]", " [微笑][玫瑰] ", "#E-s57", "好的[微笑]", "[图片]", "。。。", "👍", "\u200b",
     "https://x.cn/a", "a.jpg", "订单号：[ORDERID_123]", "您好", "#1", "[[x]]", "ｈｅｌｌｏ", "\u0301"],
)
def test_system_lines_as_before(text):
    from phrasecheck import speech
    from phrasecheck.normalize import normalize

    before = (
        not normalize(text)
        or bool(speech._SYSTEM_LINE.match(text))
        or (bool(text.strip()) and not speech._PLACEHOLDER.sub("", text.strip()).strip())
    )
    assert speech.is_system_line(text) == before


def test_bytes_go_through_the_text_layer_of_a_stream_in_another_encoding(scorer, root):
    """Straight to the binary file only under UTF-8; GB18030 output still gets GB18030."""
    source = root / "samples" / "transcripts.jsonl"
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="gb18030", newline="")
    batch.run(read_inputs([str(source)]), scorer, stream, workers=1)
    stream.flush()
    lines = raw.getvalue().decode("gb18030").splitlines()
    assert len(lines) == 30 and all(json.loads(line)["profile"] for line in lines)
    assert "您" in raw.getvalue().decode("gb18030")


def test_a_line_buffered_stream_is_written_as_text(scorer, root):
    """A terminal's stream is line-buffered: each line shows as soon as it is scored."""
    source = root / "samples" / "transcripts.jsonl"
    raw = io.BytesIO()
    stream = io.TextIOWrapper(io.BufferedWriter(raw), encoding="utf-8", line_buffering=True)
    seen = []

    def shown(tally):
        seen.append((raw.getvalue().count(b"\n"), tally.transcripts + tally.errors))

    batch.run(read_inputs([str(source)]), scorer, stream, workers=1, on_outcome=shown)
    assert len(seen) == 30 and all(lines == records for lines, records in seen)


def test_ctrl_c_while_a_chunk_fills_keeps_the_records_already_read(scorer, root):
    """A slow feed: Ctrl-C lands while the 256-record chunk is still filling. The records
    already taken from the input are scored and written before the run stops."""
    source = root / "samples" / "transcripts.jsonl"

    def feed():
        for index, record in enumerate(read_inputs([str(source)])):
            if index == 7:
                raise KeyboardInterrupt
            yield record

    text = io.StringIO()
    summary = batch.run(feed(), scorer, text, workers=1)
    lines = text.getvalue().splitlines()
    assert summary.interrupted
    assert len(lines) == 7 == summary.records
    assert [json.loads(line)["transcript_id"] for line in lines] == [
        json.loads(line)["id"] for line in source.read_text("utf-8").splitlines()[:7]
    ]


class PanicException(BaseException):
    """Stands for PyO3's panic, which derives from BaseException, not Exception."""


PanicException.__module__ = "pyo3_runtime"


def test_a_core_panic_on_one_transcript_is_its_error_record(scorer, root, monkeypatch):
    source = root / "samples" / "transcripts.jsonl"
    ids = [json.loads(line)["id"] for line in source.read_text("utf-8").splitlines()]
    victim = ids[4]
    report = Scorer._report

    def panicking(self, transcript, choice, view):
        if transcript.id == victim:
            raise PanicException("index out of bounds")
        return report(self, transcript, choice, view)

    monkeypatch.setattr(Scorer, "_report", panicking)
    text = io.StringIO()
    summary = batch.run(read_inputs([str(source)]), scorer, text, workers=1)
    lines = [json.loads(line) for line in text.getvalue().splitlines()]
    assert [line["transcript_id"] for line in lines] == ids  # nothing lost, order kept
    (failed,) = [line for line in lines if "error" in line]
    assert failed["transcript_id"] == victim and "compiled core failed" in failed["error"]
    assert summary.errors == 1 and summary.scored == len(ids) - 1

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(Scorer, "_report", interrupted)  # Ctrl-C is not a record's error
    stopped = batch.run(read_inputs([str(source)]), scorer, io.StringIO(), workers=1)
    assert stopped.interrupted and stopped.errors == 0


def test_a_callers_frozen_heap_stays_frozen(scorer, root):
    import gc

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        samples = read_inputs([str(root / "samples" / "transcripts.jsonl")])
        batch.run(samples, scorer, io.StringIO(), workers=1)
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
    samples = read_inputs([str(root / "samples" / "transcripts.jsonl")])
    batch.run(samples, scorer, io.StringIO(), workers=1)
    assert gc.get_freeze_count() == 0  # a run that froze the heap moves it back
