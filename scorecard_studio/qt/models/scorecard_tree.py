"""The scorecard tree (perspectives → objectives → KPIs) as a Qt item model.

The model is a read-only view of the document's immutable design. A design change that
keeps the tree's shape (a rename, a weight, a target, a measure) updates the rows in place
and announces them with ``dataChanged``, so the selection, the expanded branches, the scroll
position and an open editor survive it; only adding, deleting or moving items rebuilds the
tree. Every change it makes (renaming in place, weights, drag and drop) goes through the
document as an undoable edit. Under a perspective, its direct KPIs come first and then its
objectives, the same order the engine and the reports use.

Drags carry JSON in two MIME types: ``ITEM_MIME`` for tree items (perspective, objective,
KPI) and ``COLUMN_MIME`` for data columns dragged from the Data dock; dropping a column on
a perspective or objective creates a KPI bound to it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from scorecard_studio.domain import edits
from scorecard_studio.domain.errors import DesignError
from scorecard_studio.domain.model import Aggregation, Measure, Scorecard
from scorecard_studio.qt.document import ScorecardDocument

ITEM_MIME = "application/x-scorecard-item"
COLUMN_MIME = "application/x-scorecard-column"

COLUMNS = ("Name", "Weight", "Siblings", "Headline")
COLUMN_TIPS = (
    "Perspective, objective or KPI",
    "Weight among its siblings (edit in place)",
    "Share of its siblings' total weight",
    "Effective share of the headline score",
)
ItemIndex = QModelIndex | QPersistentModelIndex


@dataclass(eq=False)
class Node:
    """One row of the tree; ``kind`` is "perspective", "objective" or "kpi"."""

    kind: str
    id: str
    name: str
    weight: float
    parent: Node | None
    row: int
    children: list[Node] = field(default_factory=list)
    sibling_share: float = 0.0
    headline_share: float = 0.0


def build_nodes(card: Scorecard) -> list[Node]:
    """Top-level nodes with children, shares of siblings and of the headline."""
    roots: list[Node] = []
    p_total = sum(p.weight for p in card.perspectives)
    for pi, p in enumerate(card.perspectives):
        pn = Node("perspective", p.id, p.name, p.weight, None, pi)
        pn.sibling_share = p.weight / p_total if p_total else 0.0
        pn.headline_share = pn.sibling_share
        roots.append(pn)
        child_total = sum(k.weight for k in p.kpis) + sum(o.weight for o in p.objectives)
        row = 0
        for k in p.kpis:
            kn = Node("kpi", k.id, k.name, k.weight, pn, row)
            kn.sibling_share = k.weight / child_total if child_total else 0.0
            kn.headline_share = kn.sibling_share * pn.headline_share
            pn.children.append(kn)
            row += 1
        for o in p.objectives:
            on = Node("objective", o.id, o.name, o.weight, pn, row)
            on.sibling_share = o.weight / child_total if child_total else 0.0
            on.headline_share = on.sibling_share * pn.headline_share
            pn.children.append(on)
            row += 1
            o_total = sum(k.weight for k in o.kpis)
            for ki, k in enumerate(o.kpis):
                kn = Node("kpi", k.id, k.name, k.weight, on, ki)
                kn.sibling_share = k.weight / o_total if o_total else 0.0
                kn.headline_share = kn.sibling_share * on.headline_share
                on.children.append(kn)
    return roots


def _shape(nodes: list[Node]) -> tuple[Any, ...]:
    """The tree's structure alone: kinds and ids, nested as shown."""
    return tuple((n.kind, n.id, _shape(n.children)) for n in nodes)


class ScorecardTreeModel(QAbstractItemModel):
    """Tree model of the document's design with in-place editing and drag and drop."""

    def __init__(self, document: ScorecardDocument) -> None:
        super().__init__()
        self.document = document
        self._roots: list[Node] = build_nodes(document.card)
        self._retired: list[list[Node]] = []
        document.designChanged.connect(self._rebuild)

    def _rebuild(self, card: Scorecard) -> None:
        roots = build_nodes(card)
        if _shape(roots) == _shape(self._roots):
            self._update_in_place(self._roots, roots)
            return
        self.beginResetModel()
        # Indexes point at nodes without owning them: keep the previous generations alive a
        # little longer so an index held across a reset reads stale data, never freed memory.
        self._retired = [*self._retired[-3:], self._roots]
        self._roots = roots
        self.endResetModel()

    def _update_in_place(self, old: list[Node], new: list[Node]) -> None:
        """Copy names, weights and shares into the existing nodes; signal the rows that moved."""
        last = len(COLUMNS) - 1
        for before, after in zip(old, new, strict=True):
            values = (after.name, after.weight, after.sibling_share, after.headline_share)
            if values != (before.name, before.weight, before.sibling_share, before.headline_share):
                before.name, before.weight, before.sibling_share, before.headline_share = values
                self.dataChanged.emit(
                    self.createIndex(before.row, 0, before),
                    self.createIndex(before.row, last, before),
                )
            self._update_in_place(before.children, after.children)

    # --- structure ------------------------------------------------------------------

    def node(self, index: ItemIndex) -> Node | None:
        if not index.isValid():
            return None
        node = index.internalPointer()
        return node if isinstance(node, Node) else None

    def _children(self, node: Node | None) -> list[Node]:
        return self._roots if node is None else node.children

    def index(self, row: int, column: int, parent: ItemIndex = QModelIndex()) -> QModelIndex:
        children = self._children(self.node(parent))
        if 0 <= row < len(children) and 0 <= column < len(COLUMNS):
            return self.createIndex(row, column, children[row])
        return QModelIndex()

    def parent(self, index: ItemIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        node = self.node(index)
        if node is None or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.parent.row, 0, node.parent)

    def rowCount(self, parent: ItemIndex = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children(self.node(parent)))

    def columnCount(self, parent: ItemIndex = QModelIndex()) -> int:
        return len(COLUMNS)

    def index_of(self, item_id: str) -> QModelIndex:
        """The index of an item by id (invalid when absent)."""
        stack = list(self._roots)
        while stack:
            node = stack.pop()
            if node.id == item_id:
                return self.createIndex(node.row, 0, node)
            stack.extend(node.children)
        return QModelIndex()

    # --- data -------------------------------------------------------------------------

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return COLUMN_TIPS[section]
        return None

    def data(self, index: ItemIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node(index)
        if node is None:
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == 0:
                return node.name
            if col == 1:
                # Text, not a float: a float gets a spin box that swallows letters and a
                # minus sign without a word; a line edit lets ``problem`` say what is wrong.
                return f"{node.weight:g}"
            if col == 2:
                return f"{node.sibling_share:.0%}"
            return f"{node.headline_share:.1%}"
        if role == Qt.ItemDataRole.FontRole and node.kind == "perspective":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            kind = edits.KIND_WORDS[node.kind]
            return (
                f"{kind[0].upper()}{kind[1:]} '{node.name}': weight {node.weight:g}, "
                f"{node.sibling_share:.1%} of its siblings, "
                f"{node.headline_share:.2%} of the headline"
            )
        if role == Qt.ItemDataRole.UserRole:
            return (node.kind, node.id)
        return None

    def flags(self, index: ItemIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        flags = base | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        if index.column() in (0, 1):
            flags |= Qt.ItemFlag.ItemIsEditable
        node = self.node(index)
        if node is not None and node.kind == "kpi":
            flags &= ~Qt.ItemFlag.ItemIsDropEnabled
        return flags

    def problem(self, index: ItemIndex, text: str) -> str | None:
        """Why a typed name or weight cannot be taken, as the user is told it (None: it can)."""
        node = self.node(index)
        if node is None:
            return None
        what = f"{edits.KIND_WORDS[node.kind]} '{node.name}'"
        if index.column() == 0 and not text.strip():
            return f"The name of {what} cannot be empty: type a name, or Esc to keep it"
        if index.column() == 1:
            try:
                weight = float(text.strip().replace(",", ""))
            except ValueError:
                return f"{text.strip()!r} is not a weight: type a number such as 1 or 2.5"
            if weight < 0 or not math.isfinite(weight):
                return f"The weight of {what} cannot be {text.strip()}: type 0 or more"
        return None

    def setData(self, index: ItemIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        node = self.node(index)
        if node is None or role != Qt.ItemDataRole.EditRole:
            return False
        problem = None if isinstance(value, int | float) else self.problem(index, str(value))
        if problem is not None:
            self.document.errorRaised.emit(problem)
            return False
        if index.column() == 0:
            name = str(value).strip()
            label = edits.KIND_WORDS[node.kind]
            return self.document.edit(
                f"Rename {label} '{node.name}' to '{name}'", _rename, node.kind, node.id, name
            )
        if index.column() == 1:
            try:
                weight = float(str(value).replace(",", ""))
            except (TypeError, ValueError):
                return False
            return self.document.edit(
                f"Weight of {edits.KIND_WORDS[node.kind]} '{node.name}'",
                edits.set_weight,
                node.id,
                weight,
                merge_key=f"weight:{node.id}",
            )
        return False

    # --- drag and drop ----------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [ITEM_MIME, COLUMN_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        mime = QMimeData()
        nodes = [self.node(i) for i in indexes if i.column() == 0]
        items = [{"kind": n.kind, "id": n.id} for n in nodes if n is not None]
        if items:
            mime.setData(ITEM_MIME, json.dumps(items[0]).encode())
            mime.setText(", ".join(n.name for n in nodes if n is not None))
        return mime

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: ItemIndex
    ) -> bool:
        return self._plan_drop(data, row, parent) is not None

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: ItemIndex
    ) -> bool:
        plan = self._plan_drop(data, row, parent)
        if plan is None:
            return False
        text, change, args = plan
        self.document.edit(text, change, *args)
        # The edit rebuilt the model; returning False keeps Qt from removing the dragged rows.
        return False

    def _plan_drop(
        self, data: QMimeData, row: int, parent: ItemIndex
    ) -> tuple[str, Any, tuple[Any, ...]] | None:
        target = self.node(parent)
        if data.hasFormat(COLUMN_MIME):
            return self._plan_column_drop(data, target)
        if not data.hasFormat(ITEM_MIME):
            return None
        try:
            item = json.loads(bytes(data.data(ITEM_MIME).data()).decode())
            kind, item_id = item["kind"], item["id"]
        except (ValueError, KeyError, TypeError):
            return None
        card = self.document.card
        try:
            moved = f"Move {edits.item_label(card, item_id)}"
        except DesignError:
            return None  # dragged from another window or an older design
        into = "" if target is None else f" to {edits.KIND_WORDS[target.kind]} '{target.name}'"
        if kind == "perspective":
            if target is not None:
                return None
            to_index = len(card.perspectives) if row < 0 else row
            current = edits.locate_perspective(card, item_id)
            if to_index > current:
                to_index -= 1
            return (moved, edits.move_perspective, (item_id, to_index))
        if kind == "objective":
            if target is None or target.kind != "perspective":
                return None
            persp = card.perspectives[target.row]
            index = None if row < 0 else max(0, row - len(persp.kpis))
            return (moved + into, edits.move_objective, (item_id, target.id, index))
        if kind == "kpi":
            if target is None or target.kind == "kpi":
                return None
            if target.kind == "perspective":
                persp = card.perspectives[target.row]
                index = None if row < 0 else min(row, len(persp.kpis))
            else:
                index = None if row < 0 else row
            return (moved + into, edits.move_kpi, (item_id, target.id, index))
        return None

    def _plan_column_drop(
        self, data: QMimeData, target: Node | None
    ) -> tuple[str, Any, tuple[Any, ...]] | None:
        if target is None or target.kind == "kpi":
            return None
        try:
            info = json.loads(bytes(data.data(COLUMN_MIME).data()).decode())
            source, column = str(info["source"]), str(info["column"])
        except (ValueError, KeyError, TypeError):
            return None
        measure = Measure(Aggregation.SUM, source=source, column=column)
        return (f"Add KPI '{column}'", _add_kpi_only, (target.id, column, measure))


def column_mime(source_id: str, column: str) -> QMimeData:
    """The drag payload of a data column (used by the Data dock and by tests)."""
    mime = QMimeData()
    mime.setData(COLUMN_MIME, json.dumps({"source": source_id, "column": column}).encode())
    mime.setText(column)
    return mime


def _add_kpi_only(card: Scorecard, parent_id: str, name: str, measure: Measure) -> Scorecard:
    return edits.add_kpi(card, parent_id, name, measure)[0]


def _rename(card: Scorecard, kind: str, item_id: str, name: str) -> Scorecard:
    from dataclasses import replace

    if kind == "perspective":
        p = card.perspectives[edits.locate_perspective(card, item_id)]
        return edits.replace_perspective(card, replace(p, name=name))
    if kind == "objective":
        pi, oi = edits.locate_objective(card, item_id)
        return edits.replace_objective(
            card, replace(card.perspectives[pi].objectives[oi], name=name)
        )
    return edits.replace_kpi(card, replace(card.kpi(item_id), name=name))
