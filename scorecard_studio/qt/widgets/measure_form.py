"""The Measure group of the KPI form: what a KPI aggregates, from which source and column.

Split from the properties panel because its fields depend on each other (a formula needs
no column, a ratio needs a denominator) and on the data sources' columns, which the rest
of the KPI form does not. Every change goes through the panel's commit, so loading a KPI
into the fields never becomes an edit.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel

from scorecard_studio.domain.errors import DesignError
from scorecard_studio.domain.model import SIMPLE_AGGREGATIONS, Aggregation, Measure, Scorecard
from scorecard_studio.qt.widgets.form_fields import TextField, combo, set_combo

AGGREGATION_LABELS = {
    Aggregation.SUM: "Sum",
    Aggregation.MEAN: "Mean",
    Aggregation.MEDIAN: "Median",
    Aggregation.MIN: "Minimum",
    Aggregation.MAX: "Maximum",
    Aggregation.COUNT: "Count of rows",
    Aggregation.DISTINCT_COUNT: "Distinct count",
    Aggregation.LAST: "Latest value",
    Aggregation.RATIO: "Ratio of two columns",
    Aggregation.TTM_SUM: "Trailing twelve months sum",
    Aggregation.NPS: "NPS (0–10 responses)",
    Aggregation.CSAT: "CSAT (top-2-box of 1–5)",
    Aggregation.CES: "CES (mean of 1–7)",
    Aggregation.CHURN_RATE: "Churn rate",
    Aggregation.CLV_SIMPLE: "CLV, simple",
    Aggregation.CLV_DISCOUNTED: "CLV, discounted",
    Aggregation.FORMULA: "Formula over other KPIs",
}


class MeasureForm(QGroupBox):
    """The measure's fields; ``commit`` receives each change as keyword arguments."""

    def __init__(self, commit: Callable[..., None]) -> None:
        super().__init__("Measure")
        self._commit = commit
        mform = QFormLayout(self)
        # A long label ("Denominator aggregation") puts its field on the next line rather
        # than making the whole panel wider than a laptop's Design workspace can give it.
        mform.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.aggregation = combo([(a.value, AGGREGATION_LABELS[a]) for a in Aggregation])
        self.aggregation.currentIndexChanged.connect(
            lambda _i: self._commit(aggregation=Aggregation(self.aggregation.currentData()))
        )
        self.source = QComboBox()
        self.source.currentIndexChanged.connect(self._source_changed)
        self.column = self._column_box(lambda text: self._commit(column=text or None))
        self.denominator = self._column_box(lambda text: self._commit(denominator=text or None))
        self.denominator_aggregation = combo(
            [(a.value, AGGREGATION_LABELS[a]) for a in Aggregation if a in SIMPLE_AGGREGATIONS]
        )
        self.denominator_aggregation.currentIndexChanged.connect(
            lambda _i: self._commit(
                aggregation_of_denominator=Aggregation(self.denominator_aggregation.currentData())
            )
        )
        self.formula = TextField(formula_problem, lambda t: self._commit(formula=t or None))
        self.column_note = QLabel()
        self.column_note.setWordWrap(True)
        self.column_note.setStyleSheet("color: #b26a00;")
        mform.addRow("Aggregation", self.aggregation)
        mform.addRow("Source", self.source)
        mform.addRow("Column", self.column)
        mform.addRow("Denominator", self.denominator)
        mform.addRow("Denominator aggregation", self.denominator_aggregation)
        mform.addRow("Formula", self.formula)
        mform.addRow(self.column_note)

    def _column_box(self, commit: Callable[[str], None]) -> QComboBox:
        box = QComboBox()
        box.setEditable(True)
        box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = box.lineEdit()
        assert line is not None
        line.editingFinished.connect(lambda: commit(box.currentText().strip()))
        box.activated.connect(lambda _i: commit(box.currentText().strip()))
        return box

    def _source_changed(self, _index: int) -> None:
        self._commit(source=self.source.currentData())

    def load(self, card: Scorecard, measure: Measure) -> None:
        """Show ``measure`` of a KPI of ``card``, with the columns of its source."""
        m = measure
        set_combo(self.aggregation, m.aggregation.value)
        self.source.clear()
        self.source.addItem("(none)", None)
        for s in card.sources:
            self.source.addItem(s.name, s.id)
        set_combo(self.source, m.source)
        source_ids = {s.id for s in card.sources}
        columns = list(card.source(m.source).columns) if m.source in source_ids else []
        for box, value in ((self.column, m.column), (self.denominator, m.denominator)):
            box.clear()
            box.addItems(columns)
            box.setEditText(value or "")
        set_combo(self.denominator_aggregation, m.aggregation_of_denominator.value)
        self.formula.set_text(m.formula or "")
        is_formula = m.aggregation is Aggregation.FORMULA
        is_ratio = m.aggregation is Aggregation.RATIO
        self.formula.setEnabled(is_formula)
        self.column.setEnabled(not is_formula)
        self.source.setEnabled(not is_formula)
        self.denominator.setEnabled(is_ratio)
        self.denominator_aggregation.setEnabled(is_ratio)
        missing = [c for c in (m.column, m.denominator) if c and columns and c not in columns]
        self.column_note.setText(
            f"Not a column of this source: {', '.join(missing)}" if missing else ""
        )
        self.column_note.setVisible(bool(missing))


def formula_problem(text: str) -> str | None:
    if not text.strip():
        return None
    try:
        from scorecard_studio.domain.formula import parse_formula

        parse_formula(text)
    except DesignError as exc:
        return exc.detail
    return None
