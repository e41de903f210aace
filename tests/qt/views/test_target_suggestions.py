"""Target suggestions beside the targets matrix: hand-computed, never applied silently.

Revenue by quarter of 2026: 100, 110, 130 and 500 (a one-off contract in Q4). With Q4
marked exceptional, the trailing periods are Q1–Q3: median 110; least-squares slope over
positions 0, 1, 2 is ((−1)(−13⅓) + 0 + (1)(16⅔)) / 2 = 15 per period; the target is the
median plus slope × (n + 1) / 2 = 110 + 15 × 2 = 140. Without the exception: median of
100, 110, 130, 500 is 120, slope 610 / 5 = 122, target 120 + 122 × 2.5 = 425.
Orders are 10 every quarter: no improving trend, so the target is the median plus 5 %: 10.5.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from pytestqt.qtbot import QtBot

from scorecard_studio.domain.governance import Exceptional, GovernanceView
from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    Frequency,
    Kpi,
    Measure,
    Perspective,
    Scorecard,
    Settings,
    TargetSet,
    TargetValues,
    Tier,
)
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.widgets.targets_view import TargetsView


def _kpi(kpi_id: str, name: str, target: float) -> Kpi:
    measure = Measure(Aggregation.SUM, source="sales", column=kpi_id)
    return Kpi(
        kpi_id, name, measure, TargetSet(TargetValues(baseline=0, target=target, stretch=999))
    )


def _card() -> Scorecard:
    return Scorecard(
        "Suggesting",
        (
            Perspective(
                "fin",
                "Financial",
                kpis=(_kpi("revenue", "Revenue", 200), _kpi("orders", "Orders", 12)),
            ),
        ),
        tiers=(Tier("tier_1", "Tier 1"),),
        sources=(DataSource("sales", "Sales", date_column="date", tier_column="tier"),),
        settings=Settings(frequency=Frequency.QUARTER),
    )


def _tables() -> dict[str, pd.DataFrame]:
    return {
        "sales": pd.DataFrame(
            {
                "date": pd.to_datetime(["2026-02-01", "2026-05-01", "2026-08-01", "2026-11-01"]),
                "tier": pd.Series(["Tier 1"] * 4, dtype="str"),
                "revenue": [100.0, 110.0, 130.0, 500.0],
                "orders": [10.0, 10.0, 10.0, 10.0],
            }
        )
    }


def _q4_exceptional(*_version: object) -> GovernanceView:
    one_off = Exceptional("e1", 1, "2026-Q4", "revenue", "*", "one-off contract", "ana", "t")
    return GovernanceView(version=1, exceptions=(one_off,))


@pytest.fixture
def view(qtbot: QtBot, qapp: object) -> TargetsView:
    doc = ScorecardDocument()
    doc.load(_card(), _tables())
    targets = TargetsView(doc)
    qtbot.addWidget(targets)
    return targets


def _pairs(view: TargetsView) -> dict[str, tuple[float | None, float | None]]:
    return {s.tier: (s.baseline, s.target) for s in view.suggestions.suggestions}


def test_suggestions_follow_the_row_and_leave_exceptional_periods_out(
    view: TargetsView, qtbot: QtBot
) -> None:
    panel = view.suggestions
    assert panel.suggestions == []  # nothing selected yet
    view.table.setCurrentIndex(view.model.index(0, 0))
    assert panel.kpi_id == "revenue"
    pairs = _pairs(view)
    assert set(pairs) == {"tier_1", "all"}
    baseline, target = pairs["tier_1"]
    assert (baseline, target) == (120.0, pytest.approx(425.0))
    panel.governance = _q4_exceptional
    panel.reload_governance()
    qtbot.waitUntil(lambda: not panel.reading.busy)  # read off the UI thread
    baseline, target = _pairs(view)["all"]
    assert (baseline, target) == (110.0, pytest.approx(140.0))
    assert "exceptional left out: 2026-Q4" in panel.note.text()
    assert panel.table.rowCount() == 2
    assert panel.table.item(1, 0).text() == "Tier 1"
    # Nothing was applied by showing them.
    assert view.document.card == _card()
    assert view.document.undo_stack.count() == 0
    view.table.setCurrentIndex(view.model.index(1, 0))
    assert panel.kpi_id == "orders"
    baseline, target = _pairs(view)["tier_1"]
    assert (baseline, target) == (10.0, pytest.approx(10.5))


def test_accept_one_tier_and_accept_all_are_undoable(view: TargetsView, qtbot: QtBot) -> None:
    panel = view.suggestions
    panel.governance = _q4_exceptional
    panel.reload_governance()
    qtbot.waitUntil(lambda: not panel.reading.busy)  # read off the UI thread
    view.table.setCurrentIndex(view.model.index(0, 0))
    doc = view.document
    assert panel.accept("tier_1")
    revenue = doc.card.kpi("revenue")
    tier = revenue.targets.override_for("tier_1", None)
    assert tier is not None
    assert (tier.values.baseline, tier.values.target) == (110.0, pytest.approx(140.0))
    assert revenue.targets.default == TargetValues(baseline=0, target=200, stretch=999)
    assert doc.undo_stack.undoText() == "Accept suggestion for Revenue"
    doc.undo_stack.undo()
    assert doc.card == _card()
    assert panel.accept_all()
    revenue = doc.card.kpi("revenue")
    default = revenue.targets.default
    assert (default.baseline, default.stretch) == (110.0, 999)  # the stretch is kept
    assert math.isclose(default.target or 0, 140.0)
    assert doc.undo_stack.count() == 1  # one step for every tier
    doc.undo_stack.undo()
    assert doc.card == _card()
