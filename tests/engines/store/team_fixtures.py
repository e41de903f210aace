"""A PostgreSQL server for the team-store tests: one schema (one store) per test.

The server is named by ``$SCORECARD_STUDIO_TEST_PG_URL``: a login allowed to create roles
and schemas in that database (the ``postgres`` superuser of a throw-away cluster). Stores
are made for the login ``tester`` (so authors read ``tester``, as on SQLite, where the tests
set ``SCORECARD_STUDIO_AUTHOR``); other logins are made on request for the role tests.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url

PG_ENV = "SCORECARD_STUDIO_TEST_PG_URL"

SKIP_NO_SERVER = (
    f"no PostgreSQL server for the team-store tests: set {PG_ENV}=postgresql://USER@HOST:PORT/DB "
    "(.ci/run starts one)"
)

#: The login that owns every test store.
OWNER = "tester"


class TeamServer:
    """Creates and drops test stores (schemas) and logins on one PostgreSQL server."""

    def __init__(self, url: str) -> None:
        admin = make_url(url)
        if admin.drivername in ("postgresql", "postgres"):
            admin = admin.set(drivername="postgresql+psycopg")
        self.admin_url: URL = admin
        self.engine: Engine = create_engine(admin, isolation_level="AUTOCOMMIT", pool_size=1)
        self.ensure_login(OWNER)
        self.execute(f'ALTER ROLE "{OWNER}" CREATEROLE')  # the owner sets up the team roles

    def close(self) -> None:
        self.engine.dispose()

    def ensure_login(self, login: str) -> None:
        with self.engine.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login}
            ).first()
            if exists is None:
                connection.execute(text(f'CREATE ROLE "{login}" LOGIN'))

    def url(self, schema: str, login: str = OWNER) -> str:
        """A store URL for ``login`` on the store in ``schema``."""
        url = self.admin_url.set(
            drivername="postgresql",
            username=login,
            password=None,
            query={"options": f"-csearch_path={schema}"},
        )
        return url.render_as_string(hide_password=False)

    def new_store(self, schema: str) -> str:
        with self.engine.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}" AUTHORIZATION "{OWNER}"'))
        return self.url(schema)

    def execute(self, sql: str) -> None:
        """Run one statement as the server's administrator."""
        with self.engine.connect() as connection:
            connection.execute(text(sql))

    def drop(self, schema: str) -> None:
        with self.engine.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


def team_server_or_skip(server: TeamServer | None) -> TeamServer:
    if server is None:
        pytest.skip(SKIP_NO_SERVER)
    return server
