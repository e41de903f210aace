"""The tier × KPI heat map: every KPI's score in every tier as one colour matrix.

Drawn as a single image (one pixel per cell, scaled by the view), so a thousand KPIs cost
one texture rather than thousands of rectangles. Colours run vermillion → yellow → bluish
green and turn at the scorecard's own amber and green thresholds. Cells without a score
are neutral grey with a cross, never red; low-sample cells keep their colour and carry a
ring, so a reader knows not to trust them too far.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QWidget

from scorecard_studio.domain.units import unit_of
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
from scorecard_studio.qt.preview.palette import STATUS_MARKS, STATUS_NAMES, heat_rgba

ROW_PX = 16


class HeatmapChart(RowChart):
    title = "Scores by tier and KPI"
    row_px = ROW_PX

    def __init__(self, parent: QWidget | None = None) -> None:
        left, bottom = (
            LabelAxis("left", spacing_px=13),
            LabelAxis("bottom", spacing_px=70, every=True),
        )
        super().__init__(parent, {"left": left, "bottom": bottom})
        self.axis, self.tier_axis = left, bottom
        self.data: cd.Heatmap | None = None
        self._ids: tuple[str, ...] = ()
        self._names: list[str] = []
        self._first = 0
        self._masks: tuple[bytes, bytes, tuple[int, ...]] | None = None
        item = self.getPlotItem()
        vb = item.vb
        vb.invertY(True)
        vb.setMouseEnabled(x=False, y=True)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.no_data = pg.ScatterPlotItem(symbol="x", size=8)
        self.low = pg.ScatterPlotItem(symbol="o", size=7)
        self.highlight = pg.BarGraphItem(x0=[], x1=[], y=[], height=1.0)
        for it in (self.image, self.no_data, self.low, self.highlight):
            item.addItem(it)
        # Under the axis in the plot's own layout: over the cells it hid the last tier.
        self.legend = pg.LegendItem(labelTextSize="8pt", colCount=3)
        item.layout.addItem(self.legend, 4, 0, 1, 2)
        self._legend_key: tuple[object, ...] = ()
        vb.sigYRangeChanged.connect(self._scrolled)
        self.restyle()

    def show_input(self, data: ChartInput) -> None:
        super().show_input(data)
        h = self.data = cd.heatmap(data.result, data.period, data.tier_id)
        pal = self.pal
        n_k, n_t = h.score.shape
        if h.kpi_ids != self._ids or list(h.kpi_names) != self._names:  # renames keep the ids
            self._ids = h.kpi_ids
            self._names = list(h.kpi_names)
            self.axis.set_labels([elide(n) for n in self._names])
            self._fit_axis_width(self._names)
            self._set_window(self._first)
        if not self.scores_unchanged(data, h.amber, h.green, h.cap):
            rgba = heat_rgba(h.score, h.no_data, pal, h.amber, h.green, h.cap)
            self.image.setImage(rgba, autoLevels=False, levels=(0, 255))
            self.image.setRect(QRectF(-0.5, -0.5, n_t, n_k))
        self.tier_axis.set_labels(list(h.tier_names), spacing_px=70)
        key = (h.no_data.tobytes(), h.low_sample.tobytes(), h.score.shape)
        if key != self._masks:  # masks follow the data, rarely a slider: skip when unchanged
            self._masks = key
            rows, cols = np.nonzero(h.no_data)
            self.no_data.setData(x=cols.astype(float), y=rows.astype(float))
            rows, cols = np.nonzero(h.low_sample)
            self.low.setData(x=cols.astype(float), y=rows.astype(float))
        vb = self.getPlotItem().vb
        vb.setLimits(xMin=-0.5, xMax=n_t - 0.5)
        self.set_view(x=(-0.5, n_t - 0.5))
        self._draw_highlight()
        self._update_legend()

    def _update_legend(self) -> None:
        pal = self.pal
        h = self.data
        if h is None:
            return
        key = (pal.dark, h.amber, h.green)
        if key == self._legend_key:
            return
        self._legend_key = key
        self.legend.clear()
        samples = [
            (pal.heat_stops[0], "s", "score 0"),
            (pal.heat_stops[1], "s", f"amber ≥ {h.amber:g}"),
            (pal.heat_stops[2], "s", f"green ≥ {h.green:g}"),
        ]
        for colour, symbol, label in samples:
            self.legend.addItem(
                pg.ScatterPlotItem(symbol=symbol, size=10, brush=brush(colour), pen=None), label
            )
        self.legend.addItem(
            pg.ScatterPlotItem(
                symbol="x", size=9, brush=brush(pal.no_data_fill), pen=pen(pal.foreground)
            ),
            "no data",
        )
        self.legend.addItem(
            pg.ScatterPlotItem(symbol="o", size=8, brush=None, pen=pen(pal.foreground, 1.5)),
            "low sample",
        )
        self.fit_legend_columns()

    # --- selection -----------------------------------------------------------------------

    def select(self, kpi_id: str | None) -> None:
        if kpi_id in self._ids:
            row = self._ids.index(kpi_id)
            rows = self._visible_rows()
            if not self._first <= row < self._first + rows:
                self._set_window(row - rows // 2)
        self._draw_highlight()

    def _draw_highlight(self) -> None:
        h = self.data
        kpi = self.input.kpi_id if self.input is not None else None
        row = self._ids.index(kpi) if h is not None and kpi in self._ids else None
        right = h.score.shape[1] - 0.5 if h is not None else 0.0
        self.outline_row(row, -0.5, right, fill_alpha=0, width=2.0)

    def _row_count(self) -> int:
        return len(self._ids)

    def restyle(self) -> None:
        if not hasattr(self, "low"):
            return
        pal = self.pal
        self.no_data.setPen(pen(pal.foreground, 1.2))
        self.no_data.setBrush(brush(pal.foreground))
        self.low.setPen(pen(pal.foreground, 1.5))
        self.low.setBrush(brush(pal.background, alpha=0))
        self.legend.setLabelTextColor(pal.foreground)
        self._legend_key = ()
        super().restyle()

    # --- mouse ---------------------------------------------------------------------------

    def _cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        h = self.data
        if h is None:
            return None
        i, j = round(y), round(x)
        if 0 <= i < h.score.shape[0] and 0 <= j < h.score.shape[1]:
            return i, j
        return None

    def kpi_at(self, x: float, y: float) -> str | None:
        at = self._cell_at(x, y)
        return None if at is None or self.data is None else self.data.kpi_ids[at[0]]

    def hover_text(self, x: float, y: float) -> str | None:
        h, data = self.data, self.input
        at = self._cell_at(x, y)
        if h is None or data is None or at is None:
            return None
        i, j = at
        unit = unit_of(data.result.kpis[i])
        status = int(h.status[i, j])
        head = f"{h.kpi_names[i]} — {h.tier_names[j]}"
        actual = fmt_value(float(h.actual[i, j]), unit)
        target = fmt_value(float(h.target[i, j]), unit)
        if h.no_data[i, j]:
            why = "no actual" if h.no_actual[i, j] else f"actual {actual}, nothing to score it by"
            return f"{head}\nno data ({why})"
        lines = [
            head,
            f"score {fmt_score(float(h.score[i, j]))} {STATUS_MARKS[status]} "
            f"{STATUS_NAMES[status]}",
            f"actual {actual} against target {target}",
        ]
        if h.low_sample[i, j]:
            lines.append("low sample: fewer survey answers than the minimum")
        return "\n".join(lines)

    def clear_chart(self) -> None:
        super().clear_chart()
        self.data = None
        self._ids = ()
        self._masks = None
        self.image.clear()
        self.no_data.setData(x=[], y=[])
        self.low.setData(x=[], y=[])
        self.set_bar(self.highlight, (), x0=[], x1=[], y=[])
        self.axis.set_labels([])
        self.tier_axis.set_labels([])
