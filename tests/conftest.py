from pathlib import Path

import pytest

from phrasecheck import Checker

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def checker() -> Checker:
    return Checker()


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
