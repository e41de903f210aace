"""Long work off the UI thread: reading a workbook, scoring big data, writing a report.

A :class:`BackgroundTask` runs a plain function on Qt's global thread pool. The function
receives a ``progress(fraction)`` callback and a ``threading.Event`` it should poll to stop
early; its result or error comes back on the UI thread through queued signals, so the window
never freezes and never touches a half-built result. A progress dialog with Cancel appears
only when the work takes long enough to be noticed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from scorecard_studio.domain.errors import ScorecardError

log = logging.getLogger(__name__)

Work = Callable[[Callable[[float], None], threading.Event], Any]

#: Milliseconds before the progress dialog shows: quick work never flashes a dialog.
PROGRESS_DELAY_MS = 400


class TaskCancelled(Exception):  # noqa: N818 - reads as an outcome, like StopIteration
    """Raised by work that noticed its cancel event; reported as "cancelled", not an error."""


class _Signals(QObject):
    progress = Signal(float)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class _Runnable(QRunnable):
    def __init__(self, work: Work, signals: _Signals, cancel: threading.Event) -> None:
        super().__init__()
        self._work = work
        self._signals = signals
        self._cancel = cancel

    def run(self) -> None:
        try:
            result = self._work(self._signals.progress.emit, self._cancel)
        except TaskCancelled:
            self._signals.cancelled.emit()
        except ScorecardError as exc:
            if self._cancel.is_set():
                self._signals.cancelled.emit()
            else:
                self._signals.failed.emit(str(exc))
        except MemoryError:
            self._signals.failed.emit("not enough memory to finish this operation")
        except Exception as exc:  # a bug: logged in full, shown as one line
            log.exception("background task failed")
            self._signals.failed.emit(f"unexpected error ({type(exc).__name__}: {exc})")
        else:
            if self._cancel.is_set():
                self._signals.cancelled.emit()
            else:
                self._signals.succeeded.emit(result)


class BackgroundTask(QObject):
    """One piece of work on the thread pool, with its outcome delivered on the UI thread."""

    progress = Signal(float)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancel_event = threading.Event()
        self.running = False
        self._signals = _Signals()
        # Queued connections: the worker thread emits, the UI thread receives.
        queued = Qt.ConnectionType.QueuedConnection
        self._signals.progress.connect(self.progress, queued)
        self._signals.succeeded.connect(self._on_succeeded, queued)
        self._signals.failed.connect(self._on_failed, queued)
        self._signals.cancelled.connect(self._on_cancelled, queued)
        self._runnable = _Runnable(work, self._signals, self.cancel_event)
        self._runnable.setAutoDelete(False)

    def start(self) -> None:
        self.running = True
        QThreadPool.globalInstance().start(self._runnable)

    def cancel(self) -> None:
        self.cancel_event.set()

    def _on_succeeded(self, result: object) -> None:
        self.running = False
        self.succeeded.emit(result)
        self.finished.emit()

    def _on_failed(self, message: str) -> None:
        self.running = False
        self.failed.emit(message)
        self.finished.emit()

    def _on_cancelled(self) -> None:
        self.running = False
        self.cancelled.emit()
        self.finished.emit()


def run_with_progress(
    parent: QWidget,
    label: str,
    work: Work,
    on_success: Callable[[Any], None],
    on_failure: Callable[[str], None],
    on_cancel: Callable[[], None] | None = None,
) -> BackgroundTask:
    """Start ``work`` with a delayed, cancellable progress dialog over ``parent``."""
    task = BackgroundTask(work, parent)
    dialog = QProgressDialog(label, "Cancel", 0, 1000, parent)
    dialog.setWindowTitle("Scorecard Studio")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(PROGRESS_DELAY_MS)
    dialog.setValue(0)
    dialog.canceled.connect(task.cancel)
    # A shown modal dialog's setValue runs the event loop, where the task can finish: the
    # dialog is then closed once setValue has returned, never deleted under it.
    state = {"setting": False, "finished": False}

    def progress(fraction: float) -> None:
        if state["finished"]:
            return
        state["setting"] = True
        try:
            dialog.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
        finally:
            state["setting"] = False
        if state["finished"]:
            close()

    def close() -> None:
        dialog.canceled.disconnect(task.cancel)
        dialog.close()
        dialog.deleteLater()
        # Let the last queued signals drain before the task object goes away.
        QTimer.singleShot(0, task.deleteLater)

    def done() -> None:
        state["finished"] = True
        if not state["setting"]:
            close()

    task.progress.connect(progress)
    task.succeeded.connect(on_success)
    task.failed.connect(on_failure)
    if on_cancel is not None:
        task.cancelled.connect(on_cancel)
    task.finished.connect(done)
    task.start()
    return task
