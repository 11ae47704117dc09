"""Where the bundled rule files live, in a checkout and in an installed wheel."""

from __future__ import annotations

import sys
from pathlib import Path

TABOO_FILE = "forbidden_phrases.yaml"
POLITE_FILE = "polite_phrases.yaml"
GUIDANCE_FILE = "guidance_phrases.yaml"
PROFILE_FILE = "score_profile.yaml"
PACKS_DIR = "packs"


def bundled_data_dir() -> Path:
    """Return the folder holding the bundled rule files.

    A wheel carries them inside the package (``phrasecheck/data``); an editable install or a
    plain checkout reads the repository's top-level ``data/`` folder, which is the source of
    truth that the wheel copies.
    """
    packaged = Path(__file__).resolve().parent / "data"
    if (packaged / TABOO_FILE).is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "data"
    if (checkout / TABOO_FILE).is_file():
        return checkout
    raise FileNotFoundError(
        f"phrasecheck's bundled rule files were not found in {packaged} or {checkout}; "
        "reinstall the package"
    )


def bundled_rule_files() -> list[Path]:
    folder = bundled_data_dir()
    return [folder / TABOO_FILE, folder / GUIDANCE_FILE, folder / POLITE_FILE]


def bundled_profile_file() -> Path:
    return bundled_data_dir() / PROFILE_FILE


def bundled_pack_files() -> dict[str, Path]:
    """The bundled rule packs by name (the file name without ``.yaml``), in name order."""
    folder = bundled_data_dir() / PACKS_DIR
    return {path.stem: path for path in sorted(folder.glob("*.yaml"))}


def write_generated(path: Path, text: str) -> int:
    """Write a generated data file (``python -m phrasecheck.foldtable`` / ``.soundtable``)
    and say so on standard error; the exit status of those commands."""
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)
    return 0
