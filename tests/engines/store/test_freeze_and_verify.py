"""Freezes hold in the database itself, and ``verify`` catches any change to history."""

from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path

import pytest
from store_fixtures import billing_table, card

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.engines.store import Store
from scorecard_studio.engines.store.dialect import GUARD_TRIGGERS_V1


def _three_versions(store: Store) -> None:
    store.save(card(), {"billing": billing_table()}, "one")
    store.save(card(target=210), None, "two")
    store.save(card(target=220), None, "three")


def _raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def test_freeze_records_label_author_and_time(store: Store) -> None:
    _three_versions(store)
    lead = store.identity() if store.team else "lead"  # a team store records the login
    info = store.freeze("Retention", 2, "FY26 Q3 QBR", author=lead)
    assert info.frozen_label == "FY26 Q3 QBR"
    assert info.frozen_by == lead
    assert [v.frozen_label for v in store.log("Retention")] == [None, "FY26 Q3 QBR", None]
    assert store.checkout_label("Retention", "FY26 Q3 QBR").number == 2


def test_freeze_refuses_a_second_freeze_and_a_reused_label(store: Store) -> None:
    _three_versions(store)
    store.freeze("Retention", 2, "Q3")
    with pytest.raises(StoreError, match="already frozen as 'Q3'"):
        store.freeze("Retention", 2, "Q3 again")
    with pytest.raises(StoreError, match="already on v2"):
        store.freeze("Retention", 3, "Q3")
    with pytest.raises(StoreError, match="needs a label"):
        store.freeze("Retention", 3, "  ")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE versions SET message = 'rewritten' WHERE number = 2",
        "UPDATE versions SET frozen_label = NULL, freeze_seal = NULL WHERE number = 2",
        "DELETE FROM versions WHERE number = 2",
        "DELETE FROM version_snapshots WHERE version_id = (SELECT id FROM versions"
        " WHERE number = 2)",
        "UPDATE version_snapshots SET source_id = 'x'",
        "UPDATE designs SET codec = 'none'",
        "UPDATE snapshots SET rows = 0",
        "DELETE FROM audit_log",
        "UPDATE audit_log SET author = 'nobody'",
    ],
)
def test_frozen_versions_and_history_resist_raw_sql(
    store: Store, store_path: Path, statement: str
) -> None:
    _three_versions(store)
    store.freeze("Retention", 2, "Q3")
    before = [v.to_json_dict() for v in store.log("Retention")]
    with _raw(store_path) as db:
        db.execute("PRAGMA foreign_keys=ON")
        with pytest.raises(sqlite3.IntegrityError):
            db.execute(statement)
    assert [v.to_json_dict() for v in store.log("Retention")] == before
    assert store.verify() == []


def test_unfrozen_versions_are_immutable_too_but_can_be_frozen(
    store: Store, store_path: Path
) -> None:
    _three_versions(store)
    with _raw(store_path) as db, pytest.raises(sqlite3.IntegrityError, match="immutable"):
        db.execute("UPDATE versions SET message = 'x' WHERE number = 3")
    store.freeze("Retention", 3, "fine")


def test_delete_version_only_for_unfrozen_leaves(store: Store) -> None:
    _three_versions(store)
    store.freeze("Retention", 3, "Q3")
    with pytest.raises(StoreError, match="frozen as 'Q3'"):
        store.delete_version("Retention", 3)
    with pytest.raises(StoreError, match="later versions"):
        store.delete_version("Retention", 2)
    store.save(card(target=5), None, "four")
    store.delete_version("Retention", 4)
    assert [v.number for v in store.log("Retention")] == [1, 2, 3]
    # Numbers are never reused: the next save is 5, on top of 3.
    info = store.save(card(target=6), None, "five")
    assert (info.number, info.parent) == (5, 3)
    assert store.verify() == []


def test_deleting_the_only_user_of_a_snapshot_removes_the_snapshot(store: Store) -> None:
    store.save(card(), None, "no data")
    store.save(card(target=1), {"billing": billing_table(seed=9)}, "data")
    store.delete_version("Retention", 2)
    with store.unit_of_work() as uow:
        assert uow.repo.snapshot_hashes() == []


def _drop_guards(db: sqlite3.Connection) -> None:
    for name in GUARD_TRIGGERS_V1:
        db.execute(f"DROP TRIGGER {name}")


def test_verify_passes_on_an_honest_store(store: Store) -> None:
    _three_versions(store)
    store.freeze("Retention", 1, "Q1")
    assert store.verify() == []


def test_verify_catches_a_rewritten_version_row(store: Store, store_path: Path) -> None:
    _three_versions(store)
    with _raw(store_path) as db:
        _drop_guards(db)
        db.execute("UPDATE versions SET message = 'nothing to see' WHERE number = 2")
    problems = store.verify()
    texts = [str(p) for p in problems]
    assert any("guard trigger versions_frozen_no_update is missing" in t for t in texts)
    chain = [p for p in problems if p.scorecard == "Retention"]
    assert (chain[0].version, "does not match its hash" in chain[0].message) == (2, True)


def test_verify_catches_a_rehashed_version_by_its_childs_link(
    store: Store, store_path: Path
) -> None:
    _three_versions(store)
    with _raw(store_path) as db:
        _drop_guards(db)
        # A careful forger recomputes the hash of v2 after changing it...
        db.execute("UPDATE versions SET hash = ? WHERE number = 2", ("0" * 64,))
    problems = [p for p in store.verify() if p.scorecard == "Retention"]
    numbers = [p.version for p in problems]
    # v2's content no longer matches, v3's parent link is broken, and v2's hash is not
    # the one the audit log recorded when it was saved.
    assert numbers == [2, 3, 2]
    assert "broken link to its parent v2" in problems[1].message
    assert "not the one the audit log recorded" in problems[2].message


def test_verify_catches_a_changed_design_document(store: Store, store_path: Path) -> None:
    _three_versions(store)
    forged = card(target=1).name.encode()  # any other text
    with _raw(store_path) as db:
        _drop_guards(db)
        db.execute(
            "UPDATE designs SET data = ? WHERE hash = (SELECT design_hash FROM versions"
            " WHERE number = 1)",
            (zlib.compress(forged),),
        )
    problems = [p for p in store.verify() if p.scorecard == "Retention"]
    assert [(p.version, p.message) for p in problems] == [
        (1, "its design document was changed after it was saved")
    ]


def test_verify_catches_a_changed_snapshot_and_an_unfreeze(store: Store, store_path: Path) -> None:
    _three_versions(store)
    store.freeze("Retention", 1, "Q1")
    with _raw(store_path) as db:
        _drop_guards(db)
        db.execute("UPDATE snapshots SET data = X'00'")
        db.execute(
            "UPDATE versions SET frozen_label = NULL, frozen_at = NULL, frozen_by = NULL,"
            " freeze_seal = NULL WHERE number = 1"
        )
    messages = [p.message for p in store.verify() if p.scorecard == "Retention"]
    assert "a data snapshot was changed after it was saved (source 'billing')" in messages
    assert any(
        m.startswith("it was frozen as 'Q1'") and m.endswith("now unfrozen") for m in messages
    )


def test_audit_log_records_every_operation(store: Store, tmp_path: Path) -> None:
    _three_versions(store)
    lead = store.identity() if store.team else "lead"  # a team store records the login
    store.freeze("Retention", 2, "Q3", author=lead)
    store.restore("Retention", 1)
    store.delete_version("Retention", 4)
    store.export_scorecard("Retention", tmp_path / "r.scorecard")
    ops = [(e.operation, e.version) for e in store.audit("Retention")]
    assert ops == [
        ("save", 1),
        ("save", 2),
        ("save", 3),
        ("freeze", 2),
        ("restore", 4),
        ("delete", 4),
        ("export", 3),
    ]
    freeze = store.audit("Retention")[3]
    assert (freeze.author, freeze.detail["label"]) == (lead, "Q3")
