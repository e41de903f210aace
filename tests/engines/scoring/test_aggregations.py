"""Hand-computed actuals for every aggregation of specification section 2."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scoring_builders import card_of, cell, kpi, rows, run

from scorecard_studio.domain.model import (
    Aggregation,
    CesMode,
    DataSource,
    Frequency,
    Layout,
    Measure,
    Settings,
    SurveyScale,
)

# Q1 2026: Tier 1 has 10, 30, 20 (latest on 20 March); Tier 2 has -5 and a blank.
# Q2 2026: Tier 1 has 7.
FRAME = rows(
    ("a", "2026-01-10", "Tier 1", 10),
    ("b", "2026-02-15", "Tier 1", 30),
    ("c", "2026-03-20", "Tier 1", 20),
    ("d", "2026-01-05", "Tier 2", -5),
    ("e", "2026-02-01", "Tier 2", None),
    ("a", "2026-04-02", "Tier 1", 7),
)


@pytest.mark.parametrize(
    ("aggregation", "tier1", "tier2", "everyone"),
    [
        (Aggregation.SUM, 60, -5, 55),
        (Aggregation.MEAN, 20, -5, 13.75),
        (Aggregation.MEDIAN, 20, -5, 15),
        (Aggregation.MIN, 10, -5, -5),
        (Aggregation.MAX, 30, -5, 30),
        (Aggregation.COUNT, 3, 1, 4),
        (Aggregation.DISTINCT_COUNT, 3, 1, 4),
        (Aggregation.LAST, 20, -5, 20),
    ],
)
def test_simple_aggregations(
    aggregation: Aggregation, tier1: float, tier2: float, everyone: float
) -> None:
    result = run(card_of([kpi("k", aggregation)]), FRAME)
    assert result.period_labels == ("2026-Q1", "2026-Q2")
    assert cell(result, "k", "t1", "2026-Q1") == pytest.approx(tier1)
    assert cell(result, "k", "t2", "2026-Q1") == pytest.approx(tier2)
    assert cell(result, "k", "all", "2026-Q1") == pytest.approx(everyone)
    assert cell(result, "k", "t1", "2026-Q2") == pytest.approx(
        7 if aggregation not in {Aggregation.COUNT, Aggregation.DISTINCT_COUNT} else 1
    )
    # Tier 2 has no rows in Q2: no data, never zero.
    t2q2 = cell(result, "k", "t2", "2026-Q2")
    if aggregation in {Aggregation.COUNT, Aggregation.DISTINCT_COUNT}:
        assert t2q2 == 0
    else:
        assert math.isnan(t2q2)


def test_count_of_rows_and_distinct_keys() -> None:
    rows_kpi = kpi("rows", Aggregation.COUNT, column=None)
    keys_kpi = kpi("keys", Aggregation.DISTINCT_COUNT, column="key")
    result = run(card_of([rows_kpi, keys_kpi]), FRAME)
    assert cell(result, "rows", "t2", "2026-Q1") == 2  # the blank value still is a row
    assert cell(result, "rows", "all", "2026-Q1") == 5
    assert cell(result, "keys", "all", "2026-Q1") == 5
    assert cell(result, "keys", "t1", "2026-Q2") == 1


def test_ratio_of_two_aggregates() -> None:
    frame = FRAME.assign(w=[2, 2, 1, 5, 5, 1])
    ratio = kpi(
        "r",
        Aggregation.RATIO,
        aggregation_of_column=Aggregation.SUM,
        denominator="w",
        aggregation_of_denominator=Aggregation.SUM,
    )
    result = run(card_of([ratio]), frame)
    assert cell(result, "r", "t1", "2026-Q1") == pytest.approx(60 / 5)
    assert cell(result, "r", "t2", "2026-Q1") == pytest.approx(
        -5 / 10
    )  # the blank v is skipped, its w counts
    assert cell(result, "r", "all", "2026-Q1") == pytest.approx(55 / 15)


def test_ttm_sum_over_quarters_needs_a_full_year() -> None:
    # Monthly rows of 1..15 for Tier 1 from January 2025 to March 2026.
    dates = pd.date_range("2025-01-01", periods=15, freq="MS")
    frame = pd.DataFrame({"key": "a", "date": dates, "tier": "Tier 1", "v": range(1, 16)})
    result = run(card_of([kpi("ttm", Aggregation.TTM_SUM)]), frame)
    assert result.period_labels == ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1")
    for early in ("2025-Q1", "2025-Q2", "2025-Q3"):
        assert math.isnan(cell(result, "ttm", "t1", early))  # not a full year of data yet
    assert cell(result, "ttm", "t1", "2025-Q4") == sum(range(1, 13))
    assert cell(result, "ttm", "t1", "2026-Q1") == sum(range(4, 16))


def test_nps_csat_ces_from_responses() -> None:
    # Tier 1 answers: 10, 9, 8, 7, 6, 0 -> promoters 2, detractors 2 -> NPS 0.
    # Tier 2 answers: 10, 10, 3 -> NPS (2 - 1) / 3 * 100 = 33.3; an 11 is out of scale.
    frame = rows(
        *[("a", "2026-02-01", "Tier 1", v) for v in (10, 9, 8, 7, 6, 0)],
        *[("b", "2026-02-01", "Tier 2", v) for v in (10, 10, 3, 11)],
    )
    result = run(card_of([kpi("nps", Aggregation.NPS)]), frame)
    assert cell(result, "nps", "t1", "2026-Q1") == pytest.approx(0.0)
    assert cell(result, "nps", "t2", "2026-Q1") == pytest.approx(100 / 3)
    assert cell(result, "nps", "t2", "2026-Q1", "sample") == 3
    assert cell(result, "nps", "all", "2026-Q1") == pytest.approx((4 - 3) / 9 * 100)
    out_of_scale = [f for f in result.findings if f.code == "out_of_scale"]
    assert len(out_of_scale) == 1
    assert "1 responses outside the 0–10 scale" in out_of_scale[0].message


def test_csat_top_two_box_and_configurable_box() -> None:
    frame = rows(*[("a", "2026-02-01", "Tier 1", v) for v in (5, 4, 4, 3, 1)])
    top2 = kpi("csat", Aggregation.CSAT, baseline=0, target=1)
    top1 = kpi("csat1", Aggregation.CSAT, baseline=0, target=1, scale=SurveyScale(1, 5, 5, 5))
    result = run(card_of([top2, top1]), frame)
    assert cell(result, "csat", "t1", "2026-Q1") == pytest.approx(3 / 5)  # stored as a fraction
    assert cell(result, "csat1", "t1", "2026-Q1") == pytest.approx(1 / 5)


def test_ces_mean_and_top_box() -> None:
    frame = rows(*[("a", "2026-02-01", "Tier 1", v) for v in (7, 6, 5, 2, 1, 0)])  # 0 is out
    mean = kpi("ces", Aggregation.CES, baseline=1, target=6)
    box = kpi("ces_box", Aggregation.CES, baseline=0, target=1, ces_mode=CesMode.TOP_BOX)
    result = run(card_of([mean, box]), frame)
    assert cell(result, "ces", "t1", "2026-Q1") == pytest.approx(21 / 5)
    assert cell(result, "ces_box", "t1", "2026-Q1") == pytest.approx(3 / 5)


def test_churn_rate_lost_over_active_at_start() -> None:
    # Accounts with (start, end). For 2026-Q1 (starts 1 January 2026):
    #   a: active since 2025, lost in February 2026      -> active at start, lost
    #   b: active since 2024, never lost                 -> active at start
    #   c: started in January 2026                       -> not active at start
    #   d: lost in December 2025                         -> gone before the start
    #   e: active since 2025, lost in April 2026 (Q2)    -> active at start, lost in Q2
    frame = pd.DataFrame(
        {
            "key": list("abcde"),
            "date": ["2026-01-01"] * 4 + ["2026-04-01"],
            "tier": ["Tier 1"] * 5,
            "start": ["2025-03-01", "2024-06-01", "2026-01-15", "2025-01-01", "2025-05-01"],
            "end": ["2026-02-10", None, None, "2025-12-31", "2026-04-20"],
        }
    )
    churn = kpi(
        "churn",
        Aggregation.CHURN_RATE,
        column=None,
        baseline=0.2,
        target=0.05,
        start_column="start",
        end_column="end",
    )
    result = run(card_of([churn]), frame)
    assert cell(result, "churn", "t1", "2026-Q1") == pytest.approx(1 / 3)
    assert cell(result, "churn", "t1", "2026-Q1", "sample") == 3
    # Q2: active at 1 April are b, c, e; e is lost.
    assert cell(result, "churn", "t1", "2026-Q2") == pytest.approx(1 / 3)


def test_clv_simple_and_discounted() -> None:
    # Two customers, margin 100 and 300 in the quarter -> m = 200 per customer;
    # retention 0.8, discount 0.1.
    frame = rows(("a", "2026-02-01", "Tier 1", 100), ("b", "2026-02-01", "Tier 1", 300))
    simple = kpi("clv", Aggregation.CLV_SIMPLE, retention_rate=0.8, discount_rate=0.1)
    disc = kpi("clvd", Aggregation.CLV_DISCOUNTED, retention_rate=0.8, discount_rate=0.1, horizon=3)
    long = kpi(
        "clvl", Aggregation.CLV_DISCOUNTED, retention_rate=0.8, discount_rate=0.1, horizon=400
    )
    result = run(card_of([simple, disc, long]), frame)
    expected_simple = 200 * 0.8 / (1 + 0.1 - 0.8)
    assert cell(result, "clv", "t1", "2026-Q1") == pytest.approx(expected_simple)
    q = 0.8 / 1.1
    assert cell(result, "clvd", "t1", "2026-Q1") == pytest.approx(200 * (q + q**2 + q**3))
    # The discounted sum tends to the simple formula as the horizon grows.
    assert cell(result, "clvl", "t1", "2026-Q1") == pytest.approx(expected_simple)


def test_clv_retention_from_a_column() -> None:
    frame = rows(("a", "2026-02-01", "Tier 1", 100), ("b", "2026-02-01", "Tier 1", 100)).assign(
        kept=[1.0, 0.0]
    )
    clv = kpi("clv", Aggregation.CLV_SIMPLE, retention_column="kept", discount_rate=0.0)
    result = run(card_of([clv]), frame)
    assert cell(result, "clv", "t1", "2026-Q1") == pytest.approx(100 * 0.5 / (1 - 0.5))


def test_formula_over_other_kpis() -> None:
    total = kpi("total", Aggregation.SUM)
    n = kpi("n", Aggregation.COUNT)
    per = kpi(
        "per", Aggregation.FORMULA, column=None, formula="total / n * 2 - abs(min(total, -1))"
    )
    result = run(card_of([per, total, n]), FRAME)  # the formula comes first in tree order
    assert cell(result, "per", "t1", "2026-Q1") == pytest.approx(60 / 3 * 2 - 1)
    assert cell(result, "per", "t2", "2026-Q1") == pytest.approx(-5 / 1 * 2 - 5)
    assert math.isnan(cell(result, "per", "t2", "2026-Q2"))  # division by no data


def test_long_layout_reads_values_of_a_metric() -> None:
    frame = pd.DataFrame(
        {
            "key": ["a", "a", "b"],
            "date": ["2026-01-05"] * 3,
            "tier": ["Tier 1"] * 3,
            "metric": ["logins", "tickets", "logins"],
            "value": [10, 3, 5],
        }
    )
    source = DataSource(
        "src",
        "Long",
        key_column="key",
        date_column="date",
        tier_column="tier",
        layout=Layout.LONG,
        metric_column="metric",
        value_column="value",
    )
    card = card_of([kpi("logins", Aggregation.SUM, column="logins")], source=source)
    result = run(card, frame)
    assert cell(result, "logins", "t1", "2026-Q1") == 15


def test_fiscal_quarters_cross_calendar_years() -> None:
    # Fiscal year starting in October: FY2026-Q1 = Oct-Dec 2025, FY2026-Q2 = Jan-Mar 2026.
    frame = rows(
        ("a", "2025-10-01", "Tier 1", 1),
        ("a", "2025-12-31", "Tier 1", 2),
        ("a", "2026-01-01", "Tier 1", 4),
        ("a", "2026-09-30", "Tier 1", 8),
    )
    settings = Settings(fiscal_year_start_month=10)
    result = run(card_of([kpi("k", Aggregation.SUM)], settings=settings), frame)
    assert result.period_labels == ("FY2026-Q1", "FY2026-Q2", "FY2026-Q3", "FY2026-Q4")
    assert cell(result, "k", "t1", "FY2026-Q1") == 3
    assert cell(result, "k", "t1", "FY2026-Q2") == 4
    assert cell(result, "k", "t1", "FY2026-Q4") == 8


def test_timezone_aware_timestamps_are_bucketed_in_the_scorecard_zone() -> None:
    # 31 March 23:30 in New York is 1 April 03:30 UTC: Q1 in New York, Q2 in UTC.
    stamp = pd.Timestamp("2026-04-01 03:30", tz="UTC")
    frame = pd.DataFrame({"key": ["a"], "date": [stamp], "tier": ["Tier 1"], "v": [5]})
    ny = run(
        card_of([kpi("k", Aggregation.SUM)], settings=Settings(timezone="America/New_York")), frame
    )
    utc = run(card_of([kpi("k", Aggregation.SUM)]), frame)
    assert ny.period_labels == ("2026-Q1",)
    assert utc.period_labels == ("2026-Q2",)


def test_monthly_frequency_and_excel_serial_dates() -> None:
    # 46054 is 2026-02-01 in Excel's 1900 system.
    frame = pd.DataFrame({"key": ["a"], "date": [46054], "tier": ["Tier 1"], "v": [3]})
    result = run(
        card_of([kpi("k", Aggregation.SUM)], settings=Settings(frequency=Frequency.MONTH)), frame
    )
    assert result.period_labels == ("2026-02",)


def test_missing_column_is_a_finding_not_a_crash() -> None:
    result = run(card_of([kpi("k", Aggregation.SUM, column="nope")]), FRAME)
    assert math.isnan(cell(result, "k", "t1", "2026-Q1"))
    assert any(f.code == "no_data" and "'nope' not found" in f.message for f in result.findings)


def test_measure_defaults_are_sane() -> None:
    m = Measure(Aggregation.NPS)
    assert m.effective_scale() == SurveyScale(0, 10, 9, 10)
