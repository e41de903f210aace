"""Writing what leaves the app: the Excel QBR report and the portable ``.scorecard`` file.

The report is written in the background with progress; when the open design is a saved,
unmodified version, the report states that version's provenance so it can be produced again
from the store. Sharing writes the scorecard's whole history as one portable file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMainWindow

from scorecard_studio.domain.errors import ScorecardError
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.settings import last_folder, remember_folder


class Exports:
    """The File menu's export actions for the open document."""

    def __init__(
        self,
        window: QMainWindow,
        document: ScorecardDocument,
        store: Callable[[], Any],
        status: Callable[[str], None],
        warn: Callable[[str, str], None],
        run: Callable[..., None],
    ) -> None:
        self.window = window
        self.document = document
        self._store = store
        self._status = status
        self._warn = warn
        self._run = run

    def export_report(self) -> None:
        result = self.document.result
        if result is None:
            self._warn("Export QBR report", "There are no scores to report: import data first.")
            return
        default = Path(last_folder("export")) / f"{self.document.card.name} QBR.xlsx"
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export QBR report", str(default), "Excel workbook (*.xlsx)"
        )
        if not path:
            return
        remember_folder("export", path)
        provenance = self.provenance()

        def work(progress: Any, _cancel: Any) -> Any:
            from scorecard_studio.engines.export import export_report
            from scorecard_studio.engines.export.context import ReportProvenance

            progress(0.1)
            return export_report(result, path, provenance=ReportProvenance.from_mapping(provenance))

        self._run(
            "Writing the QBR report…",
            work,
            lambda summary: self._status(f"Report written: {summary.path.name} ({summary.period})"),
            failure_title="Cannot export the report",
        )

    def export_briefing_pdf(self) -> None:
        """The PDF briefing, drawn by the app (Qt's PDF writer), in the background."""
        result = self.document.result
        if result is None:
            self._warn("Export QBR briefing", "There are no scores to report: import data first.")
            return
        default = Path(last_folder("export")) / f"{self.document.card.name} QBR.pdf"
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export QBR briefing", str(default), "PDF document (*.pdf)"
        )
        if not path:
            return
        remember_folder("export", path)
        provenance = self.provenance()

        def work(progress: Any, _cancel: Any) -> Any:
            from scorecard_studio.engines.export.context import ReportProvenance
            from scorecard_studio.engines.export.report import report_context
            from scorecard_studio.qt.report_pdf import write_briefing_pdf

            progress(0.1)
            ctx = report_context(result, provenance=ReportProvenance.from_mapping(provenance))
            return ctx.period_label, write_briefing_pdf(ctx, path)

        self._run(
            "Writing the QBR briefing…",
            work,
            lambda done: self._status(
                f"Briefing written: {Path(path).name} ({done[0]}, {done[1]} pages)"
            ),
            failure_title="Cannot export the briefing",
        )

    def provenance(self) -> dict[str, Any]:
        """The open version's provenance when it is saved and unmodified; else nothing."""
        doc = self.document
        if doc.store_name is None or doc.base_version is None or doc.is_modified():
            return {}
        try:
            return dict(self._store().checkout(doc.store_name, doc.base_version).provenance())
        except ScorecardError:
            return {}

    def export_portable(self) -> None:
        doc = self.document
        if doc.store_name is None:
            self._warn("Share", "Save the scorecard as a version first; then it can be shared.")
            return
        default = Path(last_folder("export")) / f"{doc.store_name}.scorecard"
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Share as portable file", str(default), "Portable scorecard (*.scorecard)"
        )
        if not path:
            return
        try:
            self._store().export_scorecard(doc.store_name, path)
        except ScorecardError as exc:
            self._warn("Cannot share", str(exc))
            return
        self._status(f"Written {Path(path).name}")
