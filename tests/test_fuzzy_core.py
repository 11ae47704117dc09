"""The compiled core's fuzzy stage (rust/fuzzy.rs): its measures, its decisions, its slips.

The measures are compared with their sources on many random inputs: rapidfuzz's
``Levenshtein.editops`` (an objection walks the alignment it chooses among equal-cost ones,
so another alignment could accept what it refuses), its distance and ``fuzz.ratio`` (the
score, rounded as hits round it), and pypinyin's readings (the shipped sound table). The
decisions are the policy of :mod:`phrasecheck.fuzzy`, shown on examples with their reasons;
then slips made of every fuzzy wording are found where the policy allows them.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

from phrasecheck import Checker, _core, fuzzy, soundtable

ROOT = Path(__file__).resolve().parents[1]


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


def test_sounds_alike_is_pypinyin_s(checker):
    """Characters of the fuzzy wordings against random characters of every script."""
    wording_chars = sorted(
        {c for w in checker._compiled.wordings if w.budget.edits for c in w.text}
    )
    draw = random.Random(5)
    others = [chr(draw.randint(0x4E00, 0x9FFF)) for _ in range(3000)]
    others += [chr(draw.randint(0x20000, 0x2A6DF)) for _ in range(300)]
    others += list("abc123，。！〇㐀々") + wording_chars
    alike = 0
    for first in wording_chars:
        for second in draw.sample(others, 60):
            expected = bool(soundtable.readings(first) & soundtable.readings(second))
            assert checker._core.sounds_alike(first, second) == expected, (first, second)
            alike += expected
    assert alike > 100


@pytest.mark.parametrize(
    ("wording", "window", "changes", "reason"),
    [
        ("有本事你就去告", "有本事你现在就去告", 1, None),  # inserted words: the commonest slip
        ("有本事你就去告", "有本事你就去搞", 1, None),  # 搞 sounds like 告
        ("你怎么这么麻烦", "你怎么这么麻凡", 1, None),
        ("有本事你就去告", "有本事你不去告", 1, "an edit changes polarity (就 → 不)"),
        ("下班了请明天再来", "上班了请明天再来", 1, "an edit changes polarity (下 → 上)"),
        ("有本事你就去告啊", "有本事你就没去告啊", 1, "an edit changes polarity (没)"),
        ("有本事你就去告", "有本事去告", 1, "drops 你, which carries meaning"),
        ("你怎么这么麻烦", "你怎么那么麻利", 1, "那 does not sound like 这"),
        ("说话能清楚点", "你说话清楚点", 0, "words are inserted at the edge of a short wording"),
    ],
)
def test_what_a_slip_may_be(checker, wording, window, changes, reason):
    assert checker._core.objection(wording, window, changes) == reason


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


def _slips(checker: Checker, count: int, seed: int) -> list[tuple[object, str]]:
    by_sound = _same_sounds()
    wordings = [w for w in checker._compiled.wordings if w.budget.edits]
    draw = random.Random(seed)
    made = []
    for _ in range(count):
        w = draw.choice(wordings)
        similar = [
            alike
            for char in w.text
            for sound in sorted(soundtable.readings(char))
            for alike in by_sound.get(sound, [])[:8]
        ] or list(w.text)
        before = draw.choice(["", "", "好的，", "这个", "你", "我跟你说", "喂，"])
        after = draw.choice(["", "", "。", "吧", "了", "，知道吗", "！"])
        made.append((w, before + _slip(draw, w.text, w.budget.edits, similar) + after))
    return made


def test_slips_of_every_fuzzy_wording(checker):
    """Random slips of every fuzzy wording: found as slips of it wherever the window within
    the budget is one, and refused with a reason otherwise."""
    made = _slips(checker, 8000, seed=11)
    found = checker.find_many([text for _, text in made])
    slips = refused = 0
    for (w, text), hits in zip(made, found, strict=True):
        for hit in hits:
            assert hit.matched == text[hit.start : hit.end]
            assert hit.method != "fuzzy" or 0 <= hit.score < 100
        if any(hit.method == "fuzzy" and hit.rule.id == w.rule.id for hit in hits):
            slips += 1
        elif not any(hit.rule.id == w.rule.id for hit in hits):
            refused += 1
    assert slips > 2000 and refused > 500  # both outcomes are exercised
