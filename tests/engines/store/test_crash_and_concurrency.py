"""Killed writers and racing writers: nothing reported as saved is ever lost.

Both tests run ``store_workers.py`` in a separate process that forks the writers, so the
processes killed or racing here never share the test's own database connections.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from store_fixtures import card

from scorecard_studio.domain.design_codec import dumps_design
from scorecard_studio.engines.store import open_store
from scorecard_studio.engines.store.snapshots import encode_table

WORKERS = Path(__file__).with_name("store_workers.py")


def _workers(*args: str) -> None:
    done = subprocess.run(
        [sys.executable, str(WORKERS), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=WORKERS.parent,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def _records(path: Path) -> list[dict[str, object]]:
    """Complete lines only: a child killed mid-write leaves at most one partial line."""
    if not path.exists():
        return []
    lines = path.read_text().split("\n")
    return [json.loads(line) for line in lines[:-1] if line]


def _design(i: int) -> bytes:
    from store_workers import design

    return dumps_design(design(i)).encode()


def test_sigkill_at_random_moments_loses_nothing_reported(tmp_path: Path) -> None:
    from store_workers import has_data, table

    store_path = tmp_path / "crash.sqlite3"
    log = tmp_path / "crash.jsonl"
    _workers("crash", str(store_path), str(log), "60", "20260701")
    records = _records(log)
    saved = [r for r in records if r["op"] == "save"]
    assert len(saved) >= 60, "the children should have saved at least once each on average"

    with sqlite3.connect(store_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    with open_store(store_path) as store:
        assert store.verify() == []
        by_number = {v.number: v for v in store.log("Retention")}
        assert len(by_number) >= len(saved)
        latest_data: str | None = None
        for record in sorted(saved, key=lambda r: int(r["number"])):  # type: ignore[call-overload]
            i, number = int(record["i"]), int(record["number"])  # type: ignore[call-overload]
            version = by_number[number]
            assert version.hash == record["hash"]
            stored = store.checkout("Retention", number)
            assert dumps_design(stored.design).encode() == _design(i)
            if has_data(i):
                assert version.snapshot_hashes["billing"] == encode_table(table(i)).hash
        for number in sorted(by_number):  # byte for byte, data included
            version = by_number[number]
            if "billing" in version.snapshot_hashes:
                latest_data = version.snapshot_hashes["billing"]
            i = int(version.message.removeprefix("save "))
            if has_data(i):
                assert version.snapshot_hashes["billing"] == encode_table(table(i)).hash
            else:
                assert version.snapshot_hashes.get("billing") == latest_data
        # The autosave left by the last child is complete: the design it last reported
        # (or the next one, committed just before the kill), or none when its save removed it.
        last_autosave = max(int(r["i"]) for r in records if r["op"] == "autosave")  # type: ignore[call-overload]
        drafts = store.recover_drafts("Retention")
        assert len(drafts) <= 1
        if drafts:
            text = dumps_design(drafts[0].design).encode()
            assert text in (_design(last_autosave), _design(last_autosave + 1))


def test_two_processes_saving_concurrently_lose_no_update(
    tmp_path: Path, store_location: str
) -> None:
    """On either backend: a SQLite file, or a team store on a real PostgreSQL server."""
    store_path = store_location
    prefix = tmp_path / "worker"
    saves = 25
    _workers("race", store_path, str(prefix), str(saves))
    records = _records(tmp_path / "worker1.jsonl") + _records(tmp_path / "worker2.jsonl")
    assert len(records) == 2 * saves  # every attempt ended as a save or a conflict
    committed = [r for r in records if r["op"] == "save"]
    conflicts = [r for r in records if r["op"] == "conflict"]
    assert committed
    with open_store(store_path) as store:
        log = store.log("Retention")
        assert len(log) == 1 + len(committed)
        # Linear history: each committed save sits on the head its worker had read.
        assert all(r["parent"] == r["base"] for r in committed)
        parents = [v.parent for v in log[1:]]
        assert len(parents) == len(set(parents))
        by_number = {v.number: v for v in log}
        for r in committed:
            version = by_number[int(r["number"])]  # type: ignore[call-overload]
            assert version.hash == r["hash"]
            design = store.checkout("Retention", version.number).design
            assert dumps_design(design).encode() == _design(int(r["i"]))  # type: ignore[call-overload]
        drafts = {d.id: d for d in store.recover_drafts("Retention")}
        for r in conflicts:
            draft = drafts[int(r["draft"])]  # type: ignore[call-overload]
            assert draft.kind == "conflict"
            assert dumps_design(draft.design).encode() == _design(int(r["i"]))  # type: ignore[call-overload]
        assert store.verify() == []
    assert card().name == "Retention"
