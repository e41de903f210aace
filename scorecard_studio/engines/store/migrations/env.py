"""Alembic environment: run the revisions on the connection the store hands over.

The store always migrates inside its own write transaction (``BEGIN IMMEDIATE`` on
SQLite), so two processes opening a new store at once cannot both create it.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from scorecard_studio.engines.store.schema import Base


def _run_online(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata)
    with context.begin_transaction():
        context.run_migrations()


_connection = context.config.attributes.get("connection")
if not isinstance(_connection, Connection):
    raise RuntimeError("store migrations run only through the store, on an open connection")
_run_online(_connection)
