"""Text that can always be written: lone surrogates become U+FFFD, one for one.

A ``\\ud800`` escape in JSON decodes to a lone surrogate, which no UTF encoding can write, so
a report holding one could not be serialised. Replacing each such code point by one U+FFFD
keeps every character offset valid. Applied wherever a string enters: checked text,
transcript ids, agent ids, turn text and metadata.
"""

from __future__ import annotations

import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD (the same length)."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def scrub_all(value: Any) -> Any:
    """``value`` with every string in it scrubbed, through dicts (keys too) and lists."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {scrub_all(key): scrub_all(item) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub_all(item) for item in value]
    return value
