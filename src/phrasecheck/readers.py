"""Streaming readers for transcript exports: JSON Lines, CSV/TSV (a turn per row), plain text.

Every reader yields :class:`Record` objects, one per transcript, in file order, without
reading a whole file into memory. A record that cannot be read carries an ``error`` naming
what went wrong; the batch turns it into an error line and goes on, so nothing is lost.
Bytes are decoded line by line: UTF-8 (with or without BOM) unless the file's first
megabyte is not UTF-8, in which case GB18030, which Chinese exports often use.
"""

from __future__ import annotations

import csv
import glob
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

FORMATS = ("jsonl", "csv", "tsv", "txt")
_EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".txt": "txt",
}
_SNIFF_BYTES = 1 << 20
_FIELD_LIMIT = 1 << 26  # csv's default 128 KiB is shorter than a long turn can be
TRANSCRIPT_FIELDS = ("agent_id", "channel", "direction", "started_at")
TURN_FIELDS = ("role", "text", "start", "end")


@dataclass
class Record:
    """One transcript as read from a file, or the reason it could not be read."""

    source: str
    line: int | None
    data: Any = None  # a dict for the Transcript model, or raw JSON text (decoded by workers)
    error: str | None = None
    transcript_id: str | None = None


@dataclass
class ReadProgress:
    """Bytes read so far across all inputs, for a progress bar's ETA."""

    bytes_read: int = 0


@dataclass
class _Lines:
    """Decoded lines of a binary stream; undecodable lines are reported, not raised."""

    stream: BinaryIO
    encoding: str
    progress: ReadProgress | None = None
    bad: dict[int, str] = field(default_factory=dict)

    def __iter__(self) -> Iterator[tuple[int, str]]:
        progress = self.progress
        for number, raw in enumerate(self.stream, start=1):
            if progress is not None:
                progress.bytes_read += len(raw)
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield number, raw.decode(self.encoding)
            except UnicodeDecodeError as error:
                self.bad[number] = f"bytes not valid {self.encoding} at column {error.start + 1}"
                yield number, ""


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """Files named by paths, folders (their transcript files, sorted) and glob patterns."""
    files: list[str] = []
    for item in inputs:
        path = Path(item)
        if item == "-" or path.is_file():
            files.append(item)
        elif path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in _EXTENSIONS
            )
            files.extend(str(p) for p in found)
        elif glob.has_magic(item):
            files.extend(sorted(glob.glob(item, recursive=True)))
        else:
            files.append(item)  # reported as an unreadable input by read_file
    return files


def detect_format(name: str, forced: str | None) -> str | None:
    if forced:
        return forced
    return _EXTENSIONS.get(Path(name).suffix.lower())


def sniff_encoding(stream: BinaryIO) -> str:
    """utf-8 or gb18030, by which decodes more non-ASCII lines of the first megabyte.

    Peeks without consuming. Counting lines, not failing on the first bad byte, keeps one
    corrupt line from switching a whole UTF-8 file to GB18030.
    """
    head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES] if hasattr(stream, "peek") else b""
    votes = {"utf-8": 0, "gb18030": 0}
    for line in head.split(b"\n")[:-1] or [head]:
        if line.isascii():
            continue
        for encoding in votes:
            try:
                line.decode(encoding)
            except UnicodeDecodeError:
                continue
            votes[encoding] += 1
            break
    return "gb18030" if votes["gb18030"] > votes["utf-8"] else "utf-8"


def read_inputs(
    inputs: Iterable[str],
    input_format: str | None = None,
    encoding: str | None = None,
    progress: ReadProgress | None = None,
) -> Iterator[Record]:
    for name in expand_inputs(inputs):
        yield from read_file(name, input_format, encoding, progress)


def read_file(
    name: str,
    input_format: str | None = None,
    encoding: str | None = None,
    progress: ReadProgress | None = None,
) -> Iterator[Record]:
    fmt = detect_format(name, input_format) or ("jsonl" if name == "-" else None)
    if fmt is None:
        yield Record(name, None, error="unknown input format; use --input-format")
        return
    try:
        stream = _open_binary(name)
    except OSError as error:
        yield Record(name, None, error=f"cannot open: {error.strerror or error}")
        return
    lines = _Lines(stream, encoding or sniff_encoding(stream), progress)
    reader = {"jsonl": _read_jsonl, "csv": _read_table, "tsv": _read_table, "txt": _read_text}
    last = None
    try:
        for record in reader[fmt](name, lines, "\t" if fmt == "tsv" else ","):
            last = record.line
            yield record
    except Exception as error:  # whatever stops a reader is reported, and the run goes on
        after = f" after line {last}" if last else ""
        yield Record(name, None, error=f"reading stopped{after}: {type(error).__name__}: {error}")
    finally:
        stream.close()


def _open_binary(name: str) -> BinaryIO:
    """The file, or standard input, with a buffer as large as the sniff (peek sees 1 MiB)."""
    if name != "-":
        return open(name, "rb", buffering=_SNIFF_BYTES)
    try:
        return open(sys.stdin.fileno(), "rb", buffering=_SNIFF_BYTES, closefd=False)
    except (AttributeError, OSError, ValueError):  # a stand-in stdin without a descriptor
        return sys.stdin.buffer


def _read_jsonl(name: str, lines: _Lines, _delimiter: str) -> Iterator[Record]:
    for number, text in lines:
        if number in lines.bad:
            yield Record(name, number, error=lines.bad[number])
        elif text.strip():
            yield Record(name, number, data=text)


@dataclass
class _Group:
    """The rows of one transcript, and what went wrong reading them."""

    transcript_id: str
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _read_table(name: str, lines: _Lines, delimiter: str) -> Iterator[Record]:
    """Rows of turns, grouped by consecutive transcript_id.

    A transcript any of whose rows cannot be read (bad bytes, a broken quote, a row with
    more or fewer fields than the header) becomes one error record naming those lines, never
    a report that silently lacks a turn. TSV is read without quoting, as TSV exports write it.
    """
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    position = [0]

    def texts() -> Iterator[str]:
        for number, text in lines:
            position[0] = number
            yield text

    if delimiter == "\t":
        reader = csv.reader(texts(), delimiter=delimiter, quoting=csv.QUOTE_NONE)
    else:
        reader = csv.reader(texts(), delimiter=delimiter)
    try:
        header = [column.strip() for column in next(reader)]
    except (StopIteration, csv.Error):
        yield Record(name, 1, error="no readable header row")
        return
    missing = {"transcript_id", "role", "text"} - set(header)
    if missing:
        yield Record(name, 1, error=f"header lacks column(s) {', '.join(sorted(missing))}")
        return
    id_column = header.index("transcript_id")
    group: _Group | None = None
    seen_bad: set[int] = set()
    while True:
        try:
            fields = next(reader)
            problem = None
        except StopIteration:
            break
        except csv.Error as error:
            fields, problem = [], f"unreadable row ({error})"
        number = position[0]
        problems = [f"line {bad}: {lines.bad[bad]}" for bad in sorted(set(lines.bad) - seen_bad)]
        seen_bad.update(lines.bad)
        if problem is None and len(fields) not in (0, len(header)):
            problem = f"row has {len(fields)} fields, the header {len(header)}"
        if problem is not None:
            problems.append(f"line {number}: {problem}")
        transcript_id = fields[id_column].strip() if len(fields) > id_column else ""
        if transcript_id and (group is None or group.transcript_id != transcript_id):
            if group is not None:
                yield _group_record(name, group)
            group = _Group(transcript_id)
        if problems:
            if group is None:
                yield Record(name, number, error="; ".join(problems))
            else:
                group.problems.extend(problems)
            continue
        if not any(value.strip() for value in fields):
            continue  # a blank line
        if not transcript_id or group is None:
            yield Record(name, number, error="row has no transcript_id")
            continue
        group.rows.append((number, dict(zip(header, fields, strict=True))))
    if group is not None:
        yield _group_record(name, group)


def _group_record(name: str, group: _Group) -> Record:
    if group.problems or not group.rows:
        reason = "; ".join(group.problems) or "no readable rows"
        first = group.rows[0][0] if group.rows else None
        return Record(name, first, error=reason, transcript_id=group.transcript_id)
    return _table_record(name, group.rows)


def _table_record(name: str, group: list[tuple[int, dict[str, str]]]) -> Record:
    first_line, first = group[0]
    transcript_id = first["transcript_id"].strip()
    order_key = "turn_index" if "turn_index" in first else "order" if "order" in first else None
    try:
        if order_key:
            group = sorted(group, key=lambda item: float(item[1][order_key]))
    except (TypeError, ValueError):
        return Record(
            name,
            first_line,
            error=f"column {order_key} is not a number",
            transcript_id=transcript_id,
        )
    turns = []
    for _, row in group:
        turn = {key: row[key] for key in TURN_FIELDS if row.get(key) not in (None, "")}
        turn.setdefault("text", "")
        turns.append(turn)
    data: dict[str, Any] = {"id": transcript_id, "turns": turns}
    metadata: dict[str, Any] = {}
    known = {"transcript_id", order_key, *TURN_FIELDS}
    for key, value in first.items():
        if key is None or key in known or value in (None, ""):
            continue
        (data if key in TRANSCRIPT_FIELDS else metadata)[key] = value
    if metadata:
        data["metadata"] = metadata
    return Record(name, first_line, data=data, transcript_id=transcript_id)


_PREFIX = re.compile(r"^\s*([^\s:：]{1,8})\s*[:：]\s?(.*)$")
_SPEAKER = re.compile(r"[^\W\d_]{1,6}")  # letters only: 坐席, 客户, A, Agent
_TEXT_ROLES = {"A": "agent", "B": "customer"}


def _read_text(name: str, lines: _Lines, _delimiter: str) -> Iterator[Record]:
    """One transcript per file: ``坐席：…``/``客户：…`` or ``A: …``/``B: …`` lines."""
    from phrasecheck.transcript import ROLE_LABELS

    transcript_id = Path(name).stem if name != "-" else "stdin"
    turns: list[dict[str, str]] = []
    for number, text in lines:
        if number in lines.bad:
            yield Record(name, number, error=lines.bad[number], transcript_id=transcript_id)
            return
        if not text.strip():
            continue
        match = _PREFIX.match(text.rstrip("\r\n"))
        if (match and not _SPEAKER.fullmatch(match.group(1))) or text.lstrip().startswith("http"):
            match = None  # 3:00到…, http://…: text with a colon, not a speaker label
        label = match.group(1) if match else None
        role = _TEXT_ROLES.get(label or "") or ROLE_LABELS.get((label or "").lower())
        if role and match:
            turns.append({"role": role, "text": match.group(2).strip()})
        elif match:
            yield Record(name, number, error=f"unknown role {label!r}", transcript_id=transcript_id)
            return
        elif turns:
            turns[-1]["text"] += text.strip()  # a wrapped line (even 3:00到…) continues it
        else:
            yield Record(
                name,
                number,
                error="line has no role prefix (坐席：, 客户：, A:, B:)",
                transcript_id=transcript_id,
            )
            return
    if not turns:
        yield Record(name, None, error="no turns found", transcript_id=transcript_id)
        return
    yield Record(name, 1, data={"id": transcript_id, "turns": turns}, transcript_id=transcript_id)


def decode_record(record: Record) -> dict[str, Any] | list[Any]:
    """The record's transcript data as a dict (JSON text is parsed here, in the worker)."""
    if isinstance(record.data, str):
        data = json.loads(record.data)
        if not isinstance(data, (dict, list)):
            raise ValueError("a JSON line must hold a transcript object")
        return data
    return record.data
