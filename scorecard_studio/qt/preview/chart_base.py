"""What every preview chart shares: theme, label axes, tooltips, clicks and highlighting.

A chart is a pyqtgraph ``PlotWidget`` that keeps its plot items for its whole life and
only feeds them new numbers (``setData``/``setOpts``): re-creating items on every slider
step would cost far more than drawing them. The numbers come from ``chart_data``; hit
testing for tooltips and clicks is done on those numbers too (``hover_text``/``kpi_at``),
so tests can ask what a tooltip says at a point without moving a mouse.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QCursor,
    QFont,
    QFontMetrics,
    QPalette,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsItem, QToolTip, QWidget

from scorecard_studio.domain.units import PLAIN, Unit, format_value
from scorecard_studio.engines.scoring import ScoreResult
from scorecard_studio.qt.preview.axes import LabelAxis, PercentAxis, ScoreAxis, ValueAxis
from scorecard_studio.qt.preview.chart_data import FloatArray
from scorecard_studio.qt.preview.palette import palette


@dataclass(frozen=True, slots=True, eq=False)
class ChartInput:
    """Everything a chart draws from, as one value: charts never mix two of them.

    ``marginal`` is each KPI's headline points per point of its score at ``period``;
    ``design`` is the saved design's result while a what-if scenario is shown (None
    otherwise), so a chart can draw "before" beside "after".
    """

    result: ScoreResult
    period: int
    tier_id: str | None
    kpi_id: str | None
    marginal: FloatArray | None = None
    design: ScoreResult | None = None


def fmt_score(value: float) -> str:
    return "no data" if math.isnan(value) else f"{value:.3f}"


def fmt_value(value: float, unit: Unit | None = None) -> str:
    """A value in the KPI's units (the one wording of ``domain.units``), for tooltips."""
    return format_value(value, unit or PLAIN)


def elide(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_BRUSHES: dict[tuple[str, Qt.BrushStyle, int], QBrush] = {}
_PENS: dict[tuple[str, float, Qt.PenStyle], QPen] = {}


def brush(
    colour: str, style: Qt.BrushStyle = Qt.BrushStyle.SolidPattern, alpha: int = 255
) -> QBrush:
    """A cached brush: building thousands of brushes per update is measurable."""
    key = (colour, style, alpha)
    found = _BRUSHES.get(key)
    if found is None:
        qcolour = QColor(colour)
        qcolour.setAlpha(alpha)
        found = QBrush(qcolour, style)
        _BRUSHES[key] = found
    return found


def pen(colour: str, width: float = 1.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    key = (colour, width, style)
    found = _PENS.get(key)
    if found is None:
        found = QPen(QColor(colour), width, style)
        found.setCosmetic(True)
        _PENS[key] = found
    return found


class ChartWidget(pg.PlotWidget):  # type: ignore[misc]
    """Base of the preview charts: a themed plot with tooltips, clicks and a title."""

    kpiClicked = Signal(str)

    #: Shown as the chart's title and used as the default export file name.
    title = "Chart"
    #: Charts of axis-aligned bars and cells look the same without antialiasing and draw
    #: markedly faster; only charts with slanted lines need it.
    antialias = False

    def __init__(
        self,
        parent: QWidget | None = None,
        axis_items: dict[str, pg.AxisItem] | None = None,
    ) -> None:
        super().__init__(parent, axisItems=axis_items or {})
        self.input: ChartInput | None = None
        self.pal = palette(_is_dark(self))
        self._title_text = ""
        self._drawn_from: tuple[object, ...] = ()
        item = self.getPlotItem()
        for name in ("left", "bottom", "right", "top"):
            # An axis (and its grid lines across the plot) is redrawn from a cached pixmap
            # unless its range or labels changed: most slider steps change neither.
            item.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        item.setMenuEnabled(False)
        item.hideButtons()
        item.vb.setMouseEnabled(x=False, y=False)
        self.setAntialiasing(self.antialias)
        self.setMinimumSize(240, 180)
        self.scene().sigMouseMoved.connect(self._mouse_moved)
        self.scene().sigMouseClicked.connect(self._mouse_clicked)
        self.apply_palette()

    # --- to be provided by each chart ----------------------------------------------------

    def show_input(self, data: ChartInput) -> None:
        """Draw ``data`` (a new result, period, tier filter or selection)."""
        self.input = data

    def select(self, kpi_id: str | None) -> None:
        """Highlight one KPI without new numbers (cheaper than ``show_input``)."""

    def hover_text(self, x: float, y: float) -> str | None:
        """The tooltip at a point in data coordinates, or None."""
        return None

    def kpi_at(self, x: float, y: float) -> str | None:
        """The KPI a click at a point selects, or None."""
        return None

    def clear_chart(self) -> None:
        """Show nothing (no result)."""
        self.input = None
        self._drawn_from = ()
        self.__dict__.pop("_item_values", None)

    # --- cheap updates ---------------------------------------------------------------------

    def scores_unchanged(self, data: ChartInput, *extra: object) -> bool:
        """Whether ``data`` has the same KPI numbers as the last drawing (weights aside).

        KPI scores, statuses, actuals and targets do not depend on weights, and a what-if
        scorer reuses the very same arrays for a weight-only scenario, so identity is a
        complete and free test. Charts of KPI numbers skip their redraw when it holds.
        """
        r = data.result
        key: tuple[object, ...] = (
            r.score,
            r.status,
            r.targets,
            r.actuals,
            data.period,
            data.tier_id,
            self.pal,
            *extra,
        )
        same = len(key) == len(self._drawn_from) and all(
            a is b or (not hasattr(a, "shape") and a == b)
            for a, b in zip(key, self._drawn_from, strict=True)
        )
        self._drawn_from = key
        return same

    def changed(self, name: str, *values: Any) -> bool:
        """Whether ``values`` differ from those given under ``name`` last time; remembers them.

        A target step changes a few items of a chart and leaves the rest (a bullet's
        baseline and stretch ticks, its actual bars); setting an item's data again, even
        unchanged, costs a rebuild of its points and a repaint.
        """
        kept: dict[str, tuple[Any, ...]] = self.__dict__.setdefault("_item_values", {})
        before = kept.get(name)
        kept[name] = values
        return before is None or not same_values(before, values)

    def set_bar(self, bar: Any, key: tuple[object, ...], **opts: Any) -> None:
        """``setOpts`` on a bar item only when ``key`` differs from its last one.

        A highlight is re-asserted on every update; setting it again unchanged would still
        make the whole chart repaint.
        """
        if self.changed(f"bar:{id(bar)}", *key):
            bar.setOpts(**opts)

    @property
    def shown_title(self) -> str:
        """The title as drawn now (the class's ``title`` until a chart sets its own)."""
        return self._title_text or self.title

    def set_title(self, text: str) -> None:
        """Set the title only when it changes: a new title re-lays out the whole plot.

        A title longer than the chart is wide is elided ("Effective share of…"); the whole
        title is then the chart's tooltip away from its data.
        """
        if text != self._title_text:
            self._title_text = text
            self._draw_title()

    def _draw_title(self) -> None:
        text = self._title_text
        font = QFont(self.font())
        font.setPointSizeF(10)
        font.setBold(True)
        # The title is centred over the plot, not the widget: a row chart's long KPI names
        # on the left axis take their width from it.
        left = self.getPlotItem().getAxis("left")
        room = max(self.width() - (left.width() if left.isVisible() else 0) - 24, 60)
        shown = QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, room)
        if shown != getattr(self, "_title_drawn", None):
            self._title_drawn = shown
            self.getPlotItem().setTitle(shown, color=self.pal.foreground, size="10pt", bold=True)
            self.getPlotItem().titleLabel.setToolTip(text if shown != text else "")

    @property
    def drawn_title(self) -> str:
        """The title as it fits the chart's width now (elided when it does not)."""
        return str(getattr(self, "_title_drawn", self.shown_title))

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.__dict__.get("_title_text"):  # pyqtgraph resizes before __init__ ends
            self._draw_title()
        self.fit_legend_columns()

    def fit_legend_columns(self) -> int:
        """As many legend columns as the chart's width holds; the number of rows it takes.

        A legend row wider than the chart would widen the plot's layout past the widget and
        cut the plot's right edge off (the last tier of a heat map, say).
        """
        legend = self.__dict__.get("legend")  # resized once before a subclass made it
        if not isinstance(legend, pg.LegendItem) or not legend.items:
            return 0
        font = QFont(self.font())
        font.setPointSizeF(8)
        metrics = QFontMetrics(font)
        widest = max(metrics.horizontalAdvance(str(label.text)) for _s, label in legend.items)
        n = len(legend.items)
        columns = max(1, min(n, (self.width() - 60) // (widest + 34)))
        if columns != legend.columnCount:
            legend.setColumnCount(columns)
        # The estimate can be short of what the legend really takes (markers, spacing):
        # drop columns until the plot's layout fits inside the widget.
        layout = self.getPlotItem().layout
        while columns > 1 and layout.minimumWidth() > self.width():
            columns -= 1
            legend.setColumnCount(columns)
        rows: int = -(-n // columns)
        return rows

    def set_view(
        self,
        x: tuple[float, float] | None = None,
        y: tuple[float, float] | None = None,
    ) -> None:
        """Set the visible range only when it changes (axes redraw on every new range)."""
        vb = self.getPlotItem().vb
        (x0, x1), (y0, y1) = vb.viewRange()
        kwargs: dict[str, Any] = {}
        if x is not None and not (math.isclose(x0, x[0]) and math.isclose(x1, x[1])):
            kwargs["xRange"] = x
        if y is not None and not (math.isclose(y0, y[0]) and math.isclose(y1, y[1])):
            kwargs["yRange"] = y
        if kwargs:
            vb.setRange(padding=0, **kwargs)

    # --- theme ---------------------------------------------------------------------------

    def apply_palette(self) -> None:
        pal = self.pal
        self.setBackground(pal.background)
        item = self.getPlotItem()
        for name in ("left", "bottom", "right", "top"):
            axis = item.getAxis(name)
            axis.setPen(pen(pal.muted))
            axis.setTextPen(pen(pal.foreground))
        title, self._title_text = self._title_text or self.title, ""
        self.__dict__.pop("_title_drawn", None)
        self._drawn_from = ()
        self.__dict__.pop("_item_values", None)
        self.set_title(title)
        self.restyle()

    def restyle(self) -> None:
        """Recolour the chart's own items after a palette change."""
        if self.input is not None:
            self.show_input(self.input)

    def set_dark(self, dark: bool) -> None:
        if self.pal.dark != dark:
            self.pal = palette(dark)
            self.apply_palette()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and "pal" in self.__dict__:
            self.set_dark(_is_dark(self))
        super().changeEvent(event)

    # --- mouse ---------------------------------------------------------------------------

    def _to_view(self, scene_pos: QPointF) -> tuple[float, float] | None:
        vb = self.getPlotItem().vb
        if not vb.sceneBoundingRect().contains(scene_pos):
            return None
        point = vb.mapSceneToView(scene_pos)
        return point.x(), point.y()

    def _mouse_moved(self, scene_pos: QPointF) -> None:
        at = self._to_view(scene_pos)
        text = None if at is None or self.input is None else self.hover_text(*at)
        if text:
            QToolTip.showText(QCursor.pos(), text, self)
        else:
            QToolTip.hideText()

    def _mouse_clicked(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.input is None:
            return
        at = self._to_view(event.scenePos())
        if at is None:
            return
        kpi = self.kpi_at(*at)
        if kpi is not None:
            self.kpiClicked.emit(kpi)


def _is_dark(widget: QWidget) -> bool:
    return bool(widget.palette().color(QPalette.ColorRole.Window).lightness() < 128)


def text_item(colour: str, anchor: tuple[float, float] = (0, 0.5), bold: bool = False) -> Any:
    item = pg.TextItem(color=colour, anchor=anchor)
    font = QFont()
    font.setPointSizeF(8.5)
    font.setBold(bold)
    item.setFont(font)
    return item


def rows_in_view(chart: ChartWidget, n_rows: int) -> tuple[int, int]:
    """First and one-past-last row index shown on a chart whose rows run along y."""
    (_x0, _x1), (y0, y1) = chart.getPlotItem().vb.viewRange()
    lo = max(0, math.floor(min(y0, y1)))
    hi = min(n_rows, math.ceil(max(y0, y1)) + 1)
    return lo, max(lo, hi)


def finite(values: FloatArray) -> FloatArray:
    out: FloatArray = np.where(np.isfinite(values), values, np.nan)
    return out


class RowChart(ChartWidget):
    """A chart with one row per KPI that shows a scrollable window of rows.

    A 1,000-KPI scorecard is drawn a screenful at a time: the wheel scrolls three rows per
    notch, a resize keeps the first visible row, and the left axis is as wide as the
    longest (elided) label. Subclasses say how many rows there are and how tall one is.
    """

    #: Pixels per row at which labels stay readable.
    row_px = 20
    #: A short scorecard is stretched to fill at least this many row slots.
    min_rows = 1
    axis: pg.AxisItem
    _first = 0

    def outline_row(
        self, row: int | None, x0: float, x1: float, *, fill_alpha: int, width: float
    ) -> None:
        """Outline the selected KPI's row from ``x0`` to ``x1`` on ``self.highlight`` (a
        bar item each row chart keeps); ``None`` clears it."""
        if row is None:
            self.set_bar(self.highlight, (), x0=[], x1=[], y=[])
            return
        y = float(row)
        self.set_bar(
            self.highlight,
            (y, float(x0), float(x1), self.pal.dark),
            x0=[x0],
            x1=[x1],
            y=[y],
            height=1.0,
            brush=brush(self.pal.highlight, alpha=fill_alpha),
            pen=pen(self.pal.highlight, width),
        )

    def _row_count(self) -> int:
        raise NotImplementedError

    def _visible_rows(self) -> int:
        height = self.getPlotItem().vb.height() or self.height()
        fit = max(3, int(height // self.row_px))
        return min(fit, max(self._row_count(), self.min_rows))

    def _set_window(self, first: int) -> None:
        n = self._row_count()
        rows = self._visible_rows()
        self._first = max(0, min(first, max(0, n - rows)))
        self._show_rows(n, rows)

    def _show_rows(self, n: int, rows: int) -> None:
        vb = self.getPlotItem().vb
        vb.setLimits(yMin=-0.5, yMax=max(n, rows) - 0.5)
        vb.setYRange(self._first - 0.5, self._first + rows - 0.5, padding=0)

    def _scrolled(self, _vb: object, y_range: tuple[float, float]) -> None:
        self._first = max(0, math.ceil(min(y_range) - 0.5))

    def _after_wheel(self) -> None:
        """Called once the wheel moved the window (charts that draw only visible rows)."""

    def _fit_axis_width(self, names: list[str]) -> None:
        metrics = QFontMetrics(self.axis.style.get("tickFont") or self.font())
        widest = max((metrics.horizontalAdvance(elide(n)) for n in names[:2000]), default=40)
        self.axis.setWidth(min(widest + 14, 240))

    def wheelEvent(self, event: QWheelEvent) -> None:
        """The wheel scrolls rows (three per notch) instead of zooming."""
        steps = event.angleDelta().y() / 120
        if steps and self._row_count():
            self._set_window(self._first - round(steps * 3))
            self._after_wheel()
        event.accept()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if "axis" in self.__dict__ and self._row_count():
            self._set_window(self._first)


def same_value(x: Any, y: Any) -> bool:
    """Equality of two values that may be numpy arrays (NaN equals NaN; an array never
    equals a non-array)."""
    if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
        if not (isinstance(x, np.ndarray) and isinstance(y, np.ndarray)):
            return False
        nan = x.dtype.kind == "f" and y.dtype.kind == "f"
        return x.shape == y.shape and bool(np.array_equal(x, y, equal_nan=nan))
    return x is y or bool(x == y)


def same_values(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    """Element-wise :func:`same_value` of two tuples."""
    return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))


__all__ = [
    "ChartInput",
    "ChartWidget",
    "LabelAxis",
    "PercentAxis",
    "RowChart",
    "ScoreAxis",
    "ValueAxis",
    "brush",
    "elide",
    "fmt_score",
    "fmt_value",
    "pen",
]
