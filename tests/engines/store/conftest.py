"""Store tests: every store lives in a temporary folder, never in the user's data folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scorecard_studio.engines.store import Store, open_store


@pytest.fixture(autouse=True)
def _isolated_store_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even a call that forgets its path lands in the test's temporary folder."""
    monkeypatch.setenv("SCORECARD_STUDIO_STORE", str(tmp_path / "default-store.sqlite3"))
    monkeypatch.setenv("SCORECARD_STUDIO_AUTHOR", "tester")


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store.sqlite3"


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    opened = open_store(store_path)
    try:
        yield opened
    finally:
        opened.close()
