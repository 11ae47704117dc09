"""The compiled core gives what the Python engine gives: the Python engine is the reference.

Ported and proven so far: normalization with the offset map; the matcher's first stage
(automaton pass, templates, slot-free exceptions, anchor pieces, exceptions with slots); and
resolution (word boundaries with jieba-rs, clause starts, longer questions, exceptions, who
says a first-person wording, quotation and mention, nesting); and the fuzzy stage (slips),
whose measures ``tests/test_fuzzy_core.py`` compares with rapidfuzz and pypinyin. Each is
compared stage by stage, and end to end through
``Checker(...)._use_engine("core-exact")`` (the core normalizes and scans, Python does the
rest) and ``_use_engine("core")`` (the core finds the hits), on every labelled set, on
generated utterances (``benchmarks/corpus.py``; 200,000 in ``benchmarks/core_parity.py`` and
the slow test here) and on hypothesis-generated text, offsets included.
"""

from __future__ import annotations

import json
import pickle
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phrasecheck import Checker
from phrasecheck.core import CompiledCore
from phrasecheck.normalize import Normalized

ROOT = Path(__file__).resolve().parents[1]
DEVSETS = sorted((ROOT / "tests" / "devset").glob("*.jsonl"))


def _lines(path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle if line.strip()]


@pytest.fixture(scope="module")
def labelled() -> list[str]:
    texts = [text for path in DEVSETS for text in _lines(path)]
    assert len(DEVSETS) >= 4 and len(texts) > 1500
    return texts


@pytest.fixture(scope="module")
def checker() -> Checker:
    """The reference: the Python engine (the default engine is the core)."""
    return Checker()._use_engine("python")


@pytest.fixture(scope="module")
def both(checker) -> tuple[Checker, Checker]:
    return checker, Checker(checker.rules)._use_engine("core-exact")


@pytest.fixture(scope="module")
def full(checker) -> Checker:
    return Checker(checker.rules)._use_engine("core")


@pytest.fixture(scope="module")
def compiled_core(checker) -> CompiledCore:
    return CompiledCore(checker._compiled)


def _python_stage(checker: Checker, text: str):
    doc = Normalized(text)
    return doc, checker._compiled.exact(doc) if doc.normalized else ([], {}, [])


def _plain(exact) -> tuple:
    """A stage's output as comparable plain data (wordings by identity, spans, order)."""
    candidates, exceptions, anchored = exact
    return (
        [
            (id(c.wording), c.order, c.start, c.end, c.method, c.score, c.form, c.form_type)
            for c in candidates
        ],
        {order: list(spans) for order, spans in exceptions.items()},
        [tuple(owners) for owners in anchored],
    )


def assert_same_stage(checker: Checker, core: CompiledCore, text: str) -> None:
    doc, exact = _python_stage(checker, text)
    core_doc, core_exact = core.scan(text)
    assert core_doc.normalized == doc.normalized, text
    assert list(core_doc.offsets) == list(doc.offsets), text
    assert _plain(core_exact) == _plain(exact), text
    candidates = exact[0]
    if candidates and checker._compiled.exception_patterns:
        orders = sorted({c.order for c in candidates})
        expected: dict[int, list[tuple[int, int]]] = {}
        checker._compiled.slotted_exceptions(doc, set(orders), expected)
        found: dict[int, list[tuple[int, int]]] = {}
        for order, start, end in core.core.slotted_exceptions(text, orders):
            found.setdefault(order, []).append((start, end))
        assert found == expected, text


def test_normalization_and_offsets_match_on_every_labelled_set(compiled_core, labelled):
    core = compiled_core.core
    for text in labelled:
        doc = Normalized(text)
        assert core.normalize(text) == (doc.normalized, list(doc.offsets)), text
    batch = core.normalize_many(labelled)
    assert batch == [core.normalize(text) for text in labelled]


def test_first_stage_matches_on_every_labelled_set(checker, compiled_core, labelled):
    found = 0
    for text in labelled:
        assert_same_stage(checker, compiled_core, text)
        found += bool(compiled_core.scan(text)[1][0])
    assert found > 1000  # the texts do hold wordings: the comparison is not of empty lists


def test_checks_and_explanations_match_on_every_labelled_set(both, labelled):
    python, core = both
    hits = 0
    for text in labelled:
        expected = python.check(text)
        assert core.check(text).model_dump_json() == expected.model_dump_json(), text
        hits += bool(expected.hits)
    assert hits > 1000
    for text in labelled[::7]:
        assert core.explain(text).model_dump_json() == python.explain(text).model_dump_json()


def test_the_core_finds_the_same_hits_on_every_labelled_set(checker, full, labelled):
    alone = [
        text for text, found in zip(labelled, full._core.find_many(labelled), strict=True) if found
    ]
    assert len(alone) > 1000  # texts with hits that the core resolved without Python
    assert full.find_many(labelled) == [checker.find(text) for text in labelled]
    assert [r.model_dump_json() for r in full.check_many(labelled)] == [
        checker.check(text).model_dump_json() for text in labelled
    ]
    assert [full.check(text) for text in alone] == [checker.check(text) for text in alone]


def test_check_many_is_check_with_either_engine(checker, labelled):
    sample = labelled[::10]
    assert checker.check_many(sample) == [checker.check(text) for text in sample]
    with pytest.raises(TypeError, match="check_many needs a str"):
        checker.check_many(["好", b"bytes"])


def test_generated_utterances_match(checker, compiled_core, both, full):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import corpus
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    texts = corpus.utterances(5000, seed=101)
    python, core = both
    for text in texts:
        assert_same_stage(checker, compiled_core, text)
    expected = [python.find(t) for t in texts]
    assert [core.find(t) for t in texts] == expected
    assert full.find_many(texts) == expected
    assert sum(bool(found) for found in full._core.find_many(texts)) > 1000


@pytest.mark.slow
def test_two_hundred_thousand_generated_utterances_match(root):
    """The full parity run (``benchmarks/core_parity.py``), checked by its exit status."""
    import subprocess

    done = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "core_parity.py"), "--n", "200000"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "200000 utterances: identical normalization, offsets and hits" in done.stdout
    assert "the core found 200000 alone, 0 went to the Python engine" in done.stdout


# Text a recogniser or a keyboard may produce: Chinese (simplified and traditional), the
# rules' own wordings, punctuation of both widths, spaces, letters, digits, emoji, marks,
# invisible and private-use characters, surrogates-free astral code points.
_PIECES = st.sampled_from(
    [
        "急什么",
        "急什麼",
        "烦死人了",
        "煩死人了",
        "不知道",
        "你问我",
        "我问谁",
        "您好",
        "喂",
        "喂养",
        "请稍等",
        "有本事你去告",
        "你找谁",
        "请问您找谁",
        "您",
        "你",
        "我",
        "，",
        "。",
        "！",
        "？",
        "、",
        ",",
        ".",
        " ",
        "\u3000",
        "\n",
        "“",
        "”",
        "_",
        "\u200b",
        "\ufe0f",
        "😀",
        "Ａ",
        "ｂ",
        "Ⅻ",
        "ﬁ",
        "\ue000",
        "é",
        "e\u0301",
        "１２３",
    ]
)
_TEXT = st.lists(st.one_of(_PIECES, st.text(min_size=1, max_size=3)), min_size=0, max_size=12).map(
    "".join
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_hypothesis_text_matches(checker, compiled_core, both, full, text):
    text = text.encode("utf-8", "replace").decode("utf-8")  # str arguments hold no surrogates
    assert_same_stage(checker, compiled_core, text)
    python, core = both
    expected = python.check(text).model_dump_json()
    assert core.check(text).model_dump_json() == expected
    assert full.check(text).model_dump_json() == expected


def test_a_core_checker_pickles_with_its_engine(both, labelled):
    _, core = both
    copy = pickle.loads(pickle.dumps(core))
    assert copy._engine == "core-exact" and copy._core is not None
    sample = labelled[::20]
    assert [copy.check(t).model_dump_json() for t in sample] == [
        core.check(t).model_dump_json() for t in sample
    ]
    raw = pickle.loads(pickle.dumps(core._core.core))  # the Rust object pickles as its plan
    assert [raw.scan(t) for t in sample] == [core._core.core.scan(t) for t in sample]


def test_a_full_core_checker_pickles_with_its_engine(full, labelled):
    copy = pickle.loads(pickle.dumps(full))
    assert copy._engine == "core"
    sample = labelled[::20]
    assert copy.find_many(sample) == full.find_many(sample)


def test_an_unknown_engine_is_refused(checker):
    with pytest.raises(ValueError, match="engine must be one of python, core-exact, core"):
        Checker(checker.rules)._use_engine("rust")


@pytest.mark.parametrize("engine", ["core", "python", None])
def test_the_environment_variable_chooses_the_engine(root, engine):
    """The core is the default; PHRASECHECK_ENGINE=python is the escape hatch."""
    import os
    import subprocess

    code = (
        "from phrasecheck import Checker; c = Checker(); "
        "print(c._engine, [h.rule_id for h in c.check('急什麼，煩死人了！').hits])"
    )
    env = {k: v for k, v in os.environ.items() if k != "PHRASECHECK_ENGINE"}
    if engine is not None:
        env["PHRASECHECK_ENGINE"] = engine
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == [engine or "core", "['T04']"]


def test_spellings_split_by_a_comma_match(checker, full):
    """Colloquial spellings with a negation, cut by a comma at every place: the rule that a
    slip may not borrow its negation from another clause, which the labelled sets rarely
    reach, decides the same in both engines."""
    from phrasecheck.resolve import NEGATIONS

    texts = []
    for wording in checker._compiled.wordings:
        if wording.method == "fuzzy" and NEGATIONS & set(wording.text):
            for cut in range(1, len(wording.text)):
                split = f"{wording.text[:cut]}，{wording.text[cut:]}"
                texts += [split, f"这个事儿{split}了", f"好的，{split}吧"]
    assert len(texts) > 100
    expected = [checker.find(text) for text in texts]
    assert full.find_many(texts) == expected
    assert sum(bool(found) for found in expected) < len(texts)  # some are refused ...
    assert any(expected)  # ... and some stand
