"""Streaming readers for transcript exports: JSON Lines, JSON, CSV/TSV (a turn per row), text.

Every reader yields :class:`Record` objects, one per transcript, in file order, without
reading a whole file into memory. A record that cannot be read carries an ``error`` naming
what went wrong; the batch turns it into an error line and goes on, so nothing is lost.

Bytes are decoded before lines are split, so UTF-16 and UTF-32 work: a byte-order mark
decides the encoding first; otherwise ``--encoding``, otherwise UTF-8 unless the first
megabyte reads better as GB18030, which Chinese exports often use. :data:`FORMATS` is the one
table of input formats; the command line derives its choices, help and folder expansion
from it.
"""

from __future__ import annotations

import codecs
import csv
import glob
import io
import itertools
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from phrasecheck.textsafety import scrub

_SNIFF_BYTES = 1 << 20
_FIELD_LIMIT = 1 << 26  # csv's default 128 KiB is shorter than a long turn can be
TRANSCRIPT_FIELDS = ("agent_id", "channel", "direction", "started_at")
TURN_FIELDS = ("role", "text", "start", "end")
TABLE_COLUMNS = ("transcript_id", "role", "text")

# Undecodable bytes become this marker (a lone surrogate, which no strict decoder produces),
# so a line can be reported as bad while the lines around it are still read.
_BAD = "\udfff"
_MARK_ERRORS = "phrasecheck-mark"


def _mark(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError), "registered for decoding only"
    return _BAD, error.end


codecs.register_error(_MARK_ERRORS, _mark)

_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass
class Record:
    """One transcript as read from a file, or the reason it could not be read."""

    source: str
    line: int | None
    data: Any = None  # a dict for the Transcript model, or raw JSON text (decoded by workers)
    error: str | None = None
    transcript_id: str | None = None
    item: int | None = None  # position in a JSON array, where there is no line to name

    def __reduce__(self) -> tuple[type[Record], tuple[Any, ...]]:
        """Pickles as a plain tuple (records cross to the worker processes one by one)."""
        fields = (self.source, self.line, self.data, self.error, self.transcript_id, self.item)
        return Record, fields


@dataclass
class ReadProgress:
    """Bytes read so far across all inputs (for a progress bar's ETA), and what the readers
    noticed that is not an error: empty files, interleaved or duplicate rows."""

    bytes_read: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Text:
    """The decoded text of one input: numbered lines, or the stream itself (for JSON).

    Lines whose bytes could not be decoded are listed in ``bad`` and read as empty.
    """

    stream: io.TextIOWrapper
    encoding: str
    binary: BinaryIO
    progress: ReadProgress | None = None
    bad: dict[int, str] = field(default_factory=dict)

    def lines(self, start: int = 1) -> Iterator[tuple[int, str]]:
        progress, binary = self.progress, self.binary
        position = _tell(binary)
        for number, text in enumerate(self.stream, start=start):
            if progress is not None and number % 64 == 0:
                now = _tell(binary)
                progress.bytes_read += now - position
                position = now
            if _BAD in text:
                column = text.index(_BAD) + 1
                self.bad[number] = f"bytes not valid {self.encoding} at column {column}"
                text = ""
            yield number, text
        if progress is not None:
            progress.bytes_read += _tell(binary) - position


def _tell(binary: BinaryIO) -> int:
    try:
        return binary.tell()
    except (OSError, ValueError):  # a pipe
        return 0


Reader = Callable[[str, _Text], Iterator[Record]]


@dataclass(frozen=True)
class InputFormat:
    """An input format: its name for ``--input-format``, the extensions that select it when
    reading a file or expanding a folder, the reader, and one line of help."""

    name: str
    extensions: tuple[str, ...]
    reader: Reader
    description: str
    two_pass: bool = False  # tables are read twice (ids first) to group interleaved rows


def expand_inputs(
    inputs: Iterable[str], exclude: Iterable[str] = (), skipped: list[str] | None = None
) -> list[str]:
    """Files named by paths, folders (their transcript files, sorted) and glob patterns.

    Folders and globs take files whose extension is an input format's; the others are
    appended to ``skipped``, as are the files in ``exclude`` (the run's own outputs). A path
    named explicitly is always kept: reading it, or refusing to, is the caller's decision.
    """
    excluded = [Path(path) for path in exclude]
    skipped = [] if skipped is None else skipped
    files: list[str] = []

    def take(found: Iterable[Path]) -> None:
        for path in sorted(found):
            if not path.is_file():
                continue
            if path.suffix.lower() not in EXTENSIONS or _same_as_any(path, excluded):
                skipped.append(str(path))
            else:
                files.append(str(path))

    for item in inputs:
        path = Path(item)
        if item == "-" or path.is_file():
            files.append(item)
        elif path.is_dir():
            take(path.rglob("*"))
        elif glob.has_magic(item):
            take(Path(found) for found in glob.glob(item, recursive=True))
        else:
            files.append(item)  # reported as an unreadable input by read_file
    return files


def _same_as_any(path: Path, others: list[Path]) -> bool:
    return any(same_file(path, other) for other in others)


def same_file(one: str | os.PathLike[str], other: str | os.PathLike[str]) -> bool:
    """True when both name one file: the same path, or links (symbolic or hard) to it."""
    try:
        return os.path.samefile(one, other)
    except OSError:  # one does not exist (yet): compare where the paths lead
        return Path(one).resolve() == Path(other).resolve()


def detect_format(name: str, forced: str | None) -> str | None:
    if forced:
        return forced
    return EXTENSIONS.get(Path(name).suffix.lower())


def sniff_encoding(head: bytes) -> str:
    """utf-8 or gb18030, by which decodes more non-ASCII lines of ``head``.

    Counting lines, not failing on the first bad byte, keeps one corrupt line from switching
    a whole UTF-8 file to GB18030. The last line may be cut short (the head ends mid-file)
    or may be the file's unterminated last line: it is decoded as possibly incomplete, so
    it still counts, and a character cut in two does not.
    """
    votes = {"utf-8": 0, "gb18030": 0}
    lines = head.split(b"\n")
    for number, line in enumerate(lines, start=1):
        if line.isascii():
            continue
        for encoding in votes:
            try:
                codecs.getincrementaldecoder(encoding)().decode(line, final=number < len(lines))
            except UnicodeDecodeError:
                continue
            votes[encoding] += 1
            break
    return "gb18030" if votes["gb18030"] > votes["utf-8"] else "utf-8"


def choose_encoding(head: bytes, forced: str | None) -> str:
    """A byte-order mark decides; then ``forced``; then :func:`sniff_encoding`."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    if forced:
        return forced
    return sniff_encoding(head)


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
        known = ", ".join(EXTENSIONS)
        yield Record(name, None, error=f"unknown input format (known: {known}); use --input-format")
        return
    try:
        binary = _open_binary(name, spool=FORMATS[fmt].two_pass or fmt == "txt")
    except OSError as error:
        yield Record(name, None, error=f"cannot open: {error.strerror or error}")
        return
    count = 0
    last = None
    try:
        text = _decode(binary, encoding, progress)
        for record in FORMATS[fmt].reader(name, text):
            count += 1
            last = record.line
            yield record
    except Exception as error:  # whatever stops a reader is reported, and the run goes on
        count += 1
        after = f" after line {last}" if last else ""
        yield Record(name, None, error=f"reading stopped{after}: {type(error).__name__}: {error}")
    finally:
        if binary is not sys.stdin.buffer:
            binary.close()
    if count == 0 and progress is not None:
        progress.warnings.append(f"{name}: no transcripts")


def _open_binary(name: str, spool: bool) -> BinaryIO:
    """The file, or standard input, with a buffer as large as the sniff (peek sees 1 MiB).

    Standard input is copied to a temporary file when the reader needs to read it twice.
    """
    if name != "-":
        return open(name, "rb", buffering=_SNIFF_BYTES)
    try:
        stdin: BinaryIO = open(  # noqa: SIM115 - handed to the reader, which closes it
            sys.stdin.fileno(), "rb", buffering=_SNIFF_BYTES, closefd=False
        )
    except (AttributeError, OSError, ValueError):  # a stand-in stdin without a descriptor
        stdin = sys.stdin.buffer
    if not spool:
        return stdin
    copy = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the reader it is returned to
    shutil.copyfileobj(stdin, copy)
    copy.seek(0)
    return io.BufferedReader(copy, buffer_size=_SNIFF_BYTES)  # type: ignore[arg-type]


def _decode(binary: BinaryIO, forced: str | None, progress: ReadProgress | None) -> _Text:
    head = binary.peek(_SNIFF_BYTES)[:_SNIFF_BYTES] if hasattr(binary, "peek") else b""
    encoding = choose_encoding(head, forced)
    stream = io.TextIOWrapper(binary, encoding=encoding, errors=_MARK_ERRORS, newline="")
    label = {"utf-8-sig": "utf-8", "utf-16": "utf-16", "utf-32": "utf-32"}.get(encoding, encoding)
    return _Text(stream, label, binary, progress)


def _rewound(text: _Text) -> _Text:
    """The same input from its start, for a second pass (no progress counted twice)."""
    text.stream.detach()
    text.binary.seek(0)
    return _decode(text.binary, text.encoding, text.progress)


# --- JSON Lines and JSON ---------------------------------------------------------------------


def _read_jsonl(name: str, text: _Text) -> Iterator[Record]:
    for number, line in text.lines():
        if number in text.bad:
            yield Record(name, number, error=text.bad[number])
        elif line.strip():
            yield Record(name, number, data=line.rstrip("\r\n"))


# A \\uD800-\\uDFFF escape: a high one with the low one that completes it, or a lone one.
# yajl turns a lone high surrogate into "?" and fails on a lone low one; rewriting lone ones
# as \\ufffd first gives JSON the U+FFFD that JSON Lines gets, one for one.
_LONE_SURROGATE_ESCAPE = re.compile(
    r"(\\+)u(d[89ab][0-9a-f]{2})(\\ud[c-f][0-9a-f]{2})?|(\\+)u(d[c-f][0-9a-f]{2})",
    re.IGNORECASE,
)


def _replace_lone_surrogate(match: re.Match[str]) -> str:
    backslashes = match.group(1) or match.group(4)
    if len(backslashes) % 2 == 0 or match.group(3):  # an escaped backslash, or a whole pair
        return match.group(0)
    return backslashes[:-1] + "\\ufffd"


class _Utf8Bytes(io.RawIOBase):
    """A decoded text stream read back as UTF-8 bytes, for ijson (which parses bytes)."""

    def __init__(self, text: _Text) -> None:
        self.text = text
        self.pending = b""
        self.held = ""  # text kept back because an escape sequence may continue past it
        self.position = _tell(text.binary)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self.pending:
            chunk = self._chunk()
            if _BAD in chunk:
                raise ValueError(f"bytes not valid {self.text.encoding}")
            self.pending = chunk.encode("utf-8", "surrogatepass")
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size

    def _chunk(self) -> str:
        chunk = self.held + self.text.stream.read(1 << 16)
        self.held = ""
        if self.text.progress is not None:
            now = _tell(self.text.binary)
            self.text.progress.bytes_read += max(0, now - self.position)
            self.position = now
        while "\\" in chunk[-12:]:  # an escape may be cut at the end: keep it for next time
            tail = chunk.rfind("\\", max(0, len(chunk) - 12))
            while tail > 0 and chunk[tail - 1] == "\\":
                tail -= 1
            more = self.text.stream.read(1 << 16)
            if not more:
                break
            if tail > 0:
                chunk, self.held = chunk[:tail], chunk[tail:] + more
                break
            chunk += more
        if "\\" not in chunk:
            return chunk
        return _LONE_SURROGATE_ESCAPE.sub(_replace_lone_surrogate, chunk)

    def first_significant(self) -> str:
        """The first character that is not white space, left unread."""
        while True:
            chunk = self._chunk()
            if not chunk:
                return ""
            stripped = chunk.lstrip()
            if stripped:
                self.pending = stripped.encode("utf-8", "surrogatepass")
                return stripped[0]


_JSON_KINDS = {
    int: "a number",
    float: "a number",
    str: "a string",
    list: "an array",
    bool: "true or false",
    type(None): "null",
}


def _read_json(name: str, text: _Text) -> Iterator[Record]:
    """A JSON document: an array of transcripts (streamed item by item, so a file of any
    size reads in little memory) or one transcript object.

    ijson parses incrementally in C (yajl), which the standard json module cannot do.
    """
    import ijson

    source = _Utf8Bytes(text)
    first = source.first_significant()
    if not first:
        return
    if first not in "[{":
        yield Record(name, 1, error="a .json file holds an array of transcripts or one object")
        return
    prefix = "item" if first == "[" else ""
    where = "array item" if first == "[" else "object"
    count = 0
    try:
        for count, item in enumerate(ijson.items(source, prefix, use_float=True), start=1):
            if isinstance(item, dict):
                found = item.get("id")
                transcript_id = None if found is None else scrub(str(found))
                yield Record(name, None, data=item, transcript_id=transcript_id, item=count)
            else:
                kind = _JSON_KINDS.get(type(item), type(item).__name__)
                yield Record(name, None, error=f"{where} is {kind}, not an object", item=count)
    except (ijson.JSONError, ValueError) as error:
        place = f"after array item {count}" if count and first == "[" else "in the document"
        reason = (str(error).strip().splitlines() or [type(error).__name__])[
            0
        ]  # yajl adds a picture
        yield Record(name, None, error=f"invalid JSON {place}: {reason}", item=count + 1)


def decode_record(record: Record) -> dict[str, Any] | list[Any]:
    """The record's transcript data as a dict (JSON text is parsed here, in the worker)."""
    if isinstance(record.data, str):
        data = json.loads(record.data)
        if not isinstance(data, (dict, list)):
            raise ValueError("a JSON line must hold a transcript object")
        return data
    return record.data


# --- Tables: CSV, TSV and Excel's "Unicode Text" ---------------------------------------------

_DIALECTS: dict[str, dict[str, Any]] = {
    "csv": {"delimiter": ","},
    "tsv": {"delimiter": "\t", "quoting": csv.QUOTE_NONE},  # TSV exports do not quote
    "excel-tab": {"delimiter": "\t"},  # Excel's Unicode Text quotes as its CSV does
}


class _NewRow(Exception):
    """A line inside a quoted field that holds a new row: the quote was never closed."""

    def __init__(self, number: int, line: str) -> None:
        self.number, self.line = number, line


@dataclass(slots=True)
class _Row:
    line: int
    fields: list[str]
    problem: str | None = None


@dataclass
class _Header:
    columns: list[str]
    id_column: int
    role_column: int
    order_column: int | None

    @classmethod
    def parse(cls, columns: list[str]) -> _Header:
        order = "turn_index" if "turn_index" in columns else "order" if "order" in columns else None
        return cls(
            columns,
            columns.index("transcript_id"),
            columns.index("role"),
            columns.index(order) if order else None,
        )

    def starts_row(self, fields: list[str]) -> bool:
        """Whether ``fields`` look like a whole new row: an id, a known role, an order."""
        from phrasecheck.transcript import ROLE_LABELS

        if len(fields) != len(self.columns) or not fields[self.id_column].strip():
            return False
        if fields[self.role_column].strip().lower() not in ROLE_LABELS:
            return False
        if self.order_column is None:
            return True
        return _is_number(fields[self.order_column])


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _table_rows(
    lines: Iterator[tuple[int, str]], dialect: dict[str, Any], header: _Header
) -> Iterator[_Row]:
    """Logical rows (a quoted field may span lines), resynchronised after a broken quote.

    A quoted field that runs onto a line which itself reads as a whole new row was never
    closed: its row becomes a problem row and reading starts again at the new row, so one
    stray quote costs one transcript, not the rest of the file.
    """
    pending: list[tuple[int, str]] = []
    while True:
        started: list[tuple[int, str]] = []  # the lines of the row being read

        def feed(started: list[tuple[int, str]] = started) -> Iterator[str]:
            for number, line in itertools.chain(pending, lines):
                pending.clear()
                if started:
                    alone = next(csv.reader([line], **dialect), [])
                    if header.starts_row(alone):
                        raise _NewRow(number, line)
                started.append((number, line))
                yield line

        try:
            for fields in csv.reader(feed(), **dialect):
                first = started[0][0] if started else 0
                started.clear()
                yield _Row(first, fields)
            return
        except _NewRow as broken:
            first, opening = started[0]
            yield _Row(
                first,
                next(csv.reader([opening], **dialect), []),
                f"a quoted field opened on line {first} is not closed before line "
                f"{broken.number}, which starts a new row",
            )
            pending.append((broken.number, broken.line))
        except csv.Error as error:
            yield _Row(started[0][0] if started else 0, [], f"unreadable row ({error})")


@dataclass
class _Group:
    """The rows of one transcript, and what went wrong reading them."""

    transcript_id: str
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    interleaved: bool = False


def _read_csv(name: str, text: _Text) -> Iterator[Record]:
    return _read_table(name, text, "csv")


def _read_tsv(name: str, text: _Text) -> Iterator[Record]:
    return _read_table(name, text, "tsv")


def _read_table(
    name: str, text: _Text, dialect_name: str, header_line: str | None = None
) -> Iterator[Record]:
    """Rows of turns, grouped by transcript_id, in the order transcripts first appear.

    The file is read twice: first for the line of each transcript's last row, then to
    group rows and hand each transcript on as soon as its last row is read. Interleaved rows
    of one transcript are grouped (and warned about), not split into partial transcripts.
    A transcript any of whose rows cannot be read (bad bytes, a broken quote, a row with more
    or fewer fields than the header) becomes one error record naming those lines, never a
    report that silently lacks a turn.
    """
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    dialect = _DIALECTS[dialect_name]
    header, problem = _read_header(text, dialect, header_line)
    if header is None:
        if problem:
            yield Record(name, 1, error=problem)
        return
    progress, text.progress = text.progress, None  # the first pass is not progress
    last_row: dict[str, int] = {}
    previous = ""
    bad_count = 0
    width, id_column = len(header.columns), header.id_column
    for row in _table_rows(text.lines(start=2), dialect, header):
        fields = row.fields
        if len(fields) == width and row.problem is None and len(text.bad) == bad_count:
            transcript_id = fields[id_column].strip()  # the common case, kept fast
        else:
            broken = _row_problem(row, header) is not None or len(text.bad) > bad_count
            bad_count = len(text.bad)
            transcript_id = _id_in(fields, header) or (previous if broken else "")
        if transcript_id:
            last_row[transcript_id] = row.line
            previous = transcript_id
    text = _rewound(text)
    text.progress = progress
    text.stream.readline()  # the header, read above
    yield from _grouped(name, text, dialect, header, last_row)


def _row_problem(row: _Row, header: _Header) -> str | None:
    if row.problem is None and len(row.fields) not in (0, len(header.columns)):
        return f"row has {len(row.fields)} fields, the header {len(header.columns)}"
    return row.problem


def _read_header(
    text: _Text, dialect: dict[str, Any], header_line: str | None
) -> tuple[_Header | None, str | None]:
    line = header_line if header_line is not None else text.stream.readline()
    if not line.strip():
        return None, None  # an empty file: no transcripts, and no error either
    if _BAD in line:
        return None, f"header: bytes not valid {text.encoding}"
    try:
        columns = [column.strip() for column in next(csv.reader([line], **dialect))]
    except csv.Error:
        return None, "no readable header row"
    missing = set(TABLE_COLUMNS) - set(columns)
    if missing:
        return None, f"header lacks column(s) {', '.join(sorted(missing))}"
    return _Header.parse(columns), None


def _id_in(fields: list[str], header: _Header) -> str:
    return fields[header.id_column].strip() if len(fields) > header.id_column else ""


def _grouped(
    name: str,
    text: _Text,
    dialect: dict[str, Any],
    header: _Header,
    last_row: dict[str, int],
) -> Iterator[Record]:
    groups: dict[str, _Group] = {}  # open transcripts, in the order they first appeared
    complete: set[str] = set()  # open transcripts whose last row has been read
    bad_seen = 0
    previous_id = ""
    columns = header.columns
    width, id_column = len(columns), header.id_column
    for row in _table_rows(text.lines(start=2), dialect, header):
        fields = row.fields
        problems = []
        if len(text.bad) != bad_seen:  # lines with bad bytes since the last row
            newly_bad = list(text.bad.items())[bad_seen:]
            problems = [f"line {line}: {reason}" for line, reason in newly_bad]
            bad_seen = len(text.bad)
        if row.problem is not None or (fields and len(fields) != width):
            problems.append(f"line {row.line}: {_row_problem(row, header)}")
        transcript_id = fields[id_column].strip() if len(fields) > id_column else ""
        if not transcript_id:
            if problems:
                transcript_id = previous_id  # a broken row belongs to the transcript before
            elif not any(value.strip() for value in fields):
                continue  # a blank line
            if not transcript_id:
                yield Record(
                    name, row.line, error="; ".join(problems) or "row has no transcript_id"
                )
                continue
        group = groups.get(transcript_id)
        if group is None:
            group = groups[transcript_id] = _Group(transcript_id)
        elif previous_id != transcript_id:
            group.interleaved = True
        previous_id = transcript_id
        group.lines.append(row.line)
        if problems:
            group.problems.extend(problems)
        else:
            group.rows.append((row.line, dict(zip(columns, fields, strict=True))))
        if last_row.get(transcript_id, row.line) <= row.line:
            complete.add(transcript_id)
            # hand on every leading transcript whose last row has been read
            while groups:
                first_id = next(iter(groups))
                if first_id not in complete:
                    break
                complete.discard(first_id)
                yield _group_record(name, groups.pop(first_id), text.progress)
    for group in groups.values():
        yield _group_record(name, group, text.progress)


def _group_record(name: str, group: _Group, progress: ReadProgress | None) -> Record:
    if group.interleaved and progress is not None:
        lines = ", ".join(map(str, group.lines[:10])) + (", …" if len(group.lines) > 10 else "")
        progress.warnings.append(
            f"{name}: rows of transcript {group.transcript_id} are not consecutive "
            f"(lines {lines}); they were grouped into one transcript"
        )
    if group.problems or not group.rows:
        reason = "; ".join(group.problems) or "no readable rows"
        first = group.lines[0] if group.lines else None
        return Record(name, first, error=reason, transcript_id=scrub(group.transcript_id))
    return _table_record(name, group.rows, progress)


def _table_record(
    name: str, group: list[tuple[int, dict[str, str]]], progress: ReadProgress | None
) -> Record:
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
    if order_key and progress is not None:
        _warn_repeated_order(name, transcript_id, order_key, group, progress)
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


def _warn_repeated_order(
    name: str,
    transcript_id: str,
    order_key: str,
    group: list[tuple[int, dict[str, str]]],
    progress: ReadProgress,
) -> None:
    lines_by_value: dict[float, list[int]] = {}
    for line, row in group:
        lines_by_value.setdefault(float(row[order_key]), []).append(line)
    for value, lines in lines_by_value.items():
        if len(lines) > 1:
            shown = f"{value:g}"
            progress.warnings.append(
                f"{name}: transcript {transcript_id}: {order_key} {shown} is given "
                f"{len(lines)} times (lines {', '.join(map(str, lines))}); kept in file order"
            )


# --- Plain text ------------------------------------------------------------------------------

_LABEL = re.compile(r"^\s*([^:：\n]{1,20}?)\s*[:：][ \t]?(.*)$", re.DOTALL)
_TEXT_ROLES = {"a": "agent", "b": "customer"}


def speaker_labels() -> dict[str, str]:
    """Every label that starts a turn in a text transcript (compared ignoring case)."""
    from phrasecheck.transcript import ROLE_LABELS

    return {**ROLE_LABELS, **_TEXT_ROLES}


def _read_text(name: str, text: _Text) -> Iterator[Record]:
    """One transcript per file: lines that start with a speaker label and a colon
    (``坐席：…``, ``Customer: …``, ``A: …``) start a turn; any other line continues the turn
    before it, even when it holds a colon (``温馨提示：…``, ``mail:cs@example.com``).

    A file whose first line is a tab-separated header naming transcript_id, role and text
    (Excel's "Unicode Text" export) is read as a table instead.
    """
    first_line = text.stream.readline()
    if "\t" in first_line:
        columns = {column.strip().strip('"') for column in first_line.split("\t")}
        if set(TABLE_COLUMNS) <= columns:
            yield from _read_table(name, text, "excel-tab", header_line=first_line)
            return
    labels = speaker_labels()
    transcript_id = Path(name).stem if name != "-" else "stdin"
    turns: list[dict[str, str]] = []
    lines = itertools.chain([(1, first_line)], text.lines(start=2))
    if _BAD in first_line:
        text.bad[1] = f"bytes not valid {text.encoding}"
    for number, line in lines:
        if number in text.bad:
            yield Record(name, number, error=text.bad[number], transcript_id=transcript_id)
            return
        if not line.strip():
            continue
        match = _LABEL.match(line.rstrip("\r\n"))
        role = labels.get(match.group(1).strip().lower()) if match else None
        if match and role:
            turns.append({"role": role, "text": match.group(2).strip()})
        elif turns:
            turns[-1]["text"] += line.strip()  # a wrapped line (even 温馨提示：…) continues it
        else:
            yield Record(
                name,
                number,
                error="line has no speaker label (坐席：, 客户：, Agent:, Customer:, A:, B: …)",
                transcript_id=transcript_id,
            )
            return
    if turns:
        yield Record(
            name, 1, data={"id": transcript_id, "turns": turns}, transcript_id=transcript_id
        )


FORMATS: dict[str, InputFormat] = {
    fmt.name: fmt
    for fmt in (
        InputFormat(
            "jsonl",
            (".jsonl", ".ndjson"),
            _read_jsonl,
            'one transcript per line: {"id", "agent_id", "channel", "turns": [...]}',
        ),
        InputFormat(
            "json",
            (".json",),
            _read_json,
            "a JSON array of transcripts (streamed), or one transcript object",
        ),
        InputFormat(
            "csv",
            (".csv",),
            _read_csv,
            "one turn per row: transcript_id, turn_index, role, text; other columns kept",
            two_pass=True,
        ),
        InputFormat("tsv", (".tsv",), _read_tsv, "the same, tab-separated", two_pass=True),
        InputFormat(
            "txt",
            (".txt",),
            _read_text,
            "one transcript per file, a turn per line: 坐席：…, Customer: …, A: …\n"
            f"{'':19}(Excel's Unicode Text, a tab-separated table, is read as a table)",
        ),
    )
}
EXTENSIONS = {extension: fmt.name for fmt in FORMATS.values() for extension in fmt.extensions}
