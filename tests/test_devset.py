"""Accuracy floors on the labelled sets (python -m phrasecheck.eval prints the details).

devset.jsonl is the set the rules were tuned on; heldout.jsonl was written afterwards by
someone who never saw the checker's output, and measures how the rules generalise (its first
run prompted some changes); blind2.jsonl was written next, and nothing has been tuned on it;
blind3.jsonl to blind6.jsonl were written for issue 10 from the standard alone, and their
floors stay at their first run's level (the changes their failures prompted are not blind). The
floors are set just under the measured figures (see the README's Accuracy section), so a
change that loses accuracy fails here.
"""

import pytest

from phrasecheck.eval import evaluate, load_examples

FLOORS = {
    # set: (taboo precision, taboo recall, polite precision, polite recall)
    "devset.jsonl": (0.99, 0.99, 0.99, 0.99),
    "heldout.jsonl": (0.99, 0.99, 0.99, 0.99),
    "blind2.jsonl": (0.95, 0.99, 0.98, 0.99),
    # blind3: at its first run's level (0.978, 0.892, 0.963, 1.000), not at later figures
    "blind3.jsonl": (0.97, 0.88, 0.95, 0.99),
    # blind4: at its first run's level (0.976, 0.972, 0.961, 1.000)
    "blind4.jsonl": (0.97, 0.97, 0.95, 0.99),
    # blind5: at its first run's level (0.972, 0.976, 0.947, 0.993)
    "blind5.jsonl": (0.97, 0.97, 0.94, 0.99),
    # blind6: at its first run's level (0.990, 0.970, 0.960, 0.993)
    "blind6.jsonl": (0.98, 0.96, 0.95, 0.99),
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_accuracy_floors(checker, root, name):
    examples = load_examples(root / "tests" / "devset" / name)
    assert len(examples) >= 400 if name == "devset.jsonl" else len(examples) >= 200
    report = evaluate(checker, examples)
    taboo, polite = report.kind("taboo"), report.kind("polite")
    floors = FLOORS[name]
    figures = (taboo.precision, taboo.recall, polite.precision, polite.recall)
    assert all(f >= floor for f, floor in zip(figures, floors, strict=True)), figures


def test_no_taboo_hit_on_polite_look_alikes(checker, root):
    examples = load_examples(root / "tests" / "devset" / "devset.jsonl")
    lookalikes = [e for e in examples if e.group == "lookalike"]
    assert len(lookalikes) >= 100
    assert evaluate(checker, lookalikes).kind("taboo").fp == 0


def test_every_rule_is_exercised(root):
    examples = load_examples(root / "tests" / "devset" / "devset.jsonl")
    labelled = set().union(*(e.expect for e in examples))
    assert {f"T{i:02d}" for i in range(1, 31)} <= labelled
    assert {f"P{i:02d}" for i in range(1, 21)} <= labelled


# Taboo hits on each blind set's polite look-alikes at its first run: none may be added since.
LOOK_ALIKE_HITS = {"blind3.jsonl": 3, "blind4.jsonl": 4, "blind5.jsonl": 3, "blind6.jsonl": 0}


@pytest.mark.parametrize("name", sorted(LOOK_ALIKE_HITS))
def test_blind_look_alikes_stay_at_least_as_clean_as_their_first_run(checker, root, name):
    examples = load_examples(root / "tests" / "devset" / name)
    lookalikes = [e for e in examples if e.group == "lookalike"]
    assert len(lookalikes) >= 90
    assert evaluate(checker, lookalikes).kind("T").fp <= LOOK_ALIKE_HITS[name]
