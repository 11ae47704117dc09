"""The grader against QA labels of whole dialogues (tests/dialogues/evaluate.py).

The written calls and threads are committed and always measured; the public corpora's text is
rebuilt only where their snapshots were fetched (tests/dialogues/rebuild.py), so those floors
apply only when ``.build/`` is present. Floors sit just under the figures in the README.
"""

import importlib.util
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "dialogues"


@pytest.fixture(scope="module")
def evaluate():
    spec = importlib.util.spec_from_file_location("dialogue_evaluate", HERE / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scorer():
    from phrasecheck import Scorer

    return Scorer()


def measure(evaluate, scorer, source):
    evaluation = evaluate.Evaluation()
    count = evaluate.evaluate(scorer, source, evaluation)
    return count, evaluation.per_category


def test_written_calls_and_threads(evaluate, scorer):
    count, per_category = measure(evaluate, scorer, "written")
    assert count == 65
    for category in evaluate.CATEGORIES:
        if category == "complaint_soothed":
            continue
        tally = per_category[category]
        assert tally.precision >= 0.99 and tally.recall >= 0.99, category
    complaints = per_category["complaint_soothed"]
    assert complaints.precision >= 0.99 and complaints.recall >= 0.9


@pytest.mark.skipif(not (HERE / ".build").is_dir(), reason="public dialogues not rebuilt here")
def test_public_chats(evaluate, scorer):
    evaluation = evaluate.Evaluation()
    for source in ("asap_jddc", "jddc_rec", "csds"):
        assert evaluate.evaluate(scorer, source, evaluation) > 0, source
    assert evaluation.dialogues == 170
    per_category = evaluation.per_category
    assert per_category["greeting"].precision >= 0.9 and per_category["greeting"].recall >= 0.95
    assert per_category["closing"].precision >= 0.8 and per_category["closing"].recall >= 0.9


@pytest.mark.skipif(not (HERE / ".build").is_dir(), reason="public dialogues not rebuilt here")
def test_every_category_meets_the_issue_target_on_all_sets(evaluate, scorer):
    """Issue 9's target, held on the development figures (README, "Transcript scores on
    real dialogues"): precision >= 0.9 and recall >= 0.8 in every category."""
    evaluation = evaluate.Evaluation()
    for source in evaluate.sources():
        evaluate.evaluate(scorer, source, evaluation)
    assert evaluation.dialogues == 235
    for category in evaluate.CATEGORIES:
        tally = evaluation.per_category[category]
        assert tally.precision >= 0.9 and tally.recall >= 0.8, (category, tally)
