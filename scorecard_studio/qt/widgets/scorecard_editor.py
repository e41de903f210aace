"""The Scorecard dock: the perspective → objective → KPI tree and every action on it.

Every drag has a keyboard and menu equivalent here: Move up/down (Ctrl+Shift+Up/Down),
"Move to" a perspective or objective, and "New KPI from column" in the Data dock. "Retire
KPI…" takes a KPI out of the design with a reason (``domain/retirement``). All of them are
undoable edits of the document.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from scorecard_studio.domain import edits
from scorecard_studio.domain.model import Aggregation, Measure, Scorecard
from scorecard_studio.domain.retirement import retire_kpi
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.icons import Shortcut, icon
from scorecard_studio.qt.models.scorecard_tree import ScorecardTreeModel
from scorecard_studio.qt.widgets.link_to import LINK_TO_SHORTCUT, LINK_TO_TEXT, ask_and_link
from scorecard_studio.qt.widgets.validating_delegate import ValidatingDelegate


class ScorecardEditor(QWidget):
    """Tree view of the design with add, delete, move, balance and in-place weight edits."""

    #: (kind, id) of the selected item, or ("", "") when nothing is selected.
    selectionChanged = Signal(str, str)

    def __init__(self, document: ScorecardDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.model = ScorecardTreeModel(document)
        self.view = QTreeView()
        self.view.setObjectName("scorecardTree")
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setUniformRowHeights(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        # A name left empty or a weight of "abc" or "-1" keeps its editor open with the
        # reason, above the tree and at the cell, instead of snapping back without a word.
        self.delegate = ValidatingDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.message = QLabel()
        self.message.setObjectName("treeMessage")
        self.message.setStyleSheet("color: #c62828;")
        self.message.setWordWrap(True)
        self.message.hide()
        self.delegate.invalidEntry.connect(self._show_problem)
        self.delegate.validEntry.connect(self.message.hide)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)

        header.sectionResized.connect(lambda *_args: self._fit_minimum_width())

        self._selected: tuple[str, str] = ("", "")
        self.model.modelReset.connect(self._after_reset)
        self.view.selectionModel().currentChanged.connect(self._current_changed)

        self._build_actions()
        bar = QToolBar()
        bar.setIconSize(bar.iconSize() * 0.75)
        for action in (
            self.add_perspective_action,
            self.add_objective_action,
            self.add_kpi_action,
            self.delete_action,
            self.move_up_action,
            self.move_down_action,
            self.balance_action,
        ):
            bar.addAction(action)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.view)
        self.view.expandAll()
        self._update_actions()

    def name_column_minimum(self) -> int:
        """The least width of the Name column: "Name" and eight letters beyond the indent of
        a KPI under an objective, so names stay readable (not "Nan") in a narrow window."""
        metrics = self.view.fontMetrics()
        text = metrics.horizontalAdvance("Name") + 8 * metrics.averageCharWidth()
        return text + 2 * self.view.indentation()

    def _fit_minimum_width(self) -> None:
        """The tree asks for room for its Name column at its least and the other columns
        at their contents' width; a splitter then cannot squeeze it below that."""
        header = self.view.header()
        others = sum(header.sectionSize(c) for c in range(1, header.count()))
        frame = 2 * self.view.frameWidth() + self.view.verticalScrollBar().sizeHint().width()
        width = self.name_column_minimum() + others + frame
        if width != self.view.minimumWidth():
            self.view.setMinimumWidth(width)

    def _show_problem(self, problem: str) -> None:
        self.message.setText(problem)
        self.message.show()
        self.document.errorRaised.emit(problem)

    # --- actions ------------------------------------------------------------------------

    def _action(
        self, text: str, icon_name: str, slot: object, shortcut: Shortcut | None = None
    ) -> QAction:
        action = QAction(icon(icon_name), text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.add_perspective_action = self._action(
            "Add perspective", "add-perspective", self.add_perspective
        )
        self.add_objective_action = self._action(
            "Add objective", "add-objective", self.add_objective
        )
        self.add_kpi_action = self._action(
            "Add KPI", "add-kpi", self.add_kpi, QKeySequence("Ctrl+Shift+K")
        )
        self.delete_action = self._action(
            "Delete", "delete", self.delete_selected, QKeySequence.StandardKey.Delete
        )
        self.move_up_action = self._action(
            "Move up", "move-up", lambda: self.shift_selected(-1), QKeySequence("Ctrl+Shift+Up")
        )
        self.move_down_action = self._action(
            "Move down",
            "move-down",
            lambda: self.shift_selected(1),
            QKeySequence("Ctrl+Shift+Down"),
        )
        self.balance_action = self._action(
            "Balance siblings", "balance", self.balance_selected, QKeySequence("Ctrl+B")
        )
        self.balance_action.setToolTip("Give the selected item and its siblings equal weights")
        self.link_to_action = self._action(
            LINK_TO_TEXT, "", self.link_selected_to, LINK_TO_SHORTCUT
        )
        self.link_to_action.setToolTip("State a strategy-map link from this item to another")
        self.retire_action = self._action("Retire KPI…", "delete", self.retire_selected)
        self.retire_action.setToolTip(
            "Take the KPI out of the design with a reason; its history and trend stay"
        )

    def _update_actions(self) -> None:
        kind, _ = self._selected
        self.add_objective_action.setEnabled(bool(kind))
        self.add_kpi_action.setEnabled(bool(kind) or bool(self.document.card.perspectives))
        for action in (
            self.delete_action,
            self.move_up_action,
            self.move_down_action,
            self.balance_action,
        ):
            action.setEnabled(bool(kind))
        self.retire_action.setEnabled(kind == "kpi")
        self.link_to_action.setEnabled(kind in ("kpi", "objective"))

    # --- selection ----------------------------------------------------------------------

    @property
    def selected(self) -> tuple[str, str]:
        return self._selected

    def select_item(self, item_id: str) -> None:
        """Select (and reveal) the item with this id, e.g. after a click in a chart."""
        index = self.model.index_of(item_id)
        if index.isValid():
            self.view.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.view.scrollTo(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        node = self.model.node(current)
        self._selected = (node.kind, node.id) if node is not None else ("", "")
        self._update_actions()
        self.selectionChanged.emit(*self._selected)

    def _after_reset(self) -> None:
        """Adding, moving or deleting items rebuilds the model: keep the tree open and the
        selection."""
        self.view.expandAll()
        _, item_id = self._selected
        if item_id and self.model.index_of(item_id).isValid():
            self.select_item(item_id)
        else:
            self._selected = ("", "")
            self._update_actions()
            self.selectionChanged.emit("", "")

    # --- edits --------------------------------------------------------------------------

    def _parent_for_new_kpi(self) -> str | None:
        kind, item_id = self._selected
        card = self.document.card
        if kind in ("perspective", "objective"):
            return item_id
        if kind == "kpi":
            pi, oi, _ = edits.locate_kpi(card, item_id)
            p = card.perspectives[pi]
            return p.id if oi is None else p.objectives[oi].id
        return card.perspectives[0].id if card.perspectives else None

    def add_perspective(self) -> None:
        name, ok = QInputDialog.getText(self, "Add perspective", "Name of the new perspective:")
        if ok and name.strip():
            self._add(
                lambda c: edits.add_perspective(c, name.strip()),
                f"Add perspective '{name.strip()}'",
            )

    def add_objective(self) -> None:
        kind, item_id = self._selected
        card = self.document.card
        if kind == "objective":
            item_id = card.perspectives[edits.locate_objective(card, item_id)[0]].id
        elif kind == "kpi":
            item_id = card.perspectives[edits.locate_kpi(card, item_id)[0]].id
        if not item_id:
            return
        name, ok = QInputDialog.getText(self, "Add objective", "Name of the new objective:")
        if ok and name.strip():
            self._add(
                lambda c: edits.add_objective(c, item_id, name.strip()),
                f"Add objective '{name.strip()}'",
            )

    def add_kpi(self) -> None:
        parent_id = self._parent_for_new_kpi()
        if parent_id is None:
            return
        name, ok = QInputDialog.getText(self, "Add KPI", "Name of the new KPI:")
        if ok and name.strip():
            measure = Measure(Aggregation.SUM)
            self._add(
                lambda c: edits.add_kpi(c, parent_id, name.strip(), measure),
                f"Add KPI '{name.strip()}'",
            )

    def add_kpi_from_column(self, source_id: str, column: str) -> None:
        """Keyboard/menu equivalent of dropping a data column on the selected parent."""
        parent_id = self._parent_for_new_kpi()
        if parent_id is None:
            self.document.errorRaised.emit("Add a perspective first, then add KPIs to it")
            return
        measure = Measure(Aggregation.SUM, source=source_id, column=column)
        self._add(lambda c: edits.add_kpi(c, parent_id, column, measure), f"Add KPI '{column}'")

    def _add(self, change: object, text: str) -> None:
        created: list[str] = []

        def apply(card: Scorecard) -> Scorecard:
            after, new_id = change(card)  # type: ignore[operator]
            created.append(new_id)
            return after  # type: ignore[no-any-return]

        if self.document.edit(text, apply) and created:
            self.select_item(created[0])

    def _label(self, item_id: str) -> str:
        """The item as the undo history names it ("KPI 'Net revenue retention'")."""
        return edits.item_label(self.document.card, item_id)

    def delete_selected(self) -> None:
        kind, item_id = self._selected
        if kind:
            self.document.edit(f"Delete {self._label(item_id)}", edits.remove_item, item_id)

    def link_selected_to(self) -> bool:
        """*Link to…*: a strategy-map link from the selected KPI or objective."""
        kind, item_id = self._selected
        if kind not in ("kpi", "objective"):
            return False
        return ask_and_link(self, self.document, item_id)

    def retire_selected(self, reason: str | None = None) -> bool:
        """Retire the selected KPI, asking for the reason unless one is given (tests)."""
        kind, item_id = self._selected
        if kind != "kpi":
            return False
        label = self._label(item_id)
        if reason is None:
            reason, ok = QInputDialog.getText(
                self, "Retire KPI", f"Why is {label} retired? (kept in the history and the diff)"
            )
            if not ok:
                return False
        today = date.today().isoformat()
        return self.document.edit(f"Retire {label}", retire_kpi, item_id, reason, today)

    def shift_selected(self, delta: int) -> None:
        kind, item_id = self._selected
        if kind:
            where = "up" if delta < 0 else "down"
            self.document.edit(
                f"Move {self._label(item_id)} {where}", edits.shift_item, item_id, delta
            )

    def balance_selected(self) -> None:
        kind, item_id = self._selected
        if kind:
            self.document.edit(
                f"Balance {self._label(item_id)} and its siblings", edits.balance_siblings, item_id
            )

    def move_selected_to(self, parent_id: str) -> None:
        kind, item_id = self._selected
        if kind not in ("kpi", "objective"):
            return
        text = f"Move {self._label(item_id)} to {self._label(parent_id)}"
        if kind == "kpi":
            self.document.edit(text, edits.move_kpi, item_id, parent_id, None)
        else:
            self.document.edit(text, edits.move_objective, item_id, parent_id, None)

    # --- context menu -------------------------------------------------------------------

    def move_targets(self) -> list[tuple[str, str]]:
        """(label, id) of the places the selected item can move to ("Move to" menu)."""
        kind, item_id = self._selected
        card = self.document.card
        places: list[tuple[str, str]] = []
        for p in card.perspectives:
            if kind in ("kpi", "objective"):
                places.append((p.name, p.id))
            if kind == "kpi":
                places.extend((f"{p.name} › {o.name}", o.id) for o in p.objectives)
        return [(label, pid) for label, pid in places if pid != item_id]

    def _context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for action in (self.add_perspective_action, self.add_objective_action, self.add_kpi_action):
            menu.addAction(action)
        menu.addSeparator()
        targets = self.move_targets()
        if targets:
            move_menu = menu.addMenu("Move to")
            for label, pid in targets:
                move_menu.addAction(label, partial(self.move_selected_to, pid))
        for action in (
            self.move_up_action,
            self.move_down_action,
            self.balance_action,
            self.delete_action,
            self.retire_action,
            self.link_to_action,
        ):
            menu.addAction(action)
        menu.exec(self.view.viewport().mapToGlobal(pos))
