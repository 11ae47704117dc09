"""The real-dialogue set's source readers and label files (tests/dialogues/).

Readers need a fetched snapshot under /work/.mirror (or $PHRASECHECK_MIRRORS); CI has none,
so those checks skip there. The label-file checks and the synthetic-snapshot check always run.
"""

from __future__ import annotations

import importlib.util
import json
import os
import pathlib
import shutil
import subprocess
import sys
from types import ModuleType

import pytest

DIALOGUES = pathlib.Path(__file__).parent / "dialogues"
SOURCES = sorted((DIALOGUES / "sources").glob("*.py"))
# The development labels and every held-out set: all must be well-formed.
LABELS = sorted(DIALOGUES.glob("labels/*.jsonl")) + sorted(DIALOGUES.glob("heldout*/*.jsonl"))
MIRRORS = pathlib.Path(os.environ.get("PHRASECHECK_MIRRORS", "/work/.mirror"))
CATEGORIES = {
    "greeting", "offer_help", "phone_intro", "closing", "thanks_answered",
    "complaint_soothed", "wait_announced", "callback_contact", "rude",
}  # fmt: skip
VALUES = {"met", "violated", "na"}


def _module(path: pathlib.Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"dialogue_source_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _mirror(module: ModuleType) -> pathlib.Path:
    repo = MIRRORS / module.MIRROR / "repo"
    if not repo.is_dir():
        pytest.skip(f"snapshot {module.MIRROR} not fetched (no {repo}); CI has no mirrors")
    return repo


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_source_yields_well_formed_transcripts_with_unique_ids(path: pathlib.Path) -> None:
    module = _module(path)
    transcripts = list(module.load(_mirror(module)))
    assert transcripts, f"{path.name} yielded nothing"
    ids = [t["id"] for t in transcripts]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for t in transcripts:
        assert t["id"].startswith(f"{path.stem}:"), t["id"]
        assert t["channel"] in {"chat", "phone", "social"}
        assert t["turns"], f"{t['id']}: no turns"
        for turn in t["turns"]:
            assert turn["role"] in {"agent", "customer"}, t["id"]
            assert isinstance(turn["text"], str) and turn["text"], t["id"]


@pytest.mark.parametrize("path", LABELS, ids=[p.stem for p in LABELS])
def test_label_file_is_complete(path: pathlib.Path) -> None:
    seen: set[str] = set()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        row = json.loads(line)
        where = f"{path.name}:{lineno}"
        assert row["id"].startswith(f"{path.stem}:"), where
        assert row["source"] == path.stem, where
        assert row["id"] not in seen, f"{where}: duplicate id"
        seen.add(row["id"])
        assert row["channel"] in {"chat", "phone", "social"}, where
        assert row["direction"] in {"inbound", "outbound", None}, where
        assert set(row["labels"]) == CATEGORIES, where
        assert set(row["labels"].values()) <= VALUES, where
        for category, value in row["labels"].items():
            if value == "violated":
                assert row["reasons"].get(category), f"{where}: violated {category} has no reason"


@pytest.mark.parametrize("path", LABELS, ids=[p.stem for p in LABELS])
def test_labelled_ids_are_ids_the_source_yields(path: pathlib.Path) -> None:
    source = DIALOGUES / "sources" / f"{path.stem}.py"
    if not source.exists():
        pytest.skip(f"{path.stem} has no reader (written dialogues)")
    module = _module(source)
    yielded = {t["id"] for t in module.load(_mirror(module))}
    labelled = {json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()}
    assert labelled - yielded == set()


def _bare_repo(tmp_path: pathlib.Path, files: dict[str, str]) -> pathlib.Path:
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    work = tmp_path / "work"
    for name, text in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text, encoding="utf-8")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}  # fmt: skip
    for cmd in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run(["git", "-C", str(work), *cmd], check=True, env=env)
    return work / ".git"


def test_asap_jddc_rebuilds_each_dialogue_once_from_its_windows(tmp_path: pathlib.Path) -> None:
    def line(window: list[str], sat: int) -> str:
        return f"{window!r}\t{[0] * len(window)!r}\t{sat}\n"

    a = ["问1|||", "问2|||答2", "问3|||", "问4|||"]
    lines = [
        line(a, 1),
        line([*a[:3], "问4|||答4", "问5|||"], 0),
        line([*a[:3], "问4|||答4", "问5|||答5 再答5", "OVERALL|||"], 2),
        line(["别|||好", "x|||", "y|||", "谢谢|||"], 2),
        line(["别|||好", "x|||", "y|||", "谢谢|||不客气", "OVERALL|||"], 1),
    ]
    repo = _bare_repo(tmp_path, {"dataset/jddc/test_jddc.txt": "".join(lines)})
    module = _module(DIALOGUES / "sources" / "asap_jddc.py")
    dialogues = list(module.dialogues(repo))
    assert [d.id for d in dialogues] == ["asap_jddc:test:1", "asap_jddc:test:4"]
    first = dialogues[0]
    assert first.exchanges == ["问1|||", "问2|||答2", "问3|||", "问4|||答4", "问5|||答5 再答5"]
    assert first.satisfaction == [None, None, None, 1, 0]
    assert first.overall == 2
    assert [(t["role"], t["text"]) for t in first.turns()] == [
        ("customer", "问1"), ("customer", "问2"), ("agent", "答2"), ("customer", "问3"),
        ("customer", "问4"), ("agent", "答4"), ("customer", "问5"), ("agent", "答5 再答5"),
    ]  # fmt: skip
    assert dialogues[1].turns()[-1] == {"role": "agent", "text": "不客气"}
