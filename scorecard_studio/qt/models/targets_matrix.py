"""The tier targets matrix: KPIs (and their period overrides) × tiers × baseline/target/stretch.

Each row is a KPI's default set or one of its period overrides; each tier has three columns.
A cell shows the value in force there; values inherited from a less specific set are grey
and italic, values set exactly in that cell are bold. Editing writes an override for that
(tier, period) through an undoable edit; clearing a cell goes back to the inherited value.
Pasting a block from Excel and filling down/right are single undo steps. Every value is
shown and typed in its KPI's unit (``domain.units``): a churn target of 0.25 reads "25%",
its editor starts with "25", and typing "25" or "25%" stores 0.25. The model follows
each design change with row/column inserts and removals and ``dataChanged`` for the cells
that changed, never a reset, so typing and Tab-ing through the matrix is never interrupted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from scorecard_studio.domain import edits
from scorecard_studio.domain.model import Scorecard, TargetSet, TargetValues
from scorecard_studio.domain.units import PLAIN, Unit, edit_text, format_value, parse_value, unit_of
from scorecard_studio.qt.document import ScorecardDocument

ItemIndex = QModelIndex | QPersistentModelIndex
FIELDS = ("baseline", "target", "stretch")
DEFAULT_TIER = None


@dataclass(frozen=True, slots=True)
class TargetRow:
    kpi_id: str
    kpi_name: str
    period: str | None


@dataclass(frozen=True, slots=True)
class _Kpis:
    """What the cells of each KPI's rows are made of: its targets and its unit."""

    targets: dict[str, TargetSet]
    units: dict[str, Unit]


def _layout(card: Scorecard) -> tuple[list[TargetRow], list[tuple[str | None, str]], _Kpis]:
    """Rows (each KPI's default set, then its period overrides), tier columns, targets."""
    tiers: list[tuple[str | None, str]] = [
        (DEFAULT_TIER, "Default"),
        *((t.id, t.name) for t in card.tiers),
    ]
    rows: list[TargetRow] = []
    targets: dict[str, TargetSet] = {}
    units: dict[str, Unit] = {}
    for kpi in card.all_kpis():
        targets[kpi.id] = kpi.targets
        units[kpi.id] = unit_of(kpi)
        rows.append(TargetRow(kpi.id, kpi.name, None))
        periods = sorted({o.period for o in kpi.targets.overrides if o.period is not None})
        rows.extend(TargetRow(kpi.id, kpi.name, period) for period in periods)
    return rows, tiers, _Kpis(targets, units)


def _runs(numbers: list[int]) -> Iterator[tuple[int, int]]:
    """(first, last) of each run of consecutive numbers in an ascending list."""
    start = prev = None
    for n in numbers:
        if prev is not None and n == prev + 1:
            prev = n
            continue
        if start is not None and prev is not None:
            yield start, prev
        start = prev = n
    if start is not None and prev is not None:
        yield start, prev


class TargetsMatrixModel(QAbstractTableModel):
    """Editable matrix of target sets over the document's design."""

    def __init__(self, document: ScorecardDocument) -> None:
        super().__init__()
        self.document = document
        self._values: dict[tuple[int, int], tuple[float | None, bool]] = {}
        self._rows, self._tiers, self._kpis = _layout(document.card)
        document.designChanged.connect(self._sync)

    def _sync(self, card: Scorecard) -> None:
        """Follow a new design with the smallest change that describes it.

        A reset would destroy an open editor, the current cell, the selection and the
        scroll position, so a Tab after an edit would land on the top-left cell. Instead
        rows and tier columns that came or went are inserted or removed, and the cells
        and headers that changed are announced with ``dataChanged`` / ``headerDataChanged``.
        """
        rows, tiers, kpis = _layout(card)
        before_rows = {(r.kpi_id, r.period): r.kpi_name for r in self._rows}
        before_tiers = dict(self._tiers)
        before = self._kpis
        self._values.clear()
        # Rows still present resolve against the new targets from here on; rows about to be
        # removed resolve to empty cells until they are gone.
        self._kpis = kpis
        self._sync_columns(tiers)
        self._sync_rows(rows)
        self._values.clear()

        width = len(FIELDS)
        renamed = [c for c, (tid, name) in enumerate(tiers) if before_tiers.get(tid, name) != name]
        for c in renamed:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, c * width, c * width + width - 1)
        changed: list[int] = []
        for r, row in enumerate(rows):
            key = (row.kpi_id, row.period)
            if key not in before_rows:
                continue  # inserted: the view asks for its cells anyway
            if before_rows[key] != row.kpi_name:
                self.headerDataChanged.emit(Qt.Orientation.Vertical, r, r)
                changed.append(r)
            elif (
                before.targets.get(row.kpi_id) != kpis.targets[row.kpi_id]
                or before.units.get(row.kpi_id) != kpis.units[row.kpi_id]
            ):
                changed.append(r)  # new values, or the same values in a new unit
        last_column = self.columnCount() - 1
        for first, last in _runs(changed):
            self.dataChanged.emit(self.index(first, 0), self.index(last, last_column))

    def _sync_columns(self, tiers: list[tuple[str | None, str]]) -> None:
        width = len(FIELDS)
        matcher = SequenceMatcher(None, [t for t, _ in self._tiers], [t for t, _ in tiers], False)
        for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
            if tag in ("delete", "replace"):
                self.beginRemoveColumns(QModelIndex(), i1 * width, i2 * width - 1)
                del self._tiers[i1:i2]
                self.endRemoveColumns()
            if tag in ("insert", "replace"):
                self.beginInsertColumns(QModelIndex(), i1 * width, (i1 + j2 - j1) * width - 1)
                self._tiers[i1:i1] = tiers[j1:j2]
                self.endInsertColumns()
        self._tiers = list(tiers)  # same ids in the same order; names may be new

    def _sync_rows(self, rows: list[TargetRow]) -> None:
        keys = [(r.kpi_id, r.period) for r in rows]
        matcher = SequenceMatcher(None, [(r.kpi_id, r.period) for r in self._rows], keys, False)
        for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
            if tag in ("delete", "replace"):
                self.beginRemoveRows(QModelIndex(), i1, i2 - 1)
                del self._rows[i1:i2]
                self.endRemoveRows()
            if tag in ("insert", "replace"):
                self.beginInsertRows(QModelIndex(), i1, i1 + j2 - j1 - 1)
                self._rows[i1:i1] = rows[j1:j2]
                self.endInsertRows()
        self._rows = list(rows)  # same keys in the same order; names may be new

    # --- geometry -------------------------------------------------------------------

    def rowCount(self, parent: ItemIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ItemIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._tiers) * len(FIELDS)

    def position(self, index: ItemIndex) -> tuple[TargetRow, str | None, str]:
        row = self._rows[index.row()]
        tier, _ = self._tiers[index.column() // len(FIELDS)]
        return row, tier, FIELDS[index.column() % len(FIELDS)]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            _, tier_name = self._tiers[section // len(FIELDS)]
            return f"{tier_name}\n{FIELDS[section % len(FIELDS)]}"
        row = self._rows[section]
        return row.kpi_name if row.period is None else f"   {row.kpi_name} · {row.period}"

    # --- values ---------------------------------------------------------------------

    def value(self, index: ItemIndex) -> tuple[float | None, bool]:
        """(value in force, whether it is set exactly in this cell).

        Views ask for each cell many times per paint; values are resolved once per design.
        """
        key = (index.row(), index.column())
        cached = self._values.get(key)
        if cached is None:
            cached = self._values[key] = self._resolve(index)
        return cached

    def _resolve(self, index: ItemIndex) -> tuple[float | None, bool]:
        row, tier, name = self.position(index)
        targets = self._kpis.targets.get(row.kpi_id)
        if targets is None:
            return None, False
        in_force = getattr(targets.resolve(tier, row.period), name)
        if tier is None and row.period is None:
            own = getattr(targets.default, name)
        else:
            override = targets.override_for(tier, row.period)
            own = getattr(override.values, name) if override else None
        return in_force, own is not None

    def data(self, index: ItemIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value, explicit = self.value(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return format_value(value, self.unit(index), missing="")
        if role == Qt.ItemDataRole.EditRole:
            return edit_text(value, self.unit(index)) if explicit else ""
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(explicit)
            font.setItalic(not explicit)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and not explicit:
            return QBrush(QColor("#808080"))
        if role == Qt.ItemDataRole.ToolTipRole:
            row, tier, name = self.position(index)
            where = " / ".join(x for x in (tier, row.period) if x) or "default"
            state = "set here" if explicit else "inherited"
            hint = " — type 25 or 25% for 25%" if self.unit(index).is_percent else ""
            return f"{row.kpi_name}: {name} for {where} ({state}){hint}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: ItemIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def unit(self, index: ItemIndex) -> Unit:
        """The unit the cell's KPI shows and takes its values in."""
        if not 0 <= index.row() < len(self._rows):
            return PLAIN
        return self._kpis.units.get(self._rows[index.row()].kpi_id, PLAIN)

    def parse(self, index: ItemIndex, text: str) -> float | None:
        """A typed or pasted text as the cell's stored value; ValueError says what is wrong."""
        return parse_value(text, self.unit(index))

    def problem(self, index: ItemIndex, text: str) -> str | None:
        """Why a text cannot go into a cell, as the user is told it (None: it can)."""
        try:
            self.parse(index, text)
        except ValueError as exc:
            return f"{self.cell_label(index)}: {exc}"
        return None

    def setData(self, index: ItemIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Store a typed text (in the KPI's unit) or a number (already a stored value)."""
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        if isinstance(value, int | float):
            number: float | None = float(value)
        else:
            problem = self.problem(index, str(value))
            if problem is not None:
                self.document.errorRaised.emit(problem)
                return False
            number = self.parse(index, str(value))
        return self.set_cells(
            [(index.row(), index.column(), number)], f"Edit {self.cell_label(index)}"
        )

    def cell_label(self, index: ItemIndex) -> str:
        """A cell as the undo history names it: "Tier 1 target of KPI 'Revenue' for 2026-Q1"."""
        row, tier, name = self.position(index)
        tier_name = self._tiers[index.column() // len(FIELDS)][1]
        field = name if tier is DEFAULT_TIER else f"{tier_name} {name}"
        period = f" for {row.period}" if row.period is not None else ""
        return f"{field} of KPI '{row.kpi_name}'{period}"

    # --- block edits ----------------------------------------------------------------

    def set_cells(self, cells: list[tuple[int, int, float | None]], text: str) -> bool:
        """Apply many cell values as one undoable edit."""
        positions = [
            (*self.position(self.index(r, c)), value)
            for r, c, value in cells
            if 0 <= r < self.rowCount() and 0 <= c < self.columnCount()
        ]

        def change(card: Scorecard) -> Scorecard:
            for row, tier, name, value in positions:
                card = edits.set_target_field(card, row.kpi_id, name, value, tier, row.period)
            return card

        return bool(positions) and self.document.edit(text, change)

    def paste_block(self, top: int, left: int, text: str) -> bool:
        """Paste tab-separated rows (as Excel puts them on the clipboard) at (top, left).

        Each text is read in the unit of the KPI it lands on ("25" into a churn row is 25%).
        One unreadable text pastes nothing, and the message names the cell and the text.
        """
        cells: list[tuple[int, int, float | None]] = []
        for dr, line in enumerate(text.rstrip("\r\n").splitlines()):
            for dc, raw in enumerate(line.split("\t")):
                r, c = top + dr, left + dc
                if not (0 <= r < self.rowCount() and 0 <= c < self.columnCount()):
                    continue  # beyond the matrix: dropped, as set_cells would
                index = self.index(r, c)
                problem = self.problem(index, raw)
                if problem is not None:
                    self.document.errorRaised.emit(f"Nothing pasted. {problem}")
                    return False
                cells.append((r, c, self.parse(index, raw)))
        return self.set_cells(cells, "Paste targets")

    def fill(self, indexes: list[QModelIndex], direction: str) -> bool:
        """Fill down (first row's values) or right (first column's value per field).

        What is copied is the figure the source cell shows: filling a churn target of 25%
        down into another percentage KPI gives 25% there too, and into a KPI counted in
        days gives 25 days, never 0.25 days.
        """
        if not indexes:
            return False
        cells: list[tuple[int, int, float | None]] = []
        for i in indexes:
            if direction == "down":
                source = self.index(min(j.row() for j in indexes), i.column())
            else:
                # Fill right copies between cells of the same field (target to target).
                left = min(j.column() for j in indexes)
                source = self.index(i.row(), left + ((i.column() - left) % len(FIELDS)))
            value, _ = self.value(source)
            if self.unit(source) != self.unit(i):
                value = parse_value(edit_text(value, self.unit(source)), self.unit(i))
            cells.append((i.row(), i.column(), value))
        return self.set_cells(cells, f"Fill {direction}")

    def add_period_override(self, kpi_id: str, period: str) -> bool:
        """Start a period row for a KPI (its default targets copied as the period's)."""
        kpi = self.document.card.kpi(kpi_id)
        values = kpi.targets.default
        return self.document.edit(
            f"Targets of KPI '{kpi.name}' for {period}",
            edits.set_targets,
            kpi_id,
            TargetValues(baseline=values.baseline, target=values.target, stretch=values.stretch),
            None,
            period,
        )
