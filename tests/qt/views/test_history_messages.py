"""History and recovery messages: Restore asks first; autosave times read as local time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from designer_fixtures import design, tables
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from scorecard_studio.domain import edits
from scorecard_studio.qt.drafts import readable_time
from scorecard_studio.qt.main_window import MainWindow


def test_restore_asks_before_it_replaces_the_design(
    qtbot: QtBot,
    tmp_path: Path,
    no_modal_dialogs: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = MainWindow(store_path=str(tmp_path / "store.sqlite3"))
    qtbot.addWidget(window)
    ws, doc = window.workspace, window.document
    ws.open_card(design(), tables())
    assert ws.commit_version("first")
    doc.edit("weight", edits.set_weight, "revenue", 5.0)
    assert ws.commit_version("second")
    history = window.history
    qtbot.waitUntil(lambda: not history.reading.busy)
    history.tree.topLevelItem(1).setSelected(True)  # version 1 (newest first)
    assert history.selected_numbers() == [1]

    history.restore_selected()  # the test's dialogs answer "Discard": not Yes
    assert no_modal_dialogs == [("question", "Restore version")]
    assert doc.card.kpi("revenue").weight == 5.0
    qtbot.waitUntil(lambda: not history.reading.busy)
    assert [v.number for v in history.versions] == [1, 2]

    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    history.restore_selected()
    # The restored version is read in the background, then shown.
    qtbot.waitUntil(lambda: doc.base_version == 3, timeout=30000)
    assert doc.card.kpi("revenue").weight == 3.0


def test_autosave_times_read_as_local_dates() -> None:
    local = dt.datetime(2026, 3, 3, 9, 12).astimezone()
    stamp = local.astimezone(dt.UTC).isoformat()
    assert readable_time(stamp, now=local) == "today at 09:12"
    assert readable_time(stamp, now=local + dt.timedelta(days=1)) == "yesterday at 09:12"
    assert readable_time(stamp, now=local + dt.timedelta(days=30)) == "on 3 Mar 2026 at 09:12"
    assert readable_time("not a time") == "at not a time"
