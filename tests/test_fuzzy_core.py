"""The compiled core's fuzzy stage (rust/fuzzy.rs) decides as the Python engine does.

The Python engine (matcher.py's ``_fuzzy``, fuzzy.py's ``best_window`` and ``objection``,
rapidfuzz and pypinyin) is the reference. Parity rests on a few measures, each compared here
with its source on many random inputs: rapidfuzz's ``Levenshtein.editops`` (``objection``
walks the alignment it chooses among equal-cost ones, so another alignment could accept what
it refuses), its distance and ``fuzz.ratio`` (the score, rounded as hits round it), and
pypinyin's readings (the shipped sound table). Then the stage itself, on slips made of every
fuzzy wording, and the count of texts the core still hands back to Python (none on the
labelled sets and the samples).
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

from phrasecheck import Checker, _core, fuzzy, soundtable
from phrasecheck.core import CompiledCore

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def python() -> Checker:
    return Checker()._use_engine("python")


@pytest.fixture(scope="module")
def core(python) -> Checker:
    return Checker(python.rules)._use_engine("core")


@pytest.fixture(scope="module")
def compiled(python) -> CompiledCore:
    return CompiledCore(python._compiled)


def _random_pair(draw: random.Random) -> tuple[str, str]:
    # Few letters, so that equal-cost alignments (the ties editops must break alike) abound.
    alphabet = "不了啊你好吗"[: draw.randint(1, 6)]
    first = "".join(draw.choice(alphabet) for _ in range(draw.randint(0, 12)))
    second = "".join(draw.choice(alphabet) for _ in range(draw.randint(0, 15)))
    return first, second


def test_editops_distance_and_ratio_are_rapidfuzz_s_on_random_pairs():
    draw = random.Random(12)
    replaced = 0
    for _ in range(30_000):
        first, second = _random_pair(draw)
        expected = [(op.tag, op.src_pos, op.dest_pos) for op in Levenshtein.editops(first, second)]
        assert _core.editops(first, second) == expected, (first, second)
        replaced += any(tag == "replace" for tag, _, _ in expected)
        distance, score, rounded = _core.similarity(first, second)
        assert distance == Levenshtein.distance(first, second)
        if first or second:
            assert score == ratio(first, second), (first, second)
            assert rounded == round(ratio(first, second), 1)
    assert replaced > 10_000  # the pairs exercise every kind of edit, not only insertions


def test_the_shipped_sound_table_is_what_pypinyin_gives():
    generated = soundtable.generate()
    assert json.loads(soundtable.sound_table_json()) == json.loads(soundtable.render(generated))
    assert len(generated["sounds"]) > 250
    assert sum(len(chars) for _, chars in generated["sounds"]) > 40_000


def test_sounds_alike_is_fuzzy_py_s(compiled, python):
    """Characters of the fuzzy wordings against random characters of every script."""
    wording_chars = sorted({c for w in python._compiled.wordings if w.budget.edits for c in w.text})
    draw = random.Random(5)
    others = [chr(draw.randint(0x4E00, 0x9FFF)) for _ in range(3000)]
    others += [chr(draw.randint(0x20000, 0x2A6DF)) for _ in range(300)]
    others += list("abc123，。！〇㐀々") + wording_chars
    alike = 0
    for first in wording_chars:
        for second in draw.sample(others, 60):
            expected = fuzzy.sounds_alike(first, second)
            assert compiled.core.sounds_alike(first, second) == expected, (first, second)
            alike += expected
    assert alike > 100


def _slip(draw: random.Random, text: str, edits: int, similar: list[str]) -> str:
    """``text`` with up to ``edits + 1`` random slips: inserted, replaced or dropped
    characters, replacements often sounding alike, insertions often particles, negations,
    the equivalents or a comma."""
    chars = list(text)
    inserted = [*sorted(fuzzy.PARTICLES | fuzzy.POLARITY_CHARACTERS), "就", "，", "在", "正"]
    for _ in range(draw.randint(1, edits + 1)):
        kind = draw.random()
        at = draw.randrange(len(chars) + 1)
        if kind < 0.5 or not chars:
            chars.insert(at, draw.choice(inserted + similar))
        elif kind < 0.85:
            at = min(at, len(chars) - 1)
            chars[at] = draw.choice(similar)
        else:
            del chars[min(at, len(chars) - 1)]
    return "".join(chars)


def _same_sounds() -> dict[str, list[str]]:
    """Characters by folded reading (the sound table), for replacements that sound alike."""
    table = json.loads(soundtable.sound_table_json())
    return {sound: list(chars[:40]) for sound, chars in table["sounds"]}


def _slips(python: Checker, count: int, seed: int) -> list[tuple[object, str]]:
    by_sound = _same_sounds()
    wordings = [w for w in python._compiled.wordings if w.budget.edits]
    draw = random.Random(seed)
    made = []
    for _ in range(count):
        w = draw.choice(wordings)
        similar = [
            alike
            for char in w.text
            for sound in sorted(fuzzy._sounds(char))
            for alike in by_sound.get(sound, [])[:8]
        ] or list(w.text)
        before = draw.choice(["", "", "好的，", "这个", "你", "我跟你说", "喂，"])
        after = draw.choice(["", "", "。", "吧", "了", "，知道吗", "！"])
        made.append((w, before + _slip(draw, w.text, w.budget.edits, similar) + after))
    return made


def test_objection_and_best_window_are_fuzzy_py_s(python, compiled):
    raw = compiled.core
    accepted = refused = 0
    for w, text in _slips(python, 6000, seed=3):
        budget = w.budget
        window = text.strip("好的，这个你我跟说喂。吧了知道吗！") or text
        if len(window) >= 2:
            expected = fuzzy.objection(w.text, window, budget) is not None
            assert raw.objection(w.text, window, budget.changes) == expected, (w.text, window)
            refused += expected
            accepted += not expected
        for aligned in (-1, 0, 2, 5):
            found, _ = fuzzy.best_window(w.text, text, aligned, budget)
            got = raw.best_window(w.text, text, aligned, budget.edits, budget.changes)
            assert got == (None if found is None else (found.start, found.end, found.score)), (
                w.text,
                text,
                aligned,
            )
    assert accepted > 500 and refused > 500


def test_slips_of_every_fuzzy_wording_find_the_same_hits(python, core):
    texts = [text for _, text in _slips(python, 8000, seed=11)]
    assert None not in core._core.find_many(texts)  # the core measured every one itself
    expected = [python.find(text) for text in texts]
    assert core.find_many(texts) == expected
    fuzzy_hits = sum(any(hit.method == "fuzzy" for hit in found) for found in expected)
    assert fuzzy_hits > 2000  # the comparison is of slips found, not of empty lists


def _sample_texts() -> list[str]:
    samples = ROOT / "samples"
    texts = []
    for line in (samples / "transcripts.jsonl").read_text(encoding="utf-8").splitlines():
        texts += [turn["text"] for turn in json.loads(line)["turns"]]
    with (samples / "turns.csv").open(encoding="utf-8-sig", newline="") as handle:
        texts += [row["text"] for row in csv.DictReader(handle)]
    for path in sorted(samples.glob("call-txt-*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        texts += [line.split("：", 1)[-1] for line in lines if line.strip()]
    return texts


def test_no_labelled_or_sample_text_falls_back_to_python(python, core):
    """Before the fuzzy stage was ported, 298 of the 2,952 labelled texts went to Python."""
    labelled = [
        json.loads(line)["text"]
        for path in sorted((ROOT / "tests" / "devset").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    samples = _sample_texts()
    assert len(labelled) > 2500 and len(samples) > 300
    texts = labelled + samples
    found = core._core.find_many(texts)
    assert sum(item is None for item in found) == 0
    assert core.find_many(texts) == [python.find(text) for text in texts]
    measured = [text for text in texts if any(h.method == "fuzzy" for h in python.find(text))]
    assert len(measured) > 50  # the texts hold slips the core now measures itself
