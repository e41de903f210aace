"""The Properties form's targets: a KPI's default baseline, target, stretch and red flag.

Values are shown and typed in the KPI's unit (``domain.units``): a churn target of 0.06
reads "6" beside a "%" and typing "25" stores 0.25. A text that is not a value stays in
its field, red, with the reason under it, until it is corrected or Esc restores the value.
The design findings about these values (baseline equal to the target, a stretch on the
wrong side, a share above 100 %) are written under the field they concern, so the user
sees them where the value was typed, not only in the list at the foot of the form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from scorecard_studio.domain import edits
from scorecard_studio.domain.findings import Finding, Severity
from scorecard_studio.domain.model import Kpi
from scorecard_studio.domain.units import PLAIN, Unit, edit_text, parse_value, unit_of
from scorecard_studio.qt.document import ScorecardDocument

FIELDS = ("baseline", "target", "stretch", "red_flag")
_INVALID_STYLE = "border: 1px solid #c62828;"
_COLOURS = {Severity.ERROR: "#c62828", Severity.WARNING: "#b26a00", Severity.INFO: "#555555"}

#: Which fields a target finding is about, by its code.
_FIELDS_OF = {
    "no_baseline": ("baseline",),
    "baseline_equals_target": ("baseline", "target"),
    "no_target": ("target",),
    "direction_mismatch": ("target",),
    "ratio_non_positive": ("target",),
    "stretch_wrong_side": ("stretch",),
    "red_flag_wrong_side": ("red_flag",),
}
_OUT_OF_RANGE = re.compile(r" (baseline|target|stretch|red-flag) \S+ is outside")


def fields_of(finding: Finding) -> tuple[str, ...]:
    """The default-target fields a finding concerns (none for overrides and other findings)."""
    message = finding.message
    if "default" not in message:
        return ()  # an override's finding belongs to the targets matrix, not to this form
    if finding.code == "target_out_of_range":
        match = _OUT_OF_RANGE.search(message)
        return (match.group(1).replace("-", "_"),) if match else ()
    return _FIELDS_OF.get(finding.code, ())


def _suffix(unit: Unit) -> str:
    """The unit shown beside a field: "%", "$", "days"."""
    return "%" if unit.is_percent else unit.symbol


class _ValueField(QWidget):
    """One target value: its editor, the unit beside it, a problem and a finding under it."""

    def __init__(self) -> None:
        super().__init__()
        self.edit = QLineEdit()
        self.unit_label = QLabel()
        self.message = QLabel()
        self.message.setObjectName("validationMessage")
        self.message.setStyleSheet("color: #c62828;")
        self.message.setWordWrap(True)
        self.message.hide()
        self.finding = QLabel()
        self.finding.setObjectName("fieldFinding")
        self.finding.setWordWrap(True)
        self.finding.hide()
        row = QWidget()
        row_layout = QVBoxLayout(self)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.setSpacing(2)
        line = QFormLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addRow(self.edit, self.unit_label)
        row_layout.addWidget(row)
        row_layout.addWidget(self.message)
        row_layout.addWidget(self.finding)

    def show_problem(self, problem: str | None) -> None:
        self.edit.setStyleSheet(_INVALID_STYLE if problem else "")
        self.message.setText(problem or "")
        self.message.setVisible(bool(problem))

    def show_findings(self, findings: list[Finding], kpi_name: str) -> None:
        if not findings:
            self.finding.hide()
            return
        worst = min(findings, key=lambda f: list(Severity).index(f.severity))
        texts = [f.message.removeprefix(f"{kpi_name}: ") for f in findings]
        self.finding.setStyleSheet(f"color: {_COLOURS[worst.severity]};")
        self.finding.setText("\n".join(f"⚠ {t}" for t in texts))
        self.finding.show()


class TargetFields(QGroupBox):
    """The selected KPI's default targets, typed in its unit, with findings at each field."""

    def __init__(self, document: ScorecardDocument, parent: QWidget | None = None) -> None:
        super().__init__("Targets (all tiers, every period)", parent)
        self.setToolTip("Tier and period overrides are set in the Tier targets matrix")
        self.document = document
        self.kpi: Kpi | None = None
        self.unit: Unit = PLAIN
        self.fields = {name: _ValueField() for name in FIELDS}
        form = QFormLayout(self)
        for name, field in self.fields.items():
            form.addRow(name.replace("_", "-").capitalize(), field)
            field.edit.editingFinished.connect(lambda n=name: self._commit(n))
            field.edit.textEdited.connect(lambda _t, n=name: self.fields[n].show_problem(None))
            field.edit.installEventFilter(self)

    def load(self, kpi: Kpi, findings: Iterable[Finding]) -> None:
        """Show the KPI's default targets and the findings about them.

        A field holding a refused text keeps it while the same KPI is shown (another edit
        elsewhere must not wipe what the user is correcting).
        """
        same_kpi = self.kpi is not None and self.kpi.id == kpi.id
        self.kpi = kpi
        self.unit = unit_of(kpi)
        values = kpi.targets.default
        at: dict[str, list[Finding]] = {name: [] for name in FIELDS}
        for f in findings:
            for name in fields_of(f):
                at[name].append(f)
        hint = "25 or 25% for 25%" if self.unit.is_percent else "a number"
        for name, field in self.fields.items():
            if not same_kpi or field.message.isHidden():
                field.edit.setText(edit_text(getattr(values, name), self.unit))
                field.show_problem(None)
            field.edit.setPlaceholderText("unset")
            field.edit.setToolTip(f"Type {hint}; leave empty for unset")
            field.unit_label.setText(_suffix(self.unit))
            field.show_findings(at[name], kpi.name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Esc in a field with a bad text puts the stored value back."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.kpi is not None
        ):
            for name, field in self.fields.items():
                if field.edit is watched:
                    value = getattr(self.kpi.targets.default, name)
                    field.edit.setText(edit_text(value, self.unit))
                    field.show_problem(None)
                    return True
        return super().eventFilter(watched, event)

    def _commit(self, name: str) -> None:
        kpi, field = self.kpi, self.fields[name]
        if kpi is None:
            return
        try:
            value = parse_value(field.edit.text(), self.unit)
        except ValueError as exc:
            problem = f"{name.replace('_', '-').capitalize()}: {exc}"
            field.show_problem(problem)  # the text stays for the user to correct
            self.document.errorRaised.emit(f"{kpi.name}: {problem}")
            return
        field.show_problem(None)
        if value == getattr(kpi.targets.default, name):
            return
        words = name.replace("_", "-")
        self.document.edit(
            f"Change {words} of {edits.item_label(self.document.card, kpi.id)}",
            edits.set_target_field,
            kpi.id,
            name,
            value,
        )
