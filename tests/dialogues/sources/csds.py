"""Rebuild JD chats of the CSDS corpus from the fetched snapshot of xiaolinAndy/TODS.

The corpus is not licensed for redistribution, so only this loader and our labels are
committed. ``data/CSDS/topic/{test,val}.json`` hold objects whose ``Dialogue`` joins
turns with ``[SEP][CLS]``; each turn is ``<speaker>:<text>``. The speaker is 客服 (the
JD agent) or the party being served: 用户 (a shopper), 商家 (a merchant calling JD
logistics) or 物流师傅/师傅 (a courier). Every turn was cut to 30 characters including
the speaker prefix, so long utterances end mid-sentence. The corpus gives no ids; the
key is the split and the 0-based position in its file. train.json is absent from the
snapshot (a broken object), so only test and val are read.
"""

from __future__ import annotations

import json
import pathlib
import subprocess
from collections.abc import Iterator

MIRROR = "xiaolinAndy+TODS"
SOURCE = "csds"
SPLITS = ("test", "val")
SEPARATOR = "[SEP][CLS]"
AGENTS = {"客服"}
CUSTOMERS = {"用户", "商家", "物流师傅", "师傅"}


def _show(repo: pathlib.Path, path: str) -> str:
    done = subprocess.run(
        ["git", "--git-dir", str(repo), "show", f"HEAD:{path}"],
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")


def _turn(raw: str, where: str) -> dict:
    speaker, colon, text = raw.partition(":")
    if not colon or speaker not in AGENTS | CUSTOMERS:
        raise ValueError(f"{where}: turn does not start with a known speaker: {raw[:12]!r}")
    return {"role": "agent" if speaker in AGENTS else "customer", "text": text}


def load(repo: pathlib.Path) -> Iterator[dict]:
    """Yield every dialogue as a transcript dict, text untouched (placeholders such as [数字] kept)."""
    for split in SPLITS:
        path = f"data/CSDS/topic/{split}.json"
        for index, record in enumerate(json.loads(_show(repo, path))):
            where = f"{path} record {index}"
            dialogue = record.get("Dialogue")
            if not isinstance(dialogue, str) or not dialogue:
                raise ValueError(f"{where}: missing 'Dialogue' text")
            turns = [
                _turn(raw, f"{where} turn {i + 1}")
                for i, raw in enumerate(dialogue.split(SEPARATOR))
            ]
            yield {"id": f"{SOURCE}:{split}:{index}", "channel": "chat", "turns": turns}
