"""The Report workspace: the briefing's pages before export, its states and its buttons."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from designer_fixtures import design, tables
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from scorecard_studio.engines.export.report import report_context
from scorecard_studio.qt.main_window import MainWindow
from scorecard_studio.qt.report_pdf import write_briefing_pdf
from scorecard_studio.qt.widgets.report_preview import EMPTY_TEXT, LOADING_TEXT


def make_window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    w = MainWindow(store_path=str(tmp_path / "store.sqlite3"))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    w = make_window(qtbot, tmp_path)
    w.workspace.open_card(design(), tables())
    qtbot.waitUntil(lambda: w.document.result is not None)
    w.show_workspace("report")
    qtbot.waitUntil(lambda: bool(w.report.images), timeout=5000)
    return w


def _ink_share(image: QImage) -> float:
    """The share of pixels that are not white."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    raw = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=rgb.sizeInBytes())
    pixels = raw.reshape(height, stride)[:, : width * 3].reshape(height, width, 3)
    return float((pixels < 250).any(axis=2).mean())


def test_the_pages_are_drawn_as_the_pdf_has_them(window: MainWindow, tmp_path: Path) -> None:
    report = window.report
    assert window.rooms.entries["report"].widget is report
    assert window.rooms.currentWidget() is report
    pages = write_briefing_pdf(report_context(window.document.result), tmp_path / "b.pdf")
    assert pages >= 3  # summary, charts, at least one KPI page
    assert len(report.images) == pages
    assert report.page_counter.text() == f"{pages} pages"
    assert report.stack.currentWidget() is report.pages_scroll
    # A page is a landscape sheet with ink on it: text, tables, bars.
    first = report.images[0].toImage()
    assert first.width() > first.height()
    assert _ink_share(first) > 0.01
    assert all(_ink_share(p.toImage()) > 0.005 for p in report.images)


def test_the_pages_follow_the_result(window: MainWindow, qtbot: QtBot) -> None:
    report = window.report
    before = report.images[0].toImage()
    window.document.rename("A much longer scorecard name")  # page 1's title
    qtbot.waitUntil(lambda: bool(report.images) and report.images[0].toImage() != before)
    window.document.set_tables({})  # no data: no scores
    qtbot.waitUntil(lambda: not report.images)
    assert report.message.text() == EMPTY_TEXT
    assert report.stack.currentWidget() is report.message


def test_buttons_trigger_the_windows_export_actions(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A cancelled file dialog: the action runs, nothing is written.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: ("", ""))
    with qtbot.waitSignal(window.export_action.triggered, timeout=1000):
        window.report.export_report_button.click()
    with qtbot.waitSignal(window.export_pdf_action.triggered, timeout=1000):
        window.report.export_pdf_button.click()


def test_states_before_there_are_scores(qtbot: QtBot, tmp_path: Path) -> None:
    w = make_window(qtbot, tmp_path)
    w.show_start_page(False)
    w.show_workspace("report")
    report = w.report
    qtbot.waitUntil(lambda: report.message.text() == EMPTY_TEXT)
    assert not report.export_report_button.isEnabled()
    w.document.begin_loading()
    qtbot.waitUntil(lambda: report.message.text() == LOADING_TEXT)
    assert report.images == []
    w.document.end_loading()
    qtbot.waitUntil(lambda: report.message.text() == EMPTY_TEXT)


def test_the_sample_preview_ends_with_the_evidence_page_the_pdf_has(
    qtbot: QtBot, tmp_path: Path
) -> None:
    w = make_window(qtbot, tmp_path)
    w.workspace.start([])
    qtbot.waitUntil(lambda: w.document.base_version == 3, timeout=60000)
    qtbot.waitUntil(lambda: w.workspace.evidence.current() is not None, timeout=60000)
    w.show_workspace("report")
    qtbot.waitUntil(
        lambda: (
            w.report.task is None
            and w.report.context is not None
            and w.report.context.evidence is not None
        ),
        timeout=60000,
    )
    pdf = tmp_path / "briefing.pdf"
    pages = write_briefing_pdf(w.report.context, pdf)
    assert len(w.report.images) == pages
