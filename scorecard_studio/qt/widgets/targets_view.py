"""The Tier targets dock: the KPI × tier matrix with paste from Excel and fill down/right.

The keyboard works as in a spreadsheet: typing starts an edit, Tab / Shift+Tab commit and
move right / left (wrapping to the next / previous row), Enter / Shift+Enter commit and
move down / up, the arrows move between cells. Ctrl+V pastes a block copied from a
spreadsheet at the current cell, Ctrl+D fills down, Ctrl+R fills right, Delete clears the
selected overrides back to their inherited values; each is one undoable edit.

Beside the matrix, the selected KPI's suggested baseline and target per tier
(``target_suggestions``), each accepted only by a click.

Values are typed in the KPI's unit ("25" on a churn KPI is 25%). A text that is not a
value keeps its editor open, red, with the reason under the toolbar and at the cell, until
it is corrected or Esc drops it: an entry is never lost without a word.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QSizePolicy,
    QSplitter,
    QStyledItemDelegate,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.icons import Shortcut, icon
from scorecard_studio.qt.models.targets_matrix import TargetsMatrixModel
from scorecard_studio.qt.widgets.target_suggestions import TargetSuggestionsPanel
from scorecard_studio.qt.widgets.validating_delegate import ValidatingDelegate

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class _EnterMovesDelegate(ValidatingDelegate):
    """Enter in a cell editor commits and asks the table to move down (Shift+Enter: up).

    Qt's own delegate closes the editor on Enter and leaves the cursor where it was. A
    text the cell cannot take is held back with its reason (see ValidatingDelegate).
    """

    enterPressed = Signal(bool)  # True: move up

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if self.refused(editor, event):
            return True
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _ENTER_KEYS
            and isinstance(editor, QWidget)
        ):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self.enterPressed.emit(bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
            return True
        return QStyledItemDelegate.eventFilter(self, editor, event)


class TargetsTable(QTableView):
    """The matrix's table: Enter moves down (or up with Shift) like a spreadsheet's."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        delegate = _EnterMovesDelegate(self)
        delegate.enterPressed.connect(self._step)
        self.setItemDelegate(delegate)
        self.delegate = delegate

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _ENTER_KEYS and self.state() != QAbstractItemView.State.EditingState:
            self._step(bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
            return
        super().keyPressEvent(event)

    def _step(self, up: bool) -> None:
        action = (
            QAbstractItemView.CursorAction.MoveUp if up else QAbstractItemView.CursorAction.MoveDown
        )
        target = self.moveCursor(action, Qt.KeyboardModifier.NoModifier)
        if target.isValid():
            self.setCurrentIndex(target)

    def widen_to_fit(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        """Widen (never narrow) edited columns so a longer value is not elided."""
        for column in range(top_left.column(), bottom_right.column() + 1):
            wanted = self.sizeHintForColumn(column)
            if wanted > self.columnWidth(column):
                self.setColumnWidth(column, wanted)


class TargetsView(QWidget):
    """The targets matrix with its block-editing actions."""

    def __init__(self, document: ScorecardDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.model = TargetsMatrixModel(document)
        self.table = TargetsTable()
        self.table.setObjectName("targetsTable")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Columns are fitted once per design change, not on every paint (ResizeToContents
        # would ask every cell for its size on each repaint).
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.model.modelReset.connect(self.table.resizeColumnsToContents)
        self.model.columnsInserted.connect(self.table.resizeColumnsToContents)
        self.model.rowsInserted.connect(self.table.resizeColumnsToContents)
        self.model.dataChanged.connect(self.table.widen_to_fit)
        self.table.resizeColumnsToContents()
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
        self.message = QLabel()
        self.message.setObjectName("targetsMessage")
        self.message.setStyleSheet("color: #c62828;")
        self.message.setWordWrap(True)
        self.message.hide()
        self.table.delegate.invalidEntry.connect(self._show_problem)
        self.table.delegate.validEntry.connect(self.message.hide)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(bar)
        layout.addWidget(legend)
        layout.addWidget(self.message)
        self.suggestions = TargetSuggestionsPanel(document)
        self.table.selectionModel().currentChanged.connect(self._current_changed)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.suggestions)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        # A set minimum (not the table's wide hint), so the workspace keeps its own layout.
        self.suggestions.setMinimumSize(160, 60)
        layout.addWidget(split)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """The suggestions follow the KPI of the current row."""
        if current.isValid():
            self.suggestions.show_kpi(self.model.position(current)[0].kpi_id)

    def _show_problem(self, problem: str) -> None:
        self.message.setText(problem)
        self.message.show()
        self.document.errorRaised.emit(problem)

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
