"""Checks on the dialogues-b part of the labelled real-dialogue set (jddc_rec, csds).

The label files must be well-formed whatever machine runs the tests; the loaders are
checked against a tiny repository built here, and against the real snapshots when they
have been fetched to /work/.mirror.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

DIALOGUES = Path(__file__).resolve().parent / "dialogues"
CATEGORIES = (
    "greeting",
    "offer_help",
    "phone_intro",
    "closing",
    "thanks_answered",
    "complaint_soothed",
    "wait_announced",
    "callback_contact",
    "rude",
)
SOURCES = ("jddc_rec", "csds")
MIRRORS = Path("/work/.mirror")


def _module(source: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"dialogue_source_{source}", DIALOGUES / "sources" / f"{source}.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _labels(source: str) -> list[dict]:
    path = DIALOGUES / "labels" / f"{source}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("source", SOURCES)
def test_label_records_are_complete(source: str) -> None:
    records = _labels(source)
    assert len({r["id"] for r in records}) == len(records)
    for r in records:
        assert r["id"].startswith(f"{source}:") and r["source"] == source
        assert r["channel"] == "chat" and r["direction"] is None
        assert tuple(r["labels"]) == CATEGORIES
        assert set(r["labels"].values()) <= {"met", "violated", "na"}
        assert r["labels"]["offer_help"] == r["labels"]["phone_intro"] == "na"
        for category, value in r["labels"].items():
            if value == "violated":
                assert r["reasons"].get(category), (r["id"], category)
        assert set(r["reasons"]) <= set(CATEGORIES)


def test_sample_sizes_and_complaint_share() -> None:
    for source, size in (("jddc_rec", 45), ("csds", 35)):
        records = _labels(source)
        complaints = sum(r["labels"]["complaint_soothed"] != "na" for r in records)
        assert len(records) == size
        assert complaints * 3 >= size, source


def _git_repo(tmp_path: Path, files: dict[str, str]) -> Path:
    work = tmp_path / "work"
    for name, text in files.items():
        target = work / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for command in (
        ["init", "-q"],
        ["add", "."],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"],
    ):
        subprocess.run(["git", *command], cwd=work, check=True, capture_output=True)
    return work / ".git"


def test_jddc_rec_loader_maps_roles_and_names_bad_records(tmp_path: Path) -> None:
    module = _module("jddc_rec")
    good = [{"id": "abc", "dialogs": ["<url>", "您好", "x.jpg"], "roles": ["顾客", "客服", "顾客"]}]
    bad = [{"id": "def", "dialogs": ["a", "b"], "roles": ["顾客"]}]
    files = {
        path: json.dumps(good if "train" in path else [], ensure_ascii=False)
        for path in module.FILES
    }
    dialogues = list(module.load(_git_repo(tmp_path / "ok", files)))
    assert dialogues == [
        {
            "id": "jddc_rec:abc",
            "channel": "chat",
            "turns": [
                {"role": "customer", "text": "<url>"},
                {"role": "agent", "text": "您好"},
                {"role": "customer", "text": "x.jpg"},
            ],
        }
    ]
    files[module.FILES[1]] = json.dumps(bad)
    with pytest.raises(ValueError, match=r"1_dev\.json record 0: 2 dialogs but 1 roles"):
        list(module.load(_git_repo(tmp_path / "bad", files)))


def test_csds_loader_splits_turns_and_names_bad_records(tmp_path: Path) -> None:
    module = _module("csds")
    test = [{"Dialogue": "客服:有什么问题[SEP][CLS]商家:好的[SEP][CLS]用户:a:b"}]
    files = {
        "data/CSDS/topic/test.json": json.dumps(test, ensure_ascii=False),
        "data/CSDS/topic/val.json": "[]",
    }
    dialogues = list(module.load(_git_repo(tmp_path / "ok", files)))
    assert dialogues == [
        {
            "id": "csds:test:0",
            "channel": "chat",
            "turns": [
                {"role": "agent", "text": "有什么问题"},
                {"role": "customer", "text": "好的"},
                {"role": "customer", "text": "a:b"},
            ],
        }
    ]
    files["data/CSDS/topic/val.json"] = json.dumps(
        [{"Dialogue": "客服:好[SEP][CLS]路人:嗯"}], ensure_ascii=False
    )
    with pytest.raises(ValueError, match=r"val\.json record 0 turn 2: .*known speaker"):
        list(module.load(_git_repo(tmp_path / "bad", files)))


@pytest.mark.parametrize("source", SOURCES)
def test_labelled_ids_exist_in_the_fetched_snapshot(source: str) -> None:
    module = _module(source)
    repo = MIRRORS / module.MIRROR / "repo"
    if not repo.is_dir():
        pytest.skip(f"snapshot {module.MIRROR} not fetched")
    transcripts = {d["id"]: d for d in module.load(repo)}
    for r in _labels(source):
        assert r["id"] in transcripts, r["id"]
        turns = len(transcripts[r["id"]]["turns"])
        for reason in r["reasons"].values():
            assert all(int(n) <= turns for n in re.findall(r"第(\d+)", reason)), r["id"]
