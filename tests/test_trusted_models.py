"""Result models built without validation must be exactly what validation builds."""

import json
from pathlib import Path

import pytest

from phrasecheck.checker import _hit, _validated_hit
from phrasecheck.models import CheckResult

ROOT = Path(__file__).resolve().parents[1]
DEVSETS = sorted((ROOT / "tests" / "devset").glob("*.jsonl"))


def _texts() -> list[str]:
    texts = []
    for path in DEVSETS:
        with path.open(encoding="utf-8") as handle:
            texts += [json.loads(line)["text"] for line in handle if line.strip()]
    return texts


def test_trusted_results_equal_validated_ones_on_every_labelled_set(checker):
    engine_checker = checker
    texts = _texts()
    assert len(DEVSETS) >= 4 and len(texts) > 1500
    hits = 0
    for text, result in zip(texts, engine_checker.check_many(texts), strict=True):
        found = engine_checker.find(text)
        validated = CheckResult(
            ruleset=engine_checker.version, text=text, hits=[_validated_hit(f) for f in found]
        )
        single = engine_checker.check(text)
        for made in (result, single):
            assert made == validated
            assert made.model_dump_json() == validated.model_dump_json()
            assert made.model_dump() == validated.model_dump()
            assert made.model_fields_set == validated.model_fields_set
            assert made.model_dump_json(exclude_unset=True) == validated.model_dump_json(
                exclude_unset=True
            )
        for item in found:
            assert _hit(item).model_fields_set == _validated_hit(item).model_fields_set
            assert hash(_hit(item)) == hash(_validated_hit(item))
        hits += len(found)
    assert hits > 1000


def test_a_trusted_result_is_still_frozen(checker):
    result = checker.check("急什麼，煩死人了！")
    with pytest.raises(Exception, match="frozen"):
        result.hits[0].start = 3  # type: ignore[misc]
    assert type(result.hits[0].score) is float
