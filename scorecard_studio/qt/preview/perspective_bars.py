"""Perspective scores per tier as grouped bars, with the headline and the RAG thresholds.

Bars are coloured by tier (a legend names them); each bar's status is a shape above it
(circle green, triangle amber, square red, cross no data) so status never rests on
colour. The headline is a labelled line across the chart.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QWidget

from scorecard_studio.qt.preview import chart_data as cd
from scorecard_studio.qt.preview.chart_base import (
    ChartInput,
    ChartWidget,
    LabelAxis,
    ScoreAxis,
    brush,
    fmt_score,
    pen,
)
from scorecard_studio.qt.preview.palette import STATUS_MARKS, STATUS_NAMES, STATUS_SYMBOLS


class PerspectiveBarsChart(ChartWidget):
    title = "Perspective scores by tier"

    def __init__(self, parent: QWidget | None = None) -> None:
        axis = LabelAxis("bottom", spacing_px=80, every=True)
        super().__init__(parent, {"bottom": axis, "left": ScoreAxis("left")})
        self.axis = axis
        self.data: cd.PerspectiveBars | None = None
        item = self.getPlotItem()
        item.setLabel("left", "Score")
        item.showGrid(x=False, y=True, alpha=0.25)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.1)
        self.marks = pg.ScatterPlotItem(size=9, pxMode=True)
        self.headline = pg.InfiniteLine(angle=0, movable=False)
        self.headline_label = pg.InfLineLabel(
            self.headline, "", position=0.01, anchors=[(0, 1), (0, 1)]
        )
        self.amber_line = pg.InfiniteLine(angle=0, movable=False)
        self.green_line = pg.InfiniteLine(angle=0, movable=False)
        for it in (self.amber_line, self.green_line, self.bars, self.marks, self.headline):
            item.addItem(it)
        # Under the axis, in the plot's own layout: over the plot it hid bars and the
        # headline read-out whenever the chart was narrow.
        self.legend = pg.LegendItem(labelTextSize="8pt", colCount=5)
        item.layout.addItem(self.legend, 4, 0, 1, 2)
        self._legend_key: tuple[object, ...] = ()
        # Under the plot too: over it, the read-out sat on the headline line's own label.
        self.headline_text = pg.LabelItem(justify="left", size="9pt")
        item.layout.addItem(self.headline_text, 5, 1)
        self.restyle()

    def show_input(self, data: ChartInput) -> None:
        super().show_input(data)
        self.data = bars = cd.perspective_bars(data.result, data.period, data.tier_id)
        pal = self.pal
        n_p, n_t = bars.height.shape
        colours = [pal.tier_colour(t, bars.n_real_tiers) for t in bars.tier_rows]
        heights = np.nan_to_num(bars.height).ravel()
        self.bars.setOpts(
            x=bars.x.ravel(),
            height=heights,
            width=bars.width * 0.92,
            brushes=[brush(colours[j]) for _i in range(n_p) for j in range(n_t)],
            pens=None,  # filled without outlines: the fast path of BarGraphItem
            pen=None,
        )
        status = bars.status.ravel()
        self.marks.setData(
            x=bars.x.ravel(),
            y=heights + 0.045 * max(bars.cap, 1.0),
            symbol=[STATUS_SYMBOLS[int(s)] for s in status],
            brush=[brush(pal.status[int(s)]) for s in status],
            pen=pen(pal.foreground, 0.8),
        )
        self.axis.set_labels(list(bars.perspective_names), spacing_px=80)
        head = bars.headline
        self.headline.setVisible(not math.isnan(head))
        mark = STATUS_MARKS[bars.headline_status]
        if not math.isnan(head):
            self.headline.setValue(head)
            self.headline_label.setFormat("")  # named by the read-out under the plot
        # A label of its own rather than the title: a changing title re-lays out the whole
        # chart on every slider step.
        self.headline_text.setText(
            f"- - Headline {fmt_score(head)} {mark} {STATUS_NAMES[bars.headline_status]}",
            color=pal.foreground,
            bold=True,
        )
        self.amber_line.setValue(bars.amber)
        self.green_line.setValue(bars.green)
        top = max(bars.cap, bars.green) * 1.12
        self.set_view(x=(-0.6, max(n_p, 1) - 0.4), y=(0, top))
        self._update_legend(bars, colours)

    def _update_legend(self, bars: cd.PerspectiveBars, colours: list[str]) -> None:
        key = (bars.tier_names, tuple(colours), self.pal.dark)
        if key == self._legend_key:
            return  # rebuilding the legend on every slider step would be wasted work
        self._legend_key = key
        self.legend.clear()
        for name, colour in zip(bars.tier_names, colours, strict=True):
            sample = pg.ScatterPlotItem(symbol="s", size=10, brush=brush(colour), pen=None)
            self.legend.addItem(sample, name)
        self._fit_legend()

    def _fit_legend(self) -> None:
        """As many legend columns as the width holds; no legend where it would need more
        than two rows (a narrow chart keeps its bars; tooltips name the tiers)."""
        rows = self.fit_legend_columns()
        if not rows:
            return
        shown = rows <= 2
        layout = self.getPlotItem().layout
        if shown and not self.legend.isVisible():
            layout.addItem(self.legend, 4, 0, 1, 2)
            self.legend.setVisible(True)
        elif not shown and self.legend.isVisible():
            layout.removeItem(self.legend)
            self.legend.setVisible(False)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_legend()  # after the base class fitted the columns

    def restyle(self) -> None:
        pal = self.pal
        if not hasattr(self, "headline"):
            return
        self.headline.setPen(pen(pal.foreground, 1.5, Qt.PenStyle.DashLine))
        self.headline_label.setColor(pal.foreground)
        self.amber_line.setPen(pen(pal.status[cd.AMBER], 1, Qt.PenStyle.DotLine))
        self.green_line.setPen(pen(pal.status[cd.GREEN], 1, Qt.PenStyle.DotLine))
        self.legend.setLabelTextColor(pal.foreground)
        self._legend_key = ()
        super().restyle()

    def _bar_at(self, x: float, y: float) -> tuple[int, int] | None:
        bars = self.data
        if bars is None or bars.x.size == 0:
            return None
        half = bars.width / 2
        hits = np.argwhere(np.abs(bars.x - x) <= half)
        if hits.size == 0:
            return None
        i, j = (int(v) for v in hits[0])
        return i, j

    def hover_text(self, x: float, y: float) -> str | None:
        bars = self.data
        at = self._bar_at(x, y)
        if bars is None or at is None:
            return None
        i, j = at
        status = int(bars.status[i, j])
        return (
            f"{bars.perspective_names[i]} — {bars.tier_names[j]}\n"
            f"score {fmt_score(float(bars.height[i, j]))} {STATUS_MARKS[status]} "
            f"{STATUS_NAMES[status]}\n"
            f"coverage {bars.coverage[i, j]:.0%}\n"
            f"tier score {fmt_score(float(bars.tier_score[j]))}; "
            f"headline {fmt_score(bars.headline)}"
        )

    def clear_chart(self) -> None:
        super().clear_chart()
        self.data = None
        self.bars.setOpts(x=[], height=[], brushes=None, pens=None)
        self.marks.setData(x=[], y=[])
        self.headline.setVisible(False)
        self.headline_text.setText("")
        self.axis.set_labels([])
