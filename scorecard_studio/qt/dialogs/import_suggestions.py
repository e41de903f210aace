"""The wizard's suggested mappings: offered unticked, applied only when the user ticks them.

:func:`scorecard_studio.domain.column_suggestions.suggest_mappings` names what a known
exporter's columns mean (Salesforce's ``Name`` is the customer name, Stripe's ``Amount`` a
sum worth a KPI, a 0–10 "recommend" question an NPS KPI). Ticking a role suggestion sets
that role's column on the page, where it can still be changed; ticking a measure adds its
KPI to the design when the import is finished, in the same undoable step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QListWidget, QListWidgetItem

from scorecard_studio.domain import edits
from scorecard_studio.domain.column_suggestions import ColumnFacts, Suggestion, suggest_mappings
from scorecard_studio.domain.model import Measure, Scorecard

_INDEX = Qt.ItemDataRole.UserRole


@dataclass(frozen=True, slots=True)
class SuggestedKpi:
    """A KPI the user accepted: its name, its measure and the perspective it goes under."""

    name: str
    measure: Measure
    perspective: str


def add_kpis(card: Scorecard, kpis: Sequence[SuggestedKpi]) -> Scorecard:
    """The design with each accepted KPI under the perspective it names (by name, case
    ignored), else under the first one; without perspectives there is nowhere to add it."""
    for kpi in kpis:
        if not card.perspectives:
            break
        named = [p for p in card.perspectives if p.name.casefold() == kpi.perspective.casefold()]
        parent = (named or list(card.perspectives))[0]
        card, _kid = edits.add_kpi(card, parent.id, kpi.name, kpi.measure)
    return card


class SuggestionList(QListWidget):
    """Checkable suggestions for the inspected columns; all start unticked."""

    def __init__(self, roles: Mapping[str, QComboBox]) -> None:
        super().__init__()
        self.setObjectName("suggestions")
        self.setMaximumHeight(110)
        self._roles = roles
        self.offered: list[Suggestion] = []
        self.itemChanged.connect(self._ticked)

    def offer(self, columns: Sequence[Any], exporter: str | None) -> None:
        """List the suggestions for ``columns`` (ColumnInfo) that the page does not show yet."""
        facts = [
            ColumnFacts(str(c.name), str(c.type), c.minimum, c.maximum, bool(c.whole))
            for c in columns
        ]
        self.blockSignals(True)
        self.clear()
        self.offered = []
        for suggestion in suggest_mappings(facts, exporter):
            box = self._roles.get(suggestion.role)
            if box is not None and box.currentData() == suggestion.column:
                continue  # already chosen on the page (an exporter's pre-selected role)
            item = QListWidgetItem(suggestion.text)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(_INDEX, len(self.offered))
            self.offered.append(suggestion)
            self.addItem(item)
        if not self.offered:
            self.addItem(QListWidgetItem("No suggestions for these columns"))
        self.blockSignals(False)
        self.setVisible(True)

    def tick(self, column: str, role: str) -> None:
        """Accept one suggestion (what ticking its box does)."""
        for row in range(self.count()):
            item = self.item(row)
            index = item.data(_INDEX)
            if index is not None:
                s = self.offered[int(index)]
                if s.column == column and s.role == role:
                    item.setCheckState(Qt.CheckState.Checked)

    def _ticked(self, item: QListWidgetItem) -> None:
        index = item.data(_INDEX)
        if index is None or item.checkState() != Qt.CheckState.Checked:
            return
        suggestion = self.offered[int(index)]
        box = self._roles.get(suggestion.role)
        if box is not None:
            box.setCurrentIndex(max(box.findData(suggestion.column), 0))

    def accepted(self) -> list[Suggestion]:
        out = []
        for row in range(self.count()):
            item = self.item(row)
            index = item.data(_INDEX)
            if index is not None and item.checkState() == Qt.CheckState.Checked:
                out.append(self.offered[int(index)])
        return out

    def accepted_kpis(self, source_id: str) -> tuple[SuggestedKpi, ...]:
        """The ticked measure suggestions as KPIs reading ``source_id``."""
        return tuple(
            SuggestedKpi(
                s.kpi_name or s.column,
                Measure(s.aggregation, source=source_id, column=s.column, scale=s.scale),
                s.perspective,
            )
            for s in self.accepted()
            if s.is_measure and s.aggregation is not None
        )
