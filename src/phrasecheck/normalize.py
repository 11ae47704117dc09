"""Text normalization with a map back to the original offsets.

Phrases and utterances go through the same function, so matching compares like with like:

* traditional → simplified, one character at a time, from OpenCC's own character table
  (``TSCharacters``) as shipped by opencc-python-reimplemented;
* NFKC compatibility folding (full-width Ａ１ → a1, half-width katakana, ligatures) and lower case;
* removal of everything that is not a letter, mark or digit: spaces, punctuation, symbols,
  emoji, control and format characters (zero-width spaces, BOMs), private-use and
  unassigned code points.

Every kept character maps to exactly one character, so the normalized text is a subsequence
of the original and ``offsets[i]`` is the original index of normalized character ``i``.
The whole conversion is one ``str.translate`` call; the table fills itself lazily, one code
point at a time, so start-up does not pay for the 1.1 million code points nobody uses.
The character table was chosen over ``opencc.OpenCC("t2s").convert``, which also applies
phrase-level rules, because it is 27× faster and finds the same rules on the benchmark corpus
(``benchmarks/bench_normalize.py``); phrase-level conversion can also change lengths, which
would break the offset map.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

__all__ = ["Normalized", "normalize"]

# Characters OpenCC leaves alone at character level but that our phrases need folded.
# Both sides of a comparison go through the same table, so folding them is safe.
# 您 is deliberately kept apart from 你: it carries the politeness that separates
# 您出去的时候 from 你出去 and 您别来了 from 你别来了.
_EXTRA_FOLDS = {"著": "着", "妳": "你", "祢": "你", "裏": "里", "噹": "当"}

_KEPT_CATEGORIES = ("L", "M", "N")
_IGNORABLE_MARKS = frozenset("\u034f\u180b\u180c\u180d\u180f") | frozenset(
    chr(code) for code in range(0xFE00, 0xFE10)
)
_MIN_PHRASES = 3  # phrase-table evidence needed before a kept character is folded


def _load_opencc_characters() -> dict[str, str]:
    """Traditional → simplified characters from OpenCC's own dictionaries.

    ``TSCharacters`` gives each character's first candidate. Some characters it keeps as they
    are because they are also simplified characters (覆, 藉, 瞭), while its phrase table
    converts them in nearly every phrase that holds them (回覆 → 回复). Matching folds such a
    character the way the phrase table does, when that table always agrees with itself.
    """
    import opencc  # opencc-python-reimplemented; imported here to keep module import cheap

    folder = Path(opencc.__file__).resolve().parent / "dictionary"
    table: dict[str, str] = {}
    for key, first in _dictionary_pairs(folder / "TSCharacters.txt"):
        if len(key) == 1 and len(first) == 1:
            table[key] = first
    implied: dict[str, Counter[str]] = {}
    for phrase, converted in _dictionary_pairs(folder / "TSPhrases.txt"):
        if len(phrase) == len(converted):
            for before, after in zip(phrase, converted, strict=True):
                if table.get(before, before) == before and after != before:
                    implied.setdefault(before, Counter())[after] += 1
    for before, afters in implied.items():
        (after, count), *others = afters.most_common()
        if count >= _MIN_PHRASES and not others:
            table[before] = after
    # Folding must be idempotent (phrases and text are each folded once): follow chains.
    for key in table:
        seen = {key}
        while table.get(table[key], table[key]) not in seen:
            seen.add(table[key])
            table[key] = table.get(table[key], table[key])
    return table


def _dictionary_pairs(path: Path):
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            key, _, values = line.rstrip("\n").partition("\t")
            yield key, values.split(" ", 1)[0]


class _FoldTable(dict):
    """``str.translate`` table: code point → one-character string, or None to drop it."""

    def __init__(self, simplified: dict[str, str]) -> None:
        super().__init__()
        self._simplified = simplified

    def __missing__(self, code_point: int) -> str | None:
        value = self._fold(chr(code_point))
        self[code_point] = value
        return value

    def _fold(self, char: str) -> str | None:
        if char in _IGNORABLE_MARKS or "\U000e0100" <= char <= "\U000e01ef":
            return None  # variation selectors (✌️) and joiners: marks that are not letters
        folded = unicodedata.normalize("NFKC", char)
        if len(folded) != 1:
            folded = char
        lowered = folded.lower()
        if len(lowered) == 1:
            folded = lowered
        if not unicodedata.category(folded).startswith(_KEPT_CATEGORIES):
            return None
        folded = self._simplified.get(folded, folded)
        return _EXTRA_FOLDS.get(folded, folded)


class _DropMarks(dict):
    """``str.translate`` table marking dropped characters with NUL and keeping the rest.

    Finding the few NULs with ``str.find`` is much cheaper than testing every character in
    Python, and only texts that had something dropped need it.
    """

    def __init__(self, fold: _FoldTable) -> None:
        super().__init__()
        self._fold = fold

    def __missing__(self, code_point: int) -> int:
        value = 0 if self._fold[code_point] is None else code_point
        self[code_point] = value
        return value


_TABLE: _FoldTable | None = None
_MARKS: _DropMarks | None = None


def _table() -> _FoldTable:
    global _TABLE, _MARKS
    if _TABLE is None:
        simplified = _load_opencc_characters()
        simplified.update(_EXTRA_FOLDS)
        _TABLE = _FoldTable(simplified)
        _MARKS = _DropMarks(_TABLE)
    return _TABLE


def normalize(text: str) -> str:
    """Return the matching form of ``text`` (simplified, folded, no punctuation or spaces)."""
    return text.translate(_table())


class Normalized:
    """An original text, its normalized form and, on demand, the offset map between them."""

    __slots__ = ("_offsets", "normalized", "original")

    def __init__(self, original: str) -> None:
        self.original = original
        self.normalized = original.translate(_table())
        self._offsets: list[int] | range | None = None

    @property
    def offsets(self) -> list[int] | range:
        """``offsets[i]`` is the index in ``original`` of normalized character ``i``."""
        if self._offsets is None:
            self._offsets = self._map_offsets()
        return self._offsets

    def _map_offsets(self) -> list[int] | range:
        size = len(self.original)
        if len(self.normalized) == size:
            return range(size)
        assert _MARKS is not None  # built with the fold table, which normalized the text
        marked = self.original.translate(_MARKS)
        kept: list[int] = []
        start = 0
        while (dropped := marked.find("\0", start)) != -1:
            kept.extend(range(start, dropped))
            start = dropped + 1
        kept.extend(range(start, size))
        return kept

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized span ``[start, end)`` to the original text."""
        offsets = self.offsets
        return offsets[start], offsets[end - 1] + 1

    def crosses_break(self, start: int, end: int) -> bool:
        """True when a clause break stands inside the normalized span ``[start, end)``.

        Breaks are punctuation and line ends; spaces are not (speech recognisers put them
        between words), nor are ASR pause marks (``_``, a connector), which fall inside words.
        """
        begin, finish = self.span(start, end)
        if finish - begin == end - start:
            return False  # nothing was dropped inside the span
        return any(_is_break(char) for char in self.original[begin:finish])


def _is_break(char: str) -> bool:
    return char in "\r\n" or (unicodedata.category(char)[0] == "P" and char != "_")


_UNASSIGNED = frozenset(("Cn", "Co", "Cs"))  # unassigned, private use, surrogates: all dropped


def fold_runs() -> tuple[list[tuple[int, int, int]], list[tuple[int, int]]]:
    """The whole fold table as plain data, for the compiled core (:mod:`phrasecheck.plan`).

    Returns ``runs``, maximal ranges ``(first, last, action)`` of code points that are kept as
    they are (action 0), dropped (1) or mapped to another character (2, looked up in
    ``mapped``), and ``mapped``, the ``(code point, folded code point)`` pairs. It is exactly
    what :func:`normalize` does to each code point, computed from the same table (about 8,000
    runs), so the core folds as this module does under this interpreter's Unicode version.
    """
    fold = _table()._fold
    runs: list[tuple[int, int, int]] = []
    mapped: list[tuple[int, int]] = []
    first, action = 0, -1
    for code_point in range(0x110000):
        char = chr(code_point)
        if unicodedata.category(char) in _UNASSIGNED:
            now = 1  # what _fold gives them, without normalizing each (a tenth of the time)
        else:
            folded = fold(char)
            if folded is None:
                now = 1
            elif folded == char:
                now = 0
            else:
                now = 2
                mapped.append((code_point, ord(folded)))
        if now != action:
            if action != -1:
                runs.append((first, code_point - 1, action))
            first, action = code_point, now
    runs.append((first, 0x10FFFF, action))
    return runs, mapped


def break_runs() -> list[tuple[int, int]]:
    """Ranges ``(first, last)`` of the code points that break a clause (see ``_is_break``)."""
    runs: list[tuple[int, int]] = []
    for code_point in range(0x110000):
        if _is_break(chr(code_point)):
            if runs and runs[-1][1] == code_point - 1:
                runs[-1] = (runs[-1][0], code_point)
            else:
                runs.append((code_point, code_point))
    return runs
