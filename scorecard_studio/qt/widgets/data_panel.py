"""The Data dock: imported sources and their typed columns, ready to drag onto the design.

A column dragged onto a perspective or objective in the Scorecard panel becomes a KPI bound
to it; "New KPI from column" (Enter, or the context menu) does the same from the keyboard.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scorecard_studio.domain.wording import count
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.icons import icon
from scorecard_studio.qt.models.scorecard_tree import column_mime

if TYPE_CHECKING:
    import pandas as pd

_ROLE = Qt.ItemDataRole.UserRole


def column_kind(series: pd.Series) -> str:
    """A short, user-facing name of a column's type."""
    import pandas as pd

    if pd.api.types.is_bool_dtype(series):
        return "yes/no"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    if pd.api.types.is_numeric_dtype(series):
        return "number"
    return "text"


class _ColumnTree(QTreeWidget):
    """A tree whose column items drag as scorecard column payloads."""

    def mimeData(self, items: Sequence[QTreeWidgetItem]) -> QMimeData:
        for item in items:
            payload = item.data(0, _ROLE)
            if payload:
                source_id, column = payload
                return column_mime(source_id, column)
        return QMimeData()

    def mimeTypes(self) -> list[str]:
        return ["application/x-scorecard-column"]


class DataPanel(QWidget):
    """Lists every source of the design with its columns, types and missing counts."""

    importRequested = Signal()
    #: "Refresh all sources": next month's files from a folder, through each profile.
    refreshRequested = Signal()
    #: (source id, column name): make a KPI of this column under the selected parent.
    createKpiRequested = Signal(str, str)

    def __init__(self, document: ScorecardDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.tree = _ColumnTree()
        self.tree.setObjectName("dataTree")
        self.tree.setHeaderLabels(["Source / column", "Type", "Missing"])
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.itemActivated.connect(lambda _item, _col: self.create_kpi_from_selected())
        self.new_kpi_action = QAction(icon("add-kpi"), "New KPI from column", self)
        self.new_kpi_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.new_kpi_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_kpi_action.triggered.connect(self.create_kpi_from_selected)
        self.addAction(self.new_kpi_action)
        import_button = QPushButton(icon("import"), "Import spreadsheet…")
        import_button.clicked.connect(self.importRequested)
        self.refresh_button = QPushButton(icon("import"), "Refresh all sources…")
        self.refresh_button.setObjectName("refreshSources")
        self.refresh_button.setToolTip(
            "Read every source's next file from a folder (found by its file pattern) and "
            "review what changed before the data is replaced"
        )
        self.refresh_button.clicked.connect(self.refreshRequested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(import_button)
        layout.addWidget(self.refresh_button)
        layout.addWidget(self.tree)
        document.tablesChanged.connect(self.refresh)
        document.designChanged.connect(self.refresh)
        self.refresh()

    def refresh(self, *_args: object) -> None:
        """Rebuild the list from the design's sources and the loaded tables."""
        chosen = self.selected_column()
        tops = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        expanded = {t.text(0) for t in tops if t is not None and t.isExpanded()}
        self.tree.clear()
        self.refresh_button.setEnabled(bool(self.document.card.sources))
        tables = self.document.tables
        for source in self.document.card.sources:
            frame = tables.get(source.id)
            rows = count(len(frame), "row") if frame is not None else "not loaded"
            top = QTreeWidgetItem([source.name, rows, ""])
            tip = f"{source.file or 'no file'}{f' › {source.sheet}' if source.sheet else ''}"
            if source.file_pattern:
                tip += f"\nrefreshed from the newest {source.file_pattern}"
            if source.tier_values:
                tip += f"\n{count(len(source.tier_values), 'tier value')} mapped"
            top.setToolTip(0, tip)
            top.setFlags(top.flags() & ~Qt.ItemFlag.ItemIsDragEnabled)
            self.tree.addTopLevelItem(top)
            names = list(frame.columns) if frame is not None else list(source.columns)
            for raw_name in names:
                name = str(raw_name)
                if frame is not None:
                    series = frame[name]
                    kind, missing = column_kind(series), f"{int(series.isna().sum()):,}"
                else:
                    kind, missing = "", ""
                child = QTreeWidgetItem([name, kind, missing])
                child.setData(0, _ROLE, (source.id, name))
                child.setToolTip(0, f"{name}: drag onto a perspective or objective to make a KPI")
                top.addChild(child)
                if chosen == (source.id, name):
                    self.tree.setCurrentItem(child)
            top.setExpanded(not expanded or source.name in expanded)
        for col in range(3):
            self.tree.resizeColumnToContents(col)
        # Long column names are elided (whole in the tooltip) so Type and Missing show.
        self.tree.setColumnWidth(0, min(self.tree.columnWidth(0), 180))

    def selected_column(self) -> tuple[str, str] | None:
        item = self.tree.currentItem()
        payload = item.data(0, _ROLE) if item is not None else None
        return (str(payload[0]), str(payload[1])) if payload else None

    def create_kpi_from_selected(self) -> None:
        chosen = self.selected_column()
        if chosen is not None:
            self.createKpiRequested.emit(*chosen)

    def _context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        self.new_kpi_action.setEnabled(self.selected_column() is not None)
        menu.addAction(self.new_kpi_action)
        menu.exec(self.tree.viewport().mapToGlobal(pos))
