"""The window on a store it cannot open: the reason, and the ways out it offers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest
from designer_fixtures import design, tables
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from scorecard_studio.domain.errors import StoreOpenError
from scorecard_studio.engines.store import open_store
from scorecard_studio.qt.dialogs import damaged_store
from scorecard_studio.qt.dialogs.damaged_store import DamagedStoreDialog, StoreChoice
from scorecard_studio.qt.main_window import MainWindow


def _genuine(path: Path) -> bytes:
    with open_store(path) as store:
        store.save(design(), tables(), "one")
        store.save(design(), tables(), "two")
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.read_bytes()


def _truncated(path: Path) -> bytes:
    data = _genuine(path)[:8192]
    path.write_bytes(data)
    return data


def _newer(path: Path) -> bytes:
    _genuine(path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.read_bytes()


def _noise(path: Path) -> bytes:
    data = np.random.default_rng(7).bytes(40_000)
    path.write_bytes(data)
    return data


@pytest.mark.parametrize(
    ("make", "kind", "said"),
    [
        (_truncated, "damaged", "cut short"),
        (_noise, "not_a_store", "not a Scorecard Studio store"),
        (_newer, "newer", "newer release"),
    ],
    ids=["truncated", "random-bytes", "newer-release"],
)
def test_each_failure_is_explained(
    qtbot: QtBot, tmp_path: Path, make: object, kind: str, said: str
) -> None:
    path = tmp_path / "store.sqlite3"
    make(path)  # type: ignore[operator]
    with pytest.raises(StoreOpenError) as caught:
        open_store(path)
    assert caught.value.kind == kind
    dialog = DamagedStoreDialog(None, path, kind, str(caught.value))
    qtbot.addWidget(dialog)
    assert said in dialog.message.text()


@pytest.mark.parametrize(
    "choice", [StoreChoice.OPEN_ANOTHER, StoreChoice.START_NEW, StoreChoice.QUIT]
)
def test_each_button_is_a_choice(qtbot: QtBot, tmp_path: Path, choice: StoreChoice) -> None:
    dialog = DamagedStoreDialog(None, tmp_path / "s.sqlite3", "damaged", "detail")
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.buttons[choice].click()
    assert dialog.choice is choice
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_escape_chooses_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = DamagedStoreDialog(None, tmp_path / "s.sqlite3", "damaged", "detail")
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.reject()
    assert dialog.choice is StoreChoice.NONE


@pytest.fixture
def damaged(tmp_path: Path) -> tuple[Path, bytes]:
    path = tmp_path / "store.sqlite3"
    return path, _truncated(path)


def _window(qtbot: QtBot, path: Path) -> MainWindow:
    window = MainWindow(store_path=str(path))
    qtbot.addWidget(window)
    window.show()
    return window


def _answer(monkeypatch: pytest.MonkeyPatch, *choices: StoreChoice) -> list[str]:
    asked: list[str] = []
    answers = list(choices)

    def ask(_parent: object, _path: Path, kind: str, _detail: str) -> StoreChoice:
        asked.append(kind)
        return answers.pop(0)

    monkeypatch.setattr(damaged_store, "ask_about_store", ask)
    return asked


def test_start_new_moves_the_file_aside_untouched_and_saves_work(
    qtbot: QtBot, damaged: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, data = damaged
    asked = _answer(monkeypatch, StoreChoice.START_NEW)
    window = _window(qtbot, path)
    window.workspace.start([])
    qtbot.waitUntil(lambda: asked == ["damaged"], timeout=10_000)
    kept = [p for p in path.parent.iterdir() if p.name.startswith("store.sqlite3.damaged-")]
    assert len(kept) == 1
    assert kept[0].read_bytes() == data
    window.workspace.open_card(design(), tables())
    assert window.workspace.commit_version("first in the new store")
    with open_store(path) as fresh:
        assert [v.message for v in fresh.log(design().name)] == ["first in the new store"]


def test_open_another_store_switches_to_it(
    qtbot: QtBot, damaged: tuple[Path, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, data = damaged
    other = tmp_path / "other.sqlite3"
    _genuine(other)
    asked = _answer(monkeypatch, StoreChoice.OPEN_ANOTHER)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(other), ""))
    window = _window(qtbot, path)
    window.workspace.open_card(design(), tables())
    assert not window.workspace.commit_version("goes to the other store")
    assert asked == ["damaged"]
    assert window.workspace.store_path == str(other)
    assert [v.number for v in window.workspace.store().log(design().name)] == [1, 2]
    assert path.read_bytes() == data


def test_quit_closes_the_window_and_leaves_the_file(
    qtbot: QtBot, damaged: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, data = damaged
    asked = _answer(monkeypatch, StoreChoice.QUIT)
    window = _window(qtbot, path)
    window.workspace.open_card(design(), tables())
    window.document.undo_stack.setClean()
    assert not window.workspace.commit_version("never saved")
    assert asked == ["damaged"]
    assert not window.isVisible()
    assert path.read_bytes() == data
