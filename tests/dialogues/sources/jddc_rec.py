"""Rebuild JD.com chats of wzf2000/Recommendability_DASFAA2024 from its fetched snapshot.

The corpus is not licensed for redistribution, so only this loader and our labels are
committed. Whole dialogues come from ``datasets/JDDC/1_{train,dev,test}.json``
(objects with ``id``, parallel ``dialogs`` / ``roles`` lists, roles 顾客/客服). The
``zh_*_processed.json`` files are cut-off prefixes without ids, so they are not used.
"""

from __future__ import annotations

import json
import pathlib
import subprocess
from collections.abc import Iterator

MIRROR = "wzf2000+Recommendability_DASFAA2024"
SOURCE = "jddc_rec"
FILES = ("datasets/JDDC/1_train.json", "datasets/JDDC/1_dev.json", "datasets/JDDC/1_test.json")
ROLES = {"客服": "agent", "顾客": "customer"}


def _show(repo: pathlib.Path, path: str) -> str:
    done = subprocess.run(
        ["git", "--git-dir", str(repo), "show", f"HEAD:{path}"],
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")


def load(repo: pathlib.Path) -> Iterator[dict]:
    """Yield every dialogue as a transcript dict, text untouched (links, images, emoji codes kept)."""
    for path in FILES:
        records = json.loads(_show(repo, path))
        for n, record in enumerate(records):
            where = f"{path} record {n}"
            dialogs, roles = record.get("dialogs"), record.get("roles")
            if not isinstance(dialogs, list) or not isinstance(roles, list):
                raise ValueError(f"{where}: 'dialogs' and 'roles' must be lists")
            if len(dialogs) != len(roles):
                raise ValueError(f"{where}: {len(dialogs)} dialogs but {len(roles)} roles")
            turns = []
            for i, (text, role) in enumerate(zip(dialogs, roles, strict=True)):
                if role not in ROLES:
                    raise ValueError(f"{where}: turn {i + 1} has unknown role {role!r}")
                turns.append({"role": ROLES[role], "text": text})
            yield {"id": f"{SOURCE}:{record['id']}", "channel": "chat", "turns": turns}
