"""What-if controls: try weights and targets on a scenario, watch every chart answer.

Sliders and spin boxes change the shared :class:`PreviewState`'s scenario, never the
document: the design, its undo history and its autosave stay as they were until "Apply
scenario" turns the scenario into one undoable edit. "Reset" drops it.

The marginal-effects table answers "where is a point of effort worth most?": for each
KPI, how many points the headline moves per point of that KPI's score at the period on
show. It equals the KPI's effective share when every score is present and differs where
missing data makes the roll-up lean on the KPIs that have data.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import (
    QModelIndex,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scorecard_studio.domain.errors import ScorecardError
from scorecard_studio.domain.model import Scorecard
from scorecard_studio.domain.scenario import Scenario, apply, describe, design_weight
from scorecard_studio.domain.units import unit_of
from scorecard_studio.qt.preview.live_label import LiveLabel
from scorecard_studio.qt.preview.whatif_controls import MarginalModel, ValueControl
from scorecard_studio.qt.wheel_guard import guard_wheel

if TYPE_CHECKING:
    from scorecard_studio.qt.document import ScorecardDocument
    from scorecard_studio.qt.preview.recompute import Frame
    from scorecard_studio.qt.preview.state import PreviewState

TARGET_EDITS = ("baseline", "target", "stretch")


class WhatIfPanel(QWidget):
    """Scenario controls beside the charts."""

    def __init__(
        self,
        document: ScorecardDocument,
        preview_state: PreviewState,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.state = preview_state
        self._perspective_controls: dict[str, ValueControl] = {}
        self._perspective_key: tuple[tuple[str, str, float], ...] = ()
        self._kpi_ids: tuple[tuple[str, str], ...] = ()  # (id, name)
        self._scenario_card: tuple[Scorecard, Scenario, Scorecard] | None = None

        # Live labels: these change on every step of a drag (see live_label.py).
        self.readout = LiveLabel(wrap=True, bold=True)
        self.changes = LiveLabel(wrap=True)
        self.apply_button = QPushButton("Apply scenario")
        self.apply_button.setToolTip("Make these changes to the design (one undoable step)")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("Drop the scenario; the design is unchanged")
        buttons = QHBoxLayout()
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.reset_button)
        summary = QGroupBox("Scenario")
        sl = QVBoxLayout(summary)
        sl.addWidget(self.readout)
        sl.addWidget(self.changes)
        sl.addLayout(buttons)

        self.perspective_box = QGroupBox("Perspective weights")
        self.perspective_form = QFormLayout(self.perspective_box)

        self.kpi_box = QComboBox()
        self.kpi_box.setToolTip("The KPI to change (follows the selection in the charts)")
        self.kpi_weight = ValueControl()
        self.tier_box = QComboBox()
        self.tier_box.setToolTip("Change the targets of every tier, or one tier's override")
        guard_wheel(self.kpi_box, self.tier_box)
        self.target_controls = {
            name: ValueControl(decimals=2, nullable=True) for name in TARGET_EDITS
        }
        self.kpi_effect = LiveLabel(wrap=True)
        kpi_group = QGroupBox("KPI")
        kf = QFormLayout(kpi_group)
        kf.addRow(self.kpi_box)
        kf.addRow("Weight", self.kpi_weight)
        kf.addRow("Targets for", self.tier_box)
        for name, control in self.target_controls.items():
            kf.addRow(name.capitalize(), control)
        kf.addRow(self.kpi_effect)

        self.model = MarginalModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths: sizing columns to their contents reads every row on every update.
        for column, text in ((1, "100.0%"), (2, self.model.HEADERS[2])):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, self.fontMetrics().horizontalAdvance(text) + 24)
        self.table.setMinimumHeight(160)
        effects = QGroupBox("Marginal effect on the headline")
        el = QVBoxLayout(effects)
        el.addWidget(self.table)

        content = QWidget()
        cl = QVBoxLayout(content)
        cl.addWidget(summary)
        cl.addWidget(self.perspective_box)
        cl.addWidget(kpi_group)
        cl.addWidget(effects, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._scroll = scroll

        self.apply_button.clicked.connect(self.apply_scenario)
        self.reset_button.clicked.connect(self.state.reset_scenario)
        self.kpi_box.currentIndexChanged.connect(self._kpi_chosen)
        self.tier_box.currentIndexChanged.connect(lambda _i: self._sync_kpi())
        self.kpi_weight.valueChanged.connect(self._kpi_weight_changed)
        for name, control in self.target_controls.items():
            control.valueChanged.connect(lambda v, n=name: self._target_changed(n, v))
        self.table.doubleClicked.connect(self._row_activated)
        st = self.state
        st.scenarioChanged.connect(lambda _s: self.refresh(show_frame=False))
        st.selectionChanged.connect(self._selection_changed)
        st.frameChanged.connect(lambda _f: self._show_frame())
        st.filterChanged.connect(self._show_frame)
        document.designChanged.connect(lambda _c: self.refresh())
        self.refresh()

    def perspective_controls(self) -> dict[str, ValueControl]:
        """The weight control of each perspective, by perspective id."""
        return dict(self._perspective_controls)

    # --- the scenario's design --------------------------------------------------------

    def scenario_card(self) -> Scorecard:
        """The design as the scenario makes it (the design itself when it cannot apply).

        Kept for the last (design, scenario) pair: one slider step asks for it several
        times, and applying a scenario rebuilds the whole design.
        """
        design, scenario = self.document.card, self.state.scenario
        cached = self._scenario_card
        if cached is not None and cached[0] is design and cached[1] == scenario:
            return cached[2]
        try:
            card = apply(design, scenario)
        except ScorecardError:
            card = design
        self._scenario_card = (design, scenario, card)
        return card

    def apply_scenario(self) -> None:
        self.state.apply_scenario()

    # --- refreshing from the state ----------------------------------------------------

    def refresh(self, show_frame: bool = True) -> None:
        """Bring every control in line with the design and the scenario.

        A new scenario is followed by its frame, which updates the read-outs; refreshing
        them from the previous frame first would be wasted work.
        """
        self._build_perspectives()
        card = self.scenario_card()
        for pid, control in self._perspective_controls.items():
            control.set_value(_weight(card, pid))
        self._fill_kpis()
        self._sync_kpi()
        scenario = self.state.scenario
        lines = describe(self.document.card, scenario)
        self.changes.setText(
            "\n".join(lines) if lines else "No changes: the charts show the saved design."
        )
        self.apply_button.setEnabled(not scenario.is_empty())
        self.reset_button.setEnabled(not scenario.is_empty())
        if show_frame:
            self._show_frame()

    def _build_perspectives(self) -> None:
        design = self.document.card
        key = tuple((p.id, p.name, p.weight) for p in design.perspectives)
        if key == self._perspective_key:
            return
        self._perspective_key = key
        while self.perspective_form.rowCount():
            self.perspective_form.removeRow(0)
        self._perspective_controls = {}
        for p in design.perspectives:
            control = ValueControl()
            control.set_range(0.0, max(p.weight * 3, 10.0 if p.weight == 0 else 0.0))
            control.valueChanged.connect(lambda v, pid=p.id: self._weight_changed(pid, v))
            self.perspective_form.addRow(p.name, control)
            self._perspective_controls[p.id] = control
        self._fit_width()

    def _fit_width(self) -> None:
        """Be as wide as the controls need beside a vertical scroll bar.

        Perspective names vary in length; a sideways scroll bar would hide the spin boxes.
        """
        scroll = self._scroll
        content = scroll.widget()
        if content is None:
            return
        bar = scroll.verticalScrollBar().sizeHint().width()
        frame = 2 * scroll.frameWidth()
        self.setMinimumWidth(max(300, content.minimumSizeHint().width() + bar + frame))

    def _fill_kpis(self) -> None:
        design = self.document.card
        ids = tuple((k.id, k.name) for k in design.all_kpis())  # a rename refills too
        tiers = [("All tiers", None), *((t.name, t.id) for t in design.tiers)]
        if ids != self._kpi_ids:
            self._kpi_ids = ids
            self.kpi_box.blockSignals(True)
            self.kpi_box.clear()
            for k in design.all_kpis():
                self.kpi_box.addItem(k.name, k.id)
            self.kpi_box.blockSignals(False)
        current = [
            (self.tier_box.itemText(i), self.tier_box.itemData(i))
            for i in range(self.tier_box.count())
        ]
        if current != tiers:
            self.tier_box.blockSignals(True)
            self.tier_box.clear()
            for name, tid in tiers:
                self.tier_box.addItem(name, tid)
            self.tier_box.blockSignals(False)
        self._select_in_box(self.state.kpi_id)

    def _select_in_box(self, kpi_id: str | None) -> None:
        i = self.kpi_box.findData(kpi_id) if kpi_id else -1
        if i < 0 and self.kpi_box.count():
            i = max(self.kpi_box.currentIndex(), 0)
        self.kpi_box.blockSignals(True)
        self.kpi_box.setCurrentIndex(i)
        self.kpi_box.blockSignals(False)

    def current_kpi(self) -> str | None:
        data = self.kpi_box.currentData()
        return str(data) if data else None

    def current_tier(self) -> str | None:
        data = self.tier_box.currentData()
        return str(data) if data else None

    def _sync_kpi(self) -> None:
        kpi_id = self.current_kpi()
        enabled = kpi_id is not None
        for control in (self.kpi_weight, *self.target_controls.values()):
            control.setEnabled(enabled)
        if kpi_id is None:
            return
        design, card = self.document.card, self.scenario_card()
        saved = design.kpi(kpi_id)
        self.kpi_weight.set_range(0.0, max(saved.weight * 3, 10.0 if saved.weight == 0 else 0.0))
        self.kpi_weight.set_value(card.kpi(kpi_id).weight)
        tier = self.current_tier()
        unit = unit_of(saved)
        shown = card.kpi(kpi_id).targets.resolve(tier, None)
        base = saved.targets.resolve(tier, None)
        span = _span(base.baseline, base.target)
        centre = base.target if base.target is not None else 0.0
        for name, control in self.target_controls.items():
            control.set_unit(unit)  # a churn target reads and takes 6 (%), not 0.06
            control.set_range(centre - 2 * span, centre + 2 * span)
            control.set_value(getattr(shown, name))

    def _show_frame(self) -> None:
        frame: Frame | None = self.state.frame
        if frame is None or not frame.result.period_labels:
            self.readout.setText("No data to score yet.")
            self.model.set_values((), (), np.zeros(0), np.zeros(0))
            self.kpi_effect.setText("")
            return
        p = self.state.period_index()
        result = frame.result
        now = float(result.rollup.headline[p])
        label = result.period_labels[p]
        if frame.scenario.is_empty():
            self.readout.setText(f"Headline {_score(now)} ({label})")
        else:
            before = float(frame.design.rollup.headline[p])
            self.readout.setText(
                f"Headline {_score(before)} → {_score(now)} ({now - before:+.3f}) in {label}"
            )
        marginal = frame.whatif.marginal.headline[:, p]
        self.model.set_values(
            result.actuals.kpi_ids,
            tuple(k.name for k in result.kpis),
            result.effective_share,
            marginal,
        )
        kpi_id = self.current_kpi()
        if kpi_id in result.actuals.kpi_ids:
            k = result.kpi_index(kpi_id)
            m = float(marginal[k])
            name = result.kpis[k].name
            self.kpi_effect.setText(
                f"{name} has no score in {label}: it cannot move the headline."
                if math.isnan(m)
                else f"Each point of {name}'s score moves the headline {m:.3f} points "
                f"in {label} (share of the headline {result.effective_share[k]:.1%})."
            )

    # --- user changes -----------------------------------------------------------------

    def _weight_changed(self, item_id: str, value: float | None) -> None:
        if value is None:
            return
        self._set(self.state.scenario.with_weight(item_id, value))

    def _kpi_weight_changed(self, value: float | None) -> None:
        kpi_id = self.current_kpi()
        if kpi_id is not None and value is not None:
            self._weight_changed(kpi_id, value)

    def _target_changed(self, name: str, value: float | None) -> None:
        kpi_id = self.current_kpi()
        if kpi_id is None:
            return
        self._set(self.state.scenario.with_target(kpi_id, name, value, self.current_tier()))

    def _set(self, scenario: Scenario) -> None:
        try:
            self.state.set_scenario(scenario)
        except ScorecardError as exc:
            self.state.errorRaised.emit(str(exc))

    def _kpi_chosen(self, index: int) -> None:
        if index >= 0:
            self.state.select_kpi(self.kpi_box.itemData(index))
            self._sync_kpi()
            self._show_frame()

    def _selection_changed(self, kpi_id: str | None) -> None:
        if kpi_id and kpi_id != self.current_kpi():
            self._select_in_box(kpi_id)
            self._sync_kpi()
            self._show_frame()

    def _row_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.state.select_kpi(self.model.kpi_at(index.row()))


def _weight(card: Scorecard, item_id: str) -> float:
    try:
        return design_weight(card, item_id)
    except ScorecardError:
        return 0.0


def _span(baseline: float | None, target: float | None) -> float:
    if baseline is not None and target is not None and baseline != target:
        return abs(target - baseline)
    if target is not None and target != 0:
        return abs(target)
    return 1.0


def _score(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.3f}"
