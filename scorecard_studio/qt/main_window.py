"""The designer window: workspaces picked from a mode bar, menus, toolbar and status bar.

The window owns one :class:`ScorecardDocument`; every view is a view of it. Instead of
every panel at once, each job has a workspace with the room it needs (Design, Data,
Targets, Dashboard, History, Governance, Report; see :mod:`scorecard_studio.qt.modes`),
switched from the mode bar or with Ctrl+1…; :meth:`MainWindow.register_workspace` adds
another in one call. The undo stack and the selected KPI are the window's, so they follow
the user from one workspace to the next. Opening, saving and exporting live in
:mod:`scorecard_studio.qt.workspace`, and the actions, menus and toolbar in
:mod:`scorecard_studio.qt.window_actions`, so this module only assembles the views.
"""

from __future__ import annotations

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
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from scorecard_studio.domain.errors import ScorecardError
from scorecard_studio.domain.governance import GovernanceView
from scorecard_studio.domain.model import IndicatorType
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.icons import app_icon
from scorecard_studio.qt.modes import SharedSlot, WorkspaceHost, splitter
from scorecard_studio.qt.settings import settings
from scorecard_studio.qt.tasks import BackgroundTask
from scorecard_studio.qt.widgets.bindings_view import BindingsView
from scorecard_studio.qt.widgets.data_panel import DataPanel
from scorecard_studio.qt.widgets.findings_panel import FindingsPanel
from scorecard_studio.qt.widgets.governance_panel import GovernancePanel
from scorecard_studio.qt.widgets.history_panel import HistoryPanel
from scorecard_studio.qt.widgets.properties_panel import PropertiesPanel
from scorecard_studio.qt.widgets.report_preview import ReportPreview
from scorecard_studio.qt.widgets.results_view import ResultsView
from scorecard_studio.qt.widgets.scorecard_editor import ScorecardEditor
from scorecard_studio.qt.widgets.start_page import StartPage
from scorecard_studio.qt.widgets.strategy_map import StrategyMap
from scorecard_studio.qt.widgets.targets_view import TargetsView
from scorecard_studio.qt.window_actions import WindowActions
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
    # Named anew when the strategy map joined it, so a saved two-pane layout is not applied.
    "design_map": (0.28, 0.44, 0.28),
    "design_side": (0.72, 0.28),
    "data": (0.30, 0.32, 0.38),
    "targets": (0.62, 0.38),
    "dashboard": (0.74, 0.26),
    "dashboard_indicators": (0.5, 0.5),
}


class MainWindow(WindowActions):
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
        self.findings = FindingsPanel(self.document, self.workspace.evidence)
        self.strategy_map = StrategyMap(self.document, self.workspace.evidence)
        self.data_panel = DataPanel(self.document)
        self.bindings = BindingsView(self.document)
        self.targets = TargetsView(self.document)
        self.results = ResultsView(self.document)
        self.leading = ResultsView(self.document, indicator=IndicatorType.LEADING)
        self.lagging = ResultsView(self.document, indicator=IndicatorType.LAGGING)
        self.history = HistoryPanel(self.workspace)
        self.governance = GovernancePanel(self.workspace)
        exports = self.workspace.exports
        self.report = ReportPreview(
            self.document,
            exports.stored_provenance,
            exports.stored_governance,
            evidence=self.workspace.evidence,
        )
        self.workspace.historyChanged.connect(self.governance.refresh)
        self.workspace.documentOpened.connect(self.governance.refresh)
        self.document.designChanged.connect(self.governance.ownership.fill)
        for reader in (self.targets.suggestions, self.findings):
            reader.governance = self._governance_view
            self.workspace.historyChanged.connect(reader.reload_governance)
            self.workspace.documentOpened.connect(reader.reload_governance)
        self.governance.changed.connect(self.findings.reload_governance)
        for changed in (self.workspace.historyChanged, self.workspace.documentOpened):
            changed.connect(self.report.reload_governance)
        self.governance.changed.connect(self.report.reload_governance)
        self.governance.changed.connect(self.targets.suggestions.reload_governance)
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
        self.report.exportReportRequested.connect(self.export_action.trigger)
        self.report.exportPdfRequested.connect(self.export_pdf_action.trigger)
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self._layout_restored = self._restore_layout()
        self._shown_once = False
        self.show_start_page(True)

    # --- construction -------------------------------------------------------------------

    def _build_workspaces(self) -> None:
        """Design, Data, Targets, Dashboard, History, Governance and Report, in the job's order."""
        horizontal, vertical = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
        self.design_tree_slot = SharedSlot()
        self.data_tree_slot = SharedSlot()
        self.design_tree_slot.take(self.editor)
        # Tree over findings, the strategy map beside them, then the properties.
        self.design_side = splitter("design_side", vertical, self.design_tree_slot, self.findings)
        design = splitter(
            "design_map", horizontal, self.design_side, self.strategy_map, self.properties
        )
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
        self.register_workspace("Report", self.report, icon_name="report")
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

    def _governance_view(self, name: str | None, number: int | None) -> GovernanceView | None:
        """The governance of stored version ``number`` of ``name`` (None: not saved yet, or
        unreadable). Reads the store: the findings and the suggestions call it off the UI
        thread, with the version they asked about when they asked."""
        if name is None or number is None:
            return None
        try:
            view: GovernanceView = self.workspace.store().governance(name, number)
        except ScorecardError:
            return None
        return view

    def _workspace_shown(self, _key: str) -> None:
        if self.central.currentWidget() is not self.rooms:
            self.central.setCurrentWidget(self.rooms)

    def _connect(self) -> None:
        doc = self.document
        # One selection for every workspace: the tree's, handed to each view that shows it.
        self.editor.selectionChanged.connect(self.properties.show_item)
        self.editor.selectionChanged.connect(self._follow_selection)
        self.strategy_map.itemChosen.connect(self.editor.select_item)
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
        sp.openRequested.connect(self.workspace.open_recent)
        sp.templateRequested.connect(self.workspace.open_template)
        sp.importRequested.connect(self.workspace.import_spreadsheet)
        sp.newRequested.connect(self.workspace.new_scorecard)
        sp.openDialogRequested.connect(self.workspace.choose_and_open)
        sp.sampleRequested.connect(self.workspace.open_sample)
        self.workspace.documentOpened.connect(self._hide_start_page)

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

    # --- the preview -------------------------------------------------------------------

    def _follow_selection(self, kind: str, item_id: str) -> None:
        """The tree's selection, shown in the views of the other workspaces."""
        if kind in ("kpi", "objective"):
            self.strategy_map.view.select_item(item_id)
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
                # pyqtgraph takes a few hundred milliseconds to import: here, not on the
                # UI thread when the first result arrives (it creates no Qt objects).
                importlib.import_module("scorecard_studio.qt.preview.chart_base")
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
