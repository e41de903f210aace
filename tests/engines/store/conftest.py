"""Store tests: every store lives in a temporary folder, never in the user's data folder.

The ``store`` fixture runs each test twice: on a local SQLite file and on a team store on
PostgreSQL, when ``$SCORECARD_STUDIO_TEST_PG_URL`` names a server the tests may use
(``postgresql://postgres@127.0.0.1:54329/postgres``; ``.ci/run`` starts one). Each
PostgreSQL test gets a schema of its own, owned by the login ``tester``, dropped afterwards.
Tests that open the SQLite file itself (raw ``sqlite3``) run on SQLite only.
"""

from __future__ import annotations

import inspect
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from team_fixtures import PG_ENV, TeamServer, team_server_or_skip

from scorecard_studio.engines.store import Store, open_store

SKIP_FILE_ONLY = "this test reads or writes the SQLite store file itself"


@pytest.fixture(autouse=True)
def _isolated_store_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even a call that forgets its path lands in the test's temporary folder."""
    monkeypatch.setenv("SCORECARD_STUDIO_STORE", str(tmp_path / "default-store.sqlite3"))
    monkeypatch.delenv("SCORECARD_STUDIO_STORE_URL", raising=False)
    monkeypatch.setenv("SCORECARD_STUDIO_AUTHOR", "tester")


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store.sqlite3"


@pytest.fixture(scope="session")
def team_server() -> Iterator[TeamServer | None]:
    """The PostgreSQL server named by the environment, or None when none is given."""
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        yield None
        return
    server = TeamServer(url)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def team_url(team_server: TeamServer | None) -> Iterator[str]:
    """The URL of a new, empty team store (its own schema); skipped without a server."""
    server = team_server_or_skip(team_server)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    yield server.new_store(schema)
    server.drop(schema)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_location(
    request: pytest.FixtureRequest, store_path: Path, team_server: TeamServer | None
) -> Iterator[str]:
    """Where the test's store is: the SQLite file, or a fresh team store's URL."""
    if request.param == "sqlite":
        yield str(store_path)
        return
    if "store_path" in inspect.signature(request.function).parameters:
        pytest.skip(SKIP_FILE_ONLY)
    only = request.node.get_closest_marker("sqlite_only")
    if only is not None:
        pytest.skip(f"SQLite only: {only.args[0] if only.args else SKIP_FILE_ONLY}")
    server = team_server_or_skip(team_server)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    yield server.new_store(schema)
    server.drop(schema)


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    opened = open_store(store_location)
    try:
        yield opened
    finally:
        opened.close()
