"""Each chart's numbers against the engine's result, computed by hand; no rendering."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from designer_fixtures import design, tables

from scorecard_studio.domain import edits
from scorecard_studio.domain.model import (
    Aggregation,
    Kpi,
    Measure,
    ScoringMethod,
    Settings,
    StatusRule,
    TargetSet,
    TargetValues,
)
from scorecard_studio.domain.scenario import Scenario
from scorecard_studio.engines.scoring import ScoreResult, score
from scorecard_studio.engines.scoring.whatif import ScenarioScorer, result_marginals
from scorecard_studio.qt.preview import chart_data as cd

# KPI order in the fixture (tree order): dso (direct in Financial), revenue, margin (Grow),
# nps (Customer). Tier rows: t1, t2, all. One period, 2026-Q1. Targets 0 -> 100.
# Tier 1 actuals 30, 80, 50, 60; tier 2: 90, 40, 20, 10; all: 120, 120, 70, 70.


@pytest.fixture(scope="module")
def result() -> ScoreResult:
    return score(design(), tables())


def test_perspective_bars_are_the_roll_up_scores_per_tier(result: ScoreResult) -> None:
    bars = cd.perspective_bars(result, 0, None)
    assert bars.perspective_names == ("Financial", "Customer")
    assert bars.tier_names == ("Tier 1", "Tier 2", "All customers")
    # Financial, tier 1: Grow = (3·0.8 + 0.5)/4 = 0.725, with dso 0.3: (0.725 + 0.3)/2.
    # Tier 2: Grow = (3·0.4 + 0.2)/4 = 0.35 -> (0.35 + 0.9)/2. All: (0.925 + 1.0)/2.
    np.testing.assert_allclose(bars.height, [[0.5125, 0.625, 0.9625], [0.6, 0.1, 0.7]], rtol=1e-12)
    assert bars.status.tolist() == [[cd.RED, cd.RED, cd.AMBER], [cd.RED, cd.RED, cd.AMBER]]
    # Tiers: (2·fin + cust)/3; headline: the mean of the two real tiers.
    np.testing.assert_allclose(bars.tier_score, [1.625 / 3, 1.35 / 3, 2.625 / 3])
    assert bars.headline == pytest.approx((1.625 / 3 + 1.35 / 3) / 2)
    assert bars.headline_status == cd.RED
    assert bars.headline_coverage == 1.0
    width = 0.8 / 3
    assert bars.width == pytest.approx(width)
    np.testing.assert_allclose(bars.x[1], [1 - width, 1.0, 1 + width])


def test_a_tier_filter_shows_one_bar_per_perspective(result: ScoreResult) -> None:
    bars = cd.perspective_bars(result, 0, "t2")
    assert bars.tier_rows == (1,)
    np.testing.assert_allclose(bars.height, [[0.625], [0.1]])
    np.testing.assert_allclose(bars.x, [[0.0], [1.0]])
    assert bars.width == pytest.approx(0.8)


def test_bullet_positions_of_a_higher_is_better_kpi(result: ScoreResult) -> None:
    b = cd.bullets(result, 0, "t1", [result.kpi_index("revenue")])
    # Values 0 (baseline), 70 (amber at 0.7), 80 (actual), 100 (target): axis -5 .. 105.
    assert (b.axis_start[0], b.axis_end[0]) == (-5.0, 105.0)
    assert b.pos_baseline[0] == pytest.approx(5 / 110)
    assert b.pos_actual[0] == pytest.approx(85 / 110)
    assert b.pos_target[0] == pytest.approx(105 / 110)
    assert np.isnan(b.pos_stretch[0])
    assert b.band_status.tolist() == [cd.RED, cd.AMBER, cd.GREEN]
    np.testing.assert_allclose(b.band_start, [0, 75 / 110, 105 / 110])
    np.testing.assert_allclose(b.band_end, [75 / 110, 105 / 110, 1.0])
    assert b.score[0] == pytest.approx(0.8)
    assert b.status[0] == cd.AMBER
    assert b.higher.tolist() == [True]


def test_a_lower_is_better_bullet_still_reads_bad_to_good_left_to_right(
    result: ScoreResult,
) -> None:
    scenario = Scenario().with_target("dso", "baseline", 120.0).with_target("dso", "target", 20.0)
    what = ScenarioScorer(result).score(scenario)
    b = cd.bullets(what, 0, "t1", [what.kpi_index("dso")])
    # Score (30 − 120)/(20 − 120) = 0.9; amber at 120 − 0.7·100 = 50; values 20 .. 120.
    assert b.higher.tolist() == [False]
    assert (b.axis_start[0], b.axis_end[0]) == (125.0, 15.0)
    assert b.pos_actual[0] == pytest.approx(95 / 110)
    assert b.pos_baseline[0] == pytest.approx(5 / 110)
    assert b.pos_target[0] == pytest.approx(105 / 110)
    np.testing.assert_allclose(b.band_start, [0, 75 / 110, 105 / 110])
    assert b.score[0] == pytest.approx(0.9)


def test_bullets_default_to_all_customers_and_every_kpi(result: ScoreResult) -> None:
    b = cd.bullets(result, 0, None)
    assert b.tier_row == 2
    assert b.kpi_ids == ("dso", "revenue", "margin", "nps")
    np.testing.assert_array_equal(b.actual, [120.0, 120.0, 70.0, 70.0])
    np.testing.assert_array_equal(b.band_row, np.repeat(np.arange(4), 3))


def _single_kpi_result(kpi: Kpi, actual: float, settings: Settings | None = None) -> ScoreResult:
    card = edits.remove_item(design(), "cust")
    for kid in ("dso", "margin"):
        card = edits.remove_item(card, kid)
    card = edits.replace_kpi(card, kpi, "revenue")
    if settings is not None:
        from dataclasses import replace

        card = replace(card, settings=settings)
    data = tables()["src"].assign(revenue=[actual, actual])
    return score(card, {"src": data})


def _revenue(method: ScoringMethod, targets: TargetValues, **kw: object) -> Kpi:
    return Kpi(
        "revenue",
        "Revenue",
        Measure(Aggregation.SUM, source="src", column="revenue"),
        TargetSet(targets),
        method=method,
        **kw,  # type: ignore[arg-type]
    )


def test_range_bullets_have_green_between_low_and_high_and_amber_within_tolerance() -> None:
    kpi = _revenue(ScoringMethod.RANGE, TargetValues(low=40.0, high=60.0, tolerance=10.0))
    r = _single_kpi_result(kpi, 50.0)
    b = cd.bullets(r, 0, "t1")
    # Amber while the distance is ≤ 0.3·10 = 3; axis covers 30 .. 70 (± tolerance), pad 2.
    assert (b.axis_start[0], b.axis_end[0]) == (28.0, 72.0)
    span = 44.0
    assert b.band_status.tolist() == [cd.RED, cd.AMBER, cd.GREEN, cd.AMBER, cd.RED]
    np.testing.assert_allclose(
        b.band_start, [0, (37 - 28) / span, (40 - 28) / span, (60 - 28) / span, (63 - 28) / span]
    )
    assert b.score[0] == 1.0


def test_red_flag_rule_moves_the_red_band_to_the_red_flag_value() -> None:
    kpi = _revenue(
        ScoringMethod.LINEAR,
        TargetValues(baseline=0.0, target=100.0, red_flag=40.0),
        status_rule=StatusRule.RED_FLAG,
    )
    b = cd.bullets(_single_kpi_result(kpi, 50.0), 0, "t1")
    assert b.band_status.tolist() == [cd.RED, cd.AMBER, cd.GREEN]
    np.testing.assert_allclose(b.band_end[:2], [45 / 110, 105 / 110])
    assert b.status[0] == cd.AMBER  # above the red flag, below the target


def test_stretch_sets_where_the_cap_is_reached() -> None:
    kpi = _revenue(ScoringMethod.LINEAR, TargetValues(baseline=0.0, target=100.0, stretch=150.0))
    r = _single_kpi_result(kpi, 125.0, Settings(cap=1.2))
    b = cd.bullets(r, 0, "t1")
    assert b.score[0] == pytest.approx(1.1)  # halfway from target to stretch
    assert (b.axis_start[0], b.axis_end[0]) == (-7.5, 157.5)
    assert b.pos_stretch[0] == pytest.approx(157.5 / 165)


def _with_survey_and_gaps() -> ScoreResult:
    card = edits.insert_kpi(
        design(),
        Kpi(
            "voice",
            "Voice",
            Measure(Aggregation.NPS, source="src", column="answer"),
            TargetSet(TargetValues(baseline=0.0, target=50.0)),
        ),
        "cust",
    )
    frame = tables()["src"].assign(answer=[10.0, np.nan], nps=[60.0, np.nan])
    return score(card, {"src": frame})


def test_heatmap_cells_are_the_kpi_scores_with_separate_masks() -> None:
    r = _with_survey_and_gaps()
    h = cd.heatmap(r, 0, None)
    assert h.kpi_ids == ("dso", "revenue", "margin", "nps", "voice")
    np.testing.assert_array_equal(h.score, r.score[:, :, 0])
    np.testing.assert_allclose(h.score[:4, 0], [0.3, 0.8, 0.5, 0.6])
    # NPS has no tier-2 data; the survey KPI has one answer in tier 1 (NPS 100: score 1,
    # low sample) and none in tier 2.
    assert h.no_data.tolist() == [
        [False, False, False],
        [False, False, False],
        [False, False, False],
        [False, True, False],
        [False, True, False],
    ]
    assert h.low_sample.tolist()[4] == [True, False, True]
    assert not (h.low_sample & h.no_data).any()
    assert h.status[3, 1] == cd.NO_DATA  # never red
    assert h.score[4, 0] == 1.0
    assert h.actual[4, 0] == 100.0


def test_heatmap_tier_filter(result: ScoreResult) -> None:
    h = cd.heatmap(result, 0, "all")
    assert h.tier_names == ("All customers",)
    np.testing.assert_allclose(h.score[:, 0], [1.0, 1.0, 0.7, 0.7])


def test_trend_is_the_kpi_actual_by_period_with_its_target_line() -> None:
    card = edits.set_targets(design(), "revenue", TargetValues(target=90.0), "t1", "2026-Q2")
    frame = pd.concat(
        [
            tables()["src"],
            tables()["src"].assign(date="2026-05-01", revenue=[95.0, 45.0]),
        ]
    )
    r = score(card, {"src": frame})
    assert r.period_labels == ("2026-Q1", "2026-Q2")
    t = cd.trend(r, "revenue", 1, None)
    np.testing.assert_array_equal(t.actual, [[80.0, 95.0], [40.0, 45.0], [120.0, 140.0]])
    np.testing.assert_array_equal(t.target, [[100.0, 90.0], [100.0, 100.0], [100.0, 100.0]])
    np.testing.assert_allclose(t.score[0], [0.8, 1.0])
    assert t.status[0].tolist() == [cd.AMBER, cd.GREEN]
    assert t.period == 1
    one = cd.trend(r, "revenue", 0, "t2")
    assert one.tier_names == ("Tier 2",)
    np.testing.assert_array_equal(one.actual, [[40.0, 45.0]])


def test_weights_are_effective_shares_sorted_largest_first(result: ScoreResult) -> None:
    m = result_marginals(result).headline[:, 0]
    w = cd.weights(result, marginal=m, design_share=result.effective_share)
    # Shares: dso 1/3, revenue 1/4, margin 1/12, nps 1/3; ties keep tree order.
    assert w.kpi_ids == ("dso", "nps", "revenue", "margin")
    np.testing.assert_allclose(w.share, [1 / 3, 1 / 3, 1 / 4, 1 / 12])
    assert w.order.tolist() == [0, 3, 1, 2]
    assert w.design_share is not None
    assert w.marginal is not None
    np.testing.assert_allclose(w.marginal, w.share)
    bare = cd.weights(result)
    assert bare.marginal is None
    assert bare.design_share is None
