"""Word segmentation: rjieba must cut exactly as jieba does, and hits must respect words."""

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


@pytest.mark.parametrize("backend", ["core", "rjieba", "jieba"])
def test_compounds_and_morphemes(checker, backend):
    segmenter = Segmenter(checker._compiled.short_vocabulary(), backend)
    assert not segmenter.words("快递员的电话我真不知道").splits(
        8, 11, "不知道"
    )  # 真不知道 holds 不知道
    assert segmenter.words("小区有喂养宠物的规定").splits(3, 4, "喂")  # 喂养 holds the morpheme 喂
    assert segmenter.words("您着急什么时候用").splits(2, 5, "急什么")  # 着急 crosses the edge
    assert not segmenter.words("喂你好").splits(0, 1, "喂")


def test_an_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="backend must be one of"):
        Segmenter((), "spacy")
