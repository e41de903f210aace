"""Store reads off the UI thread, for views that show what the store says.

A team store is PostgreSQL over a network: one read can take as long as the network lets
it, and a read on the UI thread freezes the whole window for that long. A view therefore
asks a :class:`LatestRead` for its data and shows "Reading…" meanwhile; the read runs on
the thread pool (:class:`~scorecard_studio.qt.tasks.BackgroundTask`) and its outcome comes
back on the UI thread.

Only the newest request's outcome is delivered. The document may change while a read is
in flight (another version opened, a comment written), and the view then asks again: the
older read is cancelled and, should it finish anyway, dropped, so an answer about the
version shown a moment ago never overwrites the answer about the one shown now.

Writes a button triggers are short single-row statements; they stay where the user waits
for their answer, under a busy cursor (:func:`busy_cursor`), and the view is read back
through its :class:`LatestRead` afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication

from scorecard_studio.qt.tasks import BackgroundTask

#: What a view shows where its data will be, while the store is read.
READING_TEXT = "Reading…"


class LatestRead(QObject):
    """One kind of read for one view, in the background; a newer request wins."""

    #: True when a read starts with none under way, False when the newest one has ended.
    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: The newest read, None when its outcome has been delivered.
        self._task: BackgroundTask | None = None

    @property
    def busy(self) -> bool:
        """Whether a read is under way whose outcome has not been delivered yet."""
        return self._task is not None

    def request(
        self,
        read: Callable[[], Any],
        on_result: Callable[[Any], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Run ``read`` on the thread pool; its value goes to ``on_result`` on the UI thread.

        ``read`` must not touch widgets or the document (they live on the UI thread): it
        is given everything it needs as values captured when the request is made. A
        ``ScorecardError`` it raises reaches ``on_error`` as its message.
        """
        was_busy = self.busy
        if self._task is not None:
            self._task.cancel()  # its outcome, if it comes, is no longer wanted
        task = BackgroundTask(lambda _progress, _cancel: read(), self)
        self._task = task
        task.succeeded.connect(lambda value: self._deliver(task, on_result, value))
        if on_error is not None:
            task.failed.connect(lambda message: self._deliver(task, on_error, message))
        task.finished.connect(lambda: self._finished(task))
        if not was_busy:
            self.busyChanged.emit(True)
        task.start()
        if not task.running and self._task is task:  # the window is closing: never runs
            self._task = None

    def cancel(self) -> None:
        """Drop the read under way (the view no longer needs its answer)."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
            self.busyChanged.emit(False)

    def _deliver(self, task: BackgroundTask, receiver: Callable[[Any], None], value: Any) -> None:
        if task is not self._task:
            return  # an older read, overtaken by a newer request
        self._task = None
        receiver(value)
        if self._task is None:  # the receiver may have asked again
            self.busyChanged.emit(False)

    def _finished(self, task: BackgroundTask) -> None:
        if task is self._task:  # failed with no receiver for the failure
            self._task = None
            self.busyChanged.emit(False)
        QTimer.singleShot(0, task.deleteLater)


@contextmanager
def busy_cursor() -> Iterator[None]:
    """A wait cursor over the window while a short store write runs on the UI thread."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


def read_shown_governance(
    document: Any,
    reader: Callable[[str | None, int | None], Any] | None,
    reading: LatestRead,
    apply: Callable[[Any], None],
) -> None:
    """Read the governance of the version ``document`` shows, in the background, and give
    it to ``apply`` if that version is still the one shown when it arrives (``None`` at once
    when there is no reader). The findings and the target suggestions both follow it."""
    if reader is None:
        apply(None)
        return
    key = (document.store_name, document.shown_version)

    def read(view: Any) -> None:
        if key == (document.store_name, document.shown_version):
            apply(view)

    reading.request(lambda: reader(*key), read)
