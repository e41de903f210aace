"""The start page's Recent list: everything opened or saved through the window's actions,
newest first, missing files marked and removable, and a click opens an entry again."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from designer_fixtures import design, tables
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog
from pytestqt.qtbot import QtBot

from scorecard_studio.engines.design_file import save_design
from scorecard_studio.qt import recent
from scorecard_studio.qt.main_window import MainWindow
from scorecard_studio.qt.widgets.two_line_delegate import SUBTITLE


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    w = MainWindow(store_path=str(tmp_path / "store.sqlite3"))
    qtbot.addWidget(w)
    w.show()
    return w


def _answer_file_dialogs(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    def chosen(*_args: object, **_kwargs: object) -> tuple[str, str]:
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", chosen)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", chosen)


def _rows(window: MainWindow) -> list[tuple[str, str]]:
    view = window.start_page.recent
    return [(view.item(i).text(), str(view.item(i).data(SUBTITLE))) for i in range(view.count())]


class _FakeWizard:
    """Stands in for the import wizard: the user picked ``chosen`` and finished."""

    chosen = Path()

    def __init__(self, _card: object, _parent: object, path: object = None) -> None:
        self.path = self.chosen
        source = design().sources[0]
        self.outcome = SimpleNamespace(source=source, frame=tables()[source.id], kpis=())

    def exec(self) -> bool:
        return True


def test_recent_lists_designs_portable_files_stores_and_workbooks(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = tmp_path / "opened.json"
    save_design(design(), opened)
    _answer_file_dialogs(monkeypatch, opened)
    window.open_action.trigger()
    assert window.document.path == opened

    saved = tmp_path / "saved as.json"
    _answer_file_dialogs(monkeypatch, saved)
    window.save_as_action.trigger()
    assert saved.is_file()

    assert window.workspace.commit_version("first")
    portable = tmp_path / "shared.scorecard"
    _answer_file_dialogs(monkeypatch, portable)
    window.export_portable_action.trigger()
    assert portable.is_file()

    workbook = tmp_path / "survey.csv"
    pd.DataFrame({"a": [1]}).to_csv(workbook)
    _FakeWizard.chosen = workbook
    monkeypatch.setattr("scorecard_studio.qt.dialogs.import_wizard.ImportWizard", _FakeWizard)
    window.import_action.trigger()

    other_store = tmp_path / "other.sqlite3"
    window.workspace.open_store_at(str(other_store))  # what "Open another store" does

    window.show_start_page(True)
    assert window.start_page.recent_locations() == [
        str(other_store),
        str(workbook),
        str(portable),
        str(saved),
        str(opened),
    ]
    names = [name for name, _ in _rows(window)]
    assert names == [
        "other.sqlite3",
        "survey.csv",
        "shared.scorecard",
        "saved as.json",
        "opened.json",
    ]
    kinds = [sub.split(" · ")[0] for _, sub in _rows(window)]
    assert kinds == ["Version store", "Data workbook", "Portable scorecard", "Design", "Design"]


def test_missing_files_are_marked_and_removable(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    kept, gone = tmp_path / "kept.json", tmp_path / "gone.json"
    save_design(design(), kept)
    save_design(design(), gone)
    recent.add_recent_file(gone)
    recent.add_recent_file(kept)
    gone.unlink()
    window.show_start_page(True)
    assert _rows(window) == [
        ("kept.json", f"Design · {tmp_path}"),
        ("gone.json (missing)", f"Missing: no longer in {tmp_path}"),
    ]
    page = window.start_page
    # Activating the missing entry opens nothing and says why.
    page._recent_activated(page.recent.item(1))
    assert window.central.currentWidget() is page
    assert "no longer there" in page.recent_hint.text()

    page.recent.setCurrentRow(1)
    assert page.remove_button.isEnabled()
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert page.recent_locations() == [str(kept)]
    assert [e.location for e in recent.recent_entries()] == [str(kept)]
    assert kept.is_file()  # removing forgets the entry, never the file


def test_clicking_an_entry_opens_it(window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "again.json"
    save_design(design(), path)
    recent.add_recent_file(path)
    window.show_start_page(True)
    page = window.start_page
    page.recent.itemActivated.emit(page.recent.item(0))
    assert window.document.path == path
    assert window.central.currentWidget() is window.rooms


def test_clicking_a_store_opens_its_scorecard(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scorecard_studio.engines.store import open_store

    other = tmp_path / "other.sqlite3"
    with open_store(str(other)) as store:
        store.save(design(), tables(), message="m", author="a", parent=None, name="Elsewhere")
    recent.add_recent_store(str(other))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *_a: pytest.fail("one scorecard: no ask"))
    window.show_start_page(True)
    window.start_page.recent.itemActivated.emit(window.start_page.recent.item(0))
    assert window.workspace.store_path == str(other)
    # The version is read in the background: the window stays usable meanwhile.
    qtbot.waitUntil(lambda: window.document.store_name == "Elsewhere", timeout=30000)


def test_team_store_urls_are_remembered_without_password() -> None:
    recent.add_recent_store("postgresql://ana:s3cret@db.example.com:5433/cards")
    [entry] = recent.recent_entries()
    assert entry.location == "postgresql://ana@db.example.com:5433/cards"
    assert entry.kind is recent.RecentKind.TEAM_STORE
    assert entry.exists
    assert "s3cret" not in recent.without_password("postgres://bob:pw@host/db")
