"""Everything in the store that is specific to one SQL dialect, kept in one place.

* **SQLite connection set-up**: WAL journal (readers never block the writer), foreign keys
  on (SQLite leaves them off by default), a busy timeout so a second process waits for the
  write lock instead of failing, and ``synchronous=FULL`` so a version reported as saved
  survives a power cut, not only a crash of the program.
* **Write transactions start with ``BEGIN IMMEDIATE``** on SQLite: the write lock is taken
  before the head of a scorecard is read, so two processes saving on the same head are
  serialised and the second sees the first's version (a conflict) instead of both winning.
  Other dialects rely on the unique ``(scorecard_id, number)`` constraint for the same
  guarantee; the store turns its violation into a conflict as well.
* **Guard triggers** make frozen versions unchangeable and undeletable, versions and
  content-addressed blobs immutable, and the audit log append-only, in the database
  itself, so raw SQL cannot bypass them. They are written for SQLite and for PostgreSQL
  (PL/pgSQL functions, for the team store; ``postgres.py`` holds its other specifics).

The trigger texts below are part of migration revisions: a released text never changes; a
new guard gets a new constant and a new revision.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection

#: Execution option a unit of work sets on its connection when it will write.
WRITE_OPTION = "scorecard_store_write"

#: Milliseconds a connection waits for another process's write lock before giving up.
BUSY_TIMEOUT_MS = 30_000


def configure_sqlite_engine(engine: Engine) -> None:
    """Install the PRAGMAs and the ``BEGIN IMMEDIATE`` rule on a SQLite engine."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event, not the sqlite3 module, decide how to begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


#: Names of the guard triggers of revision 0001; ``verify`` reports any that is missing.
GUARD_TRIGGERS_V1: tuple[str, ...] = (
    "versions_frozen_no_update",
    "versions_content_immutable",
    "versions_frozen_no_delete",
    "version_snapshots_no_update",
    "version_snapshots_frozen_no_delete",
    "designs_no_update",
    "snapshots_no_update",
    "audit_log_no_update",
    "audit_log_no_delete",
)

#: Columns of a version that never change once written (the freeze columns may, once).
_VERSION_CONTENT = (
    "scorecard_id",
    "number",
    "parent_number",
    "parent_hash",
    "design_hash",
    "message",
    "author",
    "created_at",
    "hash",
)


def _sqlite_guards_v1() -> list[str]:
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _VERSION_CONTENT)

    def trigger(name: str, timing: str, table: str, when: str, message: str) -> str:
        condition = f" WHEN {when}" if when else ""
        return (
            f"CREATE TRIGGER {name} {timing} ON {table}{condition} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )

    return [
        trigger(
            "versions_frozen_no_update",
            "BEFORE UPDATE",
            "versions",
            "OLD.frozen_label IS NOT NULL",
            "frozen version: it cannot be changed",
        ),
        trigger(
            "versions_content_immutable",
            "BEFORE UPDATE",
            "versions",
            changed,
            "versions are immutable: only a freeze may be added",
        ),
        trigger(
            "versions_frozen_no_delete",
            "BEFORE DELETE",
            "versions",
            "OLD.frozen_label IS NOT NULL",
            "frozen version: it cannot be deleted",
        ),
        trigger(
            "version_snapshots_no_update",
            "BEFORE UPDATE",
            "version_snapshots",
            "",
            "the data snapshots of a version are immutable",
        ),
        trigger(
            "version_snapshots_frozen_no_delete",
            "BEFORE DELETE",
            "version_snapshots",
            "EXISTS (SELECT 1 FROM versions v WHERE v.id = OLD.version_id"
            " AND v.frozen_label IS NOT NULL)",
            "frozen version: its data snapshots cannot be deleted",
        ),
        trigger("designs_no_update", "BEFORE UPDATE", "designs", "", "designs are immutable"),
        trigger("snapshots_no_update", "BEFORE UPDATE", "snapshots", "", "snapshots are immutable"),
        trigger(
            "audit_log_no_update", "BEFORE UPDATE", "audit_log", "", "the audit log is append-only"
        ),
        trigger(
            "audit_log_no_delete", "BEFORE DELETE", "audit_log", "", "the audit log is append-only"
        ),
    ]


def _postgresql_guards_v1() -> list[str]:
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in _VERSION_CONTENT)

    def function(name: str, body: str) -> str:
        return (
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} END $$"
        )

    def trigger(name: str, timing: str, table: str, func: str) -> str:
        return f"CREATE TRIGGER {name} {timing} ON {table} FOR EACH ROW EXECUTE FUNCTION {func}()"

    return [
        function(
            "scorecard_guard_version_update",
            "IF OLD.frozen_label IS NOT NULL THEN "
            "RAISE EXCEPTION 'frozen version: it cannot be changed'; END IF; "
            f"IF {changed} THEN "
            "RAISE EXCEPTION 'versions are immutable: only a freeze may be added'; END IF; "
            "RETURN NEW;",
        ),
        function(
            "scorecard_guard_version_delete",
            "IF OLD.frozen_label IS NOT NULL THEN "
            "RAISE EXCEPTION 'frozen version: it cannot be deleted'; END IF; RETURN OLD;",
        ),
        function(
            "scorecard_guard_version_snapshot_delete",
            "IF EXISTS (SELECT 1 FROM versions v WHERE v.id = OLD.version_id "
            "AND v.frozen_label IS NOT NULL) THEN "
            "RAISE EXCEPTION 'frozen version: its data snapshots cannot be deleted'; END IF; "
            "RETURN OLD;",
        ),
        function(
            "scorecard_guard_immutable",
            "RAISE EXCEPTION '% is immutable', TG_TABLE_NAME;",
        ),
        trigger(
            "versions_frozen_no_update",
            "BEFORE UPDATE",
            "versions",
            "scorecard_guard_version_update",
        ),
        trigger(
            "versions_frozen_no_delete",
            "BEFORE DELETE",
            "versions",
            "scorecard_guard_version_delete",
        ),
        trigger(
            "version_snapshots_no_update",
            "BEFORE UPDATE",
            "version_snapshots",
            "scorecard_guard_immutable",
        ),
        trigger(
            "version_snapshots_frozen_no_delete",
            "BEFORE DELETE",
            "version_snapshots",
            "scorecard_guard_version_snapshot_delete",
        ),
        trigger("designs_no_update", "BEFORE UPDATE", "designs", "scorecard_guard_immutable"),
        trigger("snapshots_no_update", "BEFORE UPDATE", "snapshots", "scorecard_guard_immutable"),
        trigger("audit_log_no_update", "BEFORE UPDATE", "audit_log", "scorecard_guard_immutable"),
        trigger("audit_log_no_delete", "BEFORE DELETE", "audit_log", "scorecard_guard_immutable"),
    ]


def guard_statements_v1(dialect_name: str) -> list[str]:
    """DDL creating the guard triggers of revision 0001 for one dialect."""
    if dialect_name == "sqlite":
        return _sqlite_guards_v1()
    if dialect_name == "postgresql":
        return _postgresql_guards_v1()
    raise NotImplementedError(f"no guard triggers written for the {dialect_name} dialect")


#: Guard triggers of revision 0003 (governance entries are append-only).
GUARD_TRIGGERS_V3: tuple[str, ...] = (
    "governance_entries_no_update",
    "governance_entries_frozen_no_delete",
)


def _sqlite_guards_v3() -> list[str]:
    return [
        "CREATE TRIGGER governance_entries_no_update BEFORE UPDATE ON governance_entries "
        "BEGIN SELECT RAISE(ABORT, 'governance entries are append-only'); END",
        "CREATE TRIGGER governance_entries_frozen_no_delete BEFORE DELETE ON governance_entries "
        "WHEN EXISTS (SELECT 1 FROM versions v WHERE v.id = OLD.version_id"
        " AND v.frozen_label IS NOT NULL) "
        "BEGIN SELECT RAISE(ABORT, 'frozen version: its governance entries are append-only'); "
        "END",
    ]


def _postgresql_guards_v3() -> list[str]:
    return [
        "CREATE FUNCTION scorecard_guard_governance_delete() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN IF EXISTS (SELECT 1 FROM versions v WHERE v.id = OLD.version_id "
        "AND v.frozen_label IS NOT NULL) THEN "
        "RAISE EXCEPTION 'frozen version: its governance entries are append-only'; END IF; "
        "RETURN OLD; END $$",
        "CREATE TRIGGER governance_entries_no_update BEFORE UPDATE ON governance_entries "
        "FOR EACH ROW EXECUTE FUNCTION scorecard_guard_immutable()",
        "CREATE TRIGGER governance_entries_frozen_no_delete BEFORE DELETE ON governance_entries "
        "FOR EACH ROW EXECUTE FUNCTION scorecard_guard_governance_delete()",
    ]


def guard_statements_v3(dialect_name: str) -> list[str]:
    """DDL creating the guard triggers of revision 0003 for one dialect."""
    if dialect_name == "sqlite":
        return _sqlite_guards_v3()
    if dialect_name == "postgresql":
        return _postgresql_guards_v3()
    raise NotImplementedError(f"no guard triggers written for the {dialect_name} dialect")


def drop_guard_statements(created: list[str], dialect_name: str) -> list[str]:
    """DDL undoing ``created`` (guard DDL of one revision): its triggers, then its functions.

    PostgreSQL names a trigger with its table and keeps trigger functions apart, so a
    downgrade drops them as ``DROP TRIGGER name ON table`` and ``DROP FUNCTION name()``;
    SQLite knows triggers by name alone.
    """
    triggers: list[str] = []
    functions: list[str] = []
    for statement in created:
        trigger = _CREATED_TRIGGER.match(statement)
        if trigger is not None:
            name, table = trigger.groups()
            on = f" ON {table}" if dialect_name == "postgresql" else ""
            triggers.append(f"DROP TRIGGER IF EXISTS {name}{on}")
        function = _CREATED_FUNCTION.match(statement)
        if function is not None:
            functions.append(f"DROP FUNCTION IF EXISTS {function.group(1)}()")
    return triggers + functions


_CREATED_TRIGGER = re.compile(r"CREATE TRIGGER (\w+) .*? ON (\w+)")
_CREATED_FUNCTION = re.compile(r"CREATE FUNCTION (\w+)\(\)")


def missing_guards(connection: Connection) -> list[str]:
    """Guard triggers of the current schema that are absent (someone dropped them)."""
    if connection.dialect.name == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    elif connection.dialect.name == "postgresql":
        # Triggers on this store's own tables (its schema), and only enabled ones: a trigger
        # switched off with ALTER TABLE … DISABLE TRIGGER guards nothing either.
        sql = (
            "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' "
            "AND c.relnamespace = current_schema()::regnamespace"
        )
    else:
        return []
    present = {row[0] for row in connection.exec_driver_sql(sql)}
    expected = set(GUARD_TRIGGERS_V1)
    if "governance_entries" in _tables(connection):
        expected |= set(GUARD_TRIGGERS_V3)
    if connection.dialect.name == "postgresql":
        expected.discard("versions_content_immutable")  # folded into the update function
    return sorted(expected - present)


def _tables(connection: Connection) -> set[str]:
    if connection.dialect.name == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
    else:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    return {row[0] for row in connection.exec_driver_sql(sql)}


def integrity_problems(connection: Connection) -> list[str]:
    """The database engine's own consistency checks (SQLite: integrity and foreign keys)."""
    if connection.dialect.name != "sqlite":
        return []
    problems = [
        str(row[0])
        for row in connection.exec_driver_sql("PRAGMA integrity_check")
        if row[0] != "ok"
    ]
    for row in connection.exec_driver_sql("PRAGMA foreign_key_check"):
        problems.append(f"foreign key broken: {row[0]} row {row[1]} points to a missing {row[2]}")
    return problems
