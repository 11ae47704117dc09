"""A Checker and a Scorer survive pickling: spawned workers and Spark executors get the same
results as the process that built them."""

import json
import multiprocessing
import os
import pickle
import subprocess
import sys

import pytest

from phrasecheck import Checker, Scorer, load_profile
from phrasecheck.rules import load_rules

DEVSETS = ("devset.jsonl", "heldout.jsonl", "blind2.jsonl")


@pytest.fixture(scope="module")
def texts(root) -> list[str]:
    found = []
    for name in DEVSETS:
        with (root / "tests" / "devset" / name).open(encoding="utf-8") as handle:
            found.extend(json.loads(line)["text"] for line in handle if line.strip())
    return found


@pytest.fixture(scope="module")
def transcripts(root) -> list[dict]:
    with (root / "samples" / "transcripts.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _checks(checker: Checker, texts: list[str]) -> list[str]:
    return [checker.check(text).model_dump_json() for text in texts]


def _check_in_child(payload: bytes, texts: list[str]) -> list[str]:
    return _checks(pickle.loads(payload), texts)


def test_checker_round_trip_checks_the_same(checker, texts):
    assert len(texts) > 1000
    copy = pickle.loads(pickle.dumps(checker))
    assert copy is not checker and copy.rules.version == checker.rules.version
    assert copy.rules.sources == checker.rules.sources
    assert sum(bool(checker.check(t).hits) for t in texts) > 500  # the texts do find phrases
    assert _checks(copy, texts) == _checks(checker, texts)
    sample = texts[::50]
    assert [copy.explain(t).model_dump_json() for t in sample] == [
        checker.explain(t).model_dump_json() for t in sample
    ]


def test_a_warm_checker_pickles_too(texts):
    """Once jieba is loaded the segmenter holds a Rust object; it must not travel."""
    checker = Checker()
    checker.warm_up()
    copy = pickle.loads(pickle.dumps(checker))
    assert copy._segmenter._backend is None  # the copy loads its own on first need
    assert _checks(copy, texts[:300]) == _checks(checker, texts[:300])


def test_a_checker_checks_the_same_in_a_spawned_process(checker, texts):
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        remote = pool.apply(_check_in_child, (pickle.dumps(checker), texts))
    assert remote == _checks(checker, texts)


def test_custom_rules_survive_pickling(root, tmp_path):
    rules = load_rules(root / "data" / "forbidden_phrases.yaml")
    checker = Checker(rules)
    copy = pickle.loads(pickle.dumps(checker))
    assert [r.id for r in copy.rules] == [r.id for r in rules]
    assert all(r.kind == "taboo" for r in copy.rules)
    text = "你问我，我问谁？谢谢您的来电"
    assert copy.check(text) == checker.check(text)
    assert [h.rule_id for h in copy.check(text).hits] == ["T15"]  # no polite rules came along


@pytest.mark.parametrize("built_on", ["checker", "rules"])
def test_scorer_round_trip_scores_the_same(checker, transcripts, built_on):
    scorer = Scorer(checker if built_on == "checker" else checker.rules)
    copy = pickle.loads(pickle.dumps(scorer))
    assert copy.version == scorer.version
    assert copy.checker._segmenter._vocabulary == scorer.checker._segmenter._vocabulary
    assert copy.customer_checker._segmenter is copy.checker._segmenter
    reports = [scorer.score(t).model_dump_json() for t in transcripts]
    assert [copy.score(t).model_dump_json() for t in transcripts] == reports
    assert any('"status":"scored"' in r and '"violations":[{' in r for r in reports)


def test_a_custom_profile_survives_pickling(root, tmp_path, transcripts):
    text = (root / "data" / "score_profile.yaml").read_text(encoding="utf-8")
    custom = tmp_path / "strict.yaml"
    custom.write_text(text.replace("pass_mark: 80", "pass_mark: 95"), encoding="utf-8")
    profile = load_profile(custom)
    assert profile.pass_mark == 95
    scorer = Scorer(profile=profile)
    copy = pickle.loads(pickle.dumps(scorer))
    assert copy.profile == profile and copy.profile.source == str(custom)
    assert copy.profile.version == profile.version
    for transcript in transcripts:
        assert copy.score(transcript) == scorer.score(transcript)


def _score(args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "phrasecheck.cli", "score", *map(str, args), "-q"],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


@pytest.mark.slow
def test_score_with_spawned_workers_matches_one_process(root, tmp_path):
    inputs = [root / "samples"]
    one = _score([*inputs, "-o", tmp_path / "one.jsonl", "--workers", "1"])
    spawned = _score(
        [*inputs, "-o", tmp_path / "spawn.jsonl", "--workers", "2"],
        env={"PHRASECHECK_START_METHOD": "spawn"},
    )
    assert spawned.returncode == one.returncode == 1, spawned.stderr
    expected = (tmp_path / "one.jsonl").read_text(encoding="utf-8").splitlines()
    jsonl = (root / "samples" / "transcripts.jsonl").read_text(encoding="utf-8").split("\n")
    assert len(expected) == sum(bool(line.strip()) for line in jsonl) + 3 + 2  # + CSV + text
    assert (tmp_path / "spawn.jsonl").read_text(encoding="utf-8").splitlines() == expected


def test_an_unknown_start_method_is_named(root, tmp_path):
    done = _score(
        [root / "samples" / "turns.csv", "-o", tmp_path / "out.jsonl", "--workers", "2"],
        env={"PHRASECHECK_START_METHOD": "threads"},
    )
    assert done.returncode != 0
    assert "PHRASECHECK_START_METHOD='threads'" in done.stderr
