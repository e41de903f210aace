"""The window's actions call their functions without the checked state that
``QAction.triggered(bool)`` carries: Import must not get ``False`` for its path."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from scorecard_studio.qt.main_window import MainWindow
from scorecard_studio.qt.workspace import Workspace


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[object, ...]]]:
    seen: list[tuple[str, tuple[object, ...]]] = []

    # With the real signatures (an optional path): Qt passes ``checked`` to a slot that
    # can take an argument. Replaced on the class before the window binds them.
    def import_spreadsheet(_self: Workspace, path: object = None) -> None:
        seen.append(("import", (path,)))

    def choose_and_open(_self: Workspace, path: object = None) -> None:
        seen.append(("open", (path,)))

    monkeypatch.setattr(Workspace, "import_spreadsheet", import_spreadsheet)
    monkeypatch.setattr(Workspace, "choose_and_open", choose_and_open)
    return seen


def test_import_and_open_actions_pass_no_checked_state(
    qtbot: QtBot, tmp_path: Path, calls: list[tuple[str, tuple[object, ...]]]
) -> None:
    window = MainWindow(store_path=str(tmp_path / "store.sqlite3"))
    qtbot.addWidget(window)
    window.import_action.trigger()
    window.open_action.trigger()
    window.import_action.setCheckable(True)  # triggered then carries its state, True
    window.import_action.trigger()
    assert calls == [("import", (None,)), ("open", (None,)), ("import", (None,))]
