"""The Report workspace draws its pages off the UI thread: the event loop keeps running
while they are drawn, and a change of the design cancels a drawing under way."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from designer_fixtures import design, tables
from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from scorecard_studio.qt import report_pdf
from scorecard_studio.qt.main_window import MainWindow

#: A slow page: far longer than the UI may ever stall (about 50 ms).
PAGE_SECONDS = 0.15


@pytest.fixture
def slow_pages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str]]:
    """Every page takes PAGE_SECONDS to draw; records (thread, scorecard title) per page."""
    drawn: list[tuple[int, str]] = []
    real = report_pdf.render_page

    def slow(pages: report_pdf.BriefingPages, index: int, width: int) -> QImage:
        time.sleep(PAGE_SECONDS)
        drawn.append((threading.get_ident(), pages.title))
        return real(pages, index, width)

    monkeypatch.setattr(report_pdf, "render_page", slow)
    return drawn


def _window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    w = MainWindow(store_path=str(tmp_path / "store.sqlite3"))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.workspace.open_card(design(), tables())
    qtbot.waitUntil(lambda: w.document.result is not None)
    return w


def test_the_event_loop_keeps_running_while_pages_are_drawn(
    qtbot: QtBot, tmp_path: Path, slow_pages: list[tuple[int, str]]
) -> None:
    w = _window(qtbot, tmp_path)
    gaps: list[int] = []
    clock = QElapsedTimer()
    ticker = QTimer()
    ticker.setInterval(5)

    def tick() -> None:
        if clock.isValid():
            gaps.append(clock.restart())
        else:
            clock.start()

    ticker.timeout.connect(tick)
    w.show_workspace("report")
    qtbot.waitUntil(lambda: w.report.task is not None, timeout=5000)
    ticker.start()
    qtbot.waitUntil(lambda: bool(w.report.images), timeout=20000)
    ticker.stop()
    pages = len(w.report.images)
    assert pages >= 3
    assert len(slow_pages) == pages
    assert all(thread != threading.get_ident() for thread, _ in slow_pages)
    # The drawing took pages × 150 ms, and the UI thread ticked all along.
    assert sum(gaps) >= (pages - 1) * PAGE_SECONDS * 1000
    assert len(gaps) > 10
    # Pages drawn on the UI thread would stall every tick by 150 ms; here the typical tick
    # comes on time. (The median, not the longest: a loaded machine may pause any thread
    # once in a while, which says nothing of where the pages are drawn.)
    assert sorted(gaps)[len(gaps) // 2] < 100, sorted(gaps)


def test_a_design_change_cancels_the_drawing_under_way(
    qtbot: QtBot, tmp_path: Path, slow_pages: list[tuple[int, str]]
) -> None:
    w = _window(qtbot, tmp_path)
    w.show_workspace("report")
    qtbot.waitUntil(lambda: len(slow_pages) >= 1, timeout=5000)
    first = w.report.task
    assert first is not None
    w.document.rename("Renamed while drawing")
    assert first.cancel_event.is_set()
    qtbot.waitUntil(lambda: bool(w.report.images), timeout=20000)
    new = f"Renamed while drawing — QBR {w.document.result.period_labels[-1]}"  # type: ignore[union-attr]
    titles = [title for _, title in slow_pages]
    old = [t for t in titles if t != new]
    # The first drawing stopped at the page it was on; every page shown is of the new name.
    assert len(old) < len(w.report.images)
    assert titles[-len(w.report.images) :] == [new] * len(w.report.images)
