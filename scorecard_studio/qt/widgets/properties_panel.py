"""The Properties dock: every field of the selected perspective, objective or KPI.

Text fields validate as the user types (the field turns red and the reason shows beneath
it) and are committed when editing finishes; choices and numbers commit at once. Every
commit is one undoable edit; repeated steps of one spin box merge into one undo step. The
design findings (SPEC §4) that concern the selected item are listed under the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from scorecard_studio.domain import edits
from scorecard_studio.domain.errors import DesignError
from scorecard_studio.domain.findings import Finding, Severity
from scorecard_studio.domain.model import (
    SIMPLE_AGGREGATIONS,
    Aggregation,
    Direction,
    IndicatorType,
    Kpi,
    Scorecard,
    ScoringMethod,
    StatusRule,
)
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.wheel_guard import guard_wheel_in
from scorecard_studio.qt.widgets.target_fields import TargetFields

_INVALID_STYLE = "border: 1px solid #c62828;"
#: Fields whose name in the undo history differs from the attribute's.
_FIELD_WORDS = {
    "method": "scoring method",
    "aggregation_of_denominator": "denominator aggregation",
}
_AGGREGATION_LABELS = {
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


def _combo(values: list[tuple[str, str]]) -> QComboBox:
    box = QComboBox()
    for value, label in values:
        box.addItem(label, value)
    return box


def _set_combo(box: QComboBox, value: str | None) -> None:
    index = box.findData(value)
    if index < 0 and value is not None and box.isEditable():
        box.setEditText(value)
        return
    box.setCurrentIndex(max(index, 0))


class _WeightBox(QDoubleSpinBox):
    """A weight spin box that says why it refuses a letter or a minus sign.

    Qt's spin box swallows such keys without a sound, which reads as the field ignoring
    the user; here the refusal shows as a tooltip at the field and in ``refused``.
    """

    refused = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text and (text.isalpha() or text == "-"):
            message = (
                "A weight cannot be negative: type 0 or more"
                if text == "-"
                else f"{text!r} cannot be part of a weight: type a number such as 1 or 2.5"
            )
            QToolTip.showText(self.mapToGlobal(self.rect().bottomLeft()), message, self)
            self.refused.emit(message)
            return
        super().keyPressEvent(event)


class _TextField(QWidget):
    """A line edit with as-you-type validation and a message line under it."""

    def __init__(self, validate: Callable[[str], str | None], commit: Callable[[str], None]):
        super().__init__()
        self.edit = QLineEdit()
        self.message = QLabel()
        self.message.setObjectName("validationMessage")
        self.message.setStyleSheet("color: #c62828;")
        self.message.setWordWrap(True)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.message)
        self._validate = validate
        self._commit = commit
        self.edit.textEdited.connect(self._check)
        self.edit.editingFinished.connect(self._finish)

    def set_text(self, text: str) -> None:
        self.edit.setText(text)
        self._check(text)

    def _check(self, text: str) -> bool:
        problem = self._validate(text)
        self.edit.setStyleSheet(_INVALID_STYLE if problem else "")
        self.message.setText(problem or "")
        self.message.setVisible(bool(problem))
        return problem is None

    def _finish(self) -> None:
        if self._check(self.edit.text()):
            self._commit(self.edit.text())


class PropertiesPanel(QWidget):
    """Edits the selected item through the document's undo stack."""

    def __init__(self, document: ScorecardDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.kind = ""
        self.item_id = ""
        self._loading = False
        self._findings: list[Finding] = []
        self._findings_for: Scorecard | None = None
        self.stack = QStackedWidget()
        empty = QLabel("Select a perspective, objective or KPI in the Scorecard panel.")
        empty.setWordWrap(True)
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(empty)
        self.stack.addWidget(self._build_group_page())
        self.stack.addWidget(self._build_kpi_page())
        self.findings = QListWidget()
        self.findings.setObjectName("itemFindings")
        self.findings.setMaximumHeight(120)
        self.findings.setWordWrap(True)
        self.findings.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        findings_box = QGroupBox("Findings for this item")
        box_layout = QVBoxLayout(findings_box)
        box_layout.addWidget(self.findings)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.stack)
        # The form scrolls down, never sideways: the panel is as wide as its widest form,
        # so no field or label is cut (a splitter cannot squeeze it below that).
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        bar = scroll.verticalScrollBar().sizeHint().width()
        scroll.setMinimumWidth(self.stack.minimumSizeHint().width() + bar + 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(scroll, 1)
        layout.addWidget(findings_box)
        # The form scrolls: the wheel over a choice must scroll it, not change the choice.
        guard_wheel_in(self.stack)
        document.designChanged.connect(self._design_changed)
        # New data can explain (or end) a KPI's "no data" without a design change.
        document.resultChanged.connect(lambda _r: self._load_findings(self.document.card))

    # --- pages --------------------------------------------------------------------------

    def _build_group_page(self) -> QWidget:
        page = QWidget()
        # The form at the top with the room below it empty: in a stack as tall as the KPI
        # form, a bare form layout spread its rows, the Name field half-way down.
        outer = QVBoxLayout(page)
        box = QGroupBox("Perspective or objective")
        self.group_box = box
        form = QFormLayout(box)
        outer.addWidget(box)
        outer.addStretch(1)
        self.group_name = _TextField(_required("name"), lambda t: self._group(name=t.strip()))
        self.group_weight = self._weight_box()
        self.group_description = QPlainTextEdit()
        self.group_description.setMaximumHeight(80)
        self.group_description.textChanged.connect(
            lambda: self._group(description=self.group_description.toPlainText(), merge=True)
        )
        form.addRow("Name", self.group_name)
        form.addRow("Weight", self.group_weight)
        form.addRow("Description", self.group_description)
        return page

    def _weight_box(self) -> _WeightBox:
        box = _WeightBox()
        box.refused.connect(self.document.errorRaised)
        box.setRange(0.0, 1000.0)
        box.setDecimals(2)
        box.setSingleStep(0.5)
        box.setAccelerated(True)
        box.valueChanged.connect(self._weight_changed)
        return box

    def _build_kpi_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        general = QGroupBox("KPI")
        form = QFormLayout(general)
        self.kpi_name = _TextField(_required("name"), lambda t: self._kpi(name=t.strip()))
        self.kpi_weight = self._weight_box()
        self.kpi_description = QPlainTextEdit()
        self.kpi_description.setMaximumHeight(70)
        self.kpi_description.textChanged.connect(
            lambda: self._kpi(description=self.kpi_description.toPlainText(), merge=True)
        )
        self.kpi_owner = QLineEdit()
        self.kpi_owner.editingFinished.connect(lambda: self._kpi(owner=self.kpi_owner.text()))
        self.kpi_unit = QLineEdit()
        self.kpi_unit.setPlaceholderText("e.g. %, USD, days")
        self.kpi_unit.editingFinished.connect(lambda: self._kpi(unit=self.kpi_unit.text()))
        self.kpi_direction = _combo(
            [
                (Direction.HIGHER.value, "Higher is better"),
                (Direction.LOWER.value, "Lower is better"),
            ]
        )
        self.kpi_indicator = _combo(
            [(IndicatorType.LEADING.value, "Leading"), (IndicatorType.LAGGING.value, "Lagging")]
        )
        self.kpi_method = _combo([(m.value, m.value.capitalize()) for m in ScoringMethod])
        self.kpi_status_rule = _combo(
            [(StatusRule.SCORE.value, "From the score"), (StatusRule.RED_FLAG.value, "Red flag")]
        )
        for box, field, kind in (
            (self.kpi_direction, "direction", Direction),
            (self.kpi_indicator, "indicator", IndicatorType),
            (self.kpi_method, "method", ScoringMethod),
            (self.kpi_status_rule, "status_rule", StatusRule),
        ):
            box.currentIndexChanged.connect(
                lambda _i, b=box, f=field, k=kind: self._kpi(**{f: k(b.currentData())})
            )
        form.addRow("Name", self.kpi_name)
        form.addRow("Weight", self.kpi_weight)
        form.addRow("Direction", self.kpi_direction)
        form.addRow("Indicator", self.kpi_indicator)
        form.addRow("Scoring method", self.kpi_method)
        form.addRow("Status rule", self.kpi_status_rule)
        form.addRow("Owner", self.kpi_owner)
        form.addRow("Unit", self.kpi_unit)
        form.addRow("Description", self.kpi_description)
        layout.addWidget(general)
        self.targets = TargetFields(self.document)
        layout.addWidget(self.targets)

        measure = QGroupBox("Measure")
        mform = QFormLayout(measure)
        # A long label ("Denominator aggregation") puts its field on the next line rather
        # than making the whole panel wider than a laptop's Design workspace can give it.
        mform.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.aggregation = _combo([(a.value, _AGGREGATION_LABELS[a]) for a in Aggregation])
        self.aggregation.currentIndexChanged.connect(
            lambda _i: self._measure(aggregation=Aggregation(self.aggregation.currentData()))
        )
        self.source = QComboBox()
        self.source.currentIndexChanged.connect(self._source_changed)
        self.column = self._column_box(lambda text: self._measure(column=text or None))
        self.denominator = self._column_box(lambda text: self._measure(denominator=text or None))
        self.denominator_aggregation = _combo(
            [(a.value, _AGGREGATION_LABELS[a]) for a in Aggregation if a in SIMPLE_AGGREGATIONS]
        )
        self.denominator_aggregation.currentIndexChanged.connect(
            lambda _i: self._measure(
                aggregation_of_denominator=Aggregation(self.denominator_aggregation.currentData())
            )
        )
        self.formula = _TextField(_formula_problem, lambda t: self._measure(formula=t or None))
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
        layout.addWidget(measure)
        layout.addStretch(1)
        return page

    def _column_box(self, commit: Callable[[str], None]) -> QComboBox:
        box = QComboBox()
        box.setEditable(True)
        box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = box.lineEdit()
        assert line is not None
        line.editingFinished.connect(lambda: commit(box.currentText().strip()))
        box.activated.connect(lambda _i: commit(box.currentText().strip()))
        return box

    # --- showing ------------------------------------------------------------------------

    def show_item(self, kind: str, item_id: str) -> None:
        """Show the form for an item ("" for none)."""
        self.kind, self.item_id = kind, item_id
        self._refresh(self.document.card)

    def _design_changed(self, card: Scorecard) -> None:
        if self.item_id and self.item_id not in edits.all_ids(card):
            self.kind, self.item_id = "", ""
        self._refresh(card)

    def _refresh(self, card: Scorecard) -> None:
        self._loading = True
        try:
            if self.kind == "kpi":
                self.stack.setCurrentIndex(2)
                self._load_kpi(card, card.kpi(self.item_id))
                self.targets.load(card.kpi(self.item_id), self._item_findings(card))
            elif self.kind in ("perspective", "objective"):
                self.stack.setCurrentIndex(1)
                self._load_group(card)
            else:
                self.stack.setCurrentIndex(0)
            self._load_findings(card)
        finally:
            self._loading = False

    def _load_group(self, card: Scorecard) -> None:
        group: Any
        if self.kind == "perspective":
            group = card.perspectives[edits.locate_perspective(card, self.item_id)]
        else:
            pi, oi = edits.locate_objective(card, self.item_id)
            group = card.perspectives[pi].objectives[oi]
        self.group_box.setTitle("Perspective" if self.kind == "perspective" else "Objective")
        self.group_name.set_text(group.name)
        self.group_weight.setValue(group.weight)
        if self.group_description.toPlainText() != group.description:
            self.group_description.setPlainText(group.description)

    def _load_kpi(self, card: Scorecard, kpi: Kpi) -> None:
        self.kpi_name.set_text(kpi.name)
        self.kpi_weight.setValue(kpi.weight)
        if self.kpi_description.toPlainText() != kpi.description:
            self.kpi_description.setPlainText(kpi.description)
        self.kpi_owner.setText(kpi.owner)
        self.kpi_unit.setText(kpi.unit)
        _set_combo(self.kpi_direction, kpi.direction.value)
        _set_combo(self.kpi_indicator, kpi.indicator.value)
        _set_combo(self.kpi_method, kpi.method.value)
        _set_combo(self.kpi_status_rule, kpi.status_rule.value)
        m = kpi.measure
        _set_combo(self.aggregation, m.aggregation.value)
        self.source.clear()
        self.source.addItem("(none)", None)
        for s in card.sources:
            self.source.addItem(s.name, s.id)
        _set_combo(self.source, m.source)
        source_ids = {s.id for s in card.sources}
        columns = list(card.source(m.source).columns) if m.source in source_ids else []
        for box, value in ((self.column, m.column), (self.denominator, m.denominator)):
            box.clear()
            box.addItems(columns)
            box.setEditText(value or "")
        _set_combo(self.denominator_aggregation, m.aggregation_of_denominator.value)
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

    def _item_findings(self, card: Scorecard) -> list[Finding]:
        """The design findings about the shown item (checked once per design)."""
        if self._findings_for is not card:
            # The checks (and the formula parser they load) run only once an item is shown.
            from scorecard_studio.domain.checks import check_design

            self._findings, self._findings_for = check_design(card), card
        return [f for f in self._findings if f.item == self.item_id]

    def _load_findings(self, card: Scorecard) -> None:
        self.findings.clear()
        if not self.item_id:
            return
        mine = self._item_findings(card)
        style = self.style()
        icons = {
            Severity.ERROR: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            Severity.WARNING: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
            Severity.INFO: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation),
        }
        for f in mine:
            item = QListWidgetItem(icons[f.severity], f.message)
            item.setToolTip(f"{f.severity.value}: {f.code}")
            self.findings.addItem(item)
        reasons = self._no_data_reasons(card)
        for reason in reasons:
            item = QListWidgetItem(icons[Severity.WARNING], reason)
            item.setToolTip("Why this KPI shows no data")
            self.findings.addItem(item)
        if not mine and not reasons:
            self.findings.addItem("No findings")

    def _no_data_reasons(self, card: Scorecard) -> list[str]:
        """Why the shown KPI has no data, once data has been imported."""
        if self.kind != "kpi" or not self.document.tables:
            return []
        from scorecard_studio.engines.scoring.no_data import explain_no_data

        return explain_no_data(card, self.document.actuals, self.item_id)

    # --- commits ------------------------------------------------------------------------

    def _change_text(self, field: str) -> str:
        """The undo history's words for a change: "Change direction of KPI 'Churn'"."""
        words = _FIELD_WORDS.get(field, field.replace("_", " "))
        return f"Change {words} of {edits.item_label(self.document.card, self.item_id)}"

    def _kpi(self, merge: bool = False, **changes: Any) -> None:
        if self._loading or self.kind != "kpi":
            return
        field = next(iter(changes))
        self.document.edit(
            self._change_text(field),
            edits.update_kpi,
            self.item_id,
            merge_key=f"{field}:{self.item_id}" if merge else None,
            **changes,
        )

    def _measure(self, **changes: Any) -> None:
        if self._loading or self.kind != "kpi":
            return
        field = next(iter(changes))
        self.document.edit(self._change_text(field), edits.update_measure, self.item_id, **changes)

    def _group(self, merge: bool = False, **changes: Any) -> None:
        if self._loading or self.kind not in ("perspective", "objective"):
            return
        field = next(iter(changes))
        self.document.edit(
            self._change_text(field),
            edits.update_group,
            self.item_id,
            merge_key=f"{field}:{self.item_id}" if merge else None,
            **changes,
        )

    def _weight_changed(self, value: float) -> None:
        if self._loading or not self.item_id:
            return
        self.document.edit(
            self._change_text("weight"),
            edits.set_weight,
            self.item_id,
            value,
            merge_key=f"weight:{self.item_id}",
        )

    def _source_changed(self, _index: int) -> None:
        self._measure(source=self.source.currentData())


def _required(what: str) -> Callable[[str], str | None]:
    def check(text: str) -> str | None:
        return f"The {what} cannot be empty" if not text.strip() else None

    return check


def _formula_problem(text: str) -> str | None:
    if not text.strip():
        return None
    try:
        from scorecard_studio.domain.formula import parse_formula

        parse_formula(text)
    except DesignError as exc:
        return exc.detail
    return None
