"""File › Team store… and Sync with team store: the window's side of push and pull."""

from __future__ import annotations

from pathlib import Path

import pytest
from designer_fixtures import design, tables
from pytestqt.qtbot import QtBot

from scorecard_studio.engines import store as store_package
from scorecard_studio.engines.store import open_store
from scorecard_studio.engines.store.sync import SyncReport
from scorecard_studio.qt import team_sync
from scorecard_studio.qt.main_window import MainWindow
from scorecard_studio.qt.settings import settings


def test_the_summary_says_what_went_each_way_and_what_diverged() -> None:
    pushed = [
        SyncReport("Retention", "push", added=(4, 5)),
        SyncReport("Growth", "push", diverged=(3,), drafts=(7,), conflicts_with="v3 by ana"),
    ]
    pulled = [SyncReport("Retention", "pull"), SyncReport("Growth", "pull", added=(4,))]
    assert team_sync.sync_summary(pushed, pulled) == (
        "Sent: Retention (v4, v5).\n"
        "Received: Growth (v4).\n"
        "Growth: your v3 build on an older version than the team's v3 by ana; kept in the "
        "team store as a draft, not as a version. Open the latest version and redo the "
        "change on top of it."
    )
    assert team_sync.sync_summary([], []) == "Everything was already in sync."


def test_sync_sends_and_receives_versions(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_modal_dialogs: list[tuple[str, str]],
) -> None:
    team_file = tmp_path / "team.sqlite3"  # stands in for the server: push/pull are the same
    with open_store(team_file) as team:
        team.save(design(), None, "at the office")
    opened: list[str | None] = []

    def fake_open(path: object = None, *, url: str | None = None) -> object:
        if url is None:
            return open_store(path)  # type: ignore[arg-type]  # the window's local store
        opened.append(url)
        return open_store(team_file)

    monkeypatch.setattr(store_package, "open_store", fake_open)
    settings().setValue(team_sync.URL_KEY, "postgresql://ana@db.example/scorecards")
    window = MainWindow(store_path=str(tmp_path / "local.sqlite3"))
    qtbot.addWidget(window)
    texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "&Team store…" in texts
    assert "S&ync with team store" in texts
    window.workspace.open_card(design(), tables())
    assert window.workspace.commit_version("on the laptop")
    window.sync_action.trigger()
    qtbot.waitUntil(lambda: ("information", "Sync with team store") in no_modal_dialogs)
    assert opened == ["postgresql://ana@db.example/scorecards"]
    local = window.workspace.store()
    assert local.path == tmp_path / "local.sqlite3"
    # Both first saves started from nothing: the laptop's diverged (kept as a team draft),
    # the office's came in beside it.
    assert [v.message for v in local.log(design().name)] == ["on the laptop", "at the office"]
    with open_store(team_file) as team:
        assert [v.message for v in team.log(design().name)] == ["at the office"]
        [draft] = team.recover_drafts(design().name)
        assert draft.kind == "conflict"
        assert draft.message.endswith(": on the laptop")
