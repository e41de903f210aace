"""The Tier targets dock: the KPI × tier matrix with paste from Excel and fill down/right.

Ctrl+V pastes a block copied from a spreadsheet at the current cell, Ctrl+D fills down,
Ctrl+R fills right, Delete clears the selected overrides back to their inherited values;
each is one undoable edit.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QSizePolicy,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.icons import Shortcut, icon
from scorecard_studio.qt.models.targets_matrix import TargetsMatrixModel


class TargetsView(QWidget):
    """The targets matrix with its block-editing actions."""

    def __init__(self, document: ScorecardDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.model = TargetsMatrixModel(document)
        self.table = QTableView()
        self.table.setObjectName("targetsTable")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Columns are fitted once per design change, not on every paint (ResizeToContents
        # would ask every cell for its size on each repaint).
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.model.modelReset.connect(self.table.resizeColumnsToContents)
        self.table.horizontalHeader().setMinimumSectionSize(64)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

        self.paste_action = self._action("Paste block", "paste", QKeySequence.StandardKey.Paste)
        self.paste_action.triggered.connect(self.paste)
        self.fill_down_action = self._action("Fill down", "fill-down", QKeySequence("Ctrl+D"))
        self.fill_down_action.triggered.connect(lambda: self.fill("down"))
        self.fill_right_action = self._action("Fill right", "fill-right", QKeySequence("Ctrl+R"))
        self.fill_right_action.triggered.connect(lambda: self.fill("right"))
        self.clear_action = self._action("Clear", "delete", QKeySequence.StandardKey.Delete)
        self.clear_action.triggered.connect(self.clear_selection)

        self.period_action = QAction("Override a period…", self)
        self.period_action.setToolTip("Add a row of targets that apply to one period only")
        self.period_action.triggered.connect(self.add_period_override)
        bar = QToolBar()
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.addActions(
            [self.paste_action, self.fill_down_action, self.fill_right_action, self.period_action]
        )
        legend = QLabel("<b>bold</b>: set here · <i>grey italic</i>: inherited")
        legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(bar)
        layout.addWidget(legend)
        layout.addWidget(self.table)

    def _action(self, text: str, icon_name: str, key: Shortcut) -> QAction:
        action = QAction(icon(icon_name), text, self)
        action.setShortcut(key)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        return action

    def paste(self) -> None:
        current = self.table.currentIndex()
        text = QGuiApplication.clipboard().text()
        if current.isValid() and text:
            self.model.paste_block(current.row(), current.column(), text)

    def fill(self, direction: str) -> None:
        self.model.fill(self.table.selectionModel().selectedIndexes(), direction)

    def clear_selection(self) -> None:
        cells: list[tuple[int, int, float | None]] = [
            (i.row(), i.column(), None) for i in self.table.selectionModel().selectedIndexes()
        ]
        self.model.set_cells(cells, "Clear targets")

    def add_period_override(self) -> None:
        """Add a row of period-specific targets for the KPI of the current row."""
        current = self.table.currentIndex()
        if not current.isValid():
            self.document.errorRaised.emit("Select a KPI's row first, then override a period")
            return
        row, _, _ = self.model.position(current)
        result = self.document.result
        periods = list(result.period_labels) if result is not None else []
        box = QComboBox()
        box.addItems(periods)
        period, ok = QInputDialog.getItem(
            self, "Override a period", f"Period for {row.kpi_name}:", periods or [""], 0, True
        )
        if ok and period.strip():
            self.model.add_period_override(row.kpi_id, period.strip())
