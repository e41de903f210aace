""" "Refresh all sources": next month's files from a folder, each accepted before it is used.

The user picks a folder; each source's file is found there by its profile (the newest
match of its file pattern, else the file of the name it was imported from, see
:func:`scorecard_studio.engines.refresh.source_files`). The files are read off the UI
thread, with progress and Cancel, through the same profile ``store refresh`` uses; then each
source whose table changed shows its change report (:class:`ChangeReportDialog`), where the
user maps renamed columns and accepts or skips it. The accepted tables and the columns the
sources record replace the old ones in one undoable step: Undo puts the previous data and
design back.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from scorecard_studio.domain.model import Scorecard
from scorecard_studio.domain.wording import count
from scorecard_studio.qt.dialogs.change_report import ChangeReportDialog
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.tasks import BackgroundTask, run_with_progress

if TYPE_CHECKING:
    import pandas as pd


class RefreshCommand(QUndoCommand):
    """Replace tables and design together; undo restores both."""

    def __init__(
        self,
        document: ScorecardDocument,
        text: str,
        before: tuple[Scorecard, dict[str, pd.DataFrame]],
        after: tuple[Scorecard, dict[str, pd.DataFrame]],
    ) -> None:
        super().__init__(text)
        self._document, self._before, self._after = document, before, after

    def _put(self, state: tuple[Scorecard, dict[str, pd.DataFrame]]) -> None:
        card, tables = state
        self._document.set_tables(tables)
        self._document.set_card(card)

    def redo(self) -> None:
        self._put(self._after)

    def undo(self) -> None:
        self._put(self._before)


def ask(dialog: ChangeReportDialog) -> bool:
    """Show a change report and wait for the user's answer."""
    return dialog.exec() == QDialog.DialogCode.Accepted


class SourceRefresher:
    """Runs "Refresh all sources" for the window's document."""

    def __init__(
        self, document: ScorecardDocument, parent: QWidget, status: Callable[[str], None]
    ) -> None:
        self.document = document
        self.parent = parent
        self.status = status
        #: How a change report is answered; tests answer without a modal loop.
        self.confirm: Callable[[ChangeReportDialog], bool] = ask
        self.task: BackgroundTask | None = None

    def choose_folder(self) -> None:
        """Ask for the folder of the new files, then refresh from it."""
        if not self.document.card.sources:
            QMessageBox.information(
                self.parent, "Refresh all sources", "The scorecard has no data sources yet."
            )
            return
        folder = QFileDialog.getExistingDirectory(self.parent, "Folder of the new files")
        if folder:
            self.refresh_from(Path(folder))

    def refresh_from(self, folder: Path) -> BackgroundTask | None:
        """Find each source's file in ``folder`` and read them all off the UI thread."""
        from scorecard_studio.engines.refresh import read_tables, source_files

        card = self.document.card
        try:
            files = source_files(card, folder)
        except OSError as exc:
            QMessageBox.warning(self.parent, "Refresh all sources", f"{folder}: {exc.strerror}")
            return None
        if not files:
            expected = sorted({s.file_pattern or Path(s.file).name for s in card.sources})
            QMessageBox.warning(
                self.parent,
                "Refresh all sources",
                f"No file of the scorecard's sources is in {folder}.\n"
                f"Expected: {', '.join(e for e in expected if e) or 'none'}.",
            )
            return None
        absent = [s.name for s in card.sources if s.id not in files]

        def work(progress: Any, cancel: Any) -> Any:
            return read_tables(card, files, progress, cancel)

        def failed(message: str) -> None:
            QMessageBox.warning(self.parent, "Refresh all sources", message)

        self.task = run_with_progress(
            self.parent,
            f"Reading {count(len(files), 'file')}…",
            work,
            lambda tables: self.review_all(card, files, tables, absent),
            failed,
            lambda: self.status("Refresh cancelled; nothing was replaced"),
        )
        return self.task

    def review_all(
        self,
        card: Scorecard,
        files: dict[str, Path],
        tables: dict[str, pd.DataFrame],
        absent: list[str],
    ) -> None:
        """Show each changed source's report; replace the accepted ones in one step."""
        if self.document.card is not card:
            self.status("The design changed while the files were read; nothing was replaced")
            return
        before = self.document.tables
        accepted: dict[str, pd.DataFrame] = {}
        skipped: list[str] = []
        for source_id, frame in tables.items():
            source = card.source(source_id)
            old = before.get(source_id)
            if old is not None and old.equals(frame):
                continue  # the same table: nothing to replace, nothing to ask
            dialog = ChangeReportDialog(source, old, frame, files[source_id].name, self.parent)
            if self.confirm(dialog):
                accepted[source_id] = dialog.frame
            else:
                skipped.append(source.name)
            dialog.deleteLater()
        parts = []
        if accepted:
            from scorecard_studio.engines.refresh import refreshed_design

            names = ", ".join(card.source(s).name for s in accepted)
            self.document.undo_stack.push(
                RefreshCommand(
                    self.document,
                    f"Refresh {names}",
                    (card, dict(before)),
                    (refreshed_design(card, accepted), {**before, **accepted}),
                )
            )
            parts.append(f"refreshed {names}")
        if skipped:
            parts.append(f"skipped {', '.join(skipped)}")
        if absent:
            parts.append(f"no new file for {', '.join(absent)}")
        self.status("; ".join(parts).capitalize() if parts else "Every source is unchanged")
