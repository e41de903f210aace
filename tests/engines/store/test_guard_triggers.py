"""The guard triggers, on each backend: raw SQL on the store's own connection gets the same
refusal as the app, and ``verify`` reports a trigger that was dropped (or switched off)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from store_fixtures import billing_table, card

from scorecard_studio.engines.store import Store

#: The table each guard trigger sits on.
TRIGGER_TABLES = {
    "versions_frozen_no_update": "versions",
    "versions_frozen_no_delete": "versions",
    "version_snapshots_no_update": "version_snapshots",
    "version_snapshots_frozen_no_delete": "version_snapshots",
    "designs_no_update": "designs",
    "snapshots_no_update": "snapshots",
    "audit_log_no_update": "audit_log",
    "audit_log_no_delete": "audit_log",
}


def _history(store: Store) -> None:
    store.save(card(target=200), {"billing": billing_table()}, "one")
    store.save(card(target=210), None, "two")
    store.freeze("Retention", 1, "Q3")


def _raw(store: Store, sql: str) -> None:
    with store.engine.begin() as connection:
        connection.execute(text(sql))


@pytest.mark.parametrize(
    ("sql", "refusal"),
    [
        # SQLite may fire the content guard first; either refusal is right.
        ("UPDATE versions SET message = 'rewritten' WHERE number = 1", "frozen version|immutable"),
        (
            "DELETE FROM version_snapshots WHERE version_id IN "
            "(SELECT id FROM versions WHERE number = 1)",
            "frozen version",
        ),
        ("DELETE FROM versions WHERE number = 1", "frozen version"),
        (
            "UPDATE versions SET frozen_label = NULL, freeze_seal = NULL WHERE number = 1",
            "frozen version",
        ),
        ("UPDATE versions SET message = 'rewritten' WHERE number = 2", "immutable"),
        ("UPDATE versions SET author = 'someone' WHERE number = 2", "immutable"),
        ("UPDATE version_snapshots SET source_id = 'x'", "immutable"),
        ("UPDATE designs SET size = size + 1", "immutable"),
        ("UPDATE snapshots SET rows = rows + 1", "immutable"),
        ("UPDATE audit_log SET author = 'someone'", "append-only|immutable"),
        ("DELETE FROM audit_log", "append-only|immutable"),
    ],
)
def test_raw_sql_is_refused_by_the_database(store: Store, sql: str, refusal: str) -> None:
    _history(store)
    before = [(v.hash, v.message, v.author, v.frozen_label) for v in store.log("Retention")]
    audit = len(store.audit())
    with pytest.raises(DBAPIError, match=refusal):
        _raw(store, sql)
    assert [(v.hash, v.message, v.author, v.frozen_label) for v in store.log("Retention")] == before
    assert len(store.audit()) == audit
    assert store.verify() == []


def test_adding_a_freeze_is_the_one_change_a_version_accepts(store: Store) -> None:
    _history(store)
    info = store.freeze("Retention", 2, "Q4")
    assert info.frozen_label == "Q4"
    assert store.verify() == []


@pytest.mark.parametrize("trigger", sorted(TRIGGER_TABLES))
def test_verify_reports_a_dropped_trigger(store: Store, trigger: str) -> None:
    _history(store)
    table = TRIGGER_TABLES[trigger]
    on = f" ON {table}" if store.team else ""
    _raw(store, f"DROP TRIGGER {trigger}{on}")
    messages = [p.message for p in store.verify()]
    assert messages == [f"guard trigger {trigger} is missing: frozen versions are unprotected"]


def test_verify_reports_a_trigger_switched_off(store: Store) -> None:
    if not store.team:
        pytest.skip("SQLite triggers cannot be switched off, only dropped")
    _history(store)
    _raw(store, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_delete")
    messages = [p.message for p in store.verify()]
    assert messages == [
        "guard trigger audit_log_no_delete is missing: frozen versions are unprotected"
    ]
