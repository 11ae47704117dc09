"""Rebuild the labelled public dialogues' text from fetched snapshots (never committed).

The public corpora state no licence for their text, so the repository holds only labels keyed
by dialogue id and one loader per corpus (``sources/<name>.py``). This script runs each loader
over its snapshot and writes the labelled dialogues to ``.build/<name>.jsonl`` (git-ignored).

Snapshots are bare git repositories, fetched with the search tool's ``fetch``
(github:smartyfh/ASAP, github:wzf2000/Recommendability_DASFAA2024, github:xiaolinAndy/TODS);
they are looked for under ``$PHRASECHECK_MIRRORS`` (default ``/work/.mirror``) as
``<owner>+<name>/repo``.

    python tests/dialogues/rebuild.py
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUILD = HERE / ".build"


def labelled_ids(source: str) -> set[str]:
    """Ids labelled for ``source`` in the development labels and the held-out ones."""
    ids: set[str] = set()
    for folder in ("labels", "heldout", "heldout2", "heldout3", "heldout4"):
        path = HERE / folder / f"{source}.jsonl"
        if path.is_file():
            lines = path.read_text("utf-8").splitlines()
            ids |= {json.loads(line)["id"] for line in lines if line}
    return ids


def load_source(path: Path):
    spec = importlib.util.spec_from_file_location(f"dialogue_source_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def main() -> int:
    mirrors = Path(os.environ.get("PHRASECHECK_MIRRORS", "/work/.mirror"))
    BUILD.mkdir(exist_ok=True)
    missing = 0
    for path in sorted((HERE / "sources").glob("*.py")):
        module = load_source(path)
        repo = mirrors / module.MIRROR / "repo"
        wanted = labelled_ids(path.stem)
        if not repo.exists():
            print(f"{path.stem}: snapshot {repo} not found; fetch it first", file=sys.stderr)
            missing += 1
            continue
        kept = [d for d in module.load(repo) if d["id"] in wanted]
        out = BUILD / f"{path.stem}.jsonl"
        out.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in kept), "utf-8")
        lost = wanted - {d["id"] for d in kept}
        print(f"{path.stem}: {len(kept)} of {len(wanted)} labelled dialogues -> {out}")
        if lost:
            print(f"{path.stem}: labelled but not found: {sorted(lost)[:5]}…", file=sys.stderr)
            missing += 1
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
