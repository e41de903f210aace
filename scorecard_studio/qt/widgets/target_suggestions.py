"""Target suggestions beside the targets matrix: what the trailing periods say, per tier.

For the KPI of the matrix's current row, one line per tier (the all-customers line feeds
the default set): the suggested baseline and target of ``domain/escalation.py`` (the
median of the trailing 8 periods up to the reporting period, and the trend line or the
median improved by 5 %), over the periods the result has, exceptional periods left out.
Nothing is applied by itself: "Accept" writes one tier's baseline and target, "Accept all"
every tier's, each as one undoable edit.

The suggestions read the actuals the document has already computed (one KPI, a few
periods per tier: microseconds), so no data is read here and nothing waits on a thread;
the exceptions come from the store once per opened or saved version, through
:attr:`TargetSuggestionsPanel.governance`, read off the UI thread (the newest read wins,
and one for a version no longer open is dropped).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scorecard_studio.domain import edits
from scorecard_studio.domain.governance import GovernanceView
from scorecard_studio.domain.model import Scorecard, TargetValues
from scorecard_studio.domain.units import format_value, unit_of
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.store_reads import LatestRead, read_shown_governance

if TYPE_CHECKING:
    from scorecard_studio.domain.escalation import TargetSuggestion

#: The result's all-customers row; its suggestion goes to the KPI's default set.
ALL_TIERS = "all"

Accepted = tuple[str | None, float, float]  # (tier id or None for the default, baseline, target)


def apply_suggestions(card: Scorecard, kpi_id: str, accepted: Sequence[Accepted]) -> Scorecard:
    """The design with each accepted baseline and target written at its tier (None: the
    default set); the stretch and red-flag values there are kept."""
    for tier, baseline, target in accepted:
        kpi = card.kpi(kpi_id)
        if tier is None:
            current = kpi.targets.default
        else:
            override = kpi.targets.override_for(tier, None)
            current = override.values if override is not None else TargetValues()
        values = replace(current, baseline=baseline, target=target)
        card = edits.set_targets(card, kpi_id, values, tier, None)
    return card


class TargetSuggestionsPanel(QWidget):
    """Suggested baseline and target per tier for one KPI, each with its Accept button."""

    def __init__(self, document: ScorecardDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("targetSuggestions")
        self.document = document
        #: Reads the governance view of a stored version (store name, number) for its
        #: exceptions, off the UI thread; set by the window. None, or a source that returns
        #: None: no period is exceptional.
        self.governance: Callable[[str | None, int | None], GovernanceView | None] | None = None
        self._view: GovernanceView | None = None
        self.reading = LatestRead(self)
        self.kpi_id: str | None = None
        self.suggestions: list[TargetSuggestion] = []
        self.title = QLabel("Suggestions")
        self.title.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Tier", "Baseline", "Target", ""])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.accept_all_button = QPushButton("Accept all")
        self.accept_all_button.clicked.connect(self.accept_all)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.accept_all_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        document.resultChanged.connect(lambda _r: self.refresh())
        self.refresh()

    # --- what is shown --------------------------------------------------------------

    def reload_governance(self) -> None:
        """Read the exceptions again (a version was opened or saved), in the background;
        the suggestions are worked out again when they arrive."""
        read_shown_governance(self.document, self.governance, self.reading, self._governance_read)

    def _governance_read(self, view: GovernanceView | None) -> None:
        self._view = view
        self.refresh()

    def show_kpi(self, kpi_id: str | None) -> None:
        if kpi_id != self.kpi_id:
            self.kpi_id = kpi_id
            self.refresh()

    def refresh(self) -> None:
        self.suggestions = self._compute()
        card = self.document.card
        names = {t.id: t.name for t in card.tiers}
        names[ALL_TIERS] = "Default (all customers)"
        # Default first, then the tiers: the matrix's column order.
        usable = sorted(
            (s for s in self.suggestions if _usable(s)), key=lambda s: s.tier != ALL_TIERS
        )
        self.table.setRowCount(len(usable))
        kpi = card.kpi(self.kpi_id) if self.kpi_id is not None and self._has_kpi() else None
        unit = unit_of(kpi) if kpi is not None else None
        for row, s in enumerate(usable):
            cells = [names.get(s.tier, s.tier)]
            cells += [format_value(v, unit) if unit else str(v) for v in (s.baseline, s.target)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(_basis(s))
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
            button = QPushButton("Accept")
            button.setToolTip(f"Set {names.get(s.tier, s.tier)}'s baseline and target")
            button.clicked.connect(lambda _=False, tier=s.tier: self.accept(tier))
            self.table.setCellWidget(row, 3, button)
        self.accept_all_button.setEnabled(bool(usable))
        if kpi is None:
            self.title.setText("Suggestions: select a KPI's row in the matrix")
            self.note.setText("")
            return
        self.title.setText(f"Suggestions for {kpi.name}")
        if not usable:
            self.note.setText("No values in the trailing periods to suggest from.")
            return
        basis = usable[0].basis
        text = (
            f"From {len(basis.periods)} period(s) up to {basis.periods[-1]}"
            if basis.periods
            else ""
        )
        excluded = sorted({p for s in usable for p in s.basis.excluded})
        if excluded:
            text += f"; exceptional left out: {', '.join(excluded)}"
        self.note.setText(text + ". Never applied by itself: Accept writes it (undoable).")

    def _has_kpi(self) -> bool:
        return self.kpi_id is not None and any(
            k.id == self.kpi_id for k in self.document.card.all_kpis()
        )

    def _compute(self) -> list[TargetSuggestion]:
        result = self.document.result
        if result is None or not self._has_kpi() or self.kpi_id not in result.actuals.kpi_ids:
            return []
        from scorecard_studio.engines.governance import red

        view = self._view or GovernanceView(version=0)
        period = red.report_period_index(result)
        return red.suggestions(result, view, period, kpis=(str(self.kpi_id),))

    # --- accepting ------------------------------------------------------------------

    def accept(self, tier: str) -> bool:
        """Write one tier's suggested baseline and target (one undoable edit)."""
        return self._apply([s for s in self.suggestions if s.tier == tier], "Accept suggestion")

    def accept_all(self) -> bool:
        """Write every tier's suggestion (one undoable edit)."""
        return self._apply(self.suggestions, "Accept all suggestions")

    def _apply(self, chosen: Sequence[TargetSuggestion], text: str) -> bool:
        accepted: list[Accepted] = [
            (None if s.tier == ALL_TIERS else s.tier, float(s.baseline), float(s.target))
            for s in chosen
            if _usable(s) and s.baseline is not None and s.target is not None
        ]
        if not accepted or self.kpi_id is None:
            return False
        name = self.document.card.kpi(self.kpi_id).name
        return self.document.edit(f"{text} for {name}", apply_suggestions, self.kpi_id, accepted)


def _usable(s: TargetSuggestion) -> bool:
    """A suggestion that can be written: both values, and a target apart from the baseline
    (a median of 0 with no trend suggests nothing a score could be measured against)."""
    return s.baseline is not None and s.target is not None and s.target != s.baseline


def _basis(s: TargetSuggestion) -> str:
    b = s.basis
    slope = "none" if b.slope is None else f"{b.slope:.4g} per period"
    median = "—" if b.median is None else f"{b.median:.6g}"
    return f"{s.note}. Median {median}, slope {slope}, periods: {', '.join(b.periods)}"
