"""Trends: the selected KPI's actual by period, one line per tier, with its target lines.

Each tier's actual is a solid line in the tier's colour with its name written at the end
of the line (so tiers are told apart without colour); names of lines that end close
together are spread apart with a thin leader to their line (:mod:`.label_layout`), so they
never print over each other. The points take the status shape
of that period. The tier's target is a dashed line in the same colour, drawn as a short
level across each period (so a target of a single period is still seen, without a marker
item to keep in step); the chosen period is a vertical line.
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
    ChartWidget,
    LabelAxis,
    ValueAxis,
    brush,
    fmt_score,
    fmt_value,
    pen,
    same_value,
    text_item,
)
from scorecard_studio.qt.preview.label_layout import spread
from scorecard_studio.qt.preview.palette import STATUS_MARKS, STATUS_NAMES, STATUS_SYMBOLS

LEVEL_HALF_WIDTH = 0.3  # of a period: the target level's reach either side of its point
LABEL_OFFSET = 0.12  # of a period: a label's distance right of its line's end
MOVED_LABEL_OFFSET = 0.3  # ... when it has been moved and a leader joins it to its line
LABEL_GAP_PX = 2.0  # between two spread labels
LABEL_PAD_PX = 6.0  # between a tier name and the plot's right edge
MAX_LABEL_SHARE = 0.4  # of the plot's width that the tier names may take


class TrendsChart(ChartWidget):
    title = "Trend"
    antialias = True

    def __init__(self, parent: QWidget | None = None) -> None:
        axis = LabelAxis("bottom", spacing_px=64)
        self.value_axis = ValueAxis("left")
        super().__init__(parent, {"bottom": axis, "left": self.value_axis})
        self.axis = axis
        self.data: cd.Trend | None = None
        self.actual_lines: list[pg.PlotDataItem] = []
        self.target_lines: list[pg.PlotCurveItem] = []
        self.labels: list[pg.TextItem] = []
        self.leaders: list[pg.PlotCurveItem] = []
        #: Where each tier's line ends (x, y), None for a tier without data.
        self.label_anchors: list[tuple[float, float] | None] = []
        self._series: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._series_style: tuple[object, ...] = ()
        self._range_key: tuple[object, ...] = ()
        item = self.getPlotItem()
        item.showGrid(x=False, y=True, alpha=0.25)
        self.period_line = pg.InfiniteLine(angle=90, movable=False)
        item.addItem(self.period_line)
        self.points = pg.ScatterPlotItem()
        self.points.setZValue(10)
        item.addItem(self.points)
        item.vb.sigRangeChanged.connect(self.layout_labels)
        item.vb.sigResized.connect(self.layout_labels)
        self.restyle()

    def _ensure_lines(self, n: int) -> None:
        """Keep exactly n line pairs; items are reused across updates, only added or hidden."""
        item = self.getPlotItem()
        while len(self.actual_lines) < n:
            actual = pg.PlotDataItem()
            target = pg.PlotCurveItem()
            label = text_item(self.pal.foreground, anchor=(0, 0.5))
            leader = pg.PlotCurveItem()
            for it in (target, actual, leader, label):
                item.addItem(it)
            self.actual_lines.append(actual)
            self.target_lines.append(target)
            self.labels.append(label)
            self.leaders.append(leader)
            self.label_anchors.append(None)
        for i, (a, t, lab, lead) in enumerate(
            zip(self.actual_lines, self.target_lines, self.labels, self.leaders, strict=True)
        ):
            visible = i < n
            a.setVisible(visible)
            t.setVisible(visible)
            lab.setVisible(visible)
            lead.setVisible(visible)
            if not visible:
                self.label_anchors[i] = None

    def show_input(self, data: ChartInput) -> None:
        super().show_input(data)
        result = data.result
        kpi_id = data.kpi_id if data.kpi_id in result.actuals.kpi_ids else None
        if kpi_id is None:
            if not result.kpis:
                self.clear_chart()
                return
            kpi_id = result.kpis[0].id
        kpi = result.kpis[result.actuals.kpi_ids.index(kpi_id)]
        if self.scores_unchanged(data, kpi_id, kpi.name, kpi.unit) and self.data is not None:
            return  # a weight step: this KPI's series are the same numbers
        tr = self.data = cd.trend(result, kpi_id, data.period, data.tier_id)
        pal = self.pal
        n_t, n_p = tr.actual.shape
        x = np.arange(n_p, dtype=np.float64)
        self._ensure_lines(n_t)
        previous = self._series
        same_style = self._series_style == (tr.tier_rows, pal)
        self._series = [(tr.actual[j], tr.status[j], tr.target[j]) for j in range(n_t)]
        points_changed = not same_style or len(previous) != n_t
        for j, row in enumerate(tr.tier_rows):
            colour = pal.tier_colour(row, tr.n_real_tiers)
            old = previous[j] if same_style and j < len(previous) else None
            if old is None or not same_value(old[2], tr.target[j]):
                tx, ty = _levels(tr.target[j])
                self.target_lines[j].setData(
                    tx, ty, connect="finite", pen=pen(colour, 1.5, Qt.PenStyle.DashLine)
                )
            if old is not None and same_value(old[0], tr.actual[j]):
                points_changed = points_changed or not same_value(old[1], tr.status[j])
                continue  # the line and its label stay; a status shape may change below
            points_changed = True
            self.actual_lines[j].setData(x, tr.actual[j], connect="finite", pen=pen(colour, 2.0))
            last = np.flatnonzero(~np.isnan(tr.actual[j]))
            label = self.labels[j]
            if last.size:
                label.setText(tr.tier_names[j])
                label.setColor(colour)
                self.leaders[j].setPen(pen(colour, 1.0))
                self.label_anchors[j] = (float(last[-1]), float(tr.actual[j, last[-1]]))
            else:
                label.setText("")
                self.label_anchors[j] = None
        self._series_style = (tr.tier_rows, pal)
        if points_changed:
            # Every tier's points in one item: one call instead of one per tier, and the
            # point shapes carry the status of each period.
            ok = ~np.isnan(tr.actual)
            rows, cols = np.nonzero(ok)
            colours = [pal.tier_colour(r, tr.n_real_tiers) for r in tr.tier_rows]
            codes = tr.status[ok]
            self.points.setData(
                x=cols.astype(np.float64),
                y=tr.actual[ok],
                symbol=[STATUS_SYMBOLS[int(c)] for c in codes],
                brush=[brush(pal.status[int(c)]) for c in codes],
                pen=[pen(colours[r], 1.5) for r in rows],
                size=8,
            )
        self.period_line.setValue(float(data.period))
        self.axis.set_labels(list(tr.period_labels), spacing_px=64)
        self.value_axis.set_unit(tr.unit)
        unit = f" ({tr.unit.symbol})" if tr.unit.symbol else ""
        self.set_title(f"Trend — {tr.name}{unit}")
        values = np.concatenate([tr.actual.ravel(), tr.target.ravel()])
        values = values[np.isfinite(values)]
        if values.size:
            lo, hi = float(values.min()), float(values.max())
            pad = (hi - lo) * 0.08 or max(abs(hi) * 0.1, 1.0)
            start, end = data_span(tr.actual, tr.target, data.period)
            # The axis spans the periods with data (and the chosen one), not every period
            # of the scorecard: a KPI whose data starts in 2024 does not begin in 2019.
            self.set_view(x=(start - 0.4, end + 0.9), y=self._y_range(tr, lo - pad, hi + pad))
        self.getPlotItem().hideAxis("right")  # one value axis, always on the left
        self.layout_labels()

    def layout_labels(self, *_args: object) -> None:
        """Place the tier names at their lines' ends, spread apart where they would overlap.

        Labels keep their size on screen whatever the zoom, so the spacing they need is
        worked out in pixels and turned into the y axis's units; it is redone when the
        range or the size of the plot changes.
        """
        vb = self.getPlotItem().vb
        (y0, y1), height = vb.viewRange()[1], vb.height()
        shown = [j for j, anchor in enumerate(self.label_anchors) if anchor is not None]
        if not shown or height <= 0 or y1 <= y0:
            for leader in self.leaders:
                leader.setData([], [])
            return
        per_px = (y1 - y0) / height
        label_px = max(self.labels[j].textItem.boundingRect().height() for j in shown)
        gap = (label_px + LABEL_GAP_PX) * per_px
        half = label_px / 2 * per_px  # a label is centred on its position
        wanted = [self.label_anchors[j][1] for j in shown]  # type: ignore[index]
        placed = spread(wanted, gap, y0 + half, y1 - half)
        ends: list[tuple[float, float]] = []  # (label's left in data units, its width in px)
        for j, y in zip(shown, placed, strict=True):
            x, y_end = self.label_anchors[j]  # type: ignore[misc]
            moved = abs(y - y_end) > gap / 4
            offset = MOVED_LABEL_OFFSET if moved else LABEL_OFFSET
            self.labels[j].setPos(x + offset, y)
            ends.append((x + offset, self.labels[j].textItem.boundingRect().width()))
            if moved:
                self.leaders[j].setData([x + 0.04, x + offset - 0.03], [y_end, y])
            else:
                self.leaders[j].setData([], [])
        self._make_room(ends)

    def _make_room(self, ends: list[tuple[float, float]]) -> None:
        """Widen the x range on the right until every tier name fits inside the plot.

        A name is as wide in pixels whatever the number of periods, so with three years of
        months a fixed margin in periods would cut it. The right edge R that leaves a
        label of ``w`` px starting at ``left`` inside a plot of ``W`` px whose left edge is
        ``a`` solves ``R - left = (w + pad) * (R - a) / W``. Asking again after the widening
        gives the same edge, so the range signal this sends settles at once.
        """
        vb = self.getPlotItem().vb
        (x0, x1), width = vb.viewRange()[0], vb.width()
        if not ends or width <= 0 or x1 <= x0:
            return
        right = x1
        for left, label_px in ends:
            k = min((label_px + LABEL_PAD_PX) / width, MAX_LABEL_SHARE)
            right = max(right, (left - k * x0) / (1 - k))
        if right > x1 * (1 + 1e-9) + 1e-9:
            vb.setXRange(x0, right, padding=0)

    def _y_range(self, tr: cd.Trend, lo: float, hi: float) -> tuple[float, float]:
        """The y range to show: the data's, unless the same series still fits the current one.

        While a target is dragged the data's range moves on every step; keeping the axis
        while the lines still fit (and fill at least two thirds of it) stops the axis
        jumping under the user's eyes, and spares the axes a redraw per step.
        """
        key = (tr.kpi_id, tr.tier_rows)
        same_series, self._range_key = key == self._range_key, key
        (y0, y1) = self.getPlotItem().vb.viewRange()[1]
        if same_series and y0 <= lo and hi <= y1 and (hi - lo) >= (y1 - y0) * 2 / 3:
            return y0, y1
        return lo, hi

    def restyle(self) -> None:
        if not hasattr(self, "period_line"):
            return
        self.period_line.setPen(pen(self.pal.muted, 1.0, Qt.PenStyle.DotLine))
        super().restyle()

    def hover_text(self, x: float, y: float) -> str | None:
        tr, data = self.data, self.input
        if tr is None or data is None:
            return None
        p = round(x)
        if not 0 <= p < len(tr.period_labels):
            return None
        column = tr.actual[:, p]
        if np.isnan(column).all():
            return f"{tr.name} — {tr.period_labels[p]}\nno data"
        j = int(np.nanargmin(np.abs(column - y)))  # the tier whose point is nearest
        status = int(tr.status[j, p])
        lines = [
            f"{tr.name} — {tr.tier_names[j]}, {tr.period_labels[p]}",
            f"actual {fmt_value(float(tr.actual[j, p]), tr.unit)}"
            + (" (low sample)" if tr.low_sample[j, p] else ""),
            f"target {fmt_value(float(tr.target[j, p]), tr.unit)}",
            f"score {fmt_score(float(tr.score[j, p]))} {STATUS_MARKS[status]} "
            f"{STATUS_NAMES[status]}",
        ]
        if not math.isnan(tr.stretch[j, p]):
            lines.insert(3, f"stretch {fmt_value(float(tr.stretch[j, p]), tr.unit)}")
        return "\n".join(lines)

    def kpi_at(self, x: float, y: float) -> str | None:
        return None if self.data is None else self.data.kpi_id

    def clear_chart(self) -> None:
        super().clear_chart()
        self.data = None
        self._series = []
        self._range_key = ()
        self.points.setData(x=[], y=[])
        self._ensure_lines(0)
        self.axis.set_labels([])
        self.set_title(self.title)


def _levels(target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A target by period as a level across each period: two points per period.

    Consecutive periods join (a change of target shows as a short slope between them);
    a period without a target breaks the line.
    """
    x = np.arange(target.size, dtype=np.float64)
    xs = np.empty(2 * target.size)
    xs[0::2], xs[1::2] = x - LEVEL_HALF_WIDTH, x + LEVEL_HALF_WIDTH
    return xs, np.repeat(target.astype(np.float64), 2)


def data_span(actual: np.ndarray, target: np.ndarray, period: int) -> tuple[int, int]:
    """First and last period with an actual in any tier (with a target when no period has
    an actual), widened to include ``period``. Targets alone do not widen it: a default
    target applies to every period of the scorecard, data or not."""
    found = np.flatnonzero(np.isfinite(actual).any(axis=0))
    if not found.size:
        found = np.flatnonzero(np.isfinite(target).any(axis=0))
    if not found.size:
        return 0, max(actual.shape[-1] - 1, 0)
    return min(int(found[0]), period), max(int(found[-1]), period)
