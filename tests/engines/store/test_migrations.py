"""The schema's history: a store made by the first revision upgrades and keeps its data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from store_fixtures import card

from scorecard_studio.engines.store import migrate, open_store
from scorecard_studio.engines.store.dialect import configure_sqlite_engine
from scorecard_studio.engines.store.documents import encode_design
from scorecard_studio.engines.store.hashing import version_hash
from scorecard_studio.engines.store.schema import Base


def _script() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", migrate.SCRIPT_LOCATION)
    return ScriptDirectory.from_config(config)


def test_head_constant_matches_alembic_head() -> None:
    script = _script()
    assert script.get_current_head() == migrate.HEAD_REVISION
    order = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert tuple(order) == migrate.KNOWN_REVISIONS


def test_migrated_schema_equals_the_declarative_tables(store_path: Path) -> None:
    open_store(store_path).close()
    engine = create_engine(f"sqlite:///{store_path}")
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []


def test_store_created_at_revision_0001_upgrades_and_keeps_its_data(store_path: Path) -> None:
    engine = create_engine(f"sqlite:///{store_path}")
    configure_sqlite_engine(engine)
    migrate.upgrade(engine, "0001")
    engine.dispose()
    # Write one version the way release 0001 did, straight into its tables.
    design = encode_design(card())
    created = "2026-01-02T03:04:05.000000Z"
    digest = version_hash(
        parent_hash=None,
        design_hash=design.hash,
        snapshots={},
        message="old",
        author="ana",
        created_at=created,
    )
    with sqlite3.connect(store_path) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "drafts" not in tables
        db.execute("INSERT INTO scorecards VALUES (1, 'Retention', ?, 1)", (created,))
        db.execute(
            "INSERT INTO designs VALUES (?, 'zlib', ?, ?)",
            (design.hash, len(design.text), design.stored),
        )
        db.execute(
            "INSERT INTO versions (scorecard_id, number, design_hash, message, author,"
            " created_at, hash) VALUES (1, 1, ?, 'old', 'ana', ?, ?)",
            (design.hash, created, digest),
        )
        db.execute(
            "INSERT INTO audit_log (at, author, operation, scorecard, version, detail)"
            " VALUES (?, 'ana', 'save', 'Retention', 1, '{}')",
            (created,),
        )
    store = open_store(store_path)
    try:
        with sqlite3.connect(store_path) as db:
            assert db.execute("SELECT version_num FROM alembic_version").fetchone() == ("0003",)
        log = store.log("Retention")
        assert [(v.number, v.hash, v.message, v.author) for v in log] == [(1, digest, "old", "ana")]
        assert store.checkout("Retention", 1).design == card()
        assert store.verify() == []
        assert [e.operation for e in store.audit("Retention")] == ["save"]
        # The new revision's tables work on the upgraded store.
        store.autosave_draft("Retention", card(target=1))
        assert [d.kind for d in store.recover_drafts()] == ["autosave"]
        assert store.save(card(target=2), None, "after upgrade").parent_hash == digest
    finally:
        store.close()


def test_reopening_a_current_store_does_not_load_alembic(store_path: Path) -> None:
    open_store(store_path).close()
    import subprocess
    import sys

    code = (
        "import sys; from scorecard_studio.engines.store import open_store;"
        f"open_store({str(store_path)!r}).close();"
        "print('alembic' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "False"


def test_store_made_by_the_previous_release_gains_governance(store_path: Path) -> None:
    engine = create_engine(f"sqlite:///{store_path}")
    configure_sqlite_engine(engine)
    migrate.upgrade(engine, "0002")
    engine.dispose()
    from scorecard_studio.engines.store.api import Store

    old = Store(create_engine(f"sqlite:///{store_path}"), store_path)
    configure_sqlite_engine(old.engine)
    with old:
        saved = old.save(card(), None, "made at 0002")  # a save writes what 0002 had
    with sqlite3.connect(store_path) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "governance_entries" not in tables
    store = open_store(store_path)
    try:
        with sqlite3.connect(store_path) as db:
            assert db.execute("SELECT version_num FROM alembic_version").fetchone() == ("0003",)
        assert store.verify() == []
        assert store.log("Retention")[0].hash == saved.hash
        store.comment("Retention", 1, "revenue", "2026-Q1", "written after the upgrade")
        assert [c.analysis for c in store.governance("Retention").comments] == [
            "written after the upgrade"
        ]
        assert store.verify() == []
    finally:
        store.close()


def test_every_revision_downgrades_to_an_empty_database_and_upgrades_again(
    store_location: str,
) -> None:
    # Down to nothing (triggers, trigger functions and tables of every revision), then up
    # again to a store that verifies: each downgrade is valid SQL on both dialects.
    from alembic import command
    from sqlalchemy import inspect, text

    open_store(store_location).close()
    engine = open_store(store_location).engine
    config = Config()
    config.set_main_option("script_location", migrate.SCRIPT_LOCATION)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    with engine.connect() as connection:
        left = set(inspect(connection).get_table_names()) - {"alembic_version"}
        if connection.dialect.name == "postgresql":
            functions = connection.execute(
                text(
                    "SELECT proname FROM pg_proc WHERE pronamespace = "
                    "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
                )
            ).all()
        else:
            functions = []
    engine.dispose()
    assert left == set()
    assert functions == []
    with open_store(store_location) as store:
        assert store.verify() == []
