"""The team store on PostgreSQL: what only a shared server has (the rest of the store
suite runs on it too, through the ``store`` fixture).

Skipped, saying why, when ``$SCORECARD_STUDIO_TEST_PG_URL`` names no server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, OperationalError
from store_fixtures import card
from team_fixtures import TeamServer

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.domain.model import Scorecard
from scorecard_studio.engines.store import open_store, writes
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


def test_many_users_saving_one_scorecard_at_once_lose_nothing(team_url: str) -> None:
    """Six users, each with a connection of their own, save the same scorecard at once:
    half their saves on the head they read (a conflict if someone saved meanwhile), half on
    whatever the head is. Every save ends as a version or as a draft naming the winner."""
    from scorecard_studio.domain.design_codec import dumps_design
    from scorecard_studio.engines.store import LATEST, SaveConflictError

    with open_store(url=team_url) as first:
        first.save(card(target=1), None, "start")
    users, saves = 6, 12
    barrier = threading.Barrier(users)
    results: list[tuple[str, int, object]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def design(user: int, n: int) -> Scorecard:
        return card(target=float(1000 * user + n), extra=n % 3)

    def user(u: int) -> None:
        try:
            with open_store(url=team_url) as store:
                barrier.wait()
                for n in range(saves):
                    parent = store.head("Retention") if n % 2 else LATEST
                    try:
                        info = store.save(design(u, n), None, f"user {u} save {n}", parent=parent)
                    except SaveConflictError as conflict:
                        with lock:
                            results.append(("conflict", 1000 * u + n, conflict))
                    else:
                        with lock:
                            results.append(("save", 1000 * u + n, info))
        except BaseException as exc:  # reported below: a thread's error must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=user, args=(u,)) for u in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    assert errors == []
    assert len(results) == users * saves
    saved = [(i, info) for kind, i, info in results if kind == "save"]
    conflicts = [(i, c) for kind, i, c in results if kind == "conflict"]
    with open_store(url=team_url) as store:
        log = store.log("Retention")
        assert len(log) == 1 + len(saved)
        parents = [v.parent for v in log[1:]]
        assert len(set(parents)) == len(parents)  # one line of history, no fork
        by_hash = {v.hash: v for v in log}
        for i, info in saved:
            version = by_hash[info.hash]  # type: ignore[attr-defined]
            stored = store.checkout("Retention", version.number).design
            assert dumps_design(stored) == dumps_design(design(i // 1000, i % 1000))
        drafts = {d.id: d for d in store.recover_drafts("Retention")}
        for i, conflict in conflicts:
            assert isinstance(conflict, SaveConflictError)
            assert "saved meanwhile by tester" in str(conflict)
            draft = drafts[conflict.draft_id]
            assert draft.kind == "conflict"
            assert dumps_design(draft.design) == dumps_design(design(i // 1000, i % 1000))
            assert draft.conflicts_with is not None
            assert draft.conflicts_with.endswith(" by tester")
        assert store.verify() == []


def test_contention_is_retried_and_never_a_traceback(
    team_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg
    from sqlalchemy import func, select

    from scorecard_studio.engines.store import postgres

    with open_store(url=team_url) as store:
        store.save(card(), None, "one")
        real = postgres.take_write_lock
        failures = iter([psycopg.errors.SerializationFailure("could not serialize access")] * 2)

        def flaky(connection: Connection) -> None:
            real(connection)
            failure = next(failures, None)
            if failure is not None:
                raise OperationalError("SELECT pg_advisory_xact_lock(…)", {}, failure)

        monkeypatch.setattr(postgres, "take_write_lock", flaky)
        info = store.save(card(target=300), None, "two")  # two failures, then saved
        assert info.number == 2
        monkeypatch.setattr(postgres, "take_write_lock", real)
        monkeypatch.setattr(postgres, "LOCK_TIMEOUT_MS", 50)
        monkeypatch.setattr(writes, "WRITE_ATTEMPTS", 3)
        holder = store.engine.connect()  # another user holds the write lock for a long while
        holder.execute(select(func.pg_advisory_xact_lock(postgres.WRITE_LOCK_KEY)))
        try:
            with pytest.raises(postgres.StoreBusyError) as caught:
                store.save(card(target=400), None, "three")
        finally:
            holder.rollback()
            holder.close()
        assert str(caught.value) == (
            "the team store is busy: other users are saving; try again in a moment"
        )
        assert [v.message for v in store.log("Retention")] == ["one", "two"]


@pytest.fixture
def team(team_url: str, team_server: TeamServer) -> dict[str, str]:
    """A team store with one login per role; role name -> that login's store URL."""
    with open_store(url=team_url) as owner:
        owner.save(card(), None, "by the owner")
        assert owner.setup_roles() == ("scorecard_viewer", "scorecard_editor", "scorecard_approver")
        urls = {}
        for role in ("viewer", "editor", "approver"):
            login = f"sc_{role}_login"
            team_server.ensure_login(login)
            owner.grant_role(login, role)
            urls[role] = team_url.replace("tester@", f"{login}@")
    return urls


def test_a_viewer_reads_everything_and_cannot_write_even_with_raw_sql(
    team: dict[str, str], tmp_path: Path
) -> None:
    with open_store(url=team["viewer"]) as viewer:
        assert viewer.identity() == "sc_viewer_login"
        assert (viewer.can_write(), viewer.can_freeze()) == (False, False)
        assert [v.message for v in viewer.log("Retention")] == ["by the owner"]
        viewer.export_scorecard("Retention", tmp_path / "r.scorecard")  # reading is allowed
        assert viewer.verify() == []
        with pytest.raises(StoreError, match="your database role does not allow it"):
            viewer.save(card(target=300), None, "by the viewer")
        with pytest.raises(StoreError, match="does not allow"):
            viewer.autosave_draft("Retention", card(target=300))
        for sql in (
            "INSERT INTO audit_log (at, author, operation, detail) VALUES ('x', 'x', 'x', '{}')",
            "UPDATE scorecards SET last_number = 99",
            "DELETE FROM drafts",
        ):
            with pytest.raises(DBAPIError, match="permission denied"), viewer.engine.begin() as c:
                c.execute(text(sql))
        assert [v.message for v in viewer.log("Retention")] == ["by the owner"]


def test_a_login_without_a_role_is_told_so(team: dict[str, str], team_server: TeamServer) -> None:
    team_server.ensure_login("sc_nobody_login")
    with pytest.raises(StoreError) as caught:
        open_store(url=team["viewer"].replace("sc_viewer_login@", "sc_nobody_login@"))
    assert "your database role does not allow it" in str(caught.value)
    assert "(viewer, editor or approver)" in str(caught.value)


def test_an_editor_saves_as_itself_and_only_an_approver_freezes(
    team: dict[str, str], team_server: TeamServer
) -> None:
    team_server.execute("COMMENT ON ROLE sc_editor_login IS 'Eddie Editor'")
    try:
        with open_store(url=team["editor"]) as editor:
            assert editor.identity() == "Eddie Editor"  # the display name given to the login
            info = editor.save(card(target=300), None, "by the editor")
            assert (info.number, info.author) == (2, "Eddie Editor")
            with pytest.raises(StoreError, match="only an approver may freeze"):
                editor.freeze("Retention", 2, "Q3")
            for sql in (
                "UPDATE versions SET frozen_label = 'Q3', freeze_seal = 'x' WHERE number = 2",
                "INSERT INTO versions (id, scorecard_id, number, design_hash, message, author,"
                " created_at, hash, frozen_label, freeze_seal) SELECT 99, scorecard_id, 9,"
                " design_hash, '', '', '', 'h', 'Q3', 's' FROM versions WHERE number = 1",
            ):
                with (
                    pytest.raises(DBAPIError, match="permission denied"),
                    editor.engine.begin() as connection,
                ):
                    connection.execute(text(sql))
            assert [v.frozen_label for v in editor.log("Retention")] == [None, None]
    finally:
        team_server.execute("COMMENT ON ROLE sc_editor_login IS NULL")
    with open_store(url=team["approver"]) as approver:
        frozen = approver.freeze("Retention", 2, "Q3")
        assert (frozen.frozen_label, frozen.frozen_by) == ("Q3", "sc_approver_login")
        assert approver.verify() == []
    whoami = _cli("store", "whoami", "--json", "--store-url", team["editor"])
    assert json.loads(whoami.stdout)["author"] == "sc_editor_login"
    assert json.loads(whoami.stdout)["can_freeze"] is False


def test_an_editor_pushes_versions_but_not_their_freezes(
    team: dict[str, str], tmp_path: Path
) -> None:
    with open_store(tmp_path / "laptop.sqlite3") as laptop, open_store(url=team["editor"]) as ed:
        laptop.pull(ed)
        offline = laptop.save(card(target=500), None, "offline")
        laptop.freeze("Retention", offline.number, "Client QBR")
        [report] = laptop.push(ed)
        assert (report.added, report.freezes_left_out) == ((2,), (2,))
        info = ed.version_info("Retention", 2)
        assert (info.hash, info.frozen_label) == (offline.hash, None)
        assert ed.audit("Retention")[-1].author == "sc_editor_login"
        assert ed.verify() == []


def test_an_upgrade_grants_the_roles_their_rights_on_the_new_tables(
    team: dict[str, str], team_url: str
) -> None:
    # A store whose roles were set up, taken back to the release before governance and
    # opened again by this one: the viewer reads the new table without `store roles`.
    from alembic import command
    from alembic.config import Config

    from scorecard_studio.engines.store import migrate

    owner = open_store(url=team_url)
    config = Config()
    config.set_main_option("script_location", migrate.SCRIPT_LOCATION)
    with owner.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
    owner.close()
    open_store(url=team_url).close()  # migrated back to the current schema
    with open_store(url=team["viewer"]) as viewer:
        assert viewer.governance_entries("Retention") == []
