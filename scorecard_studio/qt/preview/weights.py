"""Weights: each KPI's effective share of the headline, largest first.

Weights are relative at every level, so what a KPI is worth to the headline is the product
of its share among its siblings down the tree; this chart shows that product. While a
what-if scenario is open, the saved design's share is drawn as an outline behind each
bar, and a diamond marks the KPI's marginal effect at the chosen period (which equals the
share when every score is present and grows where others are missing).
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
    PercentAxis,
    RowChart,
    brush,
    elide,
    pen,
    same_values,
)

ROW_PX = 20


class WeightsChart(RowChart):
    title = "Effective share of the headline"
    row_px = ROW_PX

    def __init__(self, parent: QWidget | None = None) -> None:
        axis = LabelAxis("left", spacing_px=14)
        super().__init__(parent, {"left": axis, "bottom": PercentAxis("bottom")})
        self.axis = axis
        self.data: cd.Weights | None = None
        self._first = 0
        self._order_key: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())  # (ids, names)
        self._names_key: tuple[str, ...] = ()
        self._numbers: tuple[object, ...] = ()
        item = self.getPlotItem()
        item.showGrid(x=True, y=False, alpha=0.25)
        vb = item.vb
        vb.invertY(True)
        vb.setMouseEnabled(x=False, y=True)
        self.highlight = pg.BarGraphItem(x0=[], x1=[], y=[], height=1.0)
        self.design = pg.BarGraphItem(x0=[], x1=[], y=[], height=0.72)
        self.bars = pg.BarGraphItem(x0=[], x1=[], y=[], height=0.56)
        self.marginal = pg.ScatterPlotItem(symbol="d", size=9)
        for it in (self.highlight, self.design, self.bars, self.marginal):
            item.addItem(it)
        # Under the axis, in the plot's own layout: over the plot it hid the longest bars.
        self.legend = pg.LegendItem(labelTextSize="8pt", colCount=3)
        self.getPlotItem().layout.addItem(self.legend, 4, 0, 1, 2)
        self._legend_key: tuple[object, ...] = ()
        vb.sigYRangeChanged.connect(self._scrolled)
        self.restyle()

    def show_input(self, data: ChartInput) -> None:
        super().show_input(data)
        design_share = data.design.effective_share if data.design is not None else None
        if design_share is not None and design_share.shape != data.result.effective_share.shape:
            design_share = None
        # The names belong to the key: a rename keeps every number.
        names = tuple(k.name for k in data.result.kpis)
        numbers = (data.result.effective_share, data.marginal, design_share, self.pal, names)
        if self.data is not None and same_values(numbers, self._numbers):
            self._draw_highlight()  # a target step: shares and effects are unchanged
            return
        self._numbers = numbers
        w = self.data = cd.weights(data.result, data.marginal, design_share)
        pal = self.pal
        n = len(w.kpi_ids)
        y = np.arange(n, dtype=np.float64)
        if (w.kpi_ids, w.names) != self._order_key:
            self._order_key = (w.kpi_ids, w.names)
            self.axis.set_labels([elide(name) for name in w.names])
            if names != self._names_key:  # a new order of the same names keeps the width
                self._names_key = names
                self._fit_axis_width(list(w.names))
            self._set_window(self._first)
        self.bars.setOpts(
            x0=np.zeros(n), x1=w.share, y=y, height=0.56, brush=brush(pal.tiers[0]), pen=None
        )
        if w.design_share is not None:
            self.design.setOpts(
                x0=np.zeros(n),
                x1=w.design_share,
                y=y,
                height=0.8,
                brush=brush(pal.background, alpha=0),
                pen=pen(pal.foreground, 1.2, Qt.PenStyle.DashLine),
            )
        else:
            self.design.setOpts(x0=[], x1=[], y=[])
        if w.marginal is not None:
            ok = np.isfinite(w.marginal)
            self.marginal.setData(x=w.marginal[ok], y=y[ok])
        else:
            self.marginal.setData(x=[], y=[])
        top = float(np.nanmax(w.share)) if n else 0.0
        if w.design_share is not None and n:
            top = max(top, float(np.nanmax(w.design_share)))
        if w.marginal is not None and np.isfinite(w.marginal).any():
            top = max(top, float(np.nanmax(w.marginal)))
        vb = self.getPlotItem().vb
        # Rounded up to 5 % so that a small weight step keeps the axis (and its cached
        # drawing) as it was.
        x_max = max(math.ceil(top * 1.1 / 0.05) * 0.05, 0.05)
        vb.setLimits(xMin=0, xMax=x_max)
        self.set_view(x=(0.0, x_max))
        self._draw_highlight()
        self._update_legend(w)

    def _update_legend(self, w: cd.Weights) -> None:
        key = (self.pal.dark, w.design_share is not None, w.marginal is not None)
        if key == self._legend_key:
            return
        self._legend_key = key
        pal = self.pal
        self.legend.clear()
        self.legend.addItem(
            pg.BarGraphItem(x=[0], height=[1], width=1, brush=brush(pal.tiers[0])), "share"
        )
        if w.design_share is not None:
            self.legend.addItem(
                pg.BarGraphItem(
                    x=[0],
                    height=[1],
                    width=1,
                    brush=brush(pal.background, alpha=0),
                    pen=pen(pal.foreground, 1.2, Qt.PenStyle.DashLine),
                ),
                "saved design",
            )
        if w.marginal is not None:
            self.legend.addItem(
                pg.ScatterPlotItem(
                    symbol="d", size=9, brush=brush(pal.tiers[1]), pen=pen(pal.foreground)
                ),
                "headline pts per pt",
            )
        self.fit_legend_columns()

    def select(self, kpi_id: str | None) -> None:
        w = self.data
        if w is not None and kpi_id in w.kpi_ids:
            row = w.kpi_ids.index(kpi_id)
            rows = self._visible_rows()
            if not self._first <= row < self._first + rows:
                self._set_window(row - rows // 2)
        self._draw_highlight()

    def _draw_highlight(self) -> None:
        w = self.data
        kpi = self.input.kpi_id if self.input is not None else None
        row = w.kpi_ids.index(kpi) if w is not None and kpi in w.kpi_ids else None
        _x0, x1 = self.getPlotItem().vb.viewRange()[0]
        self.outline_row(row, 0.0, x1, fill_alpha=34, width=1.0)

    def _row_count(self) -> int:
        return len(self._order_key[0])

    def restyle(self) -> None:
        if not hasattr(self, "marginal"):
            return
        pal = self.pal
        self.marginal.setBrush(brush(pal.tiers[1]))
        self.marginal.setPen(pen(pal.foreground, 1.0))
        self.legend.setLabelTextColor(pal.foreground)
        self._legend_key = ()
        super().restyle()

    def _row_at(self, y: float) -> int | None:
        w = self.data
        row = round(y)
        if w is None or not 0 <= row < len(w.kpi_ids):
            return None
        return row

    def kpi_at(self, x: float, y: float) -> str | None:
        row = self._row_at(y)
        return None if row is None or self.data is None else self.data.kpi_ids[row]

    def hover_text(self, x: float, y: float) -> str | None:
        w = self.data
        row = self._row_at(y)
        if w is None or row is None:
            return None
        lines = [w.names[row], f"share of the headline {w.share[row]:.2%}"]
        if w.design_share is not None:
            lines.append(f"saved design {w.design_share[row]:.2%}")
        if w.marginal is not None:
            m = float(w.marginal[row])
            lines.append(
                "no score this period: cannot move the headline"
                if math.isnan(m)
                else f"headline moves {m:.4f} points per point of this KPI's score"
            )
        return "\n".join(lines)

    def clear_chart(self) -> None:
        super().clear_chart()
        self.data = None
        self._order_key = ((), ())
        self._names_key = ()
        self._numbers = ()
        self.axis.set_labels([])
        for bar in (self.bars, self.design, self.highlight):
            bar.setOpts(x0=[], x1=[], y=[])
        self.marginal.setData(x=[], y=[])
