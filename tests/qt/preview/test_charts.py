"""Chart widgets: each renders offscreen, says exact values in tooltips, and selects KPIs."""

from __future__ import annotations

import numpy as np
import pytest
from preview_helpers import fixture_result, ink_fraction, pixels
from pytestqt.qtbot import QtBot

from scorecard_studio.domain.scenario import Scenario
from scorecard_studio.engines.scoring import ScoreResult
from scorecard_studio.engines.scoring.whatif import ScenarioScorer, result_marginals
from scorecard_studio.qt.preview.bullets import BulletsChart
from scorecard_studio.qt.preview.chart_base import ChartInput, ChartWidget, LabelAxis
from scorecard_studio.qt.preview.heatmap import HeatmapChart
from scorecard_studio.qt.preview.perspective_bars import PerspectiveBarsChart
from scorecard_studio.qt.preview.trends import TrendsChart
from scorecard_studio.qt.preview.weights import WeightsChart

CHARTS = [PerspectiveBarsChart, BulletsChart, HeatmapChart, TrendsChart, WeightsChart]


@pytest.fixture(scope="module")
def result() -> ScoreResult:
    return fixture_result()


def _input(result: ScoreResult, kpi: str | None = "revenue", tier: str | None = None) -> ChartInput:
    return ChartInput(result, 0, tier, kpi, result_marginals(result).headline[:, 0])


@pytest.mark.parametrize("chart_type", CHARTS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_each_chart_renders_offscreen_and_is_not_blank(
    qtbot: QtBot, result: ScoreResult, chart_type: type[ChartWidget], dark: bool
) -> None:
    chart = chart_type()
    qtbot.addWidget(chart)
    chart.resize(520, 320)
    chart.set_dark(dark)
    empty = pixels(chart.grab().toImage())
    chart.show_input(_input(result))
    drawn = pixels(chart.grab().toImage())
    ink, colours = ink_fraction(chart)
    changed = (np.abs(drawn.astype(int) - empty.astype(int)).sum(axis=2) > 30).sum()
    assert ink > 0.05, f"{chart_type.__name__} drew almost nothing ({ink:.1%})"
    assert changed > 1000, f"{chart_type.__name__} changed only {changed} pixels"
    assert colours > 20
    chart.clear_chart()
    assert chart.input is None


def test_perspective_bar_tooltip_has_the_exact_values(qtbot: QtBot, result: ScoreResult) -> None:
    chart = PerspectiveBarsChart()
    qtbot.addWidget(chart)
    chart.show_input(_input(result))
    width = 0.8 / 3
    text = chart.hover_text(-width, 0.3)  # Financial, tier 1
    assert text is not None
    score = result.rollup.perspective_score[0, 0, 0]
    assert score == pytest.approx(0.5125)  # (0.725 + 0.3) / 2
    assert text.splitlines() == [
        "Financial — Tier 1",
        f"score {score:.3f} ■ red",
        "coverage 100%",
        "tier score 0.542; headline 0.496",
    ]
    assert chart.hover_text(0.5, 0.3) is None  # the gap between groups
    assert chart.kpi_at(0.0, 0.3) is None  # a perspective is not a KPI


def test_bullet_tooltip_and_click_name_the_row_under_the_pointer(
    qtbot: QtBot, result: ScoreResult
) -> None:
    chart = BulletsChart()
    qtbot.addWidget(chart)
    chart.resize(520, 320)
    chart.show_input(_input(result, tier="t1"))
    assert chart.kpi_at(0.5, 1.2) == "revenue"
    assert chart.kpi_at(0.5, 3.0) == "nps"
    assert chart.kpi_at(0.5, 7.0) is None
    assert chart.hover_text(0.2, 1.0) == "\n".join(
        [
            "Revenue — Tier 1",
            "actual 80",
            "baseline 0; target 100; stretch —",
            "score 0.800 ▲ amber",
            "higher is better",
        ]
    )


def test_heatmap_tooltip_and_click(qtbot: QtBot, result: ScoreResult) -> None:
    chart = HeatmapChart()
    qtbot.addWidget(chart)
    chart.show_input(_input(result))
    assert chart.kpi_at(2.0, 3.0) == "nps"
    assert (
        chart.hover_text(1.0, 0.0)
        == "Dso — Tier 2\nscore 0.900 ▲ amber\nactual 90 against target 100"
    )
    assert chart.hover_text(3.2, 0.0) is None  # the legend's empty space


def test_weights_tooltip_shows_share_and_marginal_effect(qtbot: QtBot, result: ScoreResult) -> None:
    chart = WeightsChart()
    qtbot.addWidget(chart)
    chart.show_input(_input(result))
    assert chart.kpi_at(0.1, 2.0) == "revenue"  # sorted: dso, nps, revenue, margin
    assert chart.hover_text(0.1, 3.0) == "\n".join(
        [
            "Margin",
            "share of the headline 8.33%",
            "headline moves 0.0833 points per point of this KPI's score",
        ]
    )


def test_weights_draw_the_saved_design_beside_a_scenario(qtbot: QtBot, result: ScoreResult) -> None:
    outcome = ScenarioScorer(result).evaluate(Scenario().with_weight("margin", 3.0))
    chart = WeightsChart()
    qtbot.addWidget(chart)
    chart.show_input(
        ChartInput(outcome.result, 0, None, None, outcome.marginal.headline[:, 0], result)
    )
    assert chart.data is not None
    assert chart.data.design_share is not None
    # Margin's weight 3 makes Grow (3 + 3): margin 3/6 · 1/2 · 2/3 = 1/6 (was 1/12).
    row = chart.data.kpi_ids.index("margin")
    assert chart.data.share[row] == pytest.approx(1 / 6)
    assert chart.data.design_share[row] == pytest.approx(1 / 12)
    assert "saved design 8.33%" in (chart.hover_text(0.05, row) or "")


def test_trend_shows_the_selected_kpi_per_tier(qtbot: QtBot, result: ScoreResult) -> None:
    chart = TrendsChart()
    qtbot.addWidget(chart)
    chart.show_input(_input(result, kpi="margin"))
    assert chart.data is not None
    assert chart.data.kpi_id == "margin"
    np.testing.assert_array_equal(chart.data.actual[:, 0], [50.0, 20.0, 70.0])
    text = chart.hover_text(0.0, 22.0)
    assert text is not None
    assert text.splitlines()[0] == "Margin — Tier 2, 2026-Q1"
    assert "actual 20" in text
    assert chart.kpi_at(0.0, 0.0) == "margin"


def test_a_click_in_the_plot_emits_the_kpi(qtbot: QtBot, result: ScoreResult) -> None:
    chart = HeatmapChart()
    qtbot.addWidget(chart)
    chart.resize(500, 300)
    chart.show()
    chart.show_input(_input(result))
    qtbot.waitExposed(chart)
    vb = chart.getPlotItem().vb
    scene_point = vb.mapViewToScene(vb.mapToView(vb.boundingRect().center()))
    x, y = (vb.mapSceneToView(scene_point).x(), vb.mapSceneToView(scene_point).y())
    expected = chart.kpi_at(x, y)

    class Click:
        def button(self) -> object:
            from PySide6.QtCore import Qt

            return Qt.MouseButton.LeftButton

        def scenePos(self) -> object:
            return scene_point

    with qtbot.waitSignal(chart.kpiClicked) as blocker:
        chart._mouse_clicked(Click())
    assert blocker.args == [expected]
    assert expected is not None


def test_label_axis_thins_labels_to_fit(qtbot: QtBot) -> None:
    axis = LabelAxis("left", spacing_px=15)
    axis.set_labels([f"KPI {i}" for i in range(1000)])
    ticks = axis.tickValues(-0.5, 999.5, 300.0)  # 1,000 rows in 300 px: every 50th
    step, values = ticks[0]
    assert step == 50
    assert values[:3] == [0.0, 50.0, 100.0]
    assert axis.tickValues(9.5, 0.5, 300.0)[0][1] == [float(v) for v in range(1, 10)]
    assert axis.tickStrings([3.0, 2000.0], 1, 1) == ["KPI 3", ""]


def test_select_scrolls_a_long_chart_to_the_kpi(qtbot: QtBot) -> None:
    from dataclasses import replace

    from scorecard_studio.domain import edits
    from scorecard_studio.engines.scoring import score_actuals

    base = fixture_result()
    card = base.card
    for i in range(60):
        card = edits.insert_kpi(card, replace(card.kpi("nps"), id=f"extra{i}"), "cust")
    # Reuse the NPS actuals for the extra KPIs: same data, many rows.
    actuals = replace(
        base.actuals,
        kpi_ids=tuple(k.id for k in card.all_kpis()),
        value=np.concatenate([base.actuals.value, np.repeat(base.actuals.value[3:4], 60, 0)]),
        sample=np.concatenate([base.actuals.sample, np.repeat(base.actuals.sample[3:4], 60, 0)]),
    )
    result = score_actuals(card, actuals)
    chart = BulletsChart()
    qtbot.addWidget(chart)
    chart.resize(500, 320)
    chart.show_input(ChartInput(result, 0, None, None))
    assert chart.data is not None
    assert len(chart.data.kpis) < len(result.kpis) / 2  # only the rows in view are computed
    chart.show_input(ChartInput(result, 0, None, "extra50"))
    chart.select("extra50")
    assert chart.data is not None
    assert "extra50" in chart.data.kpi_ids


def test_a_percentage_kpis_trend_axis_reads_percent(qtbot: QtBot) -> None:
    from dataclasses import replace

    from designer_fixtures import design, tables

    from scorecard_studio.domain import edits
    from scorecard_studio.engines.scoring import score

    card = design()
    card = edits.replace_kpi(card, replace(card.kpi("margin"), unit="%"))
    data = tables()
    data["src"]["margin"] = [0.5, 0.2]
    chart = TrendsChart()
    qtbot.addWidget(chart)
    chart.show_input(_input(score(card, data), kpi="margin"))
    assert chart.value_axis.tickStrings([0.2, 0.4, 0.6], 1.0, 0.2) == ["20%", "40%", "60%"]
    assert chart.value_axis.tickStrings([0.05, 0.055], 1.0, 0.005) == ["5.0%", "5.5%"]
    assert "actual 20%" in (chart.hover_text(0.0, 0.2) or "")
    # Another KPI on the same chart goes back to plain numbers.
    chart.show_input(_input(fixture_result(), kpi="revenue"))
    assert chart.value_axis.tickStrings([50.0, 100.0], 1.0, 50.0) == ["50", "100"]
