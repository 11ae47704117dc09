"""The compiled core (``phrasecheck._core``, Rust) seen through the Python engine's stages.

The core is built from the plain-data plan (:mod:`phrasecheck.plan`) alone. While it is being
ported the Python engine stays the reference and the default: a Checker uses the core only
when asked with the internal switch ``Checker._use_engine("core-exact")`` (or the
environment variable ``PHRASECHECK_ENGINE=core-exact``), in which the core normalizes the
text and runs the matcher's first stage (the automaton pass, templates, slot-free exceptions)
and Python does the rest (fuzzy slips, boundaries, exceptions with slots, subjects,
quotation, nesting). ``tests/test_core_parity.py`` proves that this gives the same results.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from phrasecheck._core import Core
from phrasecheck.matcher import (
    CompiledRules,
    Exact,
    template_candidate,
    wording_candidate,
)
from phrasecheck.normalize import Normalized
from phrasecheck.plan import compile_plan

if TYPE_CHECKING:
    from phrasecheck._core import Found, Scanned

__all__ = ["ENGINES", "CompiledCore"]

# "python": the Python engine alone (the default and the reference); "core-exact": the core
# normalizes and runs the first matching stage, Python the rest; "core": the core finds the
# hits of every text whose candidates need no fuzzy verification, the Python engine the rest.
ENGINES = ("python", "core-exact", "core")
# The core's method codes (rust/engine.rs).
METHODS = ("exact", "template", "fuzzy", "normalized")
FORM_TYPES = ("phrase", "core")


class CompiledCore:
    """The core compiled from ``compiled``'s plan, returning the Python engine's objects."""

    def __init__(self, compiled: CompiledRules) -> None:
        self._compiled = compiled
        self.core = Core(json.dumps(compile_plan(compiled), ensure_ascii=False))

    def scan(self, text: str) -> tuple[Normalized, Exact]:
        """``text`` normalized and the matcher's first stage, both computed by the core."""
        return self.wrap(text, self.core.scan(text))

    def scan_many(self, texts: list[str]) -> list[tuple[Normalized, Exact]]:
        """:meth:`scan` of every text in one call (the core releases the GIL meanwhile)."""
        found = self.core.scan_many(texts)
        return [self.wrap(text, item) for text, item in zip(texts, found, strict=True)]

    def find(self, text: str) -> list[Found] | None:
        """The hits of ``text`` as the core's tuples, or None when it needs the fuzzy stage."""
        return self.core.find(text)

    def find_many(self, texts: list[str]) -> list[list[Found] | None]:
        """:meth:`find` of every text in one call (the core releases the GIL meanwhile)."""
        return self.core.find_many(texts)

    def wrap(self, text: str, found: Scanned) -> tuple[Normalized, Exact]:
        normalized, offsets, raw_candidates, raw_exceptions, anchored = found
        doc = Normalized.from_parts(text, normalized, offsets)
        wordings, templates = self._compiled.wordings, self._compiled.templates
        candidates = [
            template_candidate(templates[index], start, end, normalized[start:end])
            if is_template
            else wording_candidate(wordings[index], start, end)
            for is_template, index, start, end in raw_candidates
        ]
        exceptions: dict[int, list[tuple[int, int]]] = {}
        for order, start, end in raw_exceptions:
            exceptions.setdefault(order, []).append((start, end))
        return doc, (candidates, exceptions, [tuple(owners) for owners in anchored])
