"""The shortcut that skips jieba must never disagree with jieba."""

from phrasecheck.eval import load_examples
from phrasecheck.normalize import normalize
from phrasecheck.tokenize import Segmenter


def test_no_straddling_word_means_no_split(checker, root):
    segmenter: Segmenter = checker._segmenter
    folder = root / "tests" / "devset"
    examples = load_examples(folder / "devset.jsonl") + load_examples(folder / "heldout.jsonl")
    texts = [normalize(e.text) for e in examples]
    checked = 0
    for text in texts:
        words = segmenter.words(text)
        for start in range(len(text)):
            for end in range(start + 1, min(len(text), start + 3) + 1):
                if not segmenter.may_split(text, start, end):
                    checked += 1
                    assert not words.splits(start, end, text[start:end]), (text, start, end)
    assert checked > 1000


def test_compounds_and_morphemes(checker):
    segmenter: Segmenter = checker._segmenter
    words = segmenter.words("快递员的电话我真不知道")
    assert not words.splits(8, 11, "不知道")  # 真不知道 holds the word 不知道
    assert segmenter.words("小区有喂养宠物的规定").splits(3, 4, "喂")  # 喂养 holds the morpheme 喂
    assert segmenter.words("您着急什么时候用").splits(2, 5, "急什么")  # 着急 crosses the edge
