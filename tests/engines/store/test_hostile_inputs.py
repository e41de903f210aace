"""Hostile ``.scorecard`` files and a full disk: one line, exit 2, and the store unchanged.

Every hostile file is generated from a genuine export; nothing binary is committed.
"""

from __future__ import annotations

import errno
import json
import sqlite3
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from store_fixtures import billing_table, card, survey_table

from scorecard_studio.cli.main import run_cli
from scorecard_studio.domain.errors import StoreError, StoreOpenError
from scorecard_studio.engines.store import Store, faults, open_store, snapshot_limits
from scorecard_studio.engines.store.hashing import sha256_hex, version_hash
from scorecard_studio.engines.store.snapshots import encode_table


def _history(store: Store) -> None:
    store.save(card(), {"billing": billing_table(), "survey": survey_table()}, "one")
    store.save(card(target=210), None, "two")


def _state(path: Path) -> list[tuple[object, ...]]:
    """Every row of every table: what "the store is unchanged" compares."""
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return [(t, *row) for t in sorted(tables) for row in db.execute(f"SELECT * FROM {t}")]


def _replace(src: Path, dst: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, entries.pop(info.filename, None) or old.read(info))
        for name, data in entries.items():
            new.writestr(name, data)
    return dst


@pytest.fixture
def exported(store: Store, tmp_path: Path) -> Path:
    _history(store)
    return store.export_scorecard("Retention", tmp_path / "good.scorecard")


def _manifest_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("manifest.json").decode()


def _renumber_last(text: str, number: str) -> str:
    """The manifest with its last version (v2) given ``number``, written as is."""
    at = text.rindex('"number": 2')
    return text[:at] + f'"number": {number}' + text[at + len('"number": 2') :]


def _import(capsys: pytest.CaptureFixture[str], store_path: Path, file: Path) -> str:
    before = _state(store_path)
    code = run_cli(["store", "import", str(file), "--store-path", str(store_path)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert _state(store_path) == before
    return err


@pytest.mark.parametrize(
    ("number", "message"),
    [
        (str(2**70), "22 digits is too long (at most 18 digits)"),
        ("9" * 5000, "5,000 digits is too long (at most 18 digits)"),
        (str(2**63 - 1), "19 digits is too long (at most 18 digits)"),
        (str(2**53), "'number' must be from 1 to 1,000,000,000 (it is 9,007,199,254,740,992)"),
    ],
    ids=["2^70", "5000-digits", "2^63-1", "2^53"],
)
def test_version_numbers_beyond_the_limit_are_refused(
    store: Store,
    store_path: Path,
    exported: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    number: str,
    message: str,
) -> None:
    # The file is named after the scorecard the store already has: its history would
    # otherwise become that scorecard's head.
    text = _renumber_last(_manifest_text(exported), number)
    hostile = _replace(exported, tmp_path / "Retention.scorecard", {"manifest.json": text.encode()})
    assert message in _import(capsys, store_path, hostile)
    saved = store.save(card(target=230), None, "still saves")
    assert saved.number == 3


def test_an_imported_number_near_the_limit_leaves_room_for_saves(
    store: Store, exported: Path, tmp_path: Path, other_path: Path
) -> None:
    text = _renumber_last(_manifest_text(exported), "1000000000")
    file = _replace(exported, tmp_path / "far.scorecard", {"manifest.json": text.encode()})
    with open_store(other_path) as other:
        other.import_scorecard(file)
        assert other.head("Retention") == 1_000_000_000
        assert other.save(card(target=240), None, "next").number == 1_000_000_001


@pytest.fixture
def other_path(tmp_path: Path) -> Path:
    return tmp_path / "other.sqlite3"


def _with_snapshot(exported: Path, dst: Path, table: pd.DataFrame) -> Path:
    """The export with its billing snapshot replaced by ``table`` (hashes made to match)."""
    snap = encode_table(table, "billing")
    manifest = json.loads(_manifest_text(exported))
    first = manifest["versions"][0]
    old = first["snapshots"]["billing"]
    first["snapshots"]["billing"] = snap.hash
    manifest["snapshots"] = {
        d: meta for d, meta in manifest["snapshots"].items() if d in first["snapshots"].values()
    }
    manifest["snapshots"][snap.hash] = {"format": snap.format, "rows": snap.rows, "columns": 1}
    first["hash"] = version_hash(
        parent_hash=None,
        design_hash=first["design"],
        snapshots=first["snapshots"],
        message=first["message"],
        author=first["author"],
        created_at=first["created_at"],
    )
    del manifest["versions"][1:]
    entries = {
        "manifest.json": json.dumps(manifest).encode(),
        f"snapshots/{snap.hash}.arrow": snap.data,
    }
    with zipfile.ZipFile(exported) as archive:
        wanted = {f"designs/{first['design']}.json"}
        wanted |= {f"snapshots/{d}.arrow" for d in first["snapshots"].values()}
        keep = [n for n in archive.namelist() if n in wanted and n != f"snapshots/{old}.arrow"]
        with zipfile.ZipFile(dst, "w") as new:
            for name in keep:
                new.writestr(name, entries.pop(name, None) or archive.read(name))
            for name, data in entries.items():
                new.writestr(name, data)
    return dst


def test_a_snapshot_that_decodes_far_beyond_its_size_is_refused_before_decoding(
    store_path: Path,
    exported: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Two million zeros: 16,000,000 decoded bytes from a few kilobytes of zstd.
    zeros = pd.DataFrame({"amount": np.zeros(2_000_000)})
    bomb = _with_snapshot(exported, tmp_path / "bomb.scorecard", zeros)
    data = encode_table(zeros, "billing").data
    with zipfile.ZipFile(bomb) as archive:
        assert archive.read(f"snapshots/{sha256_hex(data)}.arrow") == data
    size = snapshot_limits.decoded_size(data)
    assert (size.rows, size.columns, size.bytes) == (2_000_000, 1, 16_000_000)
    assert len(data) < 100_000
    monkeypatch.setattr(snapshot_limits, "RATIO_FREE_BYTES", 1024 * 1024)
    err = _import(capsys, store_path, bomb)
    assert "would take 32,000,000 bytes once decoded (a decompression bomb)" in err
    monkeypatch.setattr(snapshot_limits, "MAX_CELLS", 1_000_000)
    err = _import(capsys, store_path, bomb)
    assert "2,000,000 rows x 1 columns is more than 1,000,000 cells" in err


def test_64_million_rows_of_nothing_are_refused_at_once(exported: Path, tmp_path: Path) -> None:
    """A column of nulls has no buffers: only the row count shows what it would become."""
    import time

    import pyarrow as pa
    from pyarrow import ipc

    from scorecard_studio.engines.store.snapshots import decode_table

    meta = {
        "format": "arrow-ipc-zstd/1",
        "rows": 64_000_000,
        "columns": [{"label": "x", "dtype": "object", "encoding": "tagged"}],
    }
    schema = pa.schema(
        [pa.field("x", pa.null())], metadata={b"scorecard_studio": json.dumps(meta).encode()}
    )
    sink = pa.BufferOutputStream()
    with ipc.new_file(sink, schema) as writer:
        writer.write_table(pa.table({"x": pa.nulls(64_000_000)}, schema=schema))
    data = sink.getvalue().to_pybytes()
    assert len(data) < 4096
    started = time.perf_counter()
    with pytest.raises(StoreError, match="would take 4,096,000,000 bytes once decoded"):
        decode_table(data, untrusted=True)
    assert time.perf_counter() - started < 1


def test_a_snapshot_within_the_limits_still_imports(
    exported: Path, tmp_path: Path, other_path: Path
) -> None:
    table = pd.DataFrame({"amount": np.arange(1000, dtype="float64")})
    file = _with_snapshot(exported, tmp_path / "fine.scorecard", table)
    with open_store(other_path) as other:
        other.import_scorecard(file)
        loaded = other.checkout("Retention", 1).load_snapshots()["billing"]
    assert loaded["amount"].sum() == 999 * 1000 / 2


# --- a full disk ----------------------------------------------------------------------------


def _full_disk(monkeypatch: pytest.MonkeyPatch, message: str) -> None:
    """SQLite failing as on a full disk, and the disk reporting 4 KB free."""

    def fail(*_args: object, **_kwargs: object) -> None:
        raise sqlite3.OperationalError(message)

    monkeypatch.setattr(sqlite3, "connect", fail)
    monkeypatch.setattr(sqlite3.dbapi2, "connect", fail)
    monkeypatch.setattr(faults, "free_bytes", lambda _path: 4096)


@pytest.mark.parametrize(
    "command", [["save", "DESIGN", "-m", "x"], ["log", "Retention"], ["verify"]]
)
@pytest.mark.parametrize("message", ["disk I/O error", "database or disk is full"])
def test_a_full_disk_says_so_and_that_the_store_is_intact(
    store: Store,
    store_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    message: str,
) -> None:
    from scorecard_studio.engines.design_file import save_design

    _history(store)
    save_design(card(target=250), tmp_path / "design.json")
    args = [str(tmp_path / "design.json") if a == "DESIGN" else a for a in command]
    before = _state(store_path)
    _full_disk(monkeypatch, message)
    code = run_cli(["store", *args[:1], "--store-path", str(store_path), *args[1:]])
    err = capsys.readouterr().err
    assert code == 2
    assert "the disk is full" in err
    assert "the store is intact" in err
    assert "not a Scorecard Studio store" not in err
    monkeypatch.undo()
    assert _state(store_path) == before


@pytest.mark.sqlite_only("a full disk is a fault of the store file")
def test_a_write_that_fills_the_disk_is_rolled_back_and_said_plainly(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    _history(store)

    def full(_session: Session) -> None:
        raise OperationalError("COMMIT", {}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(faults, "free_bytes", lambda _path: 0)
    monkeypatch.setattr(Session, "commit", full)
    with pytest.raises(StoreOpenError) as caught:
        store.save(card(target=260), None, "on a full disk")
    assert caught.value.kind == "disk_full"
    assert "nothing was saved and the store is intact" in str(caught.value)
    monkeypatch.undo()
    assert [v.message for v in store.log("Retention")] == ["one", "two"]


@pytest.mark.sqlite_only("cuts the store file short")
def test_damaged_and_foreign_files_are_told_apart(tmp_path: Path, store: Store) -> None:
    _history(store)
    store.close()
    genuine = store.path
    assert genuine is not None
    cut = tmp_path / "cut.sqlite3"
    cut.write_bytes(genuine.read_bytes()[: 3 * 4096 + 100])
    noise = tmp_path / "noise.sqlite3"
    noise.write_bytes(np.random.default_rng(3).bytes(50_000))
    kinds = {}
    for path in (cut, noise):
        with pytest.raises(StoreError) as caught:
            open_store(path).verify()
        kinds[path.name] = getattr(caught.value, "kind", None)
    assert kinds == {"cut.sqlite3": "damaged", "noise.sqlite3": "not_a_store"}


def test_os_errors_of_the_store_folder_name_a_full_disk() -> None:
    error = faults.from_os_error(Path("x"), OSError(errno.ENOSPC, "No space left"), "write")
    assert "the disk is full" in str(error)
