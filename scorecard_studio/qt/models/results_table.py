"""The actual-vs-target matrix per tier, with RAG colours, coverage and low-sample flags.

Rows are KPIs in tree order followed by the perspective scores, the tier score and its
coverage; columns are the tiers and "All customers". The model reads one ``ScoreResult``
and one period; it is rebuilt whenever the document has a new result.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from scorecard_studio.domain import units
from scorecard_studio.domain.model import STATUS_BY_CODE, IndicatorType
from scorecard_studio.domain.model import STATUS_MARKS as MARKS_BY_STATUS
from scorecard_studio.domain.units import Unit
from scorecard_studio.qt.models.cell_texts import FIT_TEXTS, pair_texts

if TYPE_CHECKING:
    from scorecard_studio.engines.scoring import ScoreResult

ItemIndex = QModelIndex | QPersistentModelIndex

# Background colours chosen to stay readable with dark text in light and dark palettes, and
# always paired with a text marker so colour is never the only signal.
STATUS_COLOURS = {
    "green": QColor("#b7e1cd"),
    "amber": QColor("#fce8b2"),
    "red": QColor("#f4c7c3"),
    "no_data": QColor("#e0e0e0"),
    "insufficient_data": QColor("#e0e0e0"),
}
STATUS_MARKS = MARKS_BY_STATUS
_BRUSHES = {status: QBrush(colour) for status, colour in STATUS_COLOURS.items()}
_DARK_TEXT = QBrush(QColor("#202124"))


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def format_value(value: float, unit: Unit | None = None) -> str:
    """A value in the KPI's units; scores (no unit) with two decimals."""
    if unit is None:
        return "—" if math.isnan(value) else f"{value:,.2f}"
    return units.format_value(value, unit)


class ResultsTableModel(QAbstractTableModel):
    """Read-only matrix of one period's results."""

    def __init__(self) -> None:
        super().__init__()
        self.result: ScoreResult | None = None
        self.period = 0
        self._rows: list[tuple[str, int]] = []  # (kind, index): kpi / perspective / tier / coverage
        # A view asks for every role of every visible cell on each repaint; the values of a
        # cell are computed once per result and kept here (a new result clears them).
        self._cache: dict[tuple[int, int, int], Any] = {}
        #: Only KPIs of this kind (leading or lagging), without the roll-up rows; None: all.
        self.indicator: IndicatorType | None = None

    def set_result(self, result: ScoreResult | None, period: int | None = None) -> None:
        self.beginResetModel()
        self._cache.clear()
        self.result = result
        if result is not None and result.period_labels:
            self.period = result.period_index(None) if period is None else period
            kinds = self.indicator
            rows = [
                ("kpi", k)
                for k, kpi in enumerate(result.kpis)
                if kinds is None or kpi.indicator is kinds
            ]
            if kinds is None:
                rows += [("perspective", i) for i in range(len(result.card.perspectives))]
                rows += [("tier", 0), ("coverage", 0)]
            self._rows = rows
        else:
            self._rows = []
        self.endResetModel()

    def rowCount(self, parent: ItemIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ItemIndex = QModelIndex()) -> int:
        if parent.isValid() or self.result is None:
            return 0
        return len(self.result.tier_ids)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        r = self.result
        if r is None or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Horizontal:
            return r.tier_names()[section]
        kind, i = self._rows[section]
        if kind == "kpi":
            return r.kpis[i].name
        if kind == "perspective":
            return f"▸ {r.card.perspectives[i].name}"
        return "Tier score" if kind == "tier" else "Coverage"

    def cell(self, row: int, column: int) -> dict[str, Any]:
        """Everything shown in one cell, for the view and for tests."""
        assert self.result is not None
        r, p, t = self.result, self.period, column
        kind, i = self._rows[row]
        if kind == "kpi":
            status = STATUS_BY_CODE[int(r.status[i, t, p])].value
            return {
                "status": status,
                "actual": float(r.actuals.value[i, t, p]),
                "target": float(r.targets.target[i, t, p]),
                "score": float(r.score[i, t, p]),
                "low_sample": bool(r.low_sample[i, t, p]),
                "unit": units.unit_of(r.kpis[i]),
            }
        if kind == "perspective":
            return {
                "status": STATUS_BY_CODE[int(r.perspective_status[i, t, p])].value,
                "score": float(r.rollup.perspective_score[i, t, p]),
                "coverage": float(r.rollup.perspective_coverage[i, t, p]),
            }
        if kind == "tier":
            return {
                "status": STATUS_BY_CODE[int(r.tier_status[t, p])].value,
                "score": float(r.rollup.tier_score[t, p]),
                "coverage": float(r.rollup.tier_coverage[t, p]),
            }
        return {"status": "no_data", "coverage": float(r.rollup.tier_coverage[t, p])}

    def data(self, index: ItemIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.result is None:
            return None
        key = (index.row(), index.column(), role)
        try:
            return self._cache[key]
        except KeyError:
            value = self._cache[key] = self._data(index, role)
            return value

    def _data(self, index: ItemIndex, role: int) -> Any:
        kind, _ = self._rows[index.row()]
        info = self.cell(index.row(), index.column())
        status = info["status"]
        if role in (Qt.ItemDataRole.DisplayRole, FIT_TEXTS) and kind == "kpi":
            flag = " *" if info["low_sample"] else ""
            texts = pair_texts(
                STATUS_MARKS[status], info["actual"], info["target"], info["unit"], flag
            )
            return texts[0] if role == Qt.ItemDataRole.DisplayRole else texts
        if role == Qt.ItemDataRole.DisplayRole:
            if kind == "coverage":
                return f"{info['coverage']:.0%}"
            return f"{STATUS_MARKS[status]} {format_value(info['score'])}"
        if role == Qt.ItemDataRole.BackgroundRole and kind != "coverage":
            return _BRUSHES[status]
        if role == Qt.ItemDataRole.ForegroundRole and kind != "coverage":
            return _DARK_TEXT
        if role == Qt.ItemDataRole.FontRole and kind in ("perspective", "tier"):
            return _bold()
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [f"status: {status.replace('_', ' ')}"]
            if kind == "kpi":
                unit = info["unit"]
                parts.insert(0, f"actual {format_value(info['actual'], unit)}")
                parts.insert(1, f"target {format_value(info['target'], unit)}")
            if "score" in info and not math.isnan(info["score"]):
                parts.append(f"score {info['score']:.3f}")
            if "coverage" in info:
                parts.append(f"coverage {info['coverage']:.0%}")
            if info.get("low_sample"):
                parts.append("low sample: fewer survey answers than the minimum")
            return "; ".join(parts)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
