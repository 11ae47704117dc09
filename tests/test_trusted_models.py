"""Result models built without validation must be exactly what validation builds."""

import json
import pickle
from pathlib import Path

import pytest
from pydantic import BaseModel

from phrasecheck.checker import _hit, _validated_hit
from phrasecheck.models import CheckResult, trusted

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


def test_results_sharing_a_fields_set_stay_apart(checker):
    """Trusted models share one fields-set per model (models.trusted): nothing a user can do
    to one result through pydantic's API reaches another."""
    first, second = checker.check("急什麼，煩死人了！"), checker.check("您好，请问有什么可以帮您？")
    before = set(second.model_fields_set)
    assert "schema_version" not in before  # a default: not given, as when validated
    with pytest.raises(Exception, match="frozen"):
        first.schema_version = "2"  # type: ignore[misc]
    with pytest.raises(Exception, match="frozen"):
        del first.hits[0].score
    copy = first.model_copy(update={"schema_version": first.schema_version})
    assert "schema_version" in copy.model_fields_set
    assert copy.model_dump_json(exclude_unset=True) != first.model_dump_json(exclude_unset=True)
    deep = first.model_copy(update={"text": "x"}, deep=True)
    assert deep.text == "x" and first.text == "急什麼，煩死人了！"
    again = pickle.loads(pickle.dumps(second))
    assert again == second and again.model_fields_set == before
    assert second.model_fields_set == before
    assert first.model_fields_set == before


def test_trusted_builds_frozen_models_only():
    class Loose(BaseModel):
        name: str

    with pytest.raises(TypeError, match="frozen models only, not Loose"):
        trusted(Loose, {"name": "x"}, frozenset({"name"}))
