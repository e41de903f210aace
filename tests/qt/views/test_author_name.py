"""The user's name: asked once in the Scorecard menu, recorded on versions, "Prepared by"."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from designer_fixtures import design, tables
from PySide6.QtWidgets import QFileDialog, QInputDialog
from pytestqt.qtbot import QtBot

from scorecard_studio.qt.main_window import MainWindow
from scorecard_studio.qt.settings import author_name


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    w = MainWindow(store_path=str(tmp_path / "store.sqlite3"))
    qtbot.addWidget(w)
    w.workspace.open_card(design(), tables())
    return w


def test_without_a_name_the_save_says_whom_it_recorded_and_where_to_give_a_name(
    window: MainWindow,
) -> None:
    assert author_name() == ""
    assert window.workspace.commit_version("first")
    message = window.statusBar().currentMessage()
    assert message.endswith("— give your name: Scorecard ▸ Your name…"), message


def test_the_name_given_is_the_versions_author_and_the_reports_preparer(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def answer(_parent: object, _title: str, _label: str, text: str = "") -> tuple[str, bool]:
        asked.append(text)  # offered: the account's full name or login
        return "  Ana   Lima ", True

    monkeypatch.setattr(QInputDialog, "getText", answer)
    window.author_action.trigger()
    assert len(asked) == 1
    assert asked[0]  # a first guess is offered, never empty on a named account
    assert author_name() == "Ana Lima"
    assert window.workspace.commit_version("first")
    store = window.workspace.store()
    assert store.log(window.document.store_name)[-1].author == "Ana Lima"
    out = tmp_path / "qbr.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(out), ""))
    window.workspace.exports.export_report()
    qtbot.waitUntil(out.exists, timeout=30000)
    qtbot.wait(200)
    summary = openpyxl.load_workbook(out)["Summary"]
    assert "prepared by Ana Lima" in str(summary.cell(2, 1).value)
