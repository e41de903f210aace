"""The team store on PostgreSQL: what only a shared server has (the rest of the store
suite runs on it too, through the ``store`` fixture).

Skipped, saying why, when ``$SCORECARD_STUDIO_TEST_PG_URL`` names no server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from store_fixtures import card

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.engines.store import open_store
from scorecard_studio.engines.store.postgres import is_team_url, parse_team_url, public_name


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scorecard_studio", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )


def test_store_urls_are_told_from_paths_and_never_shown_with_their_password() -> None:
    assert is_team_url("postgresql://ana@db.example/scorecards")
    assert is_team_url("postgres://ana@db.example/scorecards")
    assert not is_team_url("/home/ana/store.sqlite3")
    assert not is_team_url("C:\\stores\\team.sqlite3")
    url = parse_team_url("postgresql://ana:s3cret@db.example:5433/scorecards")
    assert url.drivername == "postgresql+psycopg"
    assert public_name(url) == "postgresql://ana@db.example:5433/scorecards"
    with pytest.raises(StoreError, match="names no database"):
        parse_team_url("postgresql://ana@db.example")
    with pytest.raises(StoreError, match="postgresql://USER@HOST/DATABASE"):
        parse_team_url("mysql://ana@db.example/x")


def test_an_unreachable_server_is_one_line_naming_the_store() -> None:
    with pytest.raises(StoreError) as caught:
        open_store(url="postgresql://ana:pw@127.0.0.1:1/scorecards")
    message = str(caught.value)
    assert message.startswith(
        "postgresql://ana@127.0.0.1:1/scorecards: cannot reach the team store"
    )
    assert "pw" not in message.replace("postgresql", "")


def test_the_command_line_works_on_a_team_store(team_url: str, tmp_path: Path) -> None:
    from scorecard_studio.engines.design_file import save_design

    design = tmp_path / "retention.json"
    save_design(card(), design)
    saved = _cli("--store-url", team_url, "store", "save", str(design), "-m", "first")
    assert saved.returncode == 0, saved.stderr
    again = _cli("store", "--store-url", team_url, "save", str(design), "-m", "second")
    assert again.returncode == 0, again.stderr
    listed = _cli(
        "store", "log", "Retention", "--json", env={"SCORECARD_STUDIO_STORE_URL": team_url}
    )
    assert listed.returncode == 0, listed.stderr
    versions = json.loads(listed.stdout)["versions"]
    assert [(v["number"], v["message"], v["author"]) for v in versions] == [
        (1, "first", "tester"),
        (2, "second", "tester"),
    ]
    assert versions[1]["parent_hash"] == versions[0]["hash"]
    verified = _cli("store", "verify", "--store-url", team_url)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    both = _cli("store", "list", "--store-url", team_url, "--store-path", str(tmp_path / "s.db"))
    assert both.returncode == 2
    assert "not both" in both.stderr
    spoofed = _cli(
        "store",
        "--store-url",
        team_url,
        "freeze",
        "Retention",
        "1",
        "--label",
        "Q3",
        "--author",
        "someone else",
    )
    assert spoofed.returncode == 2
    assert spoofed.stderr.count("\n") == 1
    assert "the author is your database login (tester)" in spoofed.stderr


def test_the_migrated_team_schema_equals_the_declarative_tables(team_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from scorecard_studio.engines.store.schema import Base

    with open_store(url=team_url) as store, store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_a_team_store_at_revision_0001_upgrades_and_keeps_its_versions(team_url: str) -> None:
    from scorecard_studio.engines.store import migrate
    from scorecard_studio.engines.store.postgres import team_engine

    engine = team_engine(parse_team_url(team_url))
    migrate.upgrade(engine, "0001")
    engine.dispose()
    with open_store(url=team_url) as store:  # upgrades to the head: drafts appear
        info = store.save(card(), None, "after the upgrade")
        store.autosave_draft("Retention", card(target=1))
        assert [v.number for v in store.log("Retention")] == [info.number] == [1]
        assert [d.kind for d in store.recover_drafts("Retention")] == ["autosave"]
        assert store.verify() == []
    with open_store(url=team_url) as again:  # opening a current store changes nothing
        assert again.head("Retention") == 1
