"""Bringing a store's schema up to date when it is opened.

Opening the store must be fast (the window opens it at start-up), and alembic's machinery
takes tens of milliseconds to load. So the current revision is read with one query first;
alembic is imported and run only when the store is new or older than this release. A store
written by a newer release is refused rather than guessed at.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DatabaseError, OperationalError, ProgrammingError

from scorecard_studio.domain.errors import StoreError, StoreOpenError
from scorecard_studio.engines.store import postgres
from scorecard_studio.engines.store.dialect import WRITE_OPTION
from scorecard_studio.engines.store.faults import explain
from scorecard_studio.engines.store.unit_of_work import translate

#: The newest revision in ``migrations/versions``; a test keeps it equal to alembic's head.
HEAD_REVISION = "0003"

#: Every revision this release knows, oldest first.
KNOWN_REVISIONS = ("0001", "0002", "0003")

SCRIPT_LOCATION = "scorecard_studio.engines.store:migrations"


def current_revision(connection: Connection) -> str | None:
    """The store's alembic revision, or None for an empty database."""
    if connection.dialect.name == "postgresql":
        # Looked up first: a failed query would end PostgreSQL's transaction. A refusal to
        # read the table (a login without a role) is then an error, not an empty store.
        if connection.execute(select(func.current_schema())).scalar() is None:
            raise StoreError(
                "the team store refused this: your database role does not allow it (the "
                "login may use no schema of its search path); ask the store's administrator "
                "for the role you need (viewer, editor or approver)"
            )
        if not inspect(connection).has_table("alembic_version"):
            return None
        row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
        return None if row is None else str(row[0])
    try:
        row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    except (OperationalError, ProgrammingError):  # no such table (SQLite, PostgreSQL)
        return None
    return None if row is None else str(row[0])


def upgrade(engine: Engine, target: str = "head") -> bool:
    """Apply the missing revisions up to ``target`` inside one write transaction.

    Returns True when the database was empty, i.e. a new store was just created.
    """
    try:
        with engine.connect() as connection:
            revision = current_revision(connection)
            connection.rollback()
            if target == "head" and revision == HEAD_REVISION:
                return False
            _check_known(connection, revision)
            connection.execution_options(**{WRITE_OPTION: True})
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    # Two users opening a new team store at once: one creates it, the other
                    # waits and then finds it current.
                    postgres.take_write_lock(connection)
                    revision = current_revision(connection)
                    if target == "head" and revision == HEAD_REVISION:
                        return False
                _run_alembic(connection, target)
                if connection.dialect.name == "postgresql" and revision is not None:
                    _regrant_roles(connection)
            return revision is None
    except DatabaseError as exc:
        if engine.dialect.name == "postgresql":
            raise translate(exc, engine, writing=True) from None
        raise explain(Path(str(engine.url.database)), str(exc.orig)) from None


def _regrant_roles(connection: Connection) -> None:
    """After an upgrade of a team store whose roles were set up: their rights again.

    Tables a revision adds are granted to nobody; without this, viewers could not read
    them until the owner ran ``store roles`` again. A store whose roles were never set up
    is left as it is.
    """
    schema = connection.execute(select(func.current_schema())).scalar_one()
    role = {"role": postgres.VIEWER}
    if connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :role"), role).first():
        # Asked only of a role that exists: has_schema_privilege raises for any other.
        granted = connection.execute(
            text("SELECT has_schema_privilege(:role, :schema, 'USAGE')"),
            {**role, "schema": schema},
        ).scalar()
    else:
        granted = False
    if granted:
        for statement in postgres.role_statements(str(schema)):
            connection.execute(text(statement))


def _check_known(connection: Connection, revision: str | None) -> None:
    if revision is None:
        tables = set(inspect(connection).get_table_names())
        connection.rollback()
        if tables - {"alembic_version"}:
            raise StoreOpenError(
                f"{connection.engine.url.database}: not a Scorecard Studio store "
                f"(it holds other tables: {', '.join(sorted(tables)[:3])})",
                kind="not_a_store",
                path=str(connection.engine.url.database),
            )
    elif revision not in KNOWN_REVISIONS:
        raise StoreOpenError(
            f"{connection.engine.url.database}: the store was written by a newer release of "
            f"Scorecard Studio (schema {revision}); update the app to open it",
            kind="newer",
            path=str(connection.engine.url.database),
        )


def _run_alembic(connection: Connection, target: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.attributes["connection"] = connection
    command.upgrade(config, target)
