"""Word segmentation: the core's jieba-rs and rjieba cut as jieba does, and hits respect words."""

import pytest

from phrasecheck.eval import load_examples
from phrasecheck.normalize import normalize
from phrasecheck.tokenize import Segmenter


@pytest.fixture(scope="module")
def labelled_texts(root):
    folder = root / "tests" / "devset"
    examples = load_examples(folder / "devset.jsonl") + load_examples(folder / "heldout.jsonl")
    return [normalize(example.text) for example in examples]


def test_rjieba_cuts_exactly_as_jieba_with_the_rules_vocabulary(checker, labelled_texts):
    vocabulary = checker._compiled.short_vocabulary()
    rust, python = Segmenter(vocabulary, "rjieba"), Segmenter(vocabulary, "jieba")
    assert len(labelled_texts) > 800
    for text in labelled_texts:
        assert rust.tokens(text) == python.tokens(text), text
    for word in ["不知道", "真不知道", "喂", "急什么", "着急", "你好像"]:
        assert rust._load().is_word(word) == python._load().is_word(word), word


def test_the_cores_jieba_cuts_and_tags_as_rjieba(checker, labelled_texts):
    vocabulary = checker._compiled.short_vocabulary()
    core, rust = Segmenter(vocabulary, "core"), Segmenter(vocabulary, "rjieba")
    for text in labelled_texts:
        assert core.tokens(text) == rust.tokens(text), text
        assert core.tagged(text) == rust.tagged(text), text
    for word in ["不知道", "真不知道", "喂", "急什么", "着急", "你好像"]:
        assert core._load().is_word(word) == rust._load().is_word(word), word


def test_one_jieba_instance_serves_every_holder_of_a_vocabulary(checker):
    from phrasecheck import _core

    vocabulary = checker._compiled.short_vocabulary()
    first, second = _core.Jieba(vocabulary), _core.Jieba(vocabulary)
    # Words added to one instance are seen by the other: they are the same jieba-rs object.
    assert first.has_word("急什么") and second.has_word("急什么")
    assert not _core.Jieba([]).has_word("急什么")
    assert Segmenter(vocabulary)._load().__class__.__name__ == "_CoreJieba"


@pytest.mark.parametrize(
    ("text", "wording", "stands"),
    [
        ("快递员的电话我真不知道", "不知道", True),  # 真不知道 holds the word 不知道
        ("喂养宠物要注意什么", "喂", False),  # 喂养 holds the morpheme 喂
        ("您着急什么时候用", "急什么", False),  # 着急 crosses the edge
        ("喂你好", "喂", True),
    ],
)
def test_compounds_and_morphemes(checker, text, wording, stands):
    """The core's boundary check, as an explanation tells it."""
    (candidate,) = [c for c in checker.explain(text).candidates if c.matched == wording]
    if stands:
        assert candidate.decision == "accepted"
    else:
        assert (candidate.decision, candidate.reason) == ("rejected", "short wording splits a word")


def test_an_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="backend must be one of"):
        Segmenter((), "spacy")
