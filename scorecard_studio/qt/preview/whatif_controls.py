"""The what-if panel's building blocks: a slider tied to a spin box, and the effects table.

:class:`ValueControl` edits one number (a weight, a target) by slider or by typing, and
can stand for "unset"; given a percentage unit it shows and takes percent (6 for 0.06).
:class:`MarginalModel` lists, per KPI, its effective share of the headline and how many
headline points one point of its score moves, sorted by the latter and updated in place
so the view keeps its selection while the numbers change.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QSlider,
    QWidget,
)

from scorecard_studio.domain.units import PLAIN, Unit, UnitKind
from scorecard_studio.qt.wheel_guard import guard_wheel

ItemIndex = QModelIndex | QPersistentModelIndex
SLIDER_STEPS = 1000
UNSET = -1e15  # a spin box's minimum, shown as "unset": a target field with no value


class ValueControl(QWidget):
    """A slider for dragging and a spin box for typing, kept in step; one value out.

    The slider's range is fixed around the design's value when the design changes, not
    while dragging, so the handle never jumps under the pointer. Values in and out are
    stored values (0.06); the spin box shows them in the unit set by :meth:`set_unit`.
    """

    valueChanged = Signal(object)  # float | None

    def __init__(self, minimum: float = 0.0, decimals: int = 2, nullable: bool = False) -> None:
        super().__init__()
        self._lo, self._hi = 0.0, 1.0
        self.nullable = nullable
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.setMinimumWidth(60)
        self.spin = QDoubleSpinBox()
        self.spin.setDecimals(decimals)
        self.spin.setKeyboardTracking(False)
        self.spin.setRange(UNSET if nullable else minimum, 1e12)
        if nullable:
            self.spin.setSpecialValueText("unset")
        self.spin.setMinimumWidth(84)
        self._minimum = minimum
        self._scale = 1.0  # shown = stored × scale (100 for a percentage)
        self.unit = PLAIN
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.spin)
        self.slider.valueChanged.connect(self._slid)
        self.spin.valueChanged.connect(self._typed)
        guard_wheel(self.slider, self.spin)  # the panel scrolls under the wheel, not these

    def set_unit(self, unit: Unit) -> None:
        """Show and take values in ``unit``: a percentage's spin box reads 6 for 0.06."""
        if unit == self.unit:
            return
        value = self.value()
        self.unit = unit
        self._scale = 100.0 if unit.is_percent else 1.0
        if unit.is_percent:
            suffix = "%"
        elif unit.kind is UnitKind.NUMBER and unit.symbol:
            suffix = f" {unit.symbol}"
        else:
            suffix = ""
        self.spin.setSuffix(suffix)
        self.spin.setPrefix(unit.symbol if unit.kind is UnitKind.CURRENCY else "")
        minimum = UNSET if self.nullable else self._minimum * self._scale
        self.spin.blockSignals(True)
        self.spin.setMinimum(minimum)
        self.spin.blockSignals(False)
        self.set_range(self._lo, self._hi)
        self.set_value(value)

    def set_range(self, lo: float, hi: float) -> None:
        self._lo, self._hi = lo, hi if hi > lo else lo + 1.0
        shown = (self._hi - self._lo) * self._scale
        step = 10 ** math.floor(math.log10(max(shown / 100, 1e-6)))
        self.spin.setSingleStep(step)

    def value(self) -> float | None:
        v = self.spin.value()
        return None if self.nullable and v <= UNSET else float(v) / self._scale

    def set_value(self, value: float | None) -> None:
        """Show a value without emitting (the state changed, not the user)."""
        if value == self.value() and self.slider.value() == self._to_slider(value):
            return  # the usual case while dragging: nothing to repaint
        self.spin.blockSignals(True)
        self.slider.blockSignals(True)
        try:
            self.spin.setValue(UNSET if value is None else value * self._scale)
            self.slider.setValue(self._to_slider(value))
        finally:
            self.spin.blockSignals(False)
            self.slider.blockSignals(False)

    def _to_slider(self, value: float | None) -> int:
        if value is None:
            return 0
        f = (value - self._lo) / (self._hi - self._lo)
        return round(min(max(f, 0.0), 1.0) * SLIDER_STEPS)

    def _slid(self, position: int) -> None:
        value = self._lo + (self._hi - self._lo) * position / SLIDER_STEPS
        value = max(value, self._minimum) if not self.nullable else value
        self.spin.blockSignals(True)
        self.spin.setValue(value * self._scale)
        self.spin.blockSignals(False)
        self.valueChanged.emit(self.value())

    def _typed(self, _value: float) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(self._to_slider(self.value()))
        self.slider.blockSignals(False)
        self.valueChanged.emit(self.value())


class MarginalModel(QAbstractTableModel):
    """Each KPI's share of the headline and its marginal effect, largest effect first.

    The model keeps its own order (a numpy sort per frame) instead of a sort proxy: a proxy
    sorting a thousand rows through Python ``data()`` calls on every slider step would
    cost more than the whole recompute.
    """

    HEADERS = ("KPI", "Share", "Headline pts per pt")

    def __init__(self) -> None:
        super().__init__()
        self.ids: tuple[str, ...] = ()
        self.names: tuple[str, ...] = ()
        self.share = np.zeros(0)
        self.marginal = np.zeros(0)
        self.order = np.zeros(0, dtype=np.intp)

    def set_values(
        self, ids: tuple[str, ...], names: tuple[str, ...], share: Any, marginal: Any
    ) -> None:
        key = np.where(np.isnan(marginal), -np.inf, marginal)
        order = np.lexsort((np.arange(len(ids)), -key)).astype(np.intp)
        same_rows = ids == self.ids and names == self.names
        if same_rows and np.array_equal(order, self.order):
            # Only the rows whose numbers moved are announced: a target step leaves every
            # share and most marginal effects as they were, and an announced row is a
            # repaint through Python ``data()`` calls.
            moved = _moved(self.share, share) | _moved(self.marginal, marginal)
            self.share, self.marginal = share, marginal
            rows = np.flatnonzero(moved[order])
            if rows.size:
                self.dataChanged.emit(self.index(int(rows[0]), 1), self.index(int(rows[-1]), 2))
            return
        self.beginResetModel()
        self.ids, self.names = ids, names
        self.share, self.marginal, self.order = share, marginal, order
        self.endResetModel()

    def kpi_at(self, row: int) -> str:
        return self.ids[int(self.order[row])]

    def rowCount(self, parent: ItemIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: ItemIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: ItemIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        k, col = int(self.order[index.row()]), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return self.names[k]
            raw = float((self.share if col == 1 else self.marginal)[k])
            if math.isnan(raw):
                return "no data"
            return f"{raw:.1%}" if col == 1 else f"{raw:.3f}"
        if role == Qt.ItemDataRole.ToolTipRole and col == 2:
            return (
                "How many points the headline moves when this KPI's score moves one "
                "point in every tier"
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _moved(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Which entries differ between two float arrays of one length (NaN equals NaN)."""
    b, a = np.asarray(before, dtype=np.float64), np.asarray(after, dtype=np.float64)
    same: np.ndarray = (b == a) | (np.isnan(b) & np.isnan(a))
    return ~same
