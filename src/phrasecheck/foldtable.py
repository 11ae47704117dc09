"""The fold table for every code point, shipped as a data file so that no process computes it.

The compiled core folds text with a table over all 1.1 million code points (kept, dropped or
mapped, and which ones break a clause): exactly what :mod:`phrasecheck.normalize` does to
each one, from OpenCC's dictionaries (opencc-python-reimplemented) and ``unicodedata``.
Computing it costs about 0.3 s, which the start-up budget cannot pay, so it is generated once
into ``data/fold_table.json`` by ``python -m phrasecheck.foldtable``, and a test checks that
the shipped file is what the generator gives (as for the homophone table).

The table depends on the interpreter's Unicode version; the file records the version it was
made under, and an interpreter with another one computes its own table instead (once per
process), so the core always folds as this interpreter's `phrasecheck.normalize` does.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TypedDict

from phrasecheck.resources import write_generated

__all__ = ["TABLE_FILE", "FoldTable", "fold_table", "fold_table_json", "generate"]

TABLE_FILE = Path(__file__).with_name("data") / "fold_table.json"


class FoldTable(TypedDict):
    """Runs of code points kept (0), dropped (1) or mapped (2), their targets, and breaks."""

    unicode: str  # unicodedata.unidata_version the table was computed under
    runs: list[tuple[int, int, int]]
    mapped: list[tuple[int, int]]
    breaks: list[tuple[int, int]]  # code points that break a clause (punctuation, line ends)


def generate() -> FoldTable:
    """Compute the table from OpenCC's data and ``unicodedata`` (about 0.3 s)."""
    from phrasecheck.normalize import break_runs, fold_runs

    runs, mapped = fold_runs()
    return {
        "unicode": unicodedata.unidata_version,
        "runs": runs,
        "mapped": mapped,
        "breaks": break_runs(),
    }


def render(table: FoldTable) -> str:
    """The file's text: one compact JSON object (lists of pairs and triples)."""
    return json.dumps(table, separators=(",", ":")) + "\n"


@lru_cache(maxsize=1)
def fold_table_json() -> str:
    """The table as JSON text, read from the shipped file when it was made under this
    interpreter's Unicode version, otherwise computed (once per process)."""
    try:
        text = TABLE_FILE.read_text(encoding="utf-8")
    except FileNotFoundError:
        return render(generate())
    # The version is the first field: read it without parsing the whole file.
    head = text[: text.find(",")]
    if head != f'{{"unicode":"{unicodedata.unidata_version}"':
        return render(generate())
    return text


def fold_table() -> FoldTable:
    """The table as plain data (parsed from :func:`fold_table_json`)."""
    table = json.loads(fold_table_json())
    for field in ("runs", "mapped", "breaks"):
        table[field] = [tuple(item) for item in table[field]]
    return table


def main() -> int:
    return write_generated(TABLE_FILE, render(generate()))


if __name__ == "__main__":
    sys.exit(main())
