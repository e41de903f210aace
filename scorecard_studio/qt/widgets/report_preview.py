"""The Report workspace: the QBR briefing's pages, as they will print, before exporting.

The pages are painted by the same code as the PDF briefing (:mod:`scorecard_studio.qt.report_pdf`)
onto images, so a glance here answers "what will the pack look like?" without writing a file.
Rendering every page takes a moment on a large scorecard, so it waits until the scores have
settled (a short timer after the last change) and until the workspace is on screen, and
then draws the pages on the thread pool, onto images (a QPixmap may only be made on the UI
thread, a QImage anywhere), so the window stays responsive. A change of the design or data
cancels the drawing under way: its pages would be out of date before they were shown. A design
from the store shows its version's governance (commentary and actions beside red KPIs, as the
exported report has them); that is read from the store in the background, and the pages are
drawn again when it arrives (the newest read wins). Its provenance is read from the store
with the drawing, off the UI thread too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from scorecard_studio.domain.governance import GovernanceView
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.exports import provenance_version
from scorecard_studio.qt.settings import author_name
from scorecard_studio.qt.store_reads import LatestRead
from scorecard_studio.qt.tasks import BackgroundTask, TaskCancelled

#: Width of a page thumbnail, in pixels: a landscape page is then legible at a glance.
THUMBNAIL_WIDTH = 640
#: How long the scores must stay unchanged before the pages are drawn again.
SETTLE_MS = 300
LOADING_TEXT = "Reading data…"
EMPTY_TEXT = "No scores to report yet: import data first."
DRAWING_TEXT = "Drawing the pages…"


class ReportPreview(QWidget):
    """Page thumbnails of the QBR briefing for the document's current result."""

    exportReportRequested = Signal()
    exportPdfRequested = Signal()

    def __init__(
        self,
        document: ScorecardDocument,
        provenance: Callable[[str | None, int | None], dict[str, Any]] | None = None,
        governance: Callable[[str | None, int | None], GovernanceView | None] | None = None,
        parent: QWidget | None = None,
        evidence: Any = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        #: The window's evidence (an EvidenceSource): its current evidence fills the
        #: briefing's evidence page as the exported PDF has it; new evidence redraws.
        self._evidence = evidence
        #: Reads a stored version's provenance (off the UI thread, with the drawing).
        self._provenance = provenance or (lambda _name, _number: {})
        self._governance_reader = governance
        #: The stored version the governance below was read for, and that governance.
        self._governance: tuple[tuple[str | None, int | None], GovernanceView | None] = (
            (None, None),
            None,
        )
        self.governance_reading = LatestRead(self)
        #: What the pages were last drawn from (tests read it).
        self.context: Any = None
        self._dirty = True
        self.images: list[QPixmap] = []
        #: The drawing under way, None when the pages shown are up to date.
        self.task: BackgroundTask | None = None

        self.page_counter = QLabel()
        self.page_counter.setObjectName("reportPageCounter")
        self.export_report_button = QPushButton("Export QBR report…")
        self.export_pdf_button = QPushButton("Export PDF briefing…")
        self.export_report_button.clicked.connect(self.exportReportRequested)
        self.export_pdf_button.clicked.connect(self.exportPdfRequested)
        bar = QHBoxLayout()
        bar.addWidget(self.page_counter)
        bar.addStretch(1)
        bar.addWidget(self.export_report_button)
        bar.addWidget(self.export_pdf_button)

        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.pages_box = QWidget()
        self.pages_layout = QVBoxLayout(self.pages_box)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages_scroll = QScrollArea()
        self.pages_scroll.setWidgetResizable(True)
        self.pages_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.pages_scroll.setWidget(self.pages_box)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.pages_scroll)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.refresh)
        document.resultChanged.connect(self._schedule)
        document.loadingChanged.connect(self._schedule)
        if evidence is not None:
            evidence.evidenceReady.connect(self._schedule)
        self._show_message(self._waiting_text())

    def reload_governance(self) -> None:
        """Read the open version's governance again, in the background; redraw when read."""
        if self._governance_reader is None:
            return
        reader = self._governance_reader
        key = (self.document.store_name, self.document.shown_version)

        def read(view: object) -> None:
            self._governance = (key, view if isinstance(view, GovernanceView) else None)
            self._schedule()

        self.governance_reading.request(lambda: reader(*key), read)

    def governance(self) -> GovernanceView | None:
        """The governance the pages show: the last read, if it is the open version's."""
        key, view = self._governance
        return view if key == (self.document.store_name, self.document.shown_version) else None

    def _waiting_text(self) -> str:
        """What the workspace says until its pages are drawn."""
        if self.document.result is not None:
            return DRAWING_TEXT
        return LOADING_TEXT if self.document.loading else EMPTY_TEXT

    def _schedule(self, *_args: object) -> None:
        self._dirty = True
        self.cancel_drawing()
        self._timer.start()

    def cancel_drawing(self) -> None:
        """Stop the drawing under way; its pages are never shown."""
        if self.task is not None:
            self.task.cancel()
            self.task = None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self._timer.start()

    def refresh(self) -> None:
        """Draw the pages again now (off screen it waits until the workspace is shown)."""
        if not self.isVisible():
            return
        self._dirty = False
        doc = self.document
        result = doc.result
        if result is None:
            self._show_message(LOADING_TEXT if doc.loading else EMPTY_TEXT)
            return
        from scorecard_studio.engines.export.context import ReportProvenance
        from scorecard_studio.engines.export.report import report_context
        from scorecard_studio.qt.report_pdf import BriefingPages, render_page

        read_provenance, version = self._provenance, provenance_version(doc)
        governance = self.governance()
        evidence = self._evidence.current() if self._evidence is not None else None
        author = author_name() or None  # "Prepared by", as the exported report says it

        def work(
            progress: Callable[[float], None], cancel: threading.Event
        ) -> tuple[Any, list[QImage]]:
            # A ScorecardError here fails the drawing: "The report cannot be drawn: …".
            provenance = ReportProvenance.from_mapping(read_provenance(*version))
            ctx = report_context(
                result,
                provenance=provenance,
                governance=governance,
                evidence=evidence,
                author=author,
            )
            pages = BriefingPages(ctx)
            images = []
            for n in range(len(pages)):
                if cancel.is_set():
                    raise TaskCancelled
                images.append(render_page(pages, n, THUMBNAIL_WIDTH))
                progress((n + 1) / len(pages))
            return ctx, images

        self.cancel_drawing()
        task = self.task = BackgroundTask(work, self)
        task.progress.connect(self._drawing_progress)
        task.succeeded.connect(lambda outcome: self._drawn(task, *outcome))
        task.failed.connect(lambda message: self._draw_failed(task, message))
        task.finished.connect(lambda: QTimer.singleShot(0, task.deleteLater))
        if not self.images:
            self._show_message(DRAWING_TEXT)
        self.page_counter.setText(DRAWING_TEXT)
        task.start()

    def _drawing_progress(self, fraction: float) -> None:
        if self.task is not None:
            self.page_counter.setText(f"{DRAWING_TEXT} {fraction:.0%}")

    def _drawn(self, task: BackgroundTask, ctx: Any, images: list[QImage]) -> None:
        if task is not self.task:
            return  # an older drawing that finished as it was cancelled
        self.task = None
        self.context = ctx
        self.images = [QPixmap.fromImage(image) for image in images]
        self._show_pages()

    def _draw_failed(self, task: BackgroundTask, message: str) -> None:
        if task is self.task:
            self.task = None
            self._show_message(f"The report cannot be drawn: {message}")

    def _show_message(self, text: str) -> None:
        if text != DRAWING_TEXT:
            self.cancel_drawing()
        self.images = []
        self._clear_pages()
        self.message.setText(text)
        self.page_counter.setText("")
        self.stack.setCurrentWidget(self.message)
        has_result = self.document.result is not None
        self.export_report_button.setEnabled(has_result)
        self.export_pdf_button.setEnabled(has_result)

    def _clear_pages(self) -> None:
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def _show_pages(self) -> None:
        self._clear_pages()
        for n, pixmap in enumerate(self.images, start=1):
            label = QLabel()
            label.setObjectName(f"reportPage{n}")
            label.setPixmap(pixmap)
            label.setFrameShape(QFrame.Shape.Box)
            label.setToolTip(f"Page {n} of {len(self.images)}")
            self.pages_layout.addWidget(label)
        count = len(self.images)
        self.page_counter.setText(f"{count} page{'s' if count != 1 else ''}")
        self.stack.setCurrentWidget(self.pages_scroll)
        self.export_report_button.setEnabled(True)
        self.export_pdf_button.setEnabled(True)
