"""The latest version of a portable file, read without a store (the first start's path)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.engines.store import open_store
from scorecard_studio.engines.store.portable_head import read_portable_head
from scorecard_studio.resources import resource

SAMPLE = resource("sample", "sample.scorecard")


def test_reading_the_head_loads_no_sql() -> None:
    code = (
        "import sys\n"
        "from scorecard_studio.engines.store.portable_head import read_portable_head\n"
        f"head = read_portable_head(__import__('pathlib').Path({str(SAMPLE)!r}))\n"
        "print(head.number, 'sqlalchemy' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["3", "False"]


def test_the_head_is_what_the_store_holds_after_importing_the_file(tmp_path: Path) -> None:
    head = read_portable_head(SAMPLE)
    with open_store(tmp_path / "s.sqlite3") as store:
        store.import_scorecard(SAMPLE)
        version = store.checkout(head.scorecard)
        tables = version.load_snapshots()
    assert (head.number, head.hash) == (version.number, version.info.hash)
    assert head.design == version.design
    assert sorted(head.tables) == sorted(tables)
    for source, frame in tables.items():
        assert head.tables[source].equals(frame)


def test_a_damaged_file_is_one_store_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.scorecard"
    bad.write_bytes(SAMPLE.read_bytes()[:2000])
    with pytest.raises(StoreError, match=r"bad\.scorecard"):
        read_portable_head(bad)
