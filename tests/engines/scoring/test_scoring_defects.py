"""Each scoring defect found against an independent reading of the specification, with the
smallest reproduction and the numbers worked out by hand.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from scoring_builders import card_of, cell, kpi, objective, rows, run

from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    Frequency,
    Layout,
    MissingDataPolicy,
    Perspective,
    Scorecard,
    Settings,
    Tier,
    Tiering,
    TierMode,
    TierRule,
)
from scorecard_studio.engines.scoring import score


def test_last_is_the_latest_row_by_date_whatever_the_file_order() -> None:
    # One customer, January 2026: the 25th says 3, the 5th says 4, in that file order.
    frame = rows(("c1", "2026-01-25", "Tier 1", 3), ("c1", "2026-01-05", "Tier 1", 4))
    result = run(card_of([kpi("k", Aggregation.LAST)], Settings(frequency=Frequency.MONTH)), frame)
    assert cell(result, "k", "t1", "2026-01") == 3
    assert cell(result, "k", "all", "2026-01") == 3


def test_last_orders_by_time_of_day_and_keeps_file_order_on_ties() -> None:
    frame = rows(
        ("c1", "2026-01-05 18:00", "Tier 1", 1),
        ("c1", "2026-01-05 09:00", "Tier 1", 2),
        ("c2", "2026-02-01 10:00", "Tier 2", 7),
        ("c2", "2026-02-01 10:00", "Tier 2", 8),  # same time: the later row in the file
    )
    result = run(card_of([kpi("k", Aggregation.LAST)]), frame)
    assert cell(result, "k", "t1", "2026-Q1") == 1
    assert cell(result, "k", "t2", "2026-Q1") == 8


def test_a_ratio_with_a_last_part_uses_the_latest_row() -> None:
    frame = rows(("c1", "2026-01-25", "Tier 1", 3), ("c1", "2026-01-05", "Tier 1", 4))
    ratio = kpi(
        "r",
        Aggregation.RATIO,
        aggregation_of_column=Aggregation.LAST,
        denominator="v",
        aggregation_of_denominator=Aggregation.SUM,
    )
    result = run(card_of([ratio]), frame)
    assert cell(result, "r", "t1", "2026-Q1") == pytest.approx(3 / 7)


def test_count_and_distinct_count_of_a_text_id_column() -> None:
    frame = rows(
        ("c1", "2026-01-05", "Tier 1", 1),
        ("c1", "2026-01-06", "Tier 1", 1),
        ("c2", "2026-01-07", "Tier 1", 1),
        ("c3", "2026-01-08", "Tier 1", 1),
    ).assign(ticket_id=["T-1", "T-2", " ", "T-2"])  # a blank cell does not count
    count = kpi("n", Aggregation.COUNT, column="ticket_id", baseline=10, target=0)
    distinct = kpi("d", Aggregation.DISTINCT_COUNT, column="ticket_id")
    keys = kpi("keys", Aggregation.DISTINCT_COUNT, column="key")
    result = run(card_of([count, distinct, keys]), frame)
    assert cell(result, "n", "t1", "2026-Q1") == 3
    assert cell(result, "d", "t1", "2026-Q1") == 2
    assert cell(result, "keys", "t1", "2026-Q1") == 3
    # Lower is better from 10 to 0: three tickets score 0.7, not a green 1.0 for "0 tickets".
    assert cell(result, "n", "t1", "2026-Q1", "score") == pytest.approx(0.7)


def test_zero_policy_never_scores_a_node_without_data() -> None:
    # Objective o1 has data (score 0.5); o2 has none at all. Under the zero policy o2 is
    # "no data" itself, and the perspective counts it as 0: (1·0.5 + 1·0) / 2 = 0.25.
    frame = rows(("c1", "2026-01-05", "Tier 1", 50))
    has = kpi("has", Aggregation.SUM)
    none = kpi("none", Aggregation.SUM, column="missing_column")
    card = Scorecard(
        "Zero",
        (Perspective("p", "P", objectives=(objective("o1", [has]), objective("o2", [none]))),),
        tiers=(Tier("t1", "Tier 1"), Tier("t2", "Tier 2")),
        settings=Settings(missing_data=MissingDataPolicy.ZERO),
        sources=(card_of([]).sources[0],),
    )
    frame = frame.assign(missing_column=math.nan)
    result = run(card, frame)
    t1, t2 = 0, 1
    o_score = result.rollup.objective_score
    assert o_score[0, t1, 0] == pytest.approx(0.5)
    assert math.isnan(o_score[1, t1, 0])
    assert result.objective_status[1, t1, 0] == 0  # no data, never red
    assert result.rollup.perspective_score[0, t1, 0] == pytest.approx(0.25)
    # Tier 2 has no rows: nothing scored anywhere below it, so no score, not a red 0.
    assert math.isnan(result.rollup.tier_score[t2, 0])
    assert result.tier_status[t2, 0] == 0
    # The headline counts the empty tier as 0: (0.25 + 0) / 2.
    assert result.rollup.headline[0] == pytest.approx(0.125)


def test_aware_timestamps_are_bucketed_in_the_scorecards_zone() -> None:
    # 02:00 UTC on 1 April is 22:00 on 31 March in New York: a 2026-Q1 row.
    frame = rows(("c1", "2026-04-01T02:00:00Z", "Tier 1", 5))
    frame["date"] = pd.to_datetime(frame["date"], utc=True)
    card = card_of([kpi("k", Aggregation.SUM)], Settings(timezone="America/New_York"))
    result = run(card, frame)
    assert result.period_labels == ("2026-Q1",)
    assert cell(result, "k", "t1", "2026-Q1") == 5


def test_clv_from_a_long_layout_source_equals_the_wide_one() -> None:
    # Margins 100 and 200 for c1 and c2: m = 150, r = 0.8, d = 0.1 -> 150·0.8/0.3 = 400.
    wide = rows(("c1", "2026-02-01", "Tier 1", 100), ("c2", "2026-02-01", "Tier 1", 200))
    long = pd.DataFrame(
        {
            "key": ["c1", "c1", "c2"],
            "date": ["2026-02-01"] * 3,
            "tier": ["Tier 1"] * 3,
            "metric": ["margin", "visits", "margin"],
            "value": [100, 9, 200],
        }
    )
    clv = kpi("clv", Aggregation.CLV_SIMPLE, column="margin", retention_rate=0.8)
    per_visit = kpi("f", Aggregation.FORMULA, column=None, formula="clv / 2")
    long_source = DataSource(
        "src",
        "Long",
        layout=Layout.LONG,
        key_column="key",
        date_column="date",
        tier_column="tier",
        metric_column="metric",
        value_column="value",
    )
    for frame, source in ((wide.rename(columns={"v": "margin"}), None), (long, long_source)):
        card = card_of([clv, per_visit], source=source) if source else card_of([clv, per_visit])
        result = run(card, frame)
        assert cell(result, "clv", "t1", "2026-Q1") == pytest.approx(400)
        assert cell(result, "f", "t1", "2026-Q1") == pytest.approx(200)


@pytest.mark.parametrize(
    ("frequency", "labels", "expected"),
    [
        (Frequency.MONTH, ["2026-01", "2026-02", "2026-02"], {"2026-01": 1, "2026-02": 2}),
        (Frequency.QUARTER, ["2026-01", "2026-02", "2026-Q2"], {"2026-Q1": 2, "2026-Q2": 1}),
        (Frequency.YEAR, ["2026", "2026", "2027"], {"2026": 2, "2027": 1}),
    ],
)
def test_period_columns_of_every_frequency_read_back(
    frequency: Frequency, labels: list[str], expected: dict[str, int]
) -> None:
    frame = pd.DataFrame({"key": ["a", "b", "c"], "tier": ["Tier 1"] * 3, "v": [1, 1, 1]})
    source = DataSource("src", "Periods", key_column="key", period_column="p", tier_column="tier")
    count = kpi("n", Aggregation.COUNT, column=None)
    for column in (
        pd.Series(labels, dtype="string"),
        # What the importer makes of such labels: dates for months, numbers for years.
        pd.to_datetime(pd.Series(labels)) if frequency is Frequency.MONTH else None,
        pd.Series([float(x) for x in labels]) if frequency is Frequency.YEAR else None,
    ):
        if column is None:
            continue
        result = run(
            card_of([count], Settings(frequency=frequency), source=source), frame.assign(p=column)
        )
        assert {p: cell(result, "n", "t1", p) for p in result.period_labels} == expected


def test_fiscal_period_labels_read_back() -> None:
    settings = Settings(frequency=Frequency.QUARTER, fiscal_year_start_month=7)
    frame = pd.DataFrame({"key": ["a", "b"], "tier": ["Tier 1"] * 2, "p": ["FY2027-Q1", "2026-08"]})
    source = DataSource("src", "Periods", key_column="key", period_column="p", tier_column="tier")
    result = run(
        card_of([kpi("n", Aggregation.COUNT, column=None)], settings, source=source), frame
    )
    assert result.period_labels == ("FY2027-Q1",)
    assert cell(result, "n", "t1", "FY2027-Q1") == 2


def test_tiering_rules_take_the_latest_dated_row_not_an_undated_one() -> None:
    crm = pd.DataFrame(
        {
            "key": ["c1", "c1", "c2"],
            "date": ["2026-01-10", None, None],
            "revenue": [5000, 10, 2000],
        }
    )
    usage = pd.DataFrame({"key": ["c1", "c2"], "date": ["2026-02-01"] * 2, "v": [1, 1]})
    tiers = (Tier("a", "Tier A"), Tier("b", "Tier B"))
    card = Scorecard(
        "Rules",
        (Perspective("p", "P", kpis=(kpi("n", Aggregation.COUNT, column=None),)),),
        tiers=tiers,
        tiering=Tiering(
            mode=TierMode.RULES,
            source="crm",
            column="revenue",
            rules=(TierRule("a", 1000), TierRule("b", 0)),
        ),
        sources=(
            DataSource("crm", "CRM", key_column="key", date_column="date"),
            DataSource("src", "Usage", key_column="key", date_column="date"),
        ),
    )
    result = score(card, {"crm": crm, "src": usage})
    # c1's dated row says 5000 -> Tier A; c2 has only an undated row (2000) -> Tier A too.
    assert cell(result, "n", "a", "2026-Q1") == 2
    assert cell(result, "n", "b", "2026-Q1") == 0


def test_churn_counts_accounts_not_rows() -> None:
    # Three accounts active at the start of 2026-Q1; a has two contract rows and is lost
    # when its last one ends (February); c never ends; b ended in Q2.
    # SPEC: accounts lost ÷ accounts active = 1 / 3 (rows would give 2 / 4).
    frame = pd.DataFrame(
        {
            "key": ["a", "a", "b", "c"],
            "date": ["2026-01-01"] * 4,
            "tier": ["Tier 1"] * 4,
            "start": ["2025-01-01", "2025-06-01", "2025-03-01", "2025-04-01"],
            "end": ["2026-01-15", "2026-02-20", "2026-05-01", None],
        }
    )
    churn = kpi(
        "churn", Aggregation.CHURN_RATE, column=None, start_column="start", end_column="end"
    )
    result = run(card_of([churn]), frame)
    assert cell(result, "churn", "t1", "2026-Q1") == pytest.approx(1 / 3)
    assert cell(result, "churn", "t1", "2026-Q1", "sample") == 3


def test_churn_account_with_an_open_row_is_not_lost() -> None:
    frame = pd.DataFrame(
        {
            "key": ["a", "a", "b"],
            "date": ["2026-01-01"] * 3,
            "tier": ["Tier 1"] * 3,
            "start": ["2025-01-01", "2025-06-01", "2025-03-01"],
            "end": ["2026-01-15", None, "2026-02-01"],
        }
    )
    churn = kpi(
        "churn", Aggregation.CHURN_RATE, column=None, start_column="start", end_column="end"
    )
    result = run(card_of([churn]), frame)
    assert cell(result, "churn", "t1", "2026-Q1") == pytest.approx(1 / 2)


def test_low_coverage_roll_up_is_insufficient_data_with_its_score_kept() -> None:
    # Headline weight covered: one KPI of weight 1 out of 1 + 4 -> 20 %, below 50 %.
    frame = rows(("c1", "2026-01-05", "Tier 1", 75), ("c2", "2026-01-05", "Tier 2", 75))
    has = kpi("has", Aggregation.SUM, weight=1)
    none = kpi("none", Aggregation.SUM, column="missing_column", weight=4)
    result = run(card_of([has, none]), frame.assign(missing_column=math.nan))
    assert result.rollup.headline[0] == pytest.approx(0.75)
    assert result.rollup.headline_coverage[0] == pytest.approx(0.2)
    assert result.to_json_dict()["headline"]["status"] == "insufficient_data"
    assert result.to_json_dict()["headline"]["score"] == pytest.approx(0.75)
    # The KPI itself keeps its colour; a lower bar gives the headline its colour back.
    assert result.to_json_dict()["kpis"][0]["by_tier"]["t1"]["status"] == "amber"
    relaxed = run(
        card_of([has, none], Settings(minimum_coverage=0.1)), frame.assign(missing_column=math.nan)
    )
    assert relaxed.to_json_dict()["headline"]["status"] == "amber"


@pytest.mark.parametrize(
    "when", ["2026-04-01T02:00:00Z", "2026-04-01 04:00:00+02:00", "2026-04-01T02:00:00.000+0000"]
)
def test_aware_text_timestamps_keep_their_offset_through_import(tmp_path: Path, when: str) -> None:
    from scorecard_studio.engines.importing import import_table

    path = tmp_path / "events.csv"
    path.write_text(f"key,date,tier,v\nc1,{when},Tier 1,5\nc2,2026-02-10T10:00:00Z,Tier 1,1\n")
    source = DataSource("src", "Events", key_column="key", date_column="date", tier_column="tier")
    frame = import_table(path, source).frame.reset_index(drop=True)
    card = card_of([kpi("k", Aggregation.SUM)], Settings(timezone="America/New_York"))
    result = run(card, frame)
    # No empty 2026-Q2 on the axis: both rows are first-quarter rows in New York.
    assert result.period_labels == ("2026-Q1",)
    assert cell(result, "k", "t1", "2026-Q1") == 6


def test_a_column_of_several_offsets_and_wall_times_is_bucketed_row_by_row() -> None:
    # New York: the first is 09:00 EST (Q1), the second 23:30 EDT on 31 March (Q1), the
    # third 02:00 UTC on 1 April = 22:00 on 31 March (Q1); the wall time is local (Q2).
    frame = rows(
        ("c1", "2026-01-15T09:00:00-05:00", "Tier 1", 1),
        ("c1", "2026-03-31T23:30:00-04:00", "Tier 1", 2),
        ("c1", "2026-04-01T02:00:00Z", "Tier 1", 4),
        ("c1", "2026-04-01 00:30", "Tier 1", 8),
    )
    card = card_of([kpi("k", Aggregation.SUM)], Settings(timezone="America/New_York"))
    result = run(card, frame)
    assert cell(result, "k", "t1", "2026-Q1") == 7
    assert cell(result, "k", "t1", "2026-Q2") == 8


def test_ttm_counts_the_months_before_the_first_period_shown() -> None:
    months = [f"2025-{m:02d}-10" for m in range(1, 13)] + ["2026-01-10"]
    frame = pd.DataFrame({"key": "c", "date": months, "tier": "Tier 1", "v": 1.0})
    card = card_of([kpi("t", Aggregation.TTM_SUM)], Settings(frequency=Frequency.MONTH))
    assert cell(run(card, frame, ["2026-01"]), "t", "t1", "2026-01") == 12


def test_distinct_count_without_any_dated_row_is_no_crash() -> None:
    frame = rows(("c1", "", "Tier 1", 1))
    result = run(card_of([kpi("d", Aggregation.DISTINCT_COUNT, column="key")]), frame)
    assert result.period_labels == ()


def test_churn_tier_by_start_date_and_open_rows_without_a_start() -> None:
    frame = pd.DataFrame(
        {
            "key": ["a", "a", "b", "b"],
            "date": ["2026-01-01"] * 4,
            "tier": ["Tier 2", "Tier 1", "Tier 1", "Tier 1"],
            # a: its latest start is 31 December (Tier 2), though the Tier 1 row comes later.
            # b: a row without start or end keeps it open.
            "start": ["2025-12-31", "2025-12-30", "2025-01-10", None],
            "end": ["2026-02-01", "2026-02-01", "2026-02-01", None],
        }
    )
    churn = kpi(
        "churn", Aggregation.CHURN_RATE, column=None, start_column="start", end_column="end"
    )
    result = run(card_of([churn]), frame)
    assert cell(result, "churn", "t2", "2026-Q1") == 1.0  # a, lost
    assert cell(result, "churn", "t1", "2026-Q1") == 0.0  # b, still open
