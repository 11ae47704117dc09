"""The compiled core (rust/) as the one engine: what holds of every text it checks.

Before the Python matcher was removed, the core was proven identical to it (hits, offsets and
explanations) on every labelled set, 200,000 generated utterances and 60,000 random texts;
the labelled sets' own tests (test_devset.py, test_rule_examples.py) now guard what it finds.
Here: the normalization and offsets against the Python normalizer (which the rules and the
scorer use), the batch calls against the single ones, explanations against checks, pickled
copies against the original, and hypothesis-generated text of every script.
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
from phrasecheck._core import Core, Shape
from phrasecheck.checker import Found
from phrasecheck.normalize import Normalized
from phrasecheck.plan import FORM_TYPES, METHODS

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
def generated() -> list[str]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import corpus
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return corpus.utterances(5000, seed=101)


def assert_consistent(checker: Checker, text: str) -> None:
    """A check's hits lie in the text, and its explanation accepts exactly those hits."""
    result = checker.check(text)
    for hit in result.hits:
        assert 0 <= hit.start < hit.end <= len(text), text
        assert hit.matched == text[hit.start : hit.end], text
    explanation = checker.explain(text)
    assert explanation.hits == result.hits, text
    accepted = [c for c in explanation.candidates if c.decision == "accepted"]
    assert sorted((c.start, c.end, c.rule_id) for c in accepted) == sorted(
        (h.start, h.end, h.rule_id) for h in result.hits
    ), text
    assert all(c.reason for c in explanation.candidates), text
    assert explanation.normalized == Normalized(text).normalized, text


def test_normalization_and_offsets_are_the_python_normalizer_s(checker, labelled, generated):
    core = checker._core
    for text in labelled + generated:
        doc = Normalized(text)
        assert core.normalize(text) == (doc.normalized, list(doc.offsets)), text
    assert core.normalize_many(labelled) == [core.normalize(text) for text in labelled]


def test_batch_calls_are_the_single_ones(checker, labelled, generated):
    texts = labelled + generated
    found = checker.find_many(texts)
    assert found == [checker.find(text) for text in texts]
    assert sum(bool(hits) for hits in found) > 2000  # not a comparison of empty lists
    sample = texts[::10]
    assert checker.check_many(sample) == [checker.check(text) for text in sample]
    with pytest.raises(TypeError, match="check_many needs a str"):
        checker.check_many(["好", b"bytes"])


def test_text_the_core_refuses_takes_the_careful_path(checker):
    """Each entry point hands its argument to the core first; what the core refuses (not a
    str, lone surrogates, a batch that is not a sequence) goes through the Python checks:
    scrubbed text is checked, anything else gets the error naming the method."""
    odd, scrubbed = "急什么\ud800烦死人了", "急什么\ufffd烦死人了"
    assert checker.find(odd) == checker.find(scrubbed) != []
    assert checker.check(odd) == checker.check(scrubbed)
    assert checker.check(odd).text == scrubbed
    texts = ["您好", odd, "谢谢"]
    expected = [checker.find(t) for t in ["您好", scrubbed, "谢谢"]]
    assert checker.find_many(texts) == expected
    assert [r.text for r in checker.check_many(texts)] == ["您好", scrubbed, "谢谢"]
    assert checker.find_many(tuple(texts)) == expected  # any sequence, as a list
    assert checker.find_many(t for t in texts) == expected  # any iterable, through Python
    assert [r.hits for r in checker.check_many(t for t in texts)] == [
        r.hits for r in checker.check_many(["您好", scrubbed, "谢谢"])
    ]
    for method in ("check", "find"):
        with pytest.raises(TypeError, match=f"Checker.{method} needs a str, got bytes; decode"):
            getattr(checker, method)("急什么".encode())
    for method in ("check_many", "find_many"):
        with pytest.raises(TypeError, match=f"Checker.{method} needs a str, got int"):
            getattr(checker, method)(["您好", 3])


def found_in_python(checker: Checker, text: str) -> list[Found]:
    """The core's plain tuples of ``text`` made Found by hand: what the Shape does in Rust."""
    rules = checker._compiled.rules
    return [
        Found(rules[order], start, end, text[start:end], form, FORM_TYPES[kind], METHODS[how], score)
        for order, start, end, form, kind, how, score in checker._core.find(text)
    ]


def test_hits_are_made_the_found_tuples_python_would_make(checker, labelled, generated):
    texts = labelled + generated + ["😀ｂ您好请问有什么可以帮您e\u0301喂", "\U0002a6a5急什麼😀"]
    made = checker.find_many(texts)
    assert made == [found_in_python(checker, text) for text in texts]
    assert all(type(hit) is Found for hits in made for hit in hits)
    assert sum(map(len, made)) > 3000  # not a comparison of empty lists


def test_a_shape_refuses_what_it_cannot_make(checker):
    with pytest.raises(ValueError, match="tuple subclass"):
        Shape(dict, [], FORM_TYPES, METHODS)
    shape = Shape(Found, checker._compiled.rules[:1], FORM_TYPES, METHODS)
    with pytest.raises(ValueError, match="no rule of order 5"):
        shape.make("你问我，我问谁", [(5, 0, 3, "你问我", 0, 0, 100.0)])
    with pytest.raises(ValueError, match="no name for code 7"):
        shape.make("你问我，我问谁", [(0, 0, 3, "你问我", 0, 7, 100.0)])
    with pytest.raises(ValueError, match=r"no characters 5\.\.9 in a text of 7"):
        shape.make("你问我，我问谁", [(0, 5, 9, "你问我", 0, 0, 100.0)])


def test_explanations_agree_with_checks(checker, labelled, generated):
    for text in labelled[::3] + generated[::5]:
        assert_consistent(checker, text)


def test_every_kind_of_decision_is_explained(checker, labelled):
    """The labelled sets reach every reason the core gives, each in its own words."""
    reasons: set[str] = set()
    for text in labelled:
        for candidate in checker.explain(text).candidates:
            reasons.add(candidate.reason.split(" ")[0])
    expected = "the approximate another matches overlaps inside short not its drops part"
    assert set(expected.split()) <= reasons


def test_a_pickled_checker_and_core_check_the_same(checker, labelled):
    copy = pickle.loads(pickle.dumps(checker))
    sample = labelled[::20]
    assert [copy.check(t).model_dump_json() for t in sample] == [
        checker.check(t).model_dump_json() for t in sample
    ]
    assert [copy.explain(t) for t in sample[:50]] == [checker.explain(t) for t in sample[:50]]
    core = checker._core
    raw = pickle.loads(pickle.dumps(core))  # the Rust object pickles as its plan
    assert isinstance(raw, Core)
    assert raw.find_many(sample) == core.find_many(sample)


# Text a recogniser or a keyboard may produce: Chinese (simplified and traditional), the
# rules' own wordings, punctuation of both widths, spaces, letters, digits, emoji, marks,
# invisible and private-use characters, surrogates-free astral code points.
_PIECES = st.sampled_from(
    [
        "急什么", "急什麼", "烦死人了", "煩死人了", "不知道", "你问我", "我问谁", "您好", "喂",
        "喂养", "请稍等", "有本事你去告", "你找谁", "请问您找谁", "您", "你", "我", "，", "。",
        "！", "？", "、", ",", ".", " ", "\u3000", "\n", "“", "”", "_", "\u200b", "\ufe0f",
        "😀", "Ａ", "ｂ", "Ⅻ", "ﬁ", "\ue000", "é", "e\u0301", "１２３", "的话", "这种说法",
    ]
)  # fmt: skip
_TEXT = st.lists(st.one_of(_PIECES, st.text(min_size=1, max_size=3)), min_size=0, max_size=12).map(
    "".join
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_hypothesis_text_is_checked_consistently(checker, text):
    text = text.encode("utf-8", "replace").decode("utf-8")  # str arguments hold no surrogates
    assert_consistent(checker, text)
    assert checker.find_many([text, text]) == [checker.find(text)] * 2
    assert checker.find(text) == found_in_python(checker, text)


@pytest.mark.parametrize(
    "unit",
    [
        "请问您找谁。",  # a taboo wording inside a polite one, and an exception of its rule
        "您好，请问有什么可以帮您？",
        "急什么，烦死人了。",  # nested taboo hits: the longest stands
        "我也不知道他们什么时候来。",  # who says it: the clause is read
        "不知道您现在方便吗？",
        "有本事你就去告！好的好的。",  # a slip
        "有本事你就去告！",  # a slip said again and again
    ],
)
def test_a_long_text_holds_its_units_decisions_repeated(checker, unit):
    """Hundreds of candidates in one text take the core's indexed paths (nesting, exceptions,
    slips already matched); each unit must still be decided as it is alone."""
    copies = 200
    alone = checker.explain(unit).candidates
    assert alone
    expected = sorted(
        (c.rule_id, c.start + k * len(unit), c.end + k * len(unit), c.decision, c.reason)
        for k in range(copies)
        for c in alone
    )
    found = checker.explain(unit * copies).candidates
    assert sorted((c.rule_id, c.start, c.end, c.decision, c.reason) for c in found) == expected
