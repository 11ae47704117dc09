"""The compiled core (``phrasecheck._core``, Rust) seen through the Python engine's stages.

The core is built from the plain-data plan (:mod:`phrasecheck.plan`) alone and is the default
engine (:data:`phrasecheck.checker.ENGINES`): it finds the hits of every text, slips
included. ``find`` gives None only for a text with a window the plan cannot decide (an
insertion-only spelling longer than its wording's raw text crossing a clause break: none with
the bundled rules), which the Python engine then checks, starting from the core's first stage
(``scan``: the normalized text, the automaton pass, templates, slot-free exceptions).
``PHRASECHECK_ENGINE=python`` runs the Python engine alone, the reference that
``tests/test_core_parity.py`` and ``tests/test_fuzzy_core.py`` compare the core with.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from phrasecheck._core import Core
from phrasecheck.matcher import (
    CompiledRules,
    Exact,
    template_candidate,
    wording_candidate,
)
from phrasecheck.normalize import Normalized
from phrasecheck.plan import plan_json

if TYPE_CHECKING:
    from phrasecheck._core import Found, Scanned

__all__ = ["CompiledCore"]


class CompiledCore:
    """The core compiled from ``compiled``'s plan, returning the Python engine's objects."""

    def __init__(self, compiled: CompiledRules, vocabulary: Iterable[str] | None = None) -> None:
        self._compiled = compiled
        self.core = Core(plan_json(compiled, vocabulary))

    def scan(self, text: str) -> tuple[Normalized, Exact]:
        """``text`` normalized and the matcher's first stage, both computed by the core."""
        return self.wrap(text, self.core.scan(text))

    def scan_many(self, texts: list[str]) -> list[tuple[Normalized, Exact]]:
        """:meth:`scan` of every text in one call (the core releases the GIL meanwhile)."""
        found = self.core.scan_many(texts)
        return [self.wrap(text, item) for text, item in zip(texts, found, strict=True)]

    def find(self, text: str) -> list[Found] | None:
        """The hits of ``text`` as the core's tuples, or None when the Python engine must
        check it (see the module's docstring)."""
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
