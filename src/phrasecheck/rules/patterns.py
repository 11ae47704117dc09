"""The small pattern language of rule forms.

A form is text with three kinds of markup, all of which a QA lead can write by hand:

* ``(a|b|c)`` — one of the alternatives; an empty alternative makes the group optional
  (``(呀|)``). Groups may nest.
* ``××`` — a name slot (company, department, colleague): 1 to 12 characters.
* ``×`` — a surname or short number slot: 1 to 3 characters.

Nothing else is syntax: the characters that regular expressions use (``. * + ? [ ] { } \\ ^
$``) are refused, so that ``你.*烦`` or ``[没不]有`` is not silently taken literally.

Forms without slots expand to plain strings, matched with Aho–Corasick (and fuzzily when long
enough). Forms with slots compile to one regular expression over normalized text.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from phrasecheck.normalize import normalize

NAME_SLOT = "××"
SURNAME_SLOT = "×"
NAME_SLOT_REGEX = ".{1,12}?"
SURNAME_SLOT_REGEX = ".{1,3}?"
MAX_EXPANSIONS = 2000
REGEX_CHARACTERS = ".*+?[]{}\\^$"
_SUPPORTED = (
    "forms use (a|b) for alternatives, (a|) for an optional part, ×× for a name and × for "
    "1-3 characters, e.g. 你(怎么|)这么烦; list each wording otherwise"
)


class PatternError(ValueError):
    """A form that cannot be parsed; the message says what is wrong and where."""


@dataclass(frozen=True)
class _Slot:
    regex: str


def parse(form: str) -> list:
    """Parse ``form`` into a sequence of parts, or raise :class:`PatternError`.

    A part is literal text, a slot, or a group: a list of alternatives, each a sequence.
    """
    if any(char in form for char in "（）｜"):
        raise PatternError(
            "uses full-width （ ｜ ）; write alternatives with ASCII ( | ), e.g. 请(你|您)稍等"
        )
    for position, char in enumerate(form):
        if char in REGEX_CHARACTERS:
            raise PatternError(
                f"{char!r} at character {position + 1} is regular-expression syntax, "
                f"which rule forms do not use: {_SUPPORTED}"
            )
    sequence, position = _parse_sequence(form, 0, depth=0)
    if position != len(form):
        raise PatternError(f"unexpected ')' at character {position + 1}")
    return sequence


def _parse_sequence(form: str, position: int, depth: int) -> tuple[list, int]:
    parts: list = []
    literal: list[str] = []

    def flush() -> None:
        if literal:
            parts.append("".join(literal))
            literal.clear()

    while position < len(form):
        char = form[position]
        if char == "(":
            flush()
            group, position = _parse_group(form, position + 1, depth + 1)
            parts.append(group)
            continue
        if char in ")|":
            if depth == 0:
                raise PatternError(f"'{char}' outside a group at character {position + 1}")
            break
        if form.startswith(NAME_SLOT, position):
            flush()
            parts.append(_Slot(NAME_SLOT_REGEX))
            position += len(NAME_SLOT)
            continue
        if char == SURNAME_SLOT:
            flush()
            parts.append(_Slot(SURNAME_SLOT_REGEX))
            position += 1
            continue
        literal.append(char)
        position += 1
    flush()
    return parts, position


def _parse_group(form: str, position: int, depth: int) -> tuple[list[list], int]:
    alternatives: list[list] = []
    while True:
        sequence, position = _parse_sequence(form, position, depth)
        alternatives.append(sequence)
        if position >= len(form):
            raise PatternError("a '(' is never closed")
        if form[position] == ")":
            return alternatives, position + 1
        position += 1  # past '|'


def has_slots(parts: list) -> bool:
    for part in parts:
        if isinstance(part, _Slot):
            return True
        if isinstance(part, list) and any(has_slots(alt) for alt in part):
            return True
    return False


def expand(parts: list) -> list[str]:
    """All plain strings a slot-free form stands for, in order, without duplicates."""
    choices: list[list[str]] = []
    for part in parts:
        if isinstance(part, str):
            choices.append([part])
        elif isinstance(part, list):
            options: list[str] = []
            for alternative in part:
                options.extend(expand(alternative))
            choices.append(options)
        else:  # pragma: no cover - callers check has_slots first
            raise PatternError("slots cannot be expanded to plain text")
    count = 1
    for options in choices:
        count *= len(options)
        if count > MAX_EXPANSIONS:
            raise PatternError(f"expands to more than {MAX_EXPANSIONS} wordings; split it")
    return list(dict.fromkeys("".join(combo) for combo in itertools.product(*choices)))


def to_regex(parts: list) -> str:
    """A regular expression over normalized text for a form with slots."""
    pieces: list[str] = []
    for part in parts:
        if isinstance(part, str):
            pieces.append(re.escape(normalize(part)))
        elif isinstance(part, _Slot):
            pieces.append(part.regex)
        else:
            pieces.append("(?:" + "|".join(to_regex(alt) for alt in part) + ")")
    return "".join(pieces)


def fixed_length(parts: list) -> int:
    """The fewest normalized characters outside slots that any match of the form holds."""
    total = 0
    for part in parts:
        if isinstance(part, str):
            total += len(normalize(part))
        elif isinstance(part, list):
            total += min(fixed_length(alternative) for alternative in part)
    return total


def required_literals(parts: list) -> list[str]:
    """Normalized literal text outside any group: present in every match of the form."""
    return [normalize(part) for part in parts if isinstance(part, str) and normalize(part)]
