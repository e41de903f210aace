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
from scorecard_studio.domain.findings import Finding, Severity
from scorecard_studio.domain.model import (
    Direction,
    IndicatorType,
    Kpi,
    Scorecard,
    ScoringMethod,
    StatusRule,
)
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.wheel_guard import guard_wheel_in
from scorecard_studio.qt.widgets.form_fields import TextField, combo, set_combo
from scorecard_studio.qt.widgets.measure_form import MeasureForm
from scorecard_studio.qt.widgets.raci_fields import RaciFields
from scorecard_studio.qt.widgets.target_fields import TargetFields

#: Fields whose name in the undo history differs from the attribute's.
_FIELD_WORDS = {
    "method": "scoring method",
    "raci": "ownership",
    "aggregation_of_denominator": "denominator aggregation",
}


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
        self.group_name = TextField(_required("name"), lambda t: self._group(name=t.strip()))
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
        self.kpi_name = TextField(_required("name"), lambda t: self._kpi(name=t.strip()))
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
        self.kpi_direction = combo(
            [
                (Direction.HIGHER.value, "Higher is better"),
                (Direction.LOWER.value, "Lower is better"),
            ]
        )
        self.kpi_indicator = combo(
            [(IndicatorType.LEADING.value, "Leading"), (IndicatorType.LAGGING.value, "Lagging")]
        )
        self.kpi_method = combo([(m.value, m.value.capitalize()) for m in ScoringMethod])
        self.kpi_status_rule = combo(
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
        self.raci = RaciFields()
        self.raci.changed.connect(lambda raci: self._kpi(raci=raci))
        layout.addWidget(self.raci)
        self.targets = TargetFields(self.document)
        layout.addWidget(self.targets)
        self.measure_form = MeasureForm(self._measure)
        layout.addWidget(self.measure_form)

        layout.addStretch(1)
        return page

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
        self.raci.load(kpi.raci)
        self.kpi_unit.setText(kpi.unit)
        set_combo(self.kpi_direction, kpi.direction.value)
        set_combo(self.kpi_indicator, kpi.indicator.value)
        set_combo(self.kpi_method, kpi.method.value)
        set_combo(self.kpi_status_rule, kpi.status_rule.value)
        self.measure_form.load(card, kpi.measure)

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


def _required(what: str) -> Callable[[str], str | None]:
    def check(text: str) -> str | None:
        return f"The {what} cannot be empty" if not text.strip() else None

    return check
