"""The bundled standard's plan, shipped precomputed: a default Checker skips compiling it.

Expanding the standard's forms, spellings and anchor pieces and writing them as a plan costs
about 60 ms of a process's start (``benchmarks/bench_startup.py``), paid again by every
one-shot ``phrasecheck check``. Like the fold and sound tables, the result ships in
``data/standard_plan.json``: a first line saying what it was made from — the rule set's
content hash, the plan version, a hash of the Python sources that decide a plan and the
Unicode version — then the plan's rule part as :func:`~phrasecheck.plan.plan_json` writes it.
A Checker uses it only when all of them match this process, so rules or compiler code
edited since it was written are compiled as before, and compiles too when the core refuses
the file; a test compares the shipped file with a fresh compilation, so it cannot go stale
unnoticed (the Rust side of compiling — the spelling scores of ``_core.similarity`` — is
guarded by that test alone). ``python -m phrasecheck.shippedplan`` writes it again.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from pathlib import Path

from phrasecheck.resources import write_generated

PLAN_FILE = Path(__file__).with_name("data") / "standard_plan.json"
_PACKAGE = Path(__file__).resolve().parent

# The modules whose code decides what a rule set compiles to (imports of compiler.py and
# plan.py that shape wordings, spellings, pieces, budgets and word lists).
PLAN_SOURCES = (
    "compiler.py",
    "plan.py",
    "fuzzy.py",
    "normalize.py",
    "variants.py",
    "homophones.py",
    "_homophone_table.py",
    "mention.py",
    "resolve.py",
    "subject.py",
    "rules/kinds.py",
    "rules/model.py",
    "rules/patterns.py",
)


def sources_hash() -> str:
    """A hash of :data:`PLAN_SOURCES` as they are installed (16 hex digits), line ends
    folded so that a checkout with CRLF line ends hashes alike."""
    digest = hashlib.sha256()
    for name in PLAN_SOURCES:
        digest.update(name.encode())
        digest.update((_PACKAGE / name).read_bytes().replace(b"\r\n", b"\n"))
    return digest.hexdigest()[:16]


def made_from(ruleset_version: str, plan_version: int) -> dict[str, object]:
    """What a shipped plan must have been made from to serve a rule set: the rules, the
    plan version, the compiler's sources and the Unicode version normalization follows (the
    fold table's own condition, foldtable.py)."""
    return {
        "ruleset": ruleset_version,
        "plan": plan_version,
        "sources": sources_hash(),
        "unicode": unicodedata.unidata_version,
    }


def render(ruleset_version: str, plan_version: int, vocabulary: tuple[str, ...], rest: str) -> str:
    head = {**made_from(ruleset_version, plan_version), "vocabulary": list(vocabulary)}
    return json.dumps(head, ensure_ascii=False) + "\n" + rest + "\n"


def shipped_plan(ruleset_version: str, plan_version: int) -> tuple[tuple[str, ...], str] | None:
    """The segmenter vocabulary and the plan's rule part shipped for the rule set with
    content hash ``ruleset_version``, or None when the file was made from anything else."""
    try:
        with PLAN_FILE.open(encoding="utf-8") as handle:
            head = json.loads(handle.readline())
            if not isinstance(head, dict):
                return None
            vocabulary = head.pop("vocabulary", None)
            if head != made_from(ruleset_version, plan_version):
                return None
            rest = handle.read().rstrip("\n")
    except (OSError, ValueError):
        return None  # missing or unreadable: compile instead
    if not isinstance(vocabulary, list) or not rest.startswith("{"):
        return None
    return tuple(vocabulary), rest


def main() -> int:
    from phrasecheck.checker import Checker
    from phrasecheck.plan import PLAN_VERSION, rules_plan
    from phrasecheck.tokenize import Segmenter

    checker = Checker()
    # The vocabulary a Checker compiling these rules gives its segmenter (not the shipped one).
    vocabulary = Segmenter(checker._compiled.short_vocabulary()).vocabulary
    # Characters as they are (the core reads either): half the size of ASCII escapes.
    rest = json.dumps(rules_plan(checker._compiled, vocabulary), ensure_ascii=False)
    return write_generated(PLAN_FILE, render(checker.version, PLAN_VERSION, vocabulary, rest))


if __name__ == "__main__":
    raise SystemExit(main())
