"""pypinyin's readings of every character, folded as slips are heard, shipped as a data file.

The compiled core accepts a replaced character in a slip when it sounds like the one it
replaces: when the two share a reading of pypinyin's (:func:`readings`), folded as slips are
heard (zh/z, ch/c, sh/s, n/l, -ng/-n: what pinyin input methods and speech recognisers
confuse). The text's character may be any character, so the core gets the readings of all
the characters pypinyin knows (41,923 characters, 300 folded syllables; 404 kB as ASCII JSON).
Reading pypinyin's dictionary costs about 0.5 s, which the start-up budget cannot pay, so the
table is generated once into ``data/sound_table.json`` by ``python -m phrasecheck.soundtable``,
and a test checks that the shipped file is what the generator gives (as for the fold table).
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path
from typing import TypedDict

from phrasecheck.resources import write_generated

__all__ = ["TABLE_FILE", "SoundTable", "generate", "readings", "sound_table_json"]

TABLE_FILE = Path(__file__).with_name("data") / "sound_table.json"


class SoundTable(TypedDict):
    """Each folded syllable with the characters that have it among their readings."""

    pypinyin: str  # the version of pypinyin the table was computed with
    sounds: list[tuple[str, str]]


_NEAR_SOUNDS = (("zh", "z"), ("ch", "c"), ("sh", "s"))


def fold_sound(syllable: str) -> str:
    """A toneless syllable with the near sounds merged: zhi → zi, nan → lan, ping → pin."""
    for long, short in _NEAR_SOUNDS:
        if syllable.startswith(long):
            syllable = short + syllable[len(long) :]
            break
    if syllable.startswith("n"):
        syllable = "l" + syllable[1:]
    if syllable.endswith("ng"):
        syllable = syllable[:-1]
    return syllable


def readings(char: str) -> frozenset[str]:
    """The folded readings pypinyin gives ``char`` (every heteronym; empty when none)."""
    from pypinyin import Style, pinyin

    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return frozenset(fold_sound(r) for r in found[0]) if found else frozenset()


def generate() -> SoundTable:
    """Compute the table with pypinyin (about 0.5 s)."""
    import pypinyin
    from pypinyin.pinyin_dict import pinyin_dict

    by_sound: dict[str, list[str]] = {}
    for code in sorted(pinyin_dict):
        char = chr(code)
        for sound in sorted(readings(char)):
            by_sound.setdefault(sound, []).append(char)
    return {
        "pypinyin": pypinyin.__version__,
        "sounds": [(sound, "".join(chars)) for sound, chars in sorted(by_sound.items())],
    }


def render(table: SoundTable) -> str:
    """The file's text: one compact JSON object in ASCII (characters as escapes), so that
    the plan's JSON text it is spliced into stays ASCII: one byte per character in Python
    and handed to the core without re-encoding (as UTF-8 it made the plan a 4-byte-per-
    character string, costing start-up 30 ms and 5 MiB)."""
    return json.dumps(table, separators=(",", ":")) + "\n"


@lru_cache(maxsize=1)
def sound_table_json() -> str:
    """The table as JSON text, read from the shipped file (computed when it is missing)."""
    try:
        return TABLE_FILE.read_text(encoding="utf-8")
    except FileNotFoundError:
        return render(generate())


def main() -> int:
    return write_generated(TABLE_FILE, render(generate()))


if __name__ == "__main__":
    sys.exit(main())
