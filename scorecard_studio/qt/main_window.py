"""The designer window: workspaces picked from a mode bar, menus, toolbar and status bar.

The window owns one :class:`ScorecardDocument`; every view is a view of it. Instead of
every panel at once, each job has a workspace with the room it needs (Design, Data,
Targets, Dashboard, History; see :mod:`scorecard_studio.qt.modes`), switched from the mode
bar or with Ctrl+1…; :meth:`MainWindow.register_workspace` adds another in one call. The
undo stack and the selected KPI are the window's, so they follow the user from one
workspace to the next. Opening, saving and exporting live in
:mod:`scorecard_studio.qt.workspace`, so this module only wires widgets and actions together.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from scorecard_studio.domain.model import IndicatorType
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.icons import Shortcut, app_icon, icon
from scorecard_studio.qt.modes import SharedSlot, WorkspaceHost, splitter
from scorecard_studio.qt.settings import settings
from scorecard_studio.qt.tasks import BackgroundTask
from scorecard_studio.qt.widgets.bindings_view import BindingsView
from scorecard_studio.qt.widgets.data_panel import DataPanel
from scorecard_studio.qt.widgets.findings_panel import FindingsPanel
from scorecard_studio.qt.widgets.governance_panel import GovernancePanel
from scorecard_studio.qt.widgets.history_panel import HistoryPanel
from scorecard_studio.qt.widgets.properties_panel import PropertiesPanel
from scorecard_studio.qt.widgets.results_view import ResultsView
from scorecard_studio.qt.widgets.scorecard_editor import ScorecardEditor
from scorecard_studio.qt.widgets.start_page import StartPage
from scorecard_studio.qt.widgets.targets_view import TargetsView
from scorecard_studio.qt.workspace import Workspace

#: Bumped when the window's toolbars change incompatibly, so an old saved state is ignored.
LAYOUT_VERSION = 3
OPENABLE_SUFFIXES = (".json", ".scorecard")
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt")
#: The size of a first start, before it is fitted to the screen.
DEFAULT_SIZE = (1440, 900)
#: The dashboard's charts and indicator tables need this height to be read; a shorter
#: window scrolls them.
DASHBOARD_MIN_HEIGHT = 820
#: Default pane sizes of each workspace's splitters, as proportions of their length.
DEFAULT_SPLITS: dict[str, tuple[float, ...]] = {
    "design": (0.45, 0.55),
    "design_side": (0.72, 0.28),
    "data": (0.30, 0.32, 0.38),
    "targets": (0.62, 0.38),
    "dashboard": (0.74, 0.26),
    "dashboard_indicators": (0.5, 0.5),
}


class MainWindow(QMainWindow):
    """The whole designer; every failure becomes a message, never a crash."""

    def __init__(self, store_path: str | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Scorecard Studio")
        self.setWindowIcon(app_icon())
        self.resize(*DEFAULT_SIZE)
        self.setAcceptDrops(True)
        self.document = ScorecardDocument(self)
        self.workspace = Workspace(self, self.document, store_path)

        self.editor = ScorecardEditor(self.document)
        self.properties = PropertiesPanel(self.document)
        self.findings = FindingsPanel(self.document)
        self.data_panel = DataPanel(self.document)
        self.bindings = BindingsView(self.document)
        self.targets = TargetsView(self.document)
        self.results = ResultsView(self.document)
        self.leading = ResultsView(self.document, indicator=IndicatorType.LEADING)
        self.lagging = ResultsView(self.document, indicator=IndicatorType.LAGGING)
        self.history = HistoryPanel(self.workspace)
        self.governance = GovernancePanel(self.workspace)
        self.workspace.historyChanged.connect(self.governance.refresh)
        self.workspace.documentOpened.connect(self.governance.refresh)
        self.workspace.historyChanged.connect(self.history.refresh)
        self.workspace.documentOpened.connect(self.history.refresh)
        # The charts (pyqtgraph, numpy) are built once their modules have been imported in
        # the background, after the first paint; the results matrix stands in until then.
        self.preview: QWidget = ResultsView(self.document)
        self.start_page = StartPage()

        self.rooms = WorkspaceHost(self)
        self.rooms.shown.connect(self._workspace_shown)
        self._build_workspaces()
        self.central = QStackedWidget()
        self.central.addWidget(self.start_page)
        self.central.addWidget(self.rooms)
        self.setCentralWidget(self.central)
        self.addToolBar(Qt.ToolBarArea.LeftToolBarArea, self.rooms.bar)

        self._connect()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self._layout_restored = self._restore_layout()
        self._shown_once = False
        self.show_start_page(True)

    # --- construction -------------------------------------------------------------------

    def _build_workspaces(self) -> None:
        """Design, Data, Targets, Dashboard and History, in the order of the job."""
        horizontal, vertical = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
        self.design_tree_slot = SharedSlot()
        self.data_tree_slot = SharedSlot()
        self.design_tree_slot.take(self.editor)
        # Tree over findings, properties beside them; a strategy map can be added to the
        # "design" splitter as a third pane.
        self.design_side = splitter("design_side", vertical, self.design_tree_slot, self.findings)
        design = splitter("design", horizontal, self.design_side, self.properties)
        data = splitter("data", horizontal, self.data_panel, self.data_tree_slot, self.bindings)
        targets = splitter("targets", vertical, self.targets, self.results)
        self.preview_slot = SharedSlot()
        self.preview_slot.take(self.preview)
        indicators = splitter("dashboard_indicators", horizontal, self.leading, self.lagging)
        charts = splitter("dashboard", vertical, self.preview_slot, indicators)
        # Below this height the charts scroll rather than shrink to stubs.
        charts.setMinimumHeight(DASHBOARD_MIN_HEIGHT)
        dashboard = QScrollArea()
        dashboard.setWidgetResizable(True)
        dashboard.setFrameShape(QFrame.Shape.NoFrame)
        dashboard.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        dashboard.setWidget(charts)
        self.register_workspace("Design", design, icon_name="add-perspective")
        self.register_workspace("Data", data, icon_name="import")
        self.register_workspace("Targets", targets, icon_name="fill-down")
        self.register_workspace("Dashboard", dashboard, icon_name="chart")
        self.register_workspace("History", self.history, icon_name="history")
        # Scrolls rather than widening the window past a small screen.
        governance = QScrollArea()
        governance.setWidgetResizable(True)
        governance.setFrameShape(QFrame.Shape.NoFrame)
        governance.setWidget(self.governance)
        self.register_workspace("Governance", governance, icon_name="freeze")
        self.rooms.on_show("governance", self.governance.refresh)
        self.rooms.on_show("design", lambda: self.design_tree_slot.take(self.editor))
        self.rooms.on_show("data", lambda: self.data_tree_slot.take(self.editor))

    def register_workspace(
        self,
        name: str,
        widget: QWidget,
        shortcut: str | QKeySequence | None = None,
        icon_name: str = "",
    ) -> QAction:
        """Add a workspace to the mode bar and the View menu; the n-th gets Ctrl+n.

        Its splitters with an object name are remembered between runs. Returns the
        action that shows it (checked while it is on screen).
        """
        action = self.rooms.register(name, widget, shortcut, icon_name)
        menu = getattr(self, "workspace_menu", None)
        if menu is not None:
            menu.addAction(action)
        return action

    def show_workspace(self, key: str) -> None:
        """Show a workspace by key ("design", "data", "targets", "dashboard", "history", …)."""
        self.rooms.show_workspace(key)

    def _workspace_shown(self, _key: str) -> None:
        if self.central.currentWidget() is not self.rooms:
            self.central.setCurrentWidget(self.rooms)

    def _connect(self) -> None:
        doc = self.document
        # One selection for every workspace: the tree's, handed to each view that shows it.
        self.editor.selectionChanged.connect(self.properties.show_item)
        self.editor.selectionChanged.connect(self._follow_selection)
        self.bindings.kpiChosen.connect(self.editor.select_item)
        self.findings.itemChosen.connect(self._finding_chosen)
        self.data_panel.createKpiRequested.connect(self.editor.add_kpi_from_column)
        self.data_panel.importRequested.connect(self.workspace.import_spreadsheet)
        doc.errorRaised.connect(self.show_error)
        doc.resultChanged.connect(self._update_headline)
        doc.loadingChanged.connect(self._update_headline)
        doc.designChanged.connect(self._update_title)
        doc.undo_stack.cleanChanged.connect(self._update_title)
        sp = self.start_page
        sp.openRequested.connect(self.workspace.open_path)
        sp.templateRequested.connect(self.workspace.open_template)
        sp.importRequested.connect(self.workspace.import_spreadsheet)
        sp.newRequested.connect(self.workspace.new_scorecard)
        sp.openDialogRequested.connect(self.workspace.choose_and_open)
        sp.sampleRequested.connect(self.workspace.open_sample)
        self.workspace.documentOpened.connect(self._hide_start_page)

    def _action(
        self,
        text: str,
        icon_name: str,
        slot: object,
        shortcut: Shortcut | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(icon(icon_name), text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
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
            dialog.evidence_view = EvidenceView(self.document, dialog)  # type: ignore[attr-defined]
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
        file_menu.addAction(self.import_action)
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
        card_menu.addActions([self.rename_action, self.check_action])
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

    def _build_status_bar(self) -> None:
        self.headline_label = QLabel()
        self.headline_label.setObjectName("statusHeadline")
        self.statusBar().addPermanentWidget(self.headline_label)

    # --- layout -------------------------------------------------------------------------

    def _restore_layout(self) -> bool:
        s = settings()
        geometry = s.value("window/geometry")
        state = s.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        self.clamp_to_screen()
        self.rooms.restore_current()
        restored = isinstance(state, QByteArray) and self.restoreState(state, LAYOUT_VERSION)
        return restored and s.value("workspaces/current") is not None

    def clamp_to_screen(self) -> None:
        """Fit the window inside the screen's free area (at 2× a 1440 × 900 window would not)."""
        screen = self.screen()
        if screen is None:
            return
        free = screen.availableGeometry()
        frame = self.frameGeometry().size() - self.geometry().size()
        width = min(self.width(), free.width() - frame.width())
        height = min(self.height(), free.height() - frame.height())
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        x = min(max(self.x(), free.left()), free.right() - width - frame.width() + 1)
        y = min(max(self.y(), free.top()), free.bottom() - height - frame.height() + 1)
        if (x, y) != (self.x(), self.y()):
            self.move(max(x, free.left()), max(y, free.top()))

    def _default_sizes(self) -> None:
        """Pane sizes of a first start (they only apply once the window has a size)."""
        for entry in self.rooms.entries.values():
            for split in [entry.widget, *entry.widget.findChildren(QSplitter)]:
                shares = DEFAULT_SPLITS.get(split.objectName())
                if not isinstance(split, QSplitter) or shares is None:
                    continue
                # Qt scales sizes that do not add up to the splitter's length, so shares of
                # any total do, whether the workspace has been laid out yet or not.
                split.setSizes([round(10000 * share) for share in shares])

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self.clamp_to_screen()
            QTimer.singleShot(0, self._prepare_preview)
            if not self._layout_restored:
                QTimer.singleShot(0, self._default_sizes)

    def save_layout(self) -> None:
        s = settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState(LAYOUT_VERSION))
        self.rooms.save_layout()

    def reset_layout(self) -> None:
        """Every workspace's panes back to their first-start sizes."""
        self.rooms.bar.show()
        self._default_sizes()

    def _hide_start_page(self) -> None:
        self.show_start_page(False)

    def show_start_page(self, show: bool) -> None:
        if show:
            self.start_page.refresh()
        self.central.setCurrentWidget(self.start_page if show else self.rooms)

    # --- feedback -----------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)

    def _update_title(self, *_args: object) -> None:
        name = self.document.card.name
        where = self.workspace.location_label()
        self.setWindowTitle(f"{name}[*]{where} — Scorecard Studio")
        self.setWindowModified(self.document.is_modified())

    def _update_headline(self, *_args: object) -> None:
        r = self.document.result
        if r is None or not r.period_labels:
            self.headline_label.setText(
                "Reading data…" if self.document.loading else "No results yet"
            )
            return
        p = len(r.period_labels) - 1
        score = float(r.rollup.headline[p])
        text = "—" if score != score else f"{score:.2f}"  # noqa: PLR0124 - NaN test
        self.headline_label.setText(f"Headline {r.period_labels[p]}: {text}")

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
        from scorecard_studio.qt.settings import recent_files

        self.recent_menu.clear()
        for path in recent_files():
            self.recent_menu.addAction(path, partial(self.workspace.open_path, path))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("No recent files").setEnabled(False)

    # --- the preview -------------------------------------------------------------------

    def _follow_selection(self, kind: str, item_id: str) -> None:
        """The tree's selection, shown in the views of the other workspaces."""
        if kind == "kpi":
            self.bindings.select_kpi(item_id)
            self.governance.show_kpi(item_id)

    def _finding_chosen(self, item_id: str) -> None:
        self.editor.select_item(item_id)

    def _highlight_in_charts(self, kind: str, item_id: str) -> None:
        select = getattr(self.preview, "select_kpi", None)
        if kind == "kpi" and select is not None:
            select(item_id)

    def _period_shown(self) -> None:
        """The dashboard's leading and lagging tables follow its period picker."""
        box = getattr(self.preview, "period_box", None)
        if box is not None:
            for view in (self.leading, self.lagging):
                view.set_period_label(box.currentText())

    def _whatif_shown(self, visible: bool) -> None:
        """Keep View › What-if checked as the panel's own button shows or hides it."""
        if self.whatif_action.isChecked() != visible:
            self.whatif_action.blockSignals(True)
            self.whatif_action.setChecked(visible)
            self.whatif_action.blockSignals(False)

    def toggle_whatif(self, visible: bool) -> None:
        show = getattr(self.preview, "show_whatif", None)
        if show is not None:
            show(visible)

    def _prepare_preview(self) -> None:
        """Import the chart and engine modules off the UI thread, then build the charts."""

        def warm_up(_progress: object, _cancel: object) -> bool:
            import importlib

            try:
                importlib.import_module("scorecard_studio.qt.preview")
            except ImportError:
                return False
            importlib.import_module("scorecard_studio.engines.scoring")
            return True

        task = BackgroundTask(warm_up, self)
        task.succeeded.connect(self._install_preview)
        task.start()
        self._preview_task = task

    def _install_preview(self, available: bool) -> None:
        from scorecard_studio.qt import preview as preview_package

        panel_class = getattr(preview_package, "PreviewPanel", None) if available else None
        if panel_class is None:
            return
        old = self.preview
        self.preview = panel_class(self.document)
        self.preview_slot.take(self.preview)
        self.preview.kpiActivated.connect(self.editor.select_item)  # type: ignore[attr-defined]
        self.editor.selectionChanged.connect(self._highlight_in_charts)
        self.whatif_action.setEnabled(True)
        toggled = getattr(self.preview, "whatifToggled", None)
        if toggled is not None:
            toggled.connect(self._whatif_shown)
        self.preview.state.filterChanged.connect(self._period_shown)  # type: ignore[attr-defined]
        self.preview.state.frameChanged.connect(self._period_shown)  # type: ignore[attr-defined]
        kind, item_id = self.editor.selected
        self._highlight_in_charts(kind, item_id)
        self.rooms.restore_layout("dashboard")
        old.setParent(None)
        old.deleteLater()

    # --- events -------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls()
        if not urls:
            return
        path = urls[0].toLocalFile()
        event.acceptProposedAction()
        # Leave the drop handler first: a modal wizard inside it would block the drag source.
        if path.lower().endswith(SPREADSHEET_SUFFIXES):
            QTimer.singleShot(0, lambda: self.workspace.import_spreadsheet(path))
        else:
            QTimer.singleShot(0, lambda: self.workspace.open_path(path))

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.workspace.confirm_discard("quitting"):
            event.ignore()
            return
        self.workspace.shutdown()
        self.save_layout()
        event.accept()
