"""Writing what leaves the app: the Excel QBR report and the portable ``.scorecard`` file.

The report is written in the background with progress; when the open design is a saved,
unmodified version, the report states that version's provenance so it can be produced again
from the store. A design opened from the store also brings that version's governance
(commentary, actions, escalations), read in the background as ``export --store`` reads it.
The provenance is read there too: it checks the version out, and a team store is a network
away; only which version it is for is decided on the UI thread, where the document lives.
Sharing writes the scorecard's whole history as one portable file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QMainWindow

from scorecard_studio.domain.errors import ScorecardError
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.evidence_source import compute_evidence
from scorecard_studio.qt.recent import add_recent_file
from scorecard_studio.qt.settings import author_name, last_folder, remember_folder

if TYPE_CHECKING:
    from scorecard_studio.domain.governance import GovernanceView
    from scorecard_studio.qt.evidence_source import EvidenceSource


def provenance_version(document: ScorecardDocument) -> tuple[str | None, int | None]:
    """The stored version a report of the open design states as its provenance: the one
    shown, if saved and unmodified (an edited design is no version's); else none."""
    if document.store_name is None or document.shown_version is None or document.is_modified():
        return None, None
    return document.store_name, document.shown_version


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
        #: The window's evidence, reused when it is current (else computed with the report).
        self.evidence: EvidenceSource | None = None

    def export_report(self) -> None:
        """The Excel QBR report (live formulas), written in the background."""
        chosen = self._target("Export QBR report", "xlsx", "Excel workbook (*.xlsx)")
        if chosen is None:
            return
        result, path = chosen
        stated = self._report_facts()

        def work(progress: Any, _cancel: Any) -> Any:
            from scorecard_studio.engines.export import export_report

            return export_report(result, path, **stated(progress))

        self._run(
            "Writing the QBR report…",
            work,
            lambda summary: self._status(f"Report written: {summary.path.name} ({summary.period})"),
            failure_title="Cannot export the report",
        )

    def export_briefing_pdf(self) -> None:
        """The PDF briefing, drawn by the app (Qt's PDF writer), in the background."""
        chosen = self._target("Export QBR briefing", "pdf", "PDF document (*.pdf)")
        if chosen is None:
            return
        result, path = chosen
        stated = self._report_facts()

        def work(progress: Any, _cancel: Any) -> Any:
            from scorecard_studio.engines.export.report import report_context
            from scorecard_studio.qt.report_pdf import write_briefing_pdf

            ctx = report_context(result, **stated(progress))
            return ctx.period_label, write_briefing_pdf(ctx, path)

        self._run(
            "Writing the QBR briefing…",
            work,
            lambda done: self._status(
                f"Briefing written: {Path(path).name} ({done[0]}, {done[1]} pages)"
            ),
            failure_title="Cannot export the briefing",
        )

    def _report_facts(self) -> Callable[[Callable[[float], None]], dict[str, Any]]:
        """What a report states beside the scores: provenance, governance, evidence, author.

        Which version, design and data they are for is taken here, on the UI thread where
        the document lives; the returned function reads the store and computes the
        evidence (unless the window's is current) in the export's background work.
        """
        version = provenance_version(self.document)
        stored = self.stored_version()
        card, tables = self.document.card, dict(self.document.tables)
        ready = self.evidence.current() if self.evidence is not None else None
        author = author_name() or None  # "Prepared by"; else the version's author

        def read(progress: Callable[[float], None]) -> dict[str, Any]:
            from scorecard_studio.engines.export.context import ReportProvenance

            progress(0.1)
            evidence = ready if ready is not None else compute_evidence(card, tables)
            progress(0.4)
            return {
                "provenance": ReportProvenance.from_mapping(self.stored_provenance(*version)),
                "governance": self.stored_governance(*stored),
                "evidence": evidence,
                "author": author,
            }

        return read

    def _target(self, title: str, suffix: str, kinds: str) -> tuple[Any, str] | None:
        """The scores and the file the user chose, or None (nothing to report, or the
        dialog was cancelled)."""
        result = self.document.result
        if result is None:
            self._warn(title, "There are no scores to report: import data first.")
            return None
        default = Path(last_folder("export")) / f"{self.document.card.name} QBR.{suffix}"
        path, _ = QFileDialog.getSaveFileName(self.window, title, str(default), kinds)
        if not path:
            return None
        remember_folder("export", path)
        return result, path

    def provenance(self) -> dict[str, Any]:
        """The open version's provenance when it is saved and unmodified; else nothing.

        Reads the store where it is called; the window reads it through
        :meth:`stored_provenance`, off the UI thread."""
        return self.stored_provenance(*provenance_version(self.document))

    def stored_provenance(self, name: str | None, number: int | None) -> dict[str, Any]:
        """The provenance of stored version ``number`` of ``name`` (None: nothing to state).
        Reads the store (it checks the version out): call it off the UI thread."""
        if name is None or number is None:
            return {}
        try:
            return dict(self._store().checkout(name, number).provenance())
        except ScorecardError:
            return {}

    def stored_version(self) -> tuple[str | None, int | None]:
        """The stored version the open design was opened from or saved as (read on the UI
        thread, where the document lives; the governance is then read in the background)."""
        return self.document.store_name, self.document.shown_version

    def stored_governance(self, name: str | None, number: int | None) -> GovernanceView | None:
        """The governance a report of that version states, or None for a design not in the
        store. Reads the store: call it off the UI thread. A frozen version gives only the
        entries written up to its freeze, as the CLI's report does; edits made since opening
        do not change whose commentary and actions these are, so they still apply."""
        if name is None or number is None:
            return None
        try:
            view: GovernanceView = self._store().governance_for_report(name, number)
        except ScorecardError:
            return None
        return view

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
        add_recent_file(path)
        self._status(f"Written {Path(path).name}")
