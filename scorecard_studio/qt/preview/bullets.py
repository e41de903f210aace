"""KPI bullet charts: each KPI's actual against its baseline, target and stretch, with RAG bands.

One row per KPI, each on its own axis in the KPI's units and oriented so the better end
is always on the right (a lower-is-better KPI is flipped rather than read backwards).
The bands show where red, amber and green start; the dark bar is the actual, the tall
tick the target, the thin tick the stretch, the hollow circle the baseline. A low-sample
actual is hatched; the status shape at the right end repeats the status without colour.

A scorecard can have a thousand KPIs; only the rows in view are computed and drawn, and
scrolling the chart (wheel or drag) brings in the next ones.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from scorecard_studio.qt.preview import chart_data as cd
from scorecard_studio.qt.preview.chart_base import (
    ChartInput,
    LabelAxis,
    RowChart,
    brush,
    elide,
    fmt_score,
    fmt_value,
    pen,
)
from scorecard_studio.qt.preview.palette import STATUS_MARKS, STATUS_NAMES, STATUS_SYMBOLS

ROW_PX = 24
X_MIN, X_MAX, STATUS_X = -0.02, 1.08, 1.045


class BulletsChart(RowChart):
    title = "KPIs against baseline, target and stretch"
    row_px = ROW_PX
    min_rows = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        axis = LabelAxis("left", spacing_px=14)
        super().__init__(parent, {"left": axis})
        self.axis = axis
        self.data: cd.Bullets | None = None
        self._names: list[str] = []
        self._ids: tuple[str, ...] = ()
        self._first = 0
        self._drawn: tuple[int, int] = (0, 0)
        item = self.getPlotItem()
        vb = item.vb
        vb.invertY(True)
        vb.setMouseEnabled(x=False, y=True)
        bottom = item.getAxis("bottom")
        bottom.setTicks([[(0.06, "worse"), (0.5, "each KPI on its own scale"), (0.94, "better")]])
        self.highlight = pg.BarGraphItem(x0=[], x1=[], y=[], height=1.0)
        self.bands = pg.BarGraphItem(x0=[], x1=[], y=[], height=0.62)
        self.actual = pg.BarGraphItem(x0=[], x1=[], y=[], height=0.26)
        self.baseline = pg.ScatterPlotItem(symbol="o", size=7)
        self.target = pg.ScatterPlotItem(symbol="|", size=18)
        self.stretch = pg.ScatterPlotItem(symbol="|", size=12)
        self.status = pg.ScatterPlotItem(size=9)
        for it in (
            self.highlight,
            self.bands,
            self.actual,
            self.baseline,
            self.target,
            self.stretch,
            self.status,
        ):
            item.addItem(it)
        vb.sigYRangeChanged.connect(self._scrolled)
        self.restyle()

    # --- data ----------------------------------------------------------------------------

    def show_input(self, data: ChartInput) -> None:
        super().show_input(data)
        result = data.result
        ids = result.actuals.kpi_ids
        names = [k.name for k in result.kpis]
        # Names are compared as well as ids: a rename keeps the ids and the scores.
        if ids != self._ids or names != self._names:
            self._ids = ids
            self._names = names
            self.axis.set_labels([elide(n) for n in self._names])
            self._fit_axis_width(self._names)
            self._set_window(self._first)
        if not self.scores_unchanged(data, self._window(), tuple(names)) or self.data is None:
            self._draw()
        self._draw_highlight()

    def _row_count(self) -> int:
        return len(self._ids)

    def _show_rows(self, n: int, rows: int) -> None:
        vb = self.getPlotItem().vb
        vb.setLimits(yMin=-0.5, yMax=max(n, rows) - 0.5, xMin=X_MIN, xMax=X_MAX)
        vb.setRange(
            xRange=(X_MIN, X_MAX),
            yRange=(self._first - 0.5, self._first + rows - 0.5),
            padding=0,
        )

    def _scrolled(self, vb: object, y_range: tuple[float, float]) -> None:
        super()._scrolled(vb, y_range)
        if self.input is not None and self._window() != self._drawn:
            self._draw()

    def _after_wheel(self) -> None:
        self._draw()
        self._draw_highlight()

    def _window(self) -> tuple[int, int]:
        n = len(self._ids)
        first = min(self._first, max(0, n - 1))
        return first, min(n, first + self._visible_rows() + 1)

    def _draw(self) -> None:
        data = self.input
        if data is None:
            return
        first, last = self._window()
        self._drawn = (first, last)
        b = cd.bullets(data.result, data.period, data.tier_id, range(first, last))
        self.data = b
        pal = self.pal
        tier = data.result.tier_names()[b.tier_row]
        self.set_title(f"{self.title} — {tier}")
        y = b.kpis.astype(np.float64)
        if self.changed("bands", b.band_start, b.band_end, b.band_row, b.band_status, y, pal):
            self.bands.setOpts(
                x0=b.band_start,
                x1=b.band_end,
                y=y[b.band_row] if b.band_row.size else np.zeros(0),
                height=0.62,
                brushes=[brush(pal.band[int(s)]) for s in b.band_status],
                pens=None,  # filled without outlines: the fast path of BarGraphItem
                pen=None,
            )
        has = ~np.isnan(b.pos_actual)
        if self.changed("actual", b.pos_actual, b.low_sample, y, pal):
            ink = pal.foreground
            hatch = Qt.BrushStyle.BDiagPattern
            self.actual.setOpts(
                x0=np.zeros(int(has.sum())),
                x1=np.clip(b.pos_actual[has], 0.0, 1.0),
                y=y[has],
                height=0.26,
                brushes=[brush(ink, hatch) if low else brush(ink) for low in b.low_sample[has]],
                pens=None,
                pen=None,
            )
        # Only the items whose numbers moved: a target step leaves baselines and stretches.
        for name, item, x in (
            ("baseline", self.baseline, b.pos_baseline),
            ("target", self.target, b.pos_target),
            ("stretch", self.stretch, b.pos_stretch),
        ):
            if self.changed(name, x, y):
                self._ticks(item, x, y)
        if self.changed("status", b.status, y, pal):
            self.status.setData(
                x=np.full(len(y), STATUS_X),
                y=y,
                symbol=[STATUS_SYMBOLS[int(s)] for s in b.status],
                brush=[brush(pal.status[int(s)]) for s in b.status],
                pen=pen(pal.foreground, 0.8),
            )

    @staticmethod
    def _ticks(item: pg.ScatterPlotItem, x: np.ndarray, y: np.ndarray) -> None:
        ok = np.isfinite(x) & (x >= X_MIN) & (x <= X_MAX)
        item.setData(x=x[ok], y=y[ok])

    # --- selection -----------------------------------------------------------------------

    def select(self, kpi_id: str | None) -> None:
        if kpi_id in self._ids:
            row = self._ids.index(kpi_id)
            first, last = self._window()
            if not first <= row < last - 1:
                self._set_window(row - self._visible_rows() // 2)
        self._draw_highlight()

    def _draw_highlight(self) -> None:
        kpi = self.input.kpi_id if self.input is not None else None
        row = self._ids.index(kpi) if kpi in self._ids else None
        self.outline_row(row, X_MIN, X_MAX, fill_alpha=34, width=1.2)

    def restyle(self) -> None:
        if not hasattr(self, "target"):
            return
        pal = self.pal
        self.baseline.setPen(pen(pal.foreground, 1.2))
        self.baseline.setBrush(brush(pal.background))
        self.target.setPen(pen(pal.foreground, 3.0))
        self.stretch.setPen(pen(pal.muted, 1.5))
        super().restyle()

    # --- mouse ---------------------------------------------------------------------------

    def _row_at(self, y: float) -> int | None:
        b = self.data
        if b is None:
            return None
        row = round(y)
        hits = np.flatnonzero(b.kpis == row)
        return int(hits[0]) if hits.size else None

    def kpi_at(self, x: float, y: float) -> str | None:
        i = self._row_at(y)
        return None if i is None or self.data is None else self.data.kpi_ids[i]

    def hover_text(self, x: float, y: float) -> str | None:
        b = self.data
        i = self._row_at(y)
        if b is None or i is None or self.input is None:
            return None
        u = b.units[i]
        status = int(b.status[i])
        tier = self.input.result.tier_names()[b.tier_row]
        lines = [
            f"{b.names[i]} — {tier}",
            f"actual {fmt_value(float(b.actual[i]), u)}"
            + (" (low sample)" if b.low_sample[i] else ""),
            f"baseline {fmt_value(float(b.baseline[i]), u)}; "
            f"target {fmt_value(float(b.target[i]), u)}; "
            f"stretch {fmt_value(float(b.stretch[i]), u)}",
        ]
        if not math.isnan(b.red_flag[i]):
            lines.append(f"red flag {fmt_value(float(b.red_flag[i]), u)}")
        lines.append(
            f"score {fmt_score(float(b.score[i]))} {STATUS_MARKS[status]} {STATUS_NAMES[status]}"
        )
        lines.append("higher is better" if b.higher[i] else "lower is better")
        return "\n".join(lines)

    def clear_chart(self) -> None:
        super().clear_chart()
        self.data = None
        self._ids = ()
        self._names = []
        self.axis.set_labels([])
        for bar in (self.bands, self.actual, self.highlight):
            bar.setOpts(x0=[], x1=[], y=[], brushes=None, pens=None)
        for sc in (self.baseline, self.target, self.stretch, self.status):
            sc.setData(x=[], y=[])
