"""What the preview shows: the frame on screen, the scenario, the period, tier and KPI.

Shared by the charts panel and the what-if controls, so a slider in one and a chart in the
other always agree. The scenario lives here, never in the document: the document's design,
undo history and autosave only change when the scenario is applied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from scorecard_studio.domain.scenario import Scenario, apply, prune
from scorecard_studio.qt.preview.recompute import SYNC_CELL_LIMIT, Frame, Recomputer

if TYPE_CHECKING:
    from scorecard_studio.qt.document import ScorecardDocument
    from scorecard_studio.qt.preview.chart_base import ChartInput


class PreviewState(QObject):
    """The preview's state and the one place that asks for recomputes."""

    frameChanged = Signal(object)  # Frame | None
    scenarioChanged = Signal(object)  # Scenario
    selectionChanged = Signal(object)  # str | None
    filterChanged = Signal()  # period or tier
    errorRaised = Signal(str)

    def __init__(
        self,
        document: ScorecardDocument,
        parent: QObject | None = None,
        sync_cell_limit: int = SYNC_CELL_LIMIT,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.scenario = Scenario()
        self.frame: Frame | None = None
        self.period_label: str | None = None  # None: the latest period with data
        self.tier_id: str | None = None  # None: every tier and "all customers"
        self.kpi_id: str | None = None
        self.recomputer = Recomputer(self, sync_cell_limit)
        self.recomputer.frameReady.connect(self._frame_ready)
        self.recomputer.failed.connect(self.errorRaised)
        document.resultChanged.connect(self._result_changed)

    # --- scenario -----------------------------------------------------------------------

    def set_scenario(self, scenario: Scenario) -> None:
        """Show ``scenario`` (pruned of no-op changes) on top of the design."""
        scenario = prune(self.document.card, scenario)
        if scenario == self.scenario:
            return
        self.scenario = scenario
        self.scenarioChanged.emit(scenario)
        self.request()

    def reset_scenario(self) -> None:
        self.set_scenario(Scenario())

    def apply_scenario(self) -> bool:
        """Make the scenario the design, as one undoable step; the scenario closes."""
        if self.scenario.is_empty():
            return False
        after = apply(self.document.card, self.scenario)
        self.scenario = Scenario()  # before the document rescored, so it is not re-applied
        self.scenarioChanged.emit(self.scenario)
        self.document.replace_card("Apply what-if scenario", after)
        return True

    # --- filters and selection --------------------------------------------------------

    def period_index(self) -> int:
        result = self.frame.result if self.frame is not None else None
        if result is None or not result.period_labels:
            return 0
        if self.period_label in result.period_labels:
            return result.period_labels.index(self.period_label)
        return result.period_index(None)

    def set_period(self, label: str | None) -> None:
        if label != self.period_label:
            self.period_label = label
            self.filterChanged.emit()

    def set_tier(self, tier_id: str | None) -> None:
        if tier_id != self.tier_id:
            self.tier_id = tier_id
            self.filterChanged.emit()

    def select_kpi(self, kpi_id: str | None) -> None:
        if kpi_id != self.kpi_id:
            self.kpi_id = kpi_id
            self.selectionChanged.emit(kpi_id)

    def chart_input(self) -> ChartInput | None:
        """What every chart draws now: one frame, one period, one tier filter."""
        from scorecard_studio.qt.preview.chart_base import ChartInput

        frame = self.frame
        if frame is None or not frame.result.period_labels:
            return None
        result = frame.result
        period = self.period_index()
        tier = self.tier_id if self.tier_id in result.tier_ids else None
        kpi = self.kpi_id if self.kpi_id in result.actuals.kpi_ids else None
        return ChartInput(
            result=result,
            period=period,
            tier_id=tier,
            kpi_id=kpi,
            marginal=frame.whatif.marginal.headline[:, period],
            design=None if frame.scenario.is_empty() else frame.design,
        )

    # --- recompute --------------------------------------------------------------------

    def request(self) -> int:
        # The charts draw retired KPIs too (weightless, "… (retired)"): their past stays.
        return self.recomputer.request(self.document.shown_result, self.scenario)

    def _result_changed(self, _result: object) -> None:
        pruned = prune(self.document.card, self.scenario)
        if pruned != self.scenario:
            self.scenario = pruned
            self.scenarioChanged.emit(pruned)
        self.request()

    def _frame_ready(self, frame: Frame | None) -> None:
        self.frame = frame
        self.frameChanged.emit(frame)
