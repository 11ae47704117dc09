"""Reading report records (from files, or from a run as it happens) into one HTML report.

Records are the CLI's JSON Lines: a ``ScoreReport`` or an error record per line. The same
report wrapped as ``{"report": ...}`` (an object, or a JSON string as a Spark JSON column
holds it) and a batch ``{"reports": [...]}`` are read too. A line that is none of these
counts as an error naming the file and line, like any record that could not be scored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from phrasecheck.batch import Outcome
from phrasecheck.htmlreport.details import DetailKeeper, DetailOptions, Kept
from phrasecheck.htmlreport.stats import ErrorLine, Stats
from phrasecheck.readers import Record, decode_record, read_inputs
from phrasecheck.report import ScoreReport
from phrasecheck.transcript import Transcript
from phrasecheck.yamlfile import validation_details


class ReportBuilder:
    """Feed it records; it keeps the figures over all of them and the details of a few."""

    def __init__(self, options: DetailOptions | None = None) -> None:
        self.stats = Stats()
        self.keeper = DetailKeeper(options or DetailOptions())
        self._chosen: list[Kept] | None = None

    # --- records -------------------------------------------------------------------------
    def add_report(self, report: ScoreReport, transcript: Any = None) -> None:
        """One scored transcript; ``transcript`` (as read: JSON text or a dict) gives its turns."""
        self._chosen = None
        self.stats.add(report)
        self.keeper.offer(report, transcript)

    def add_outcome(self, record: Record, outcome: Outcome) -> None:
        """One result of a scoring run, with the record it came from (for its turns)."""
        if outcome.error:
            self.add_record(json.loads(outcome.output), record.source, record.line)
        else:
            self.add_report(ScoreReport.model_validate_json(outcome.output), record.data)

    def add_error(
        self, source: str, line: int | None, transcript_id: str | None, error: str
    ) -> None:
        self.stats.add_error(ErrorLine(source, line, transcript_id, error))

    def add_record(self, data: Any, source: str, line: int | None) -> None:
        """A parsed JSON record of any accepted shape."""
        if isinstance(data, dict) and "reports" in data and isinstance(data["reports"], list):
            for item in data["reports"]:
                self.add_record(item, source, line)
            return
        if isinstance(data, dict) and "report" in data and "status" not in data:
            inner = data["report"]
            if isinstance(inner, str):
                try:
                    inner = json.loads(inner)
                except json.JSONDecodeError as error:
                    self.add_error(source, line, None, f"report column is not JSON: {error.msg}")
                    return
            data = inner
        if not isinstance(data, dict):
            self.add_error(source, line, None, "not a score report: a JSON object is needed")
            return
        if "error" in data and "status" not in data:
            self.add_error(
                str(data.get("source") or source),
                data.get("line") if data.get("source") else line,
                data.get("transcript_id"),
                str(data["error"]),
            )
            return
        try:
            report = ScoreReport.model_validate(data)
        except ValidationError as error:
            where = "; ".join(
                f"{'.'.join(map(str, loc))}: {message}" if loc else message
                for loc, message in validation_details(error)
            )
            self.add_error(source, line, data.get("transcript_id"), f"not a score report: {where}")
            return
        self.add_report(report)

    def read_scores(self, paths: Iterable[str]) -> None:
        """Stream JSON Lines files of records ('-' is standard input)."""
        for path in paths:
            for number, text in _lines(path):
                if not text.strip():
                    continue
                try:  # the usual line: one report, parsed and checked in one step
                    self.add_report(ScoreReport.model_validate_json(text))
                    continue
                except ValidationError:
                    pass  # an error record, a wrapped report, or not a report at all
                try:
                    data = json.loads(text)
                except json.JSONDecodeError as error:
                    self.add_error(path, number, None, f"invalid JSON: {error.msg}")
                    continue
                self.add_record(data, path, number)

    # --- turns ---------------------------------------------------------------------------
    def chosen(self) -> list[Kept]:
        if self._chosen is None:
            self._chosen = self.keeper.chosen()
        return self._chosen

    def attach_transcripts(
        self,
        inputs: Iterable[str],
        input_format: str | None = None,
        encoding: str | None = None,
    ) -> int:
        """Read transcripts (any format the scorer reads) and give the chosen ones their turns,
        joined by transcript id. Returns how many chosen transcripts found their turns."""
        wanted: dict[str, list[Kept]] = {}
        for kept in self.chosen():
            if kept.turns is None:
                wanted.setdefault(kept.report.transcript_id, []).append(kept)
        found = 0
        if not wanted:
            return found
        for record in read_inputs(inputs, input_format, encoding):
            turns = _turns(record, wanted)
            if turns is None:
                continue
            transcript_id, items = turns
            for kept in wanted.pop(transcript_id):
                kept.turns = items
                found += 1
            if not wanted:
                break
        return found

    def resolve_turns(self) -> None:
        """Turns of chosen transcripts that came with their source (a scoring run)."""
        for kept in self.chosen():
            if kept.turns is None and kept.source is not None:
                try:
                    kept.turns = _turn_dicts(Transcript.coerce(_decoded(kept.source)))
                except (ValueError, TypeError):
                    kept.turns = None
                kept.source = None

    # --- output --------------------------------------------------------------------------
    def render(
        self,
        *,
        run_date: datetime | None = None,
        title: str | None = None,
        warnings: list[str] | None = None,
        interrupted: bool = False,
    ) -> str:
        """The page. ``warnings`` replace the ones these records raise (a scoring run knows
        more: what its readers noticed); ``interrupted`` says the run was stopped early."""
        from phrasecheck.htmlreport.render import render

        self.resolve_turns()
        return render(
            self.stats,
            self.chosen(),
            self.keeper.options,
            run_date,
            title,
            warnings=warnings,
            interrupted=interrupted,
        )

    def write(self, path: str | Path, **kwargs: Any) -> None:
        Path(path).write_text(self.render(**kwargs), encoding="utf-8")


def _lines(path: str) -> Iterator[tuple[int, str]]:
    if path == "-":
        import sys

        yield from enumerate(sys.stdin, start=1)
        return
    with open(path, encoding="utf-8-sig", errors="replace") as stream:
        yield from enumerate(stream, start=1)


def _decoded(source: Any) -> Any:
    return json.loads(source) if isinstance(source, str) else source


def _turn_dicts(transcript: Transcript) -> list[dict]:
    return [{"role": turn.role, "text": turn.text} for turn in transcript.turns]


def _turns(record: Record, wanted: dict[str, list[Kept]]) -> tuple[str, list[dict]] | None:
    if record.error is not None:
        return None
    try:
        data = decode_record(record)
    except ValueError:
        return None
    transcript_id = data.get("id") if isinstance(data, dict) else None
    if transcript_id is None or str(transcript_id) not in wanted:
        return None
    try:
        transcript = Transcript.coerce(data)
    except ValueError:  # pydantic's ValidationError is a ValueError
        return None
    return transcript.id, _turn_dicts(transcript)
