"""The results matrix: actual vs target per KPI and tier for a chosen period, recomputed on
every edit. The Dashboard shows two, leading and lagging indicators side by side, following
the dashboard's period; the Targets workspace shows the whole matrix under the targets."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scorecard_studio.domain.model import STATUS_BY_CODE, IndicatorType
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.models.results_table import STATUS_MARKS, ResultsTableModel
from scorecard_studio.qt.widgets.fitting_cells import FittingDelegate

#: The share of the table's width the KPI names may take; longer names are elided (their
#: whole text is the row header's tooltip), so the tiers' columns keep room for values.
NAMES_SHARE = 0.3

if TYPE_CHECKING:
    from scorecard_studio.engines.scoring import ScoreResult


class ResultsView(QWidget):
    """The results matrix with a period selector and the headline line above it."""

    def __init__(
        self,
        document: ScorecardDocument,
        parent: QWidget | None = None,
        *,
        indicator: IndicatorType | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.model = ResultsTableModel()
        self.model.indicator = indicator
        self.indicator = indicator
        self.period = QComboBox()
        self.period.setObjectName("resultsPeriod")
        self.period.currentIndexChanged.connect(self._period_changed)
        self.headline = QLabel()
        self.headline.setObjectName("headlineLabel")
        self.headline.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.table = QTableView()
        self.table.setObjectName("resultsTable")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(False)
        # One line per cell: the longest text that fits the column (full values in the
        # tooltip) rather than wrapped text cut off by the fixed row height.
        self.table.setWordWrap(False)
        self.table.setItemDelegate(FittingDelegate(self.table))
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        for header in (self.table.horizontalHeader(), self.table.verticalHeader()):
            header.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        top = QHBoxLayout()
        if indicator is not None:
            # A leading or lagging half: its title instead of the headline, and the period
            # of the dashboard it sits in rather than a selector of its own.
            words = "Leading" if indicator is IndicatorType.LEADING else "Lagging"
            self.title = QLabel(f"<b>{words} indicators</b> — actual / target by tier")
            self.title.setToolTip("Leading indicators predict outcomes; lagging ones record them")
            top.addWidget(self.title)
            self.period.hide()
            self.headline.hide()
        else:
            top.addWidget(QLabel("Period"))
        top.addWidget(self.period)
        top.addSpacing(12)
        top.addWidget(self.headline, 1)
        legend = QLabel(
            f"{STATUS_MARKS['green']} on target · {STATUS_MARKS['amber']} close · "
            f"{STATUS_MARKS['red']} off target · {STATUS_MARKS['no_data']} no data · "
            "* low sample"
        )
        legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(legend)
        self._labels: tuple[str, ...] = ()
        document.resultChanged.connect(self.show_result)
        document.loadingChanged.connect(self._loading_changed)
        self.show_result(document.result)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.table.verticalHeader().setMaximumWidth(max(90, int(self.width() * NAMES_SHARE)))

    def show_result(self, result: ScoreResult | None) -> None:
        labels = result.period_labels if result is not None else ()
        chosen = self.period.currentText()
        if labels != self._labels:
            self._labels = labels
            self.period.blockSignals(True)
            self.period.clear()
            self.period.addItems(list(labels))
            keep = labels.index(chosen) if chosen in labels else len(labels) - 1
            self.period.setCurrentIndex(keep)
            self.period.blockSignals(False)
        self._render(result)

    def set_period_label(self, label: str) -> None:
        """Show the period named ``label`` (the dashboard's period picker drives this)."""
        index = self.period.findText(label)
        if index >= 0 and index != self.period.currentIndex():
            self.period.setCurrentIndex(index)

    def _loading_changed(self, _loading: bool) -> None:
        # A bound method, not a lambda: Qt drops the connection when this view is deleted.
        self._render(self.document.result)

    def _period_changed(self, _index: int) -> None:
        self._render(self.document.result)

    def _render(self, result: ScoreResult | None) -> None:
        index = self.period.currentIndex()
        self.model.set_result(result, index if index >= 0 and result is not None else None)
        if result is None or not result.period_labels:
            if self.document.loading:
                self.headline.setText("Reading data… the results appear as soon as it is read")
            else:
                self.headline.setText("No results: import data for this scorecard's sources")
            return
        p = self.model.period
        score = float(result.rollup.headline[p])
        coverage = float(result.rollup.headline_coverage[p])
        status = STATUS_BY_CODE[int(result.headline_status[p])].value
        score_text = "—" if math.isnan(score) else f"{score:.2f}"
        self.headline.setText(
            f"<b>Headline {STATUS_MARKS[status]} {score_text}</b> · coverage {coverage:.0%}"
            f" · {result.period_labels[p]}"
        )
