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


@pytest.fixture(autouse=True, scope="session")
def _witness_outside_the_user_folders(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The store's witness files go to a temporary folder, never the user's config folder.

    Set in ``os.environ`` so the command-line tests' child processes inherit it.
    """
    os.environ["SCORECARD_STUDIO_WITNESS_DIR"] = str(tmp_path_factory.mktemp("witness"))
