"""Closing the window while background work runs: every task under it is cancelled and
waited for, none starts afterwards, and nothing is emitted into deleted Qt objects."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import pytest
import shiboken6
from designer_fixtures import design, tables
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from scorecard_studio.qt.main_window import MainWindow
from scorecard_studio.qt.tasks import BackgroundTask, TaskCancelled, shut_down_tasks


def _until_cancelled(started: threading.Event, steps: list[int]) -> object:
    def work(progress: object, cancel: threading.Event) -> None:
        started.set()
        for step in range(500):  # five seconds at most: the test fails long before
            if cancel.is_set():
                raise TaskCancelled
            steps.append(step)
            progress(step / 500)  # type: ignore[operator]
            time.sleep(0.01)

    return work


def test_shutdown_cancels_running_tasks_and_starts_no_new_ones(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    started, steps = threading.Event(), []
    task = BackgroundTask(_until_cancelled(started, steps), window)  # type: ignore[arg-type]
    outcomes: list[str] = []
    task.finished.connect(lambda: outcomes.append("finished"))
    task.start()
    assert started.wait(5)
    begun = time.monotonic()
    assert shut_down_tasks(window, 5000)
    assert time.monotonic() - begun < 2.0  # cancelled at its next check, not run to the end
    assert task.cancel_event.is_set()
    assert len(steps) < 500
    later = BackgroundTask(lambda _p, _c: outcomes.append("ran"), window)
    later.start()
    assert not later.running
    qtbot.wait(50)
    # Neither the cancelled outcome nor the later task reaches the closing window.
    assert outcomes == []
    # A task of another window is left alone.
    other = QWidget()
    qtbot.addWidget(other)
    result: list[object] = []
    task = BackgroundTask(lambda _p, _c: 42, other)
    task.succeeded.connect(result.append)
    task.start()
    qtbot.waitUntil(lambda: result == [42], timeout=5000)


def test_work_outliving_its_qt_objects_stops_quietly(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    """At interpreter exit PySide deletes every Qt object, a running task's included."""
    started, steps = threading.Event(), []
    gate = threading.Event()

    def work(progress: object, cancel: threading.Event) -> int:
        started.set()
        gate.wait(5)
        for step in range(100):
            if cancel.is_set():
                return -1
            steps.append(step)
            progress(step / 100)  # type: ignore[operator]
        return 1

    parent = QWidget()
    task = BackgroundTask(work, parent)
    task.start()
    assert started.wait(5)
    signals = task._signals  # the carrier the worker emits on
    shiboken6.delete(parent)  # the window and its task go...
    shiboken6.delete(signals)  # ...and at exit the carrier as well
    with caplog.at_level(logging.DEBUG):
        gate.set()
        assert QThreadPool.globalInstance().waitForDone(5000)
        qtbot.wait(50)
    # The work saw its cancel event at the first emit that had nobody to reach.
    assert steps == [0]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_closing_the_window_while_the_report_is_drawn(
    qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    window = MainWindow(store_path=str(tmp_path / "store.sqlite3"))  # deleted below
    window.show()
    window.workspace.open_card(design(), tables())
    window.show_workspace("report")
    qtbot.waitUntil(lambda: window.report.task is not None, timeout=10000)
    drawing = window.report.task
    assert drawing is not None
    with caplog.at_level(logging.WARNING):
        window.close()
        assert drawing.cancel_event.is_set()
        assert QThreadPool.globalInstance().activeThreadCount() == 0
        qtbot.wait(100)  # the queued outcomes of the cancelled work arrive now
        shiboken6.delete(window)
        qtbot.wait(50)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
