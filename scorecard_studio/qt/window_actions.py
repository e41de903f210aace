"""The window's actions, menus and toolbar, and the small dialogs its menus open.

Split from :mod:`scorecard_studio.qt.main_window` so the window class reads as the
assembly of its views; this mixin only turns what the window already has (its workspace,
document, editor and views) into commands. It is a base of :class:`MainWindow`, which sets
the attributes declared below before it calls the ``_build_*`` methods.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMainWindow, QMenu, QMessageBox

from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.icons import Shortcut, icon
from scorecard_studio.qt.modes import WorkspaceHost
from scorecard_studio.qt.settings import author_name, set_author_name, suggested_author
from scorecard_studio.qt.source_refresh import SourceRefresher
from scorecard_studio.qt.widgets.data_panel import DataPanel
from scorecard_studio.qt.widgets.history_panel import HistoryPanel
from scorecard_studio.qt.widgets.scorecard_editor import ScorecardEditor
from scorecard_studio.qt.workspace import Workspace


class WindowActions(QMainWindow):
    """The menus and toolbar of the designer window, built over its views."""

    # Set by the window before its actions are built.
    document: ScorecardDocument
    workspace: Workspace
    editor: ScorecardEditor
    data_panel: DataPanel
    history: HistoryPanel
    rooms: WorkspaceHost
    workspace_menu: QMenu
    recent_menu: QMenu

    def show_start_page(self, show: bool) -> None:
        """The start page or the workspaces; the window decides how."""
        raise NotImplementedError

    def toggle_whatif(self, visible: bool) -> None:
        """Show or hide the what-if controls of the charts."""
        raise NotImplementedError

    def reset_layout(self) -> None:
        """Every workspace's panes back to their first-start sizes."""
        raise NotImplementedError

    def _action(
        self,
        text: str,
        icon_name: str,
        slot: Callable[[], object],
        shortcut: Shortcut | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(icon(icon_name), text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        # ``triggered`` carries the checked state (False); a slot with an optional first
        # parameter (``import_spreadsheet(path=None)``) would take it for its argument.
        action.triggered.connect(lambda _checked=False, run=slot: run())
        return action

    def _build_actions(self) -> None:
        ws = self.workspace
        key = QKeySequence.StandardKey
        self.new_action = self._action("&New scorecard", "new", ws.new_scorecard, key.New)
        self.open_action = self._action("&Open…", "open", ws.choose_and_open, key.Open)
        self.import_action = self._action(
            "&Import spreadsheet…",
            "import",
            ws.import_spreadsheet,
            QKeySequence("Ctrl+I"),
            "Read a workbook or CSV as a data source",
        )
        self.source_refresher = SourceRefresher(self.document, self, ws.status)
        self.refresh_sources_action = self._action(
            "&Refresh all sources…",
            "import",
            self.source_refresher.choose_folder,
            None,
            "Re-import every data source from a folder of new files, with a change report",
        )
        self.refresh_sources_action.setObjectName("refreshSourcesAction")
        self.data_panel.refreshRequested.connect(self.refresh_sources_action.trigger)
        self.save_action = self._action(
            "&Save version…", "save", ws.save_version, key.Save, "Save the design as a new version"
        )
        self.save_as_action = self._action(
            "Save design &as file…", "save", ws.save_design_as, key.SaveAs
        )
        self.export_action = self._action(
            "&Export QBR report…",
            "report",
            ws.exports.export_report,
            QKeySequence("Ctrl+E"),
            "Write the Excel QBR report of the current scores",
        )
        self.export_pdf_action = self._action(
            "Export QBR &briefing (PDF)…",
            "report",
            ws.exports.export_briefing_pdf,
            None,
            "Write the PDF briefing: summary, charts and KPI pages",
        )
        self.export_portable_action = self._action(
            "Share as portable file…", "export", ws.exports.export_portable
        )
        self.team_store_action = self._action(
            "&Team store…", "", ws.team.choose, None, "Where the team's shared store is"
        )
        self.sync_action = self._action(
            "S&ync with team store",
            "",
            ws.team.sync,
            None,
            "Send this computer's versions to the team store and receive the team's",
        )
        self.start_action = self._action(
            "Start page", "start", lambda: self.show_start_page(True), QKeySequence("Ctrl+Shift+H")
        )
        self.quit_action = self._action("&Quit", "", self.close, key.Quit)
        stack = self.document.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setIcon(icon("undo"))
        self.undo_action.setShortcut(key.Undo)
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setIcon(icon("redo"))
        self.redo_action.setShortcuts([QKeySequence(key.Redo), QKeySequence("Ctrl+Y")])
        self.freeze_action = self._action(
            "&Freeze version for a QBR…", "freeze", self.history.freeze_selected
        )
        self.check_action = self._action(
            "&Check design", "check", self.show_findings, QKeySequence("F7")
        )
        self.rename_action = self._action("&Rename scorecard…", "", ws.rename_scorecard)
        self.author_action = self._action("Your &name…", "", self.ask_author_name)
        self.whatif_action = QAction("&What-if controls", self)
        self.whatif_action.setCheckable(True)
        self.whatif_action.setShortcut(QKeySequence("Ctrl+Shift+W"))
        self.whatif_action.setEnabled(False)  # until the charts are ready
        self.whatif_action.toggled.connect(self.toggle_whatif)

    def show_evidence(self) -> None:
        """The Evidence view in a window of its own, created on first use and kept."""
        dialog = getattr(self, "_evidence_dialog", None)
        if dialog is None:
            from PySide6.QtWidgets import QDialog, QVBoxLayout

            from scorecard_studio.qt.widgets.evidence_view import EvidenceView

            dialog = QDialog(self)
            dialog.setWindowTitle("Evidence — account health, at-risk accounts, links")
            dialog.resize(1000, 700)
            layout = QVBoxLayout(dialog)
            dialog.evidence_view = EvidenceView(  # type: ignore[attr-defined]
                self.document, dialog, self.workspace.evidence
            )
            layout.addWidget(dialog.evidence_view)  # type: ignore[attr-defined]
            self._evidence_dialog = dialog
        dialog.show()
        dialog.raise_()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.new_action, self.open_action])
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addActions([self.import_action, self.refresh_sources_action])
        file_menu.addSeparator()
        file_menu.addActions([self.save_action, self.save_as_action])
        file_menu.addSeparator()
        file_menu.addActions(
            [self.export_action, self.export_pdf_action, self.export_portable_action]
        )
        file_menu.addSeparator()
        file_menu.addActions([self.team_store_action, self.sync_action])
        file_menu.addSeparator()
        file_menu.addActions([self.start_action, self.quit_action])

        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        e = self.editor
        edit_menu.addActions([e.add_perspective_action, e.add_objective_action, e.add_kpi_action])
        edit_menu.addAction(self.data_panel.new_kpi_action)
        edit_menu.addSeparator()
        edit_menu.addActions(
            [e.move_up_action, e.move_down_action, e.balance_action, e.delete_action]
        )

        card_menu = bar.addMenu("&Scorecard")
        card_menu.addActions([self.rename_action, self.author_action, self.check_action])
        card_menu.addSeparator()
        card_menu.addAction(self.freeze_action)
        card_menu.addAction(self.history.diff_action)
        card_menu.addAction(self.history.restore_action)
        card_menu.addSeparator()
        card_menu.addAction("&Evidence: health, at-risk, links…", self.show_evidence)

        view_menu = bar.addMenu("&View")
        self.workspace_menu = view_menu.addMenu("&Workspaces")
        for entry in self.rooms.entries.values():
            self.workspace_menu.addAction(entry.action)
        view_menu.addSeparator()
        view_menu.addAction(self.whatif_action)
        view_menu.addAction("Reset layout", self.reset_layout)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction("Keyboard shortcuts", self.show_shortcuts)
        help_menu.addAction("About Scorecard Studio", self.show_about)

    def _build_toolbar(self) -> None:
        bar = self.addToolBar("Main")
        bar.setObjectName("mainToolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.addActions([self.open_action, self.import_action, self.save_action])
        bar.addSeparator()
        bar.addActions([self.undo_action, self.redo_action])
        bar.addSeparator()
        bar.addActions([self.export_action, self.freeze_action])

    def ask_author_name(self) -> None:
        """The user's name for new versions and "Prepared by" (a local store; a team
        store names its database login)."""
        name, ok = QInputDialog.getText(
            self,
            "Your name",
            "Your name, as versions and reports will name you:",
            text=author_name() or suggested_author(),
        )
        if ok and name.strip():
            set_author_name(name)
            self.workspace.status(f"Versions and reports will name you “{author_name()}”")

    def show_findings(self) -> None:
        from scorecard_studio.domain.checks import check_design

        findings = check_design(self.document.card)
        if not findings:
            QMessageBox.information(self, "Check design", "The design has no findings.")
            return
        lines = [f"• {f.severity.value}: {f.item or 'scorecard'}: {f.message}" for f in findings]
        QMessageBox.warning(self, "Check design", "\n".join(lines[:40]))

    def show_shortcuts(self) -> None:
        actions = [
            a for a in self.findChildren(QAction) if not a.shortcut().isEmpty() and a.text().strip()
        ]
        rows = sorted({(a.text().replace("&", ""), a.shortcut().toString()) for a in actions})
        text = "\n".join(f"{key:<18} {name}" for name, key in rows)
        box = QMessageBox(self)
        box.setWindowTitle("Keyboard shortcuts")
        box.setText(f"<pre>{text}</pre>")
        box.exec()

    def show_about(self) -> None:
        from scorecard_studio import __version__

        QMessageBox.about(
            self,
            "About Scorecard Studio",
            f"<b>Scorecard Studio {__version__}</b><br>Customer balanced scorecards, "
            "versioned and exported as Excel QBR reports.",
        )

    def _fill_recent_menu(self) -> None:
        from scorecard_studio.qt.recent import recent_entries

        self.recent_menu.clear()
        for entry in recent_entries():
            if entry.exists:
                action = self.recent_menu.addAction(
                    entry.location, partial(self.workspace.open_recent, entry.location)
                )
                action.setStatusTip(entry.kind.value)
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("No recent files").setEnabled(False)
