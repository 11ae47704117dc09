"""A score report's JSON line written from plain data, byte for byte what the models write.

A batch run writes one report per transcript, millions a day. Validating each report into
pydantic models and serialising them again cost more than half the time spent outside the
matcher. :meth:`Scorer.report_data` already builds every field of the models in their order,
so orjson writes the same bytes as ``ScoreReport.model_dump_json()`` at a fraction of the cost
(the tests compare the two on every sample and on generated transcripts).

The shape is checked on every call — each object must hold exactly its model's fields, in
order — and anything else (a field added to a model but not to the scorer's data, text orjson
refuses) goes through the models instead, so a drift costs speed, never a wrong line.
"""

from __future__ import annotations

from typing import Any

import orjson

from phrasecheck.report import (
    Counts,
    ExpectedPhrase,
    Outcome,
    PoliteUse,
    Quote,
    ScoreReport,
    Violation,
)

_REPORT = tuple(ScoreReport.model_fields)
_VIOLATION = tuple(Violation.model_fields)
_OUTCOME = tuple(Outcome.model_fields)
_QUOTE = tuple(Quote.model_fields)
_EXPECTED = tuple(ExpectedPhrase.model_fields)
_POLITE = tuple(PoliteUse.model_fields)
_COUNTS = tuple(Counts.model_fields)


def report_json(data: dict[str, Any]) -> bytes:
    """The report's JSON (UTF-8, no newline), as ``ScoreReport.model_validate(data)
    .model_dump_json()`` would write it."""
    if _shaped(data):
        try:
            return orjson.dumps(data)
        except orjson.JSONEncodeError:  # e.g. a lone surrogate: the models decide
            pass
    text = ScoreReport.model_validate(data).model_dump_json()
    return text.encode("utf-8", "backslashreplace")


def _shaped(data: dict[str, Any]) -> bool:
    """True when every object holds exactly its model's fields, in the model's order.

    The scorer shares objects within a report — a missed response's trigger is its
    outcome's, and every violation of one expectation holds the same ``expected`` list — so
    each object is checked once (by identity: all are alive while ``data`` is).
    """
    if tuple(data) != _REPORT or tuple(data["counts"]) != _COUNTS:
        return False
    checked: set[int] = set()
    for outcome in data["expectations"]:
        if tuple(outcome) != _OUTCOME:
            return False
        for quote in (outcome["trigger"], outcome["evidence"]):
            if quote is not None:
                if tuple(quote) != _QUOTE:
                    return False
                checked.add(id(quote))
    for violation in data["violations"]:
        if tuple(violation) != _VIOLATION:
            return False
        trigger = violation["trigger"]
        if trigger is not None and id(trigger) not in checked and tuple(trigger) != _QUOTE:
            return False
        expected = violation["expected"]
        if expected and id(expected) not in checked:
            if any(tuple(phrase) != _EXPECTED for phrase in expected):
                return False
            checked.add(id(expected))
    return all(tuple(polite) == _POLITE for polite in data["polite"])
