"""Shared test configuration.

Qt runs offscreen in every test (CI has no display), and the third-party spreadsheet corpus
is found beside the repository as ``../shared/corpus``; it is never copied into the repo.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO_ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The hostile and real-world spreadsheet corpus; tests that need it fail loudly if absent."""
    if not CORPUS_DIR.is_dir():
        pytest.fail(f"spreadsheet corpus not found at {CORPUS_DIR}")
    return CORPUS_DIR


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT
