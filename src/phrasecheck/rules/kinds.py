"""What each kind of rule means, in one table that every stage reads.

A rule's kind decides how its id is spelled, which fields it must or may carry, how freely
it is matched, which other hits it competes with, and whether the scorer holds it against the
agent. Before this table those facts were id-prefix checks spread over the loader, matcher,
resolver, scorer and evaluator; a new kind, or a pack of taboo rules under a prefix of its own,
now means one new row or one wider pattern here.

Id prefixes in use: ``T`` the standard's taboo phrases (T01–T30), ``G`` its complaint
guidance, ``K`` the bundled ``complaint`` pack, ``P`` the standard's polite phrases,
``C`` a score profile's cues. Any other capital-letter prefix is free for a QA lead's own
taboo rules (ids must be unique across everything loaded together).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["taboo", "polite", "cue"]
"""taboo and polite rules come from the standard and packs; cues are a profile's triggers."""

Fuzzy = Literal["every", "first", "none"]


@dataclass(frozen=True)
class KindSpec:
    """The meaning of one rule kind."""

    name: Kind
    id_pattern: re.Pattern[str]
    id_hint: str  # for error messages: how ids of this kind are spelled
    needs_severity: bool  # taboo rules say how hostile they are ...
    needs_suggestion: bool  # ... and what to say instead
    allows_core: bool  # hostile parts said alone exist only for taboo phrases
    fuzzy: Fuzzy  # wordings matched approximately: every one, the rule's first only, none
    # Resolution: overlapping hits of one kind compete and the longest stands (nesting) ...
    group_per_rule: bool  # ... or only hits of one rule do (cues are independent)
    yields_inside: Kind | None  # the kind inside whose hits this kind's hits are dropped
    violation: bool  # the scorer deducts points for a hit in an agent turn

    @property
    def yield_reason(self) -> str:
        """Why a hit of this kind was dropped inside one of ``yields_inside``."""
        return f"part of {self.yields_inside} phrase"


KINDS: dict[Kind, KindSpec] = {
    "taboo": KindSpec(
        name="taboo",
        # Any prefix but the polite and cue ones: T (standard), G (guidance), K (pack), yours.
        id_pattern=re.compile(r"^(?![PC]\d)[A-Z]{1,3}\d{2,4}$"),
        id_hint="a capital-letter prefix other than P or C, then 2–4 digits (T31, K01, QA01)",
        needs_severity=True,
        needs_suggestion=True,
        allows_core=True,
        fuzzy="every",
        group_per_rule=False,
        yields_inside="polite",  # 你找谁 inside 请问您找谁 is polite
        violation=True,
    ),
    "polite": KindSpec(
        name="polite",
        id_pattern=re.compile(r"^P\d{2,4}$"),
        id_hint="P and 2–4 digits (P21)",
        needs_severity=False,
        needs_suggestion=False,
        allows_core=False,
        # The first form is the standard's own wording; the others are many alternatives
        # whose pieces occur everywhere, and fuzzing them found nothing more (see compiler.py).
        fuzzy="first",
        group_per_rule=False,
        yields_inside="taboo",  # 你好 inside 你好烦 is not politeness
        violation=False,
    ),
    "cue": KindSpec(
        name="cue",
        id_pattern=re.compile(r"^C\d{2,4}$"),
        id_hint="C and 2–4 digits (C14)",
        needs_severity=False,
        needs_suggestion=False,
        allows_core=False,
        fuzzy="none",
        group_per_rule=True,
        yields_inside=None,
        violation=False,
    ),
}


def spec(kind: str) -> KindSpec:
    """The spec of ``kind``; a KeyError names the known kinds."""
    try:
        return KINDS[kind]  # type: ignore[index]
    except KeyError:
        raise KeyError(f"unknown rule kind {kind!r}; known: {', '.join(KINDS)}") from None


def kind_of_id(rule_id: str) -> Kind | None:
    """The kind whose id pattern ``rule_id`` fits (the patterns do not overlap), or None.

    For callers that hold only an id, such as a labelled set's expectations or a profile's
    ``any_of``; with the rule at hand, read ``rule.kind``.
    """
    for name, item in KINDS.items():
        if item.id_pattern.match(rule_id):
            return name
    return None


def fuzzy_wording(kind: str, first_form: bool) -> bool:
    """Whether a wording of a rule of ``kind`` is matched approximately."""
    policy = spec(kind).fuzzy
    return policy == "every" or (policy == "first" and first_form)
