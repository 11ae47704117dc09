"""A rule set compiled into plain data: the only thing that crosses into the compiled core.

The loader, validation, pattern expansion and models stay in Python; :class:`CompiledRules`
expands every form, spelling and anchor piece once, and :func:`compile_plan` writes what it
decided into lists, dicts, strings, numbers and booleans — nothing that is a Python object —
in the manner of pydantic-core's ``core_schema`` (plain data in, a compiled validator out).
The core (``phrasecheck._core``, Rust) is built from the plan alone, so it can be rebuilt from
a pickle or shipped to another process without any Python object of this package.

Indexes in the plan are positions in its own lists: a wording's ``order`` is the rule's
position in ``rules``, an automaton entry names a wording, template or rule by position.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TypedDict

from phrasecheck import fuzzy, mention, resolve, subject
from phrasecheck.compiler import MIN_PIECES_FOUND, CompiledRules
from phrasecheck.foldtable import fold_table, fold_table_json
from phrasecheck.normalize import Normalized
from phrasecheck.rules.kinds import KINDS
from phrasecheck.soundtable import SoundTable, sound_table_json

__all__ = [
    "PLAN_VERSION",
    "Plan",
    "compile_plan",
    "normalizer_plan",
    "plan_json",
    "plan_text",
    "rules_plan",
]

PLAN_VERSION = 3  # 2: the fuzzy stage (raw_crosses, sounds); 3: raw_crosses always decided

# Method and form-type codes shared with the core: a wording's method in the plan
# (rust/plan.rs, the first three) and a hit's method in what the core returns (rust/engine.rs,
# where an exact hit whose text differs from the wording is "normalized").
METHODS = ("exact", "template", "fuzzy", "normalized")
FORM_TYPES = ("phrase", "core")


class NormalizerPlan(TypedDict):
    """The fold table: runs of code points kept (0), dropped (1) or mapped (2)."""

    runs: list[tuple[int, int, int]]
    mapped: list[tuple[int, int]]
    breaks: list[tuple[int, int]]  # code points that break a clause (punctuation, line ends)


class Plan(TypedDict):
    version: int
    normalizer: NormalizerPlan
    rules: list[dict[str, Any]]
    # (order, raw, text, form_type, edits, changes, needs_boundary, least_kept, form,
    #  method, score, spelling, asks)
    wordings: list[tuple[Any, ...]]
    keys: list[tuple[str, list[tuple[int, int, int]]]]  # automaton key → (tag, index, extra)
    templates: list[tuple[int, str]]  # (rule order, regular expression over normalized text)
    ungated: list[int]  # templates run on every text
    exception_patterns: list[tuple[int, list[tuple[str, bool]]]]  # order → (regex, spans)
    pieces: list[tuple[int, list[tuple[int, str]]]]  # fuzzy wording → anchor pieces
    spelled: list[tuple[int, list[tuple[int, str]]]]  # wording → (spelling, changed part)
    vocabulary: list[str]  # added to the word segmenter's dictionary
    budgets: dict[str, Any]
    # insertion-only wording → whether its raw text crosses a clause break
    raw_crosses: list[tuple[int, bool]]
    sounds: SoundTable  # pypinyin's folded readings of every character (soundtable.py)
    resolution: dict[str, Any]
    subject: dict[str, list[str]]  # who says a first-person wording (subject.py's word lists)
    mention: dict[str, Any]  # quotation and mention (mention.py)


def normalizer_plan() -> NormalizerPlan:
    """The fold table for every code point (shipped precomputed: :mod:`phrasecheck.foldtable`)."""
    table = fold_table()
    return {"runs": table["runs"], "mapped": table["mapped"], "breaks": table["breaks"]}


def compile_plan(compiled: CompiledRules, vocabulary: Iterable[str] | None = None) -> Plan:
    """The plain-data plan of ``compiled`` (a rule set already expanded by the compiler).

    ``vocabulary`` is what the word segmenter adds to jieba's dictionary: the rules' short
    wordings unless given (a Checker sharing another's segmenter passes that one's)."""
    plan: Any = rules_plan(compiled, vocabulary)
    plan["normalizer"] = normalizer_plan()
    plan["sounds"] = json.loads(sound_table_json())
    return plan  # type: ignore[no-any-return]


def plan_json(compiled: CompiledRules, vocabulary: Iterable[str] | None = None) -> str:
    """:func:`compile_plan` as the JSON text the core is built from, without parsing and
    writing again the fold and sound tables, whose shipped JSON texts are spliced in as they are."""
    # ASCII escapes: pure-ASCII output is the encoder's fastest path (the core reads either).
    return plan_text(json.dumps(rules_plan(compiled, vocabulary), check_circular=False))


def plan_text(rules_part: str) -> str:
    """The plan's JSON text from the JSON text of its rule part (:func:`rules_plan`) and the
    shipped fold and sound tables."""
    return (
        f'{{"normalizer":{fold_table_json().rstrip()},'
        f'"sounds":{sound_table_json().rstrip()},{rules_part[1:]}'
    )


def rules_plan(compiled: CompiledRules, vocabulary: Iterable[str] | None) -> dict[str, Any]:
    """The plan without the fold and sound tables: everything the rule set decides."""
    rules = [
        {
            "id": rule.id,
            "kind": rule.kind,
            "clause_start": rule.clause_start,
            "first_person": rule.first_person,
        }
        for rule in compiled.ruleset
    ]
    wordings = [
        (
            w.order,
            w.raw,
            w.text,
            FORM_TYPES.index(w.form_type),
            w.budget.edits,
            w.budget.changes,
            w.needs_boundary,
            w.least_kept,
            w.form,
            METHODS.index(w.method),
            w.score,
            w.spelling,
            w.asks,
        )
        for w in compiled.wordings
    ]
    return {
        "version": PLAN_VERSION,
        "rules": rules,
        "wordings": wordings,
        "keys": [(key, list(entries)) for key, entries in compiled.keys.items()],
        "templates": [(t.order, t.pattern.pattern) for t in compiled.templates],
        "ungated": list(compiled.ungated),
        "exception_patterns": [
            (order, [(pattern.pattern, spans) for pattern, spans in patterns])
            for order, patterns in compiled.exception_patterns.items()
        ],
        "pieces": [(index, list(found)) for index, found in compiled.pieces.items()],
        "spelled": [(index, list(found)) for index, found in compiled.spelled.items()],
        "vocabulary": list(compiled.short_vocabulary() if vocabulary is None else vocabulary),
        "budgets": {
            "min_pieces_found": MIN_PIECES_FOUND,
            "min_fuzzy_length": fuzzy.MIN_FUZZY_LENGTH,
            "min_insertion_length": fuzzy.MIN_INSERTION_LENGTH,
            "long_wording": fuzzy.LONG_WORDING,
            "polarity": "".join(sorted(fuzzy.POLARITY_CHARACTERS)),
            "particles": "".join(sorted(fuzzy.PARTICLES)),
            "light": "".join(sorted(fuzzy.LIGHT_CHARACTERS)),
            "equivalents": ["".join(sorted(group)) for group in fuzzy.EQUIVALENTS],
        },
        "raw_crosses": [
            (index, _raw_crosses(w.raw, len(w.text)))
            for index, w in enumerate(compiled.wordings)
            if w.budget.edits and not w.budget.changes
        ],
        "resolution": {
            "longer_questions": list(resolve.LONGER_QUESTIONS),
            "question_tails": list(resolve.QUESTION_TAILS),
            "anyone": list(resolve.ANYONE),
            "all": list(resolve.ALL),
            "negations": "".join(sorted(resolve.NEGATIONS)),
            "kinds": [
                (name, spec.group_per_rule, spec.yields_inside) for name, spec in KINDS.items()
            ],
        },
        "subject": {
            "speaker": sorted(subject.SPEAKER),
            "personal_pronouns": sorted(subject.PERSONAL_PRONOUNS),
            "person_suffixes": sorted(subject.PERSON_SUFFIXES),
            "person_words": sorted(subject.PERSON_WORDS),
            "transparent": sorted(subject.TRANSPARENT),
            "reporting": sorted(subject.REPORTING),
            "conditionals": sorted(subject.CONDITIONALS),
            "asking_whether": sorted(subject.ASKING_WHETHER),
            "past": sorted(subject.PAST),
            "transparent_tags": list(subject._TRANSPARENT_TAGS),
            "person_tags": list(subject._PERSON_TAGS),
            "no_matter": [subject._NO_MATTER.pattern],
        },
        "mention": {
            "reach": mention._REACH,
            "quotes": sorted(mention.QUOTES.items()),
            "named_after": mention._NAMED_AFTER.pattern,
            "named_first": "".join(sorted(mention._NAMED_FIRST)),
            "say_last": "".join(sorted(mention._SAY_LAST)),
            "forbidden_before": mention._FORBIDDEN_BEFORE.pattern,
        },
    }


def _raw_crosses(raw: str, length: int) -> bool:
    """Whether an insertion-only wording's raw text crosses a clause break within its first
    ``length`` normalized characters: only then may a window of it cross one (我看清楚了，
    再问一下 is not 看清楚再问). A spelling longer than its wording's raw text is asked of the
    whole raw text."""
    doc = Normalized(raw)
    return bool(doc.normalized) and doc.crosses_break(0, min(length, len(doc.normalized)))
