"""Long work off the UI thread: reading a workbook, scoring big data, writing a report.

A :class:`BackgroundTask` runs a plain function on Qt's global thread pool. The function
receives a ``progress(fraction)`` callback and a ``threading.Event`` it should poll to stop
early; its result or error comes back on the UI thread through queued signals, so the window
never freezes and never touches a half-built result. A progress dialog with Cancel appears
only when the work takes long enough to be noticed.

Closing the window ends its tasks in order (:func:`shut_down_tasks`): every task under it is
cancelled and waited for, none starts afterwards, and an outcome arriving once its task's
Qt object is gone is dropped. Without that, a report still being drawn when the interpreter
tore the window down emitted from its worker into deleted objects.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from scorecard_studio.domain.errors import ScorecardError

log = logging.getLogger(__name__)

Work = Callable[[Callable[[float], None], threading.Event], Any]

#: Milliseconds before the progress dialog shows: quick work never flashes a dialog.
PROGRESS_DELAY_MS = 400
#: The property set on an object being shut down: tasks under it no longer start.
SHUTTING_DOWN = "scorecardShuttingDown"


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

    def _emit(self, name: str, *args: object) -> None:
        """Send an outcome to the UI thread, unless the receiving objects are gone.

        At interpreter exit PySide deletes every Qt object, a running task's signal carrier
        included; the work's last progress or outcome then has nobody to reach, and raising
        from this thread would only print a traceback (the task was cancelled anyway).
        """
        signals = self._signals
        if not shiboken6.isValid(signals):
            self._cancel.set()  # the work polls this: it stops instead of working for nobody
            return
        try:
            getattr(signals, name).emit(*args)
        except RuntimeError:  # deleted between the test and the emit
            self._cancel.set()

    def _progress(self, fraction: float) -> None:
        self._emit("progress", fraction)

    def run(self) -> None:
        try:
            result = self._work(self._progress, self._cancel)
        except TaskCancelled:
            self._emit("cancelled")
        except ScorecardError as exc:
            if self._cancel.is_set():
                self._emit("cancelled")
            else:
                self._emit("failed", str(exc))
        except MemoryError:
            self._emit("failed", "not enough memory to finish this operation")
        except Exception as exc:  # a bug: logged in full, shown as one line
            log.exception("background task failed")
            self._emit("failed", f"unexpected error ({type(exc).__name__}: {exc})")
        else:
            if self._cancel.is_set():
                self._emit("cancelled")
            else:
                self._emit("succeeded", result)


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
        _LIVE.add(self)

    def start(self) -> None:
        """Run the work, unless the window it belongs to is closing (then it never runs)."""
        if _shutting_down(self):
            self.cancel_event.set()
            return
        self.running = True
        QThreadPool.globalInstance().start(self._runnable)

    def cancel(self) -> None:
        self.cancel_event.set()

    def _deliver(self, signal: str, *args: object) -> None:
        self.running = False
        if not shiboken6.isValid(self) or _shutting_down(self):
            return  # the window closed: nobody is left to show this outcome to
        getattr(self, signal).emit(*args)
        self.finished.emit()

    def _on_succeeded(self, result: object) -> None:
        self._deliver("succeeded", result)

    def _on_failed(self, message: str) -> None:
        self._deliver("failed", message)

    def _on_cancelled(self) -> None:
        self._deliver("cancelled")


#: Every task not yet garbage-collected, to find the ones under a closing window.
_LIVE: weakref.WeakSet[BackgroundTask] = weakref.WeakSet()


def _shutting_down(obj: QObject) -> bool:
    """Whether ``obj`` or one of its ancestors is being shut down."""
    node: QObject | None = obj
    while node is not None and shiboken6.isValid(node):
        if node.property(SHUTTING_DOWN):
            return True
        node = node.parent()
    return False


def _under(task: BackgroundTask, root: QObject) -> bool:
    node: QObject | None = task
    while node is not None and shiboken6.isValid(node):
        if node is root:
            return True
        node = node.parent()
    return False


def shut_down_tasks(root: QObject, msecs: int = 10000) -> bool:
    """Cancel every task under ``root`` and wait for the thread pool; True when it emptied.

    From now on no task under ``root`` starts and no outcome reaches it: its widgets are
    about to go, and an outcome delivered to them would update (or emit from) deleted
    objects. Work that polls its cancel event stops at its next check; the rest is waited
    for, so nothing runs on under the interpreter's shutdown.
    """
    root.setProperty(SHUTTING_DOWN, True)
    for task in list(_LIVE):
        if shiboken6.isValid(task) and _under(task, root):
            task.cancel()
    return bool(QThreadPool.globalInstance().waitForDone(msecs))


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
