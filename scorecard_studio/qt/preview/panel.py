"""The Preview: every chart of the scorecard, one period selector and one tier filter.

All charts read the same frame (see ``recompute``) and are redrawn together in one
synchronous pass with painting suspended, so no chart ever shows a different state from
its neighbours. Clicking a KPI in any chart selects it here (every chart highlights it,
the trend switches to it) and emits :attr:`PreviewPanel.kpiActivated` so the window can
select it in the editor; the window calls :meth:`PreviewPanel.select_kpi` the other way.

pyqtgraph is imported when the first result arrives, not when the window starts.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from scorecard_studio.domain.model import STATUS_BY_CODE, STATUS_MARKS
from scorecard_studio.qt.preview.live_label import LiveLabel
from scorecard_studio.qt.preview.recompute import SYNC_CELL_LIMIT
from scorecard_studio.qt.preview.state import PreviewState

if TYPE_CHECKING:
    from scorecard_studio.qt.document import ScorecardDocument
    from scorecard_studio.qt.preview.chart_base import ChartWidget
    from scorecard_studio.qt.preview.recompute import Frame
    from scorecard_studio.qt.preview.whatif import WhatIfPanel

MARKS = STATUS_MARKS
STATUS_LEGEND = "Status: ● green   ▲ amber   ■ red   × no data   ○ low sample"
#: Narrower than this, two charts side by side are no longer readable.
CHARTS_MIN_WIDTH = 520


class PreviewPanel(QWidget):
    """Charts of the open scorecard, with what-if controls beside them."""

    kpiActivated = Signal(str)
    #: The what-if controls were shown (True) or hidden, from the panel's own button too,
    #: so a window's menu action can follow.
    whatifToggled = Signal(bool)

    def __init__(
        self,
        document: ScorecardDocument,
        parent: QWidget | None = None,
        *,
        sync_cell_limit: int = SYNC_CELL_LIMIT,
    ) -> None:
        super().__init__(parent)
        self.document = document
        document.loadingChanged.connect(self._loading_changed)
        self.state = PreviewState(document, self, sync_cell_limit)
        self.charts: dict[str, ChartWidget] = {}
        self._whatif: WhatIfPanel | None = None

        self.period_box = QComboBox()
        self.period_box.setToolTip("Period shown by every chart")
        self.period_box.setMinimumContentsLength(8)
        self.tier_box = QComboBox()
        self.tier_box.setToolTip("Tiers shown by every chart")
        self.tier_box.setMinimumContentsLength(12)
        self.headline = LiveLabel()  # changes on every what-if step
        self.headline.setObjectName("previewHeadline")
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.headline.setFont(font)
        # Elided (whole in its tooltip) when the bar is short of room, never pushing the
        # what-if and export buttons off the panel.
        self.legend = LiveLabel(STATUS_LEGEND)
        self.legend.setToolTip("Shapes repeat every status, so it never rests on colour alone")
        self.whatif_button = QToolButton()
        self.whatif_button.setText("What-if")
        self.whatif_button.setCheckable(True)
        self.whatif_button.setToolTip("Try weights and targets without changing the design")
        self.export_button = QToolButton()
        self.export_button.setText("Export chart")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_menu = QMenu(self)
        self.export_button.setMenu(self.export_menu)
        self.export_button.setEnabled(False)

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 2)
        bar.addWidget(QLabel("Period"))
        bar.addWidget(self.period_box)
        bar.addSpacing(8)
        bar.addWidget(QLabel("Tiers"))
        bar.addWidget(self.tier_box)
        bar.addSpacing(12)
        bar.addWidget(self.headline, 3)
        bar.addWidget(self.legend, 2)
        bar.addSpacing(8)
        bar.addWidget(self.whatif_button)
        bar.addWidget(self.export_button)

        self.empty = QLabel("Open a scorecard with data to see its charts here.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.body = QSplitter(Qt.Orientation.Horizontal)
        self.body.setObjectName("dashboard_whatif")  # its sizes are remembered
        self.body.setChildrenCollapsible(False)
        # The charts keep a readable width when the what-if panel opens beside them.
        self.stack.setMinimumWidth(CHARTS_MIN_WIDTH)
        self.body.addWidget(self.stack)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.body, 1)

        self.period_box.currentIndexChanged.connect(self._period_chosen)
        self.tier_box.currentIndexChanged.connect(self._tier_chosen)
        self.whatif_button.toggled.connect(self.show_whatif)
        self.whatif_button.toggled.connect(self.whatifToggled)
        st = self.state
        st.frameChanged.connect(self._frame_changed)
        st.filterChanged.connect(self.redraw)
        st.selectionChanged.connect(self._selection_changed)
        st.errorRaised.connect(document.errorRaised)
        self._update_header(None)
        if document.result is not None:
            st.request()

    # --- public -----------------------------------------------------------------------

    @Slot(str)
    def select_kpi(self, kpi_id: str) -> None:
        """Highlight a KPI in every chart (the editor's selection); emits nothing back."""
        self.state.select_kpi(kpi_id or None)

    @property
    def whatif(self) -> WhatIfPanel:
        """The what-if controls, built on first use."""
        if self._whatif is None:
            from scorecard_studio.qt.preview.whatif import WhatIfPanel

            self._whatif = WhatIfPanel(self.document, self.state)
            self._whatif.setVisible(False)
            self.body.addWidget(self._whatif)
            self.body.setStretchFactor(0, 1)
            self.body.setStretchFactor(1, 0)
        return self._whatif

    def show_whatif(self, visible: bool = True) -> None:
        panel = self.whatif
        panel.setVisible(visible)
        if visible:
            total = max(self.body.width(), CHARTS_MIN_WIDTH + 300)
            side = max(300, min(380, total - CHARTS_MIN_WIDTH))
            self.body.setSizes([total - side, side])
        if self.whatif_button.isChecked() != visible:
            self.whatif_button.setChecked(visible)  # emits whatifToggled; re-enters once

    # --- building -----------------------------------------------------------------------

    def _ensure_charts(self) -> None:
        if self.charts:
            return
        from scorecard_studio.qt.preview.bullets import BulletsChart
        from scorecard_studio.qt.preview.heatmap import HeatmapChart
        from scorecard_studio.qt.preview.perspective_bars import PerspectiveBarsChart
        from scorecard_studio.qt.preview.trends import TrendsChart
        from scorecard_studio.qt.preview.weights import WeightsChart

        self.charts = {
            "perspectives": PerspectiveBarsChart(),
            "weights": WeightsChart(),
            "bullets": BulletsChart(),
            "heatmap": HeatmapChart(),
            "trends": TrendsChart(),
        }
        c = self.charts
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(c["perspectives"])
        top.addWidget(c["weights"])
        middle = QSplitter(Qt.Orientation.Horizontal)
        middle.addWidget(c["bullets"])
        middle.addWidget(c["heatmap"])
        middle.setSizes([600, 400])
        grid = QSplitter(Qt.Orientation.Vertical)
        grid.addWidget(top)
        grid.addWidget(middle)
        grid.addWidget(c["trends"])
        grid.setSizes([330, 330, 260])
        self.grid = grid
        self.stack.addWidget(grid)
        for name, chart in c.items():
            chart.kpiClicked.connect(self._chart_clicked)
            action = self.export_menu.addAction(f"{chart.title}…")
            action.triggered.connect(lambda _checked=False, n=name: self.export_chart(n))
        self.export_button.setEnabled(True)

    # --- updates ----------------------------------------------------------------------

    def _frame_changed(self, frame: Frame | None) -> None:
        self._fill_filters(frame)
        self.redraw()

    def _loading_changed(self, _loading: bool) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Redraw every chart from the current frame, all in one pass."""
        data = self.state.chart_input()
        self._update_header(data)
        # A scorecard with data but no KPI yet (just imported) has nothing to chart either.
        if data is None or not data.result.kpis:
            self.empty.setText(
                "Add KPIs to the scorecard (drag a column from the Data panel onto a "
                "perspective) to see their charts here."
                if data is not None
                else "Reading data… the charts appear as soon as it is read."
                if self.document.loading
                else "Open a scorecard with data to see its charts here."
            )
            self.stack.setCurrentWidget(self.empty)
            for chart in self.charts.values():
                chart.clear_chart()
            return
        self._ensure_charts()
        self.stack.setCurrentWidget(self.grid)
        # One synchronous pass: Qt paints only from the event loop, so no chart can be
        # painted between two charts' updates. (Suspending updates instead would make
        # every chart repaint in full when they are resumed, changed or not.)
        for chart in self.charts.values():
            chart.show_input(data)

    def _selection_changed(self, kpi_id: str | None) -> None:
        data = self.state.chart_input()
        if data is None or not self.charts:
            return
        for name, chart in self.charts.items():
            if name == "trends":
                chart.show_input(data)  # a different KPI's series
            else:
                chart.input = data
                chart.select(kpi_id)

    def _chart_clicked(self, kpi_id: str) -> None:
        self.state.select_kpi(kpi_id)
        self.kpiActivated.emit(kpi_id)

    def _fill_filters(self, frame: Frame | None) -> None:
        result = frame.result if frame is not None else None
        periods = list(result.period_labels) if result is not None else []
        tiers: list[tuple[str, str | None]] = [("All tiers", None)]
        if result is not None:
            tiers += list(zip(result.tier_names(), result.tier_ids, strict=True))
        self._refill(self.period_box, [(p, p) for p in periods], self.state.period_index())
        current = next((i for i, (_n, tid) in enumerate(tiers) if tid == self.state.tier_id), 0)
        self._refill(self.tier_box, tiers, current)

    @staticmethod
    def _refill(box: QComboBox, items: list[tuple[str, Any]], current: int) -> None:
        existing = [(box.itemText(i), box.itemData(i)) for i in range(box.count())]
        box.blockSignals(True)
        try:
            if existing != items:
                box.clear()
                for text, data in items:
                    box.addItem(text, data)
            if 0 <= current < box.count():
                box.setCurrentIndex(current)
        finally:
            box.blockSignals(False)

    def _period_chosen(self, index: int) -> None:
        if index >= 0:
            self.state.set_period(self.period_box.itemData(index))

    def _tier_chosen(self, index: int) -> None:
        if index >= 0:
            self.state.set_tier(self.tier_box.itemData(index))

    def _update_header(self, data: Any) -> None:
        if data is None:
            self.headline.setText("Headline —")
            return
        r = data.result
        p = data.period
        value = float(r.rollup.headline[p])
        status = STATUS_BY_CODE[int(r.headline_status[p])].value
        text = f"Headline {_score(value)} {MARKS[status]} {status.replace('_', ' ')}"
        text += f" · coverage {float(r.rollup.headline_coverage[p]):.0%}"
        if data.design is not None:
            before = float(data.design.rollup.headline[p])
            delta = value - before
            text += f" · saved design {_score(before)} ({delta:+.3f})"
            text = "What-if: " + text
        self.headline.setText(text)

    # --- export -------------------------------------------------------------------------

    def export_chart(self, name: str) -> None:
        from scorecard_studio.qt.preview.export import ExportDialog

        chart = self.charts.get(name)
        if chart is not None:
            ExportDialog(chart, self).exec()


def _score(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.3f}"
