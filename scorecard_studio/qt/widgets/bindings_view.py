"""What each KPI is bound to: its source, columns and aggregation, and whether data reaches it.

The Data workspace shows it beside the sources, so a user who just imported a file sees at
once which KPIs read it and which still show no data (and why, in the KPI's own words).
Activating a row selects the KPI everywhere.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scorecard_studio.domain.model import Kpi, Measure, Scorecard
from scorecard_studio.qt.document import ScorecardDocument

_ID = Qt.ItemDataRole.UserRole
HEADERS = ["KPI", "Source", "Columns", "Data"]
#: No column but the last (the word on the data) takes more than this many pixels.
COLUMN_CAP = 170


def measure_columns(measure: Measure) -> str:
    """The columns a measure reads, in the order a user thinks of them."""
    names = [
        measure.column,
        measure.denominator,
        measure.start_column,
        measure.end_column,
        measure.retention_column,
    ]
    if measure.formula:
        return f"= {measure.formula}"
    return ", ".join(n for n in names if n) or "—"


class BindingsView(QWidget):
    """One row per KPI: source, columns, aggregation and a word on its data."""

    #: A KPI's id, when its row was chosen.
    kpiChosen = Signal(str)

    def __init__(self, document: ScorecardDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.tree = QTreeWidget()
        self.tree.setObjectName("bindingsTree")
        self.tree.setHeaderLabels(HEADERS)
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.tree.currentItemChanged.connect(self._current_changed)
        title = QLabel("<b>What each KPI reads</b>")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.tree)
        self._selecting = False
        document.designChanged.connect(self.refresh)
        document.tablesChanged.connect(self.refresh)
        document.resultChanged.connect(self.refresh)
        self.refresh()

    def refresh(self, *_args: object) -> None:
        card = self.document.card
        chosen = self.selected_kpi()
        self._selecting = True
        try:
            self.tree.clear()
            for kpi in card.all_kpis():
                item = QTreeWidgetItem(self._row(card, kpi))
                item.setData(0, _ID, kpi.id)
                how = kpi.measure.aggregation.value.replace("_", " ")
                item.setToolTip(0, f"{kpi.name}: {how} of {item.text(2)}")
                item.setToolTip(2, item.text(2))
                item.setToolTip(3, item.text(3))
                self.tree.addTopLevelItem(item)
                if kpi.id == chosen:
                    self.tree.setCurrentItem(item)
            for col in range(len(HEADERS) - 1):
                self.tree.resizeColumnToContents(col)
                self.tree.setColumnWidth(col, min(self.tree.columnWidth(col), COLUMN_CAP))
        finally:
            self._selecting = False

    def _row(self, card: Scorecard, kpi: Kpi) -> list[str]:
        m = kpi.measure
        source = next((s.name for s in card.sources if s.id == m.source), "—")
        return [kpi.name, source, measure_columns(m), self._data_word(card, kpi)]

    def _data_word(self, card: Scorecard, kpi: Kpi) -> str:
        if self.document.loading:
            return "reading data…"
        if kpi.measure.formula:
            return "from other KPIs"
        if kpi.measure.source not in self.document.tables:
            return "source not loaded"
        from scorecard_studio.engines.scoring.no_data import explain_no_data

        reasons = explain_no_data(card, self.document.actuals, kpi.id)
        return "; ".join(reasons) if reasons else "data in every period"

    def selected_kpi(self) -> str | None:
        item = self.tree.currentItem()
        return str(item.data(0, _ID)) if item is not None else None

    def select_kpi(self, kpi_id: str) -> None:
        """Follow the window's selection (emits nothing back)."""
        self._selecting = True
        try:
            for i in range(self.tree.topLevelItemCount()):
                item = self.tree.topLevelItem(i)
                if item is not None and item.data(0, _ID) == kpi_id:
                    self.tree.setCurrentItem(item)
                    break
        finally:
            self._selecting = False

    def _current_changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        if current is not None and not self._selecting:
            self.kpiChosen.emit(str(current.data(0, _ID)))
