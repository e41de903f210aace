"""The open document's evidence, computed off the UI thread and shared by what reads it.

The strategy map colours its links with their evidence and the report's Evidence sheet
lists it; both read one :class:`EvidenceSource`, so an export right after the map has been
coloured does not compute the same thing again. The analysis (numpy, pandas, seconds on
large data) runs in a :class:`BackgroundTask` a moment after the design or the data stop
changing, and only for designs that set up evidence: there is nothing to show otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from scorecard_studio.domain.analytics import Analytics
from scorecard_studio.domain.model import Scorecard
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.tasks import BackgroundTask

if TYPE_CHECKING:
    import pandas as pd

    from scorecard_studio.engines.analytics import Evidence

#: Milliseconds of quiet after an edit before the evidence is recomputed.
RECOMPUTE_DELAY_MS = 400


def wants_evidence(card: Scorecard, tables: dict[str, pd.DataFrame]) -> bool:
    """A design with evidence settings and data to test them on."""
    return bool(tables) and card.analytics != Analytics()


def compute_evidence(card: Scorecard, tables: dict[str, pd.DataFrame]) -> Evidence | None:
    """The evidence of ``card`` over ``tables`` (None when there is none to compute).

    Plain computation, for a worker thread: it touches no widget.
    """
    if not wants_evidence(card, tables):
        return None
    from scorecard_studio.engines.analytics import analyze

    evidence = analyze(card, tables)
    return evidence if evidence.panel.n_customers else None


def _tables_key(tables: dict[str, pd.DataFrame]) -> tuple[tuple[str, int], ...]:
    # The document replaces its table dict (and frames) on every change, never mutates them.
    return tuple((name, id(frame)) for name, frame in tables.items())


class EvidenceSource(QObject):
    """The latest evidence of the document, recomputed when its design or data change."""

    #: Finished evidence (or None: nothing to compute) for the design it was computed on.
    evidenceReady = Signal(object)
    #: True while a computation is under way.
    busyChanged = Signal(bool)
    failed = Signal(str)

    def __init__(self, document: ScorecardDocument, parent: QObject | None = None) -> None:
        # Owned by Qt (the document, unless told): its tasks are children, and a parentless
        # owner collected by Python while a task's signals are queued would crash.
        super().__init__(parent if parent is not None else document)
        self.document = document
        self.evidence: Evidence | None = None
        self._computed_on: tuple[Scorecard, Any] | None = None
        self._tables_alive: dict[str, pd.DataFrame] = {}
        self._task: BackgroundTask | None = None
        self._again = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RECOMPUTE_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        document.designChanged.connect(self._schedule)
        document.tablesChanged.connect(self._schedule)

    @property
    def busy(self) -> bool:
        return self._task is not None or self._timer.isActive()

    def current(self) -> Evidence | None:
        """The evidence when it was computed on the document as it is now; else None."""
        return self.evidence if self.is_current() else None

    def is_current(self) -> bool:
        doc = self.document
        return self._computed_on == (doc.card, _tables_key(doc.tables))

    def _schedule(self, *_args: object) -> None:
        if wants_evidence(self.document.card, self.document.tables) or self.evidence is not None:
            self._timer.start()

    def refresh(self) -> None:
        """Recompute off the UI thread (once more afterwards if a run is under way)."""
        self._timer.stop()
        if self._task is not None:
            self._again = True
            return
        card, tables = self.document.card, dict(self.document.tables)
        if not wants_evidence(card, tables):
            self._done(None, card, tables)
            return

        def work(_progress: object, _cancel: object) -> Evidence | None:
            return compute_evidence(card, tables)

        task = BackgroundTask(work, self)
        task.succeeded.connect(lambda evidence: self._done(evidence, card, tables))
        task.failed.connect(self.failed)
        task.finished.connect(self._finished)
        self._task = task
        self.busyChanged.emit(True)
        task.start()

    def _done(self, evidence: Evidence | None, card: Scorecard, tables: dict[str, Any]) -> None:
        self.evidence = evidence
        self._tables_alive = tables  # keeps the frames (and so their ids) alive
        self._computed_on = (card, _tables_key(tables))
        self.evidenceReady.emit(evidence)

    def _finished(self) -> None:
        if self._task is not None:
            self._task.deleteLater()
        self._task = None
        self.busyChanged.emit(False)
        if self._again:
            self._again = False
            self.refresh()
