"""Same-sounding characters for the short taboo wordings: 集什么 for 急什么, 不知到 for 不知道.

Wordings of five characters or fewer are never fuzzed (没办法 and 有办法 differ by one
character), yet a pinyin input method or a speech recogniser replaces a character by a
homophone as easily in a short wording as in a long one. So each character of a short
wording may be replaced by a character with the same syllable and tone, in the wording's own
reading (长 in 没长眼睛 is zhǎng), allowing the near sounds that input methods and recognisers
confuse (zh/z, ch/c, sh/s, n/l, -ng/-n) — the folding of :mod:`phrasecheck.fuzzy`; the first
character only in wordings of three characters, and only by its exact sound — among the
3,755 common characters of GB 2312 level 1. Polarity characters (不 没 别 有 上 下…) are never
replaced nor introduced.

Reading pypinyin's dictionary costs about 0.8 s, far over the start-up budget, so the table
for the bundled rules' short wordings is generated once (``python -m phrasecheck.homophones``
writes ``_homophone_table.py``; a test checks that it matches pypinyin). Wordings of custom
rule files that are not in the table are computed with pypinyin when the rules compile.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from phrasecheck._homophone_table import TABLE
from phrasecheck.fuzzy import POLARITY_CHARACTERS

MAX_SHORT = 5  # wordings this short get same-sound spellings (longer ones are fuzzed)
_NEAR_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"))
TABLE_FILE = Path(__file__).with_name("_homophone_table.py")


def same_sound(wording: str) -> tuple[str, ...]:
    """For each character of ``wording``, the common characters that sound the same."""
    found = TABLE.get(wording)
    if found is None:
        found = build([wording])[wording]
    return found


def _fold(syllable: str) -> str:
    """A toned syllable with the near sounds folded: zhi1 → zi1, ning2 → lin2."""
    tone = syllable[-1] if syllable[-1:].isdigit() else "5"
    body = syllable.rstrip("012345")
    for long, short in _NEAR_INITIALS:
        if body.startswith(long):
            body = short + body[len(long) :]
            break
    if body.endswith("ng"):
        body = body[:-1]
    return body + tone


def _common_characters() -> list[str]:
    """GB 2312 level 1: the 3,755 most common characters (rows 16–55)."""
    chars = []
    for row in range(0xB0, 0xD8):
        for column in range(0xA1, 0xFF):
            try:
                chars.append(bytes([row, column]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


@lru_cache(maxsize=2)
def _index(fold: bool = True) -> dict[str, str]:
    """Toned syllable (near sounds folded, or exact) → the common characters usually read so."""
    from pypinyin import Style, pinyin

    chars = _common_characters()
    # Each character by its usual reading only: pypinyin also lists archaic ones (横 guāng).
    readings = pinyin(chars, style=Style.TONE3, neutral_tone_with_five=True)
    index: dict[str, list[str]] = {}
    for char, (syllable,) in zip(chars, readings, strict=True):
        if char not in POLARITY_CHARACTERS:
            index.setdefault(_fold(syllable) if fold else syllable, []).append(char)
    return {syllable: "".join(found) for syllable, found in index.items()}


def build(wordings: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Compute the same-sound characters of each wording's characters with pypinyin."""
    from pypinyin import Style, pinyin

    near, exact = _index(), _index(fold=False)
    table: dict[str, tuple[str, ...]] = {}
    for wording in wordings:
        readings = pinyin(wording, style=Style.TONE3, neutral_tone_with_five=True)
        if len(readings) != len(wording):  # letters or digits were read as one group
            readings = [[char] for char in wording]
        per_char = []
        for position, (char, (syllable,)) in enumerate(zip(wording, readings, strict=True)):
            if char in POLARITY_CHARACTERS or not syllable[-1:].isdigit():
                per_char.append("")  # a polarity character, or no reading (a letter)
                continue
            # The first character is replaced only in wordings of three characters (集什么),
            # and by its exact sound: every new first character is one more branch at the
            # automaton's root, which is scanned at nearly every character of every text.
            if position:
                found = near.get(_fold(syllable), "")
            else:
                found = exact.get(syllable, "") if len(wording) <= 3 else ""
            per_char.append(found.replace(char, ""))
        table[wording] = tuple(per_char)
    return table


def bundled_short_wordings() -> list[str]:
    """The short slot-free taboo wordings of the bundled rules, normalized."""
    from phrasecheck.compiler import short_taboo_wordings
    from phrasecheck.rules.loader import load_rules

    return short_taboo_wordings(load_rules())


def render(table: dict[str, tuple[str, ...]]) -> str:
    lines = [
        '"""Generated by ``python -m phrasecheck.homophones`` from pypinyin: do not edit."""',
        "",
        "TABLE: dict[str, tuple[str, ...]] = {",
    ]
    for wording in sorted(table):
        lines.append(f"    {_quoted(wording)}: (")
        lines.extend(f"        {_quoted(chars)}," for chars in table[wording])
        lines.append("    ),")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    """A double-quoted literal, as the formatter writes it."""
    return json.dumps(text, ensure_ascii=False)


def main() -> int:
    TABLE_FILE.write_text(render(build(bundled_short_wordings())), encoding="utf-8")
    print(f"wrote {TABLE_FILE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
