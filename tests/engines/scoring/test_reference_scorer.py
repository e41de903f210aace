"""The engine against an independent, naive reference scorer (``reference_scorer``).

Hand-computed examples pin the reference itself (numbers worked out in the comments); the
Hypothesis properties then compare every value the engine produces with the reference on
small generated scorecards and data sets.
"""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from reference_cases import (
    Case,
    account_case,
    period_case,
    survey_case,
    tiering_case,
    wide_case,
)
from reference_compare import assert_matches, compare
from reference_scorer import reference_score

from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    Frequency,
    Kpi,
    Layout,
    Measure,
    MissingDataPolicy,
    Objective,
    Perspective,
    Scorecard,
    Settings,
    TargetSet,
    TargetValues,
    Tier,
    Tiering,
    TierMode,
    TierRule,
)

TIERS = (Tier("t1", "Tier 1"), Tier("t2", "Tier 2"))
SRC = DataSource("src", "Source", key_column="key", date_column="date", tier_column="tier")


def _kpi(kid: str, agg: Aggregation, column: str | None = "v", **measure: object) -> Kpi:
    return Kpi(
        kid,
        kid,
        Measure(agg, source="src", column=column, **measure),  # type: ignore[arg-type]
        TargetSet(TargetValues(baseline=0.0, target=10.0)),
    )


def _card(*kpis: Kpi, source: DataSource = SRC, **settings: object) -> Scorecard:
    return Scorecard(
        "Ref",
        (Perspective("p", "P", kpis=kpis),),
        tiers=TIERS,
        settings=Settings(**settings),  # type: ignore[arg-type]
        sources=(source,),
    )


def _at(ref: object, kid: str, tier: str, label: str, what: str = "value") -> float:
    k = ref.kpi_ids.index(kid)  # type: ignore[attr-defined]
    t = [*TIERS_IDS, "all"].index(tier)
    p = ref.labels.index(label)  # type: ignore[attr-defined]
    return float(getattr(ref, what)[k][t][p])


TIERS_IDS = [t.id for t in TIERS]


# --- hand-computed examples -----------------------------------------------------------------


def test_last_is_the_latest_row_in_time_whatever_the_file_order() -> None:
    # Tier 1, 2026-Q1: rows at 03-20 (7), 01-05 (3), 03-20 again (9, later in the file,
    # so it wins the tie) and 02-01 with no value. Latest with a value: 9.
    # Tier 2: 02-10 12:00 (4) and 02-10 08:00 (5): the 12:00 row is later in time: 4.
    frame = pd.DataFrame(
        {
            "key": ["a", "a", "a", "a", "b", "b"],
            "date": pd.to_datetime(
                [
                    "2026-03-20 00:00",
                    "2026-01-05 00:00",
                    "2026-03-20 00:00",
                    "2026-02-01 00:00",
                    "2026-02-10 12:00",
                    "2026-02-10 08:00",
                ]
            ),
            "tier": ["t1", "t1", "t1", "t1", "t2", "t2"],
            "v": [7.0, 3.0, 9.0, None, 4.0, 5.0],
        }
    )
    card = _card(_kpi("k", Aggregation.LAST))
    ref = reference_score(card, {"src": frame})
    assert _at(ref, "k", "t1", "2026-Q1") == 9.0
    assert _at(ref, "k", "t2", "2026-Q1") == 4.0
    # All customers: the latest row is tier 1's 03-20 row later in the file: 9.
    assert _at(ref, "k", "all", "2026-Q1") == 9.0
    assert_matches(card, {"src": frame})


def test_count_and_distinct_count_of_a_text_id_column() -> None:
    # Tier 1 ids: "A-1", " A-1 ", "", None, "B-2" -> non-empty: 3, distinct (trimmed): 2.
    frame = pd.DataFrame(
        {
            "key": ["x"] * 5,
            "date": ["2026-01-02"] * 5,
            "tier": ["Tier 1"] * 5,
            "id": ["A-1", " A-1 ", "  ", None, "B-2"],
        }
    )
    card = _card(_kpi("n", Aggregation.COUNT, "id"), _kpi("d", Aggregation.DISTINCT_COUNT, "id"))
    ref = reference_score(card, {"src": frame})
    assert _at(ref, "n", "t1", "2026-Q1") == 3.0
    assert _at(ref, "d", "t1", "2026-Q1") == 2.0
    assert_matches(card, {"src": frame})


def test_tz_aware_times_are_bucketed_in_the_scorecard_zone() -> None:
    # 2026-03-31 23:30 in New York is 2026-04-01 03:30 UTC: in a UTC scorecard it is
    # April (Q2); 2026-04-01 02:00 UTC seen from New York is 2026-03-31 22:00 (Q1).
    ny = pd.Timestamp("2026-03-31 23:30", tz="America/New_York")
    utc = pd.Timestamp("2026-04-01 02:00", tz="UTC")
    frame = pd.DataFrame(
        {"key": ["a", "b"], "date": [ny, utc], "tier": ["t1", "t1"], "v": [1.0, 10.0]}
    )
    card = _card(_kpi("s", Aggregation.SUM))
    ref = reference_score(card, {"src": frame}, ["2026-Q1", "2026-Q2"])
    assert _at(ref, "s", "t1", "2026-Q1") != _at(ref, "s", "t1", "2026-Q1")  # NaN: none
    assert _at(ref, "s", "t1", "2026-Q2") == 11.0
    card_ny = _card(_kpi("s", Aggregation.SUM), timezone="America/New_York")
    ref_ny = reference_score(card_ny, {"src": frame}, ["2026-Q1", "2026-Q2"])
    assert _at(ref_ny, "s", "t1", "2026-Q1") == 11.0
    assert_matches(card, {"src": frame}, ["2026-Q1", "2026-Q2"])
    assert_matches(card_ny, {"src": frame}, ["2026-Q1", "2026-Q2"])


def _rollup_card(policy: MissingDataPolicy) -> Scorecard:
    def k(kid: str, column: str, weight: float) -> Kpi:
        return Kpi(
            kid,
            kid,
            Measure(Aggregation.SUM, source="src", column=column),
            TargetSet(TargetValues(baseline=0.0, target=10.0)),
            weight=weight,
        )

    return Scorecard(
        "Roll",
        (
            Perspective(
                "p1",
                "P1",
                weight=3.0,
                kpis=(k("a", "a", 1.0),),
                objectives=(Objective("o", "O", 1.0, (k("b", "b", 1.0), k("c", "c", 3.0))),),
            ),
            Perspective("p2", "P2", weight=1.0, kpis=(k("d", "d", 1.0),)),
        ),
        tiers=TIERS,
        settings=Settings(missing_data=policy),
        sources=(SRC,),
    )


def test_zero_policy_and_coverage_by_hand() -> None:
    # Tier 1 only: a = 8 (score .8), b = 4 (.4), c empty, d empty.
    # Zero: o = (1·.4 + 3·0) / 4 = .1, coverage 1/4; p1 = (1·.8 + 1·.1) / 2 = .45,
    # coverage (1 + .25) / 2 = .625; p2 has no scored child: no data (NaN), coverage 0;
    # tier = (3·.45 + 1·0) / 4 = .3375, coverage (3·.625) / 4 = .46875 < .5, so its status
    # is insufficient data. Tier 2 has no data anywhere: no data.
    # Renormalise: o = .4; p1 = (.8 + .4) / 2 = .6; p2 NaN; tier = .6, same coverage.
    frame = pd.DataFrame(
        {
            "key": ["x"],
            "date": ["2026-02-01"],
            "tier": ["t1"],
            "a": [8.0],
            "b": [4.0],
            "c": [None],
            "d": [None],
        }
    )
    zero = reference_score(_rollup_card(MissingDataPolicy.ZERO), {"src": frame})
    assert math.isclose(zero.objective_score[0][0][0], 0.1)
    assert math.isclose(zero.perspective_score[0][0][0], 0.45)
    assert math.isnan(zero.perspective_score[1][0][0])
    assert zero.perspective_status[1][0][0] == "no_data"
    assert math.isclose(zero.tier_score[0][0], 0.3375)
    assert math.isclose(zero.tier_coverage[0][0], 0.46875)
    assert zero.tier_status[0][0] == "insufficient_data"
    assert math.isnan(zero.tier_score[1][0])
    # Headline over two equal tiers, zero policy: (.3375 + 0) / 2; coverage .234375.
    assert math.isclose(zero.headline[0], 0.16875)
    assert math.isclose(zero.headline_coverage[0], 0.234375)
    renorm = reference_score(_rollup_card(MissingDataPolicy.RENORMALISE), {"src": frame})
    assert math.isclose(renorm.perspective_score[0][0][0], 0.6)
    assert math.isclose(renorm.tier_score[0][0], 0.6)
    assert math.isclose(renorm.headline[0], 0.6)  # tier 2 has no score: left out
    for policy in MissingDataPolicy:
        assert_matches(_rollup_card(policy), {"src": frame})


def test_churn_rate_with_accounts_spread_over_rows() -> None:
    # Quarterly, 2026-Q2 (months April to June). Account a: rows started 2025-11 and
    # 2026-01, one ended 2026-05 and one still open: not ended, active, not lost.
    # b: started 2026-02, ended 2026-04 and 2026-06 -> ended at 2026-06: active and lost.
    # c: started 2026-04: not active at the start of Q2. d: ended 2026-03: not active.
    # Q2: active {a, b} = 2, lost {b} = 1 -> 0.5.
    frame = pd.DataFrame(
        {
            "key": ["a", "a", "b", "b", "c", "d"],
            "tier": ["t1"] * 6,
            "start": ["2025-11-10", "2026-01-10", "2026-02-01", "2026-02-15", "2026-04-01",
                      "2025-01-01"],
            "end": ["2026-05-01", None, "2026-04-10", "2026-06-30", None, "2026-03-31"],
        }
    )  # fmt: skip
    source = DataSource("src", "Accounts", key_column="key", tier_column="tier")
    kpi = _kpi("churn", Aggregation.CHURN_RATE, None, start_column="start", end_column="end")
    card = _card(kpi, source=source)
    ref = reference_score(card, {"src": frame}, ["2026-Q2"])
    assert _at(ref, "churn", "t1", "2026-Q2") == 0.5
    assert _at(ref, "churn", "t1", "2026-Q2", "sample") == 2.0
    assert_matches(card, {"src": frame}, ["2026-Q2"])


def test_churn_account_tier_is_that_of_its_latest_start_date() -> None:
    # Account a: a Tier 2 row started 2025-12-31 and a Tier 1 row started 2025-12-30 (later
    # in the file). The latest start *date* is the Tier 2 row, so a is a Tier 2 account:
    # Tier 2 in 2026-Q1 has 1 active account, lost in February: churn 1.0.
    frame = pd.DataFrame(
        {
            "key": ["a", "a"],
            "tier": ["t2", "t1"],
            "start": ["2025-12-31", "2025-12-30"],
            "end": ["2026-02-10", "2026-02-01"],
        }
    )
    source = DataSource("src", "Accounts", key_column="key", tier_column="tier")
    kpi = _kpi("churn", Aggregation.CHURN_RATE, None, start_column="start", end_column="end")
    card = _card(kpi, source=source)
    ref = reference_score(card, {"src": frame}, ["2026-Q1"])
    assert _at(ref, "churn", "t2", "2026-Q1") == 1.0
    assert math.isnan(_at(ref, "churn", "t1", "2026-Q1"))
    assert_matches(card, {"src": frame}, ["2026-Q1"])


def test_churn_an_account_with_an_open_row_has_not_ended() -> None:
    # Account a: one row started 2025-01-10 and ended 2026-02-01; another row has neither
    # a start nor an end. Not every row has an end, so a has not ended: active at the
    # start of 2026-Q1 and not lost, churn 0.
    frame = pd.DataFrame(
        {"key": ["a", "a"], "tier": ["t1", "t1"], "start": ["2025-01-10", None],
         "end": ["2026-02-01", None]}
    )  # fmt: skip
    source = DataSource("src", "Accounts", key_column="key", tier_column="tier")
    kpi = _kpi("churn", Aggregation.CHURN_RATE, None, start_column="start", end_column="end")
    card = _card(kpi, source=source)
    ref = reference_score(card, {"src": frame}, ["2026-Q1"])
    assert _at(ref, "churn", "t1", "2026-Q1") == 0.0
    assert_matches(card, {"src": frame}, ["2026-Q1"])


def test_clv_simple_and_discounted_by_hand() -> None:
    # Tier 1, 2026-Q1: margins 100 + 50 (customer a) and 30 (b), a row of c with no margin:
    # m = 180 / 2 customers = 90. Retention column mean (0.8 + 0.8 + 0.8 + 0.8) = 0.8,
    # d = 0.1. Simple: 90·0.8 / (1.1 − 0.8) = 240. Discounted over 2 periods:
    # 90·(0.8/1.1) + 90·(0.8/1.1)² = 65.4545… + 47.6033… = 113.0578…
    frame = pd.DataFrame(
        {
            "key": ["a", "a", "b", "c"],
            "date": ["2026-01-05", "2026-02-05", "2026-03-05", "2026-03-06"],
            "tier": ["t1"] * 4,
            "margin": [100.0, 50.0, 30.0, None],
            "ret": [0.8] * 4,
        }
    )
    simple = _kpi("s", Aggregation.CLV_SIMPLE, "margin", retention_column="ret")
    disc = _kpi("d", Aggregation.CLV_DISCOUNTED, "margin", retention_column="ret", horizon=2)
    card = _card(simple, disc)
    ref = reference_score(card, {"src": frame})
    assert math.isclose(_at(ref, "s", "t1", "2026-Q1"), 240.0)
    g = 0.8 / 1.1
    assert math.isclose(_at(ref, "d", "t1", "2026-Q1"), 90 * g + 90 * g * g)
    # The same data in a long layout: metric/value rows.
    long = pd.DataFrame(
        {
            "key": ["a", "a", "b", "c", "a", "b", "c"],
            "date": ["2026-01-05", "2026-02-05", "2026-03-05", "2026-03-06", "2026-01-05",
                     "2026-03-05", "2026-03-06"],
            "tier": ["t1"] * 7,
            "metric": ["margin", "margin", "margin", "note", "ret", "ret", "ret"],
            "value": [100.0, 50.0, 30.0, 1.0, 0.8, 0.8, 0.8],
        }
    )  # fmt: skip
    long_src = DataSource(
        "src", "Long", key_column="key", date_column="date", tier_column="tier",
        layout=Layout.LONG, metric_column="metric", value_column="value",
    )  # fmt: skip
    long_card = _card(simple, disc, source=long_src)
    long_ref = reference_score(long_card, {"src": long})
    assert math.isclose(_at(long_ref, "s", "t1", "2026-Q1"), 240.0)
    assert_matches(card, {"src": frame})
    assert_matches(long_card, {"src": long})


def test_tiering_by_rules_uses_the_latest_dated_row() -> None:
    # Customer a: revenue 2,000 on 2026-03-01 (dated, latest) and 50 undated -> Tier 1.
    # Customer b: only undated rows (500, then 20 later in the file) -> 20 -> Tier 2.
    crm = pd.DataFrame(
        {
            "key": ["a", "a", "b", "b"],
            "date": ["2026-03-01", None, None, None],
            "revenue": [2000.0, 50.0, 500.0, 20.0],
        }
    )
    billing = pd.DataFrame(
        {"key": ["A ", "b", "zz"], "date": ["2026-01-10"] * 3, "v": [1.0, 2.0, 4.0]}
    )
    crm_src = DataSource("crm", "CRM", key_column="key", date_column="date")
    bill_src = DataSource("src", "Billing", key_column="key", date_column="date")
    tiering = Tiering(
        TierMode.RULES, "crm", "revenue", rules=(TierRule("t1", 1000), TierRule("t2", 0))
    )
    card = Scorecard(
        "Rules",
        (Perspective("p", "P", kpis=(_kpi("s", Aggregation.SUM),)),),
        tiers=TIERS,
        tiering=tiering,
        sources=(bill_src, crm_src),
    )
    tables = {"src": billing, "crm": crm}
    ref = reference_score(card, tables)
    assert ref.labels == ["2026-Q1"]
    assert _at(ref, "s", "t1", "2026-Q1") == 1.0
    assert _at(ref, "s", "t2", "2026-Q1") == 2.0
    assert _at(ref, "s", "all", "2026-Q1") == 7.0  # zz has no tier but counts for all
    assert_matches(card, tables)


def test_period_column_labels_of_every_frequency() -> None:
    # Quarterly scorecard with a July fiscal year (FY2027 = July 2026 – June 2027):
    # "2026-08" (month) and "FY2027-Q1" are both FY2027-Q1; a date 2026-10-01 typed by the
    # importer is FY2027-Q2; "FY2027" (a year) is coarser than a quarter: no period.
    frame = pd.DataFrame(
        {"key": ["a"] * 4, "period": ["2026-08", "FY2027-Q1", "2026-10", "FY2027"],
         "tier": ["t1"] * 4, "v": [1.0, 2.0, 4.0, 8.0]}
    )  # fmt: skip
    source = DataSource("src", "S", key_column="key", period_column="period", tier_column="tier")
    card = _card(_kpi("s", Aggregation.SUM), source=source, fiscal_year_start_month=7)
    ref = reference_score(card, {"src": frame})
    assert ref.labels == ["FY2027-Q1", "FY2027-Q2"]
    assert _at(ref, "s", "t1", "FY2027-Q1") == 3.0
    assert _at(ref, "s", "t1", "FY2027-Q2") == 4.0
    assert_matches(card, {"src": frame})
    # The same months typed as dates, in a yearly scorecard: FY2027 holds all three.
    dated = frame.iloc[[0, 2]].assign(period=pd.to_datetime(["2026-08-01", "2026-10-01"]))
    yearly = _card(_kpi("s", Aggregation.SUM), source=source, fiscal_year_start_month=7,
                   frequency=Frequency.YEAR)  # fmt: skip
    ref_y = reference_score(yearly, {"src": dated})
    assert ref_y.labels == ["FY2027"]
    assert _at(ref_y, "s", "t1", "FY2027") == 5.0
    assert_matches(yearly, {"src": dated})
    # Whole-number years in a calendar-year scorecard.
    years = pd.DataFrame({"key": ["a", "a"], "period": [2025, 2026], "tier": ["t1", "t1"],
                          "v": [1.0, 2.0]})  # fmt: skip
    cal = _card(_kpi("s", Aggregation.SUM), source=source, frequency=Frequency.YEAR)
    assert reference_score(cal, {"src": years}).labels == ["2025", "2026"]
    assert_matches(cal, {"src": years})


def test_xlsx_with_serial_dates_through_the_importer(tmp_path: Path) -> None:
    # Dates stored as Excel serials with a date format; the importer turns them into
    # datetimes. Tier 1 Jan: 10 + 5; Tier 2 Feb: 7; an undated row counts nowhere.
    openpyxl = pytest.importorskip("openpyxl")
    from scorecard_studio.engines.importing import import_table

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["key", "date", "tier", "v"])
    for key, when, tier, v in [
        ("a", datetime(2026, 1, 31, 23, 0), "Tier 1", 10),
        ("b", datetime(2026, 1, 2), "tier 1", 5),
        ("c", datetime(2026, 2, 1), "Tier 2", 7),
        ("d", None, "Tier 2", 100),
    ]:
        sheet.append([key, when, tier, v])
        if when is not None:
            sheet.cell(sheet.max_row, 2).number_format = "yyyy-mm-dd hh:mm"
    path = tmp_path / "rows.xlsx"
    book.save(path)
    frame = import_table(path, SRC).frame
    card = _card(_kpi("s", Aggregation.SUM), _kpi("n", Aggregation.COUNT, None),
                 frequency=Frequency.MONTH)  # fmt: skip
    ref = reference_score(card, {"src": frame})
    assert ref.labels == ["2026-01", "2026-02"]
    assert _at(ref, "s", "t1", "2026-01") == 15.0
    assert _at(ref, "s", "t2", "2026-02") == 7.0
    assert _at(ref, "n", "all", "2026-02") == 1.0
    assert_matches(card, {"src": frame})
    # The raw serials (46053.958… = 2026-01-31 23:00) read the same.
    raw = frame.assign(date=[46053.958333333336, 46024.0, 46054.0, None])
    assert compare(card, {"src": raw}) == []


def test_scoring_methods_overrides_and_tier_weights_by_hand() -> None:
    # Actuals (sum of v): Q1 Tier 1 = 100 + 20 = 120, Tier 2 = 40, all = 160;
    # Q2 Tier 1 = 60, Tier 2 = 10, all = 70. Cap 1.5.
    frame = pd.DataFrame(
        {
            "key": ["a", "b", "c", "a", "c"],
            "date": ["2026-01-10", "2026-03-31", "2026-02-01", "2026-04-01", "2026-06-30"],
            "tier": ["t1", "t1", "t2", "t1", "t2"],
            "v": [100.0, 20.0, 40.0, 60.0, 10.0],
            "w": [2.0, 1.0, 1.0, 0.0, 5.0],
        }
    )
    from scorecard_studio.domain.model import (
        Direction,
        ScoringMethod,
        StatusRule,
        TargetOverride,
        TierWeighting,
        TierWeights,
    )

    def k(kid: str, method: ScoringMethod, targets: TargetSet, **kw: object) -> Kpi:
        measure = Measure(Aggregation.SUM, source="src", column="v")
        return Kpi(kid, kid, measure, targets, method=method, **kw)  # type: ignore[arg-type]

    # linear: baseline 0, target 100, stretch 200; Tier 2 target 50; Q2 target 80;
    # (Tier 2, Q2) baseline 5 and target 15; red flag 45 (red below it).
    linear = k(
        "lin",
        ScoringMethod.LINEAR,
        TargetSet(
            TargetValues(baseline=0.0, target=100.0, stretch=200.0, red_flag=45.0),
            (
                TargetOverride(TargetValues(target=50.0), tier="t2"),
                TargetOverride(TargetValues(target=80.0), period="2026-Q2"),
                TargetOverride(TargetValues(baseline=5.0, target=15.0), "t2", "2026-Q2"),
            ),
        ),
        status_rule=StatusRule.RED_FLAG,
    )
    ratio = k("rat", ScoringMethod.RATIO, TargetSet(TargetValues(target=80.0)),
              direction=Direction.LOWER)  # fmt: skip
    rng = k("rng", ScoringMethod.RANGE, TargetSet(TargetValues(low=50.0, high=100.0,
                                                               tolerance=50.0)))  # fmt: skip
    binary = k("bin", ScoringMethod.BINARY, TargetSet(TargetValues(target=50.0)),
               direction=Direction.LOWER)  # fmt: skip
    card = Scorecard(
        "Methods",
        (Perspective("p", "P", kpis=(linear, ratio, rng, binary)),),
        tiers=TIERS,
        tier_weights=TierWeights(TierWeighting.COLUMN, "src", "w"),
        settings=Settings(cap=1.5),
        sources=(SRC,),
    )
    ref = reference_score(card, {"src": frame})

    def sc(kid: str, tier: str, label: str) -> float:
        return _at(ref, kid, tier, label, "score")

    # linear Q1: Tier 1 120 is past the target: 1 + 0.5·(120 − 100)/(200 − 100) = 1.1;
    # Tier 2 40 / 50 = 0.8 but red (40 < 45); all 160: 1 + 0.5·0.6 = 1.3.
    assert math.isclose(sc("lin", "t1", "2026-Q1"), 1.1)
    assert math.isclose(sc("lin", "t2", "2026-Q1"), 0.8)
    assert ref.status[0][1][0] == "red"
    assert ref.status[0][0][0] == "green"
    assert math.isclose(sc("lin", "all", "2026-Q1"), 1.3)
    # linear Q2: Tier 1 60 / 80 = 0.75; Tier 2 (10 − 5) / (15 − 5) = 0.5; all 70 / 80.
    assert math.isclose(sc("lin", "t1", "2026-Q2"), 0.75)
    assert math.isclose(sc("lin", "t2", "2026-Q2"), 0.5)
    assert math.isclose(sc("lin", "all", "2026-Q2"), 0.875)
    # ratio, lower is better: 80 / 120 = 2/3; 80 / 40 = 2 -> capped at 1.5.
    assert math.isclose(sc("rat", "t1", "2026-Q1"), 2 / 3)
    assert sc("rat", "t2", "2026-Q1") == 1.5
    # range [50, 100], tolerance 50: 120 -> 1 − 20/50 = 0.6; 40 -> 0.8; 160 -> 0.
    assert math.isclose(sc("rng", "t1", "2026-Q1"), 0.6)
    assert math.isclose(sc("rng", "t2", "2026-Q1"), 0.8)
    assert sc("rng", "all", "2026-Q1") == 0.0
    # binary, lower is better, target 50: 120 -> 0, 40 -> 1.
    assert (sc("bin", "t1", "2026-Q1"), sc("bin", "t2", "2026-Q1")) == (0.0, 1.0)
    # Tiers Q1: (1.1 + 2/3 + 0.6 + 0) / 4 = 0.591666…; (0.8 + 1.5 + 0.8 + 1) / 4 = 1.025.
    # Tier weights from w: 3 and 1 -> headline (3·0.591666… + 1.025) / 4 = 0.7.
    assert ref.tier_weights == [[3.0, 0.0], [1.0, 5.0]]
    assert math.isclose(ref.tier_score[0][0], 2.3666666666666667 / 4)
    assert math.isclose(ref.tier_score[1][0], 1.025)
    assert math.isclose(ref.headline[0], 0.7)
    assert_matches(card, {"src": frame})


def test_ttm_reads_the_year_before_the_first_period_shown() -> None:
    # Monthly; 1.0 in every month of 2025 and in 2026-01. Shown: 2026-01 only. The
    # trailing twelve months ending 2026-01 are 2025-02 … 2026-01: 12 × 1.0 = 12, whether
    # or not the earlier months are on the period axis.
    frame = pd.DataFrame(
        {
            "key": ["a"] * 13,
            "date": [f"2025-{m:02d}-10" for m in range(1, 13)] + ["2026-01-10"],
            "tier": ["t1"] * 13,
            "v": [1.0] * 13,
        }
    )
    card = _card(_kpi("t", Aggregation.TTM_SUM), frequency=Frequency.MONTH)
    ref = reference_score(card, {"src": frame}, ["2026-01"])
    assert _at(ref, "t", "t1", "2026-01") == 12.0
    assert _at(reference_score(card, {"src": frame}), "t", "t1", "2026-01") == 12.0
    assert_matches(card, {"src": frame}, ["2026-01"])


def test_distinct_count_when_no_row_has_a_date() -> None:
    # No dated row and no periods asked for: the period axis is empty, nothing to show.
    frame = pd.DataFrame({"key": ["a"], "date": [None], "tier": ["t1"], "v": [1.0]})
    card = _card(_kpi("d", Aggregation.DISTINCT_COUNT))
    assert reference_score(card, {"src": frame}).labels == []
    assert_matches(card, {"src": frame})


def test_iso_text_with_offsets_across_a_dst_change() -> None:
    # A New York export: -05:00 in winter, -04:00 in summer. 2026-03-31 23:30-04:00 is
    # 2026-04-01 03:30 UTC (Q2 in a UTC scorecard); 2026-01-15 09:00-05:00 is Q1.
    frame = pd.DataFrame(
        {
            "key": ["a", "b"],
            "date": ["2026-01-15T09:00:00-05:00", "2026-03-31T23:30:00-04:00"],
            "tier": ["t1", "t1"],
            "v": [1.0, 2.0],
        }
    )
    card = _card(_kpi("s", Aggregation.SUM))
    ref = reference_score(card, {"src": frame})
    assert ref.labels == ["2026-Q1", "2026-Q2"]
    assert _at(ref, "s", "t1", "2026-Q2") == 2.0
    assert_matches(card, {"src": frame})


def test_timestamps_in_several_zones_in_one_column() -> None:
    # 2026-06-30 20:00 in Los Angeles is 2026-07-01 03:00 UTC (Q3); 2026-07-01 08:00 in
    # Tokyo is 2026-06-30 23:00 UTC (Q2).
    frame = pd.DataFrame(
        {
            "key": ["a", "b"],
            "date": [
                pd.Timestamp("2026-06-30 20:00", tz="America/Los_Angeles"),
                pd.Timestamp("2026-07-01 08:00", tz="Asia/Tokyo"),
            ],
            "tier": ["t1", "t1"],
            "v": [1.0, 2.0],
        }
    )
    card = _card(_kpi("s", Aggregation.SUM))
    ref = reference_score(card, {"src": frame})
    assert _at(ref, "s", "t1", "2026-Q2") == 2.0
    assert _at(ref, "s", "t1", "2026-Q3") == 1.0
    assert_matches(card, {"src": frame})


def test_a_tiering_source_with_a_period_column_uses_the_latest_period() -> None:
    # CRM snapshots labelled by quarter: customer a is Tier 2 in 2026-Q2 (first row) and
    # Tier 1 in 2026-Q1 (second row). The latest period decides: Tier 2.
    crm = pd.DataFrame({"key": ["a", "a"], "period": ["2026-Q2", "2026-Q1"],
                        "seg": ["t2", "t1"]})  # fmt: skip
    billing = pd.DataFrame({"key": ["a"], "date": ["2026-02-01"], "v": [5.0]})
    card = Scorecard(
        "Snapshots",
        (Perspective("p", "P", kpis=(_kpi("s", Aggregation.SUM),)),),
        tiers=TIERS,
        tiering=Tiering(TierMode.COLUMN, "crm", "seg"),
        sources=(
            DataSource("src", "Billing", key_column="key", date_column="date"),
            DataSource("crm", "CRM", key_column="key", period_column="period"),
        ),
    )
    tables = {"src": billing, "crm": crm}
    assert _at(reference_score(card, tables), "s", "t2", "2026-Q1") == 5.0
    assert_matches(card, tables)


def test_formulas_chain_and_break_cleanly() -> None:
    # Tier 1: a = 2, b = a·3 = 6, c = b / a = 3, i = c + min(a, 1, b) = 4. Tier 2: a = 0,
    # so c = 6·0 / 0 has no value, nor has i. d and e reference each other (a cycle), g an
    # unknown KPI, h divides by zero: all without data.
    frame = pd.DataFrame({"key": ["x", "y"], "date": ["2026-01-05", "2026-01-06"],
                          "tier": ["t1", "t2"], "v": [2.0, 0.0]})  # fmt: skip

    def f(kid: str, text: str) -> Kpi:
        return Kpi(kid, kid, Measure(Aggregation.FORMULA, formula=text),
                   TargetSet(TargetValues(baseline=0.0, target=10.0)))  # fmt: skip

    card = _card(
        _kpi("a", Aggregation.SUM), f("b", "a * 3"), f("c", "b / a"), f("d", "e + 1"),
        f("e", "d + 1"), f("g", "zz + 1"), f("h", "1 / (a - a)"), f("i", "c + min(a, 1, b)"),
    )  # fmt: skip
    ref = reference_score(card, {"src": frame})
    assert [_at(ref, k, "t1", "2026-Q1") for k in "abci"] == [2.0, 6.0, 3.0, 4.0]
    assert math.isnan(_at(ref, "c", "t2", "2026-Q1"))
    assert all(math.isnan(_at(ref, k, "t1", "2026-Q1")) for k in "degh")
    assert_matches(card, {"src": frame})


# --- generated scorecards -------------------------------------------------------------------

FAST = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FAST
@given(wide_case())
def test_simple_aggregations_scores_and_rollups_match(case: Case) -> None:
    assert_matches(case.card, case.tables, case.periods)


@FAST
@given(survey_case())
def test_survey_metrics_match(case: Case) -> None:
    assert_matches(case.card, case.tables, case.periods)


@FAST
@given(account_case())
def test_churn_and_clv_match(case: Case) -> None:
    assert_matches(case.card, case.tables, case.periods)


@FAST
@given(tiering_case())
def test_tiering_source_matches(case: Case) -> None:
    assert_matches(case.card, case.tables, case.periods)


@FAST
@given(period_case())
def test_period_columns_match(case: Case) -> None:
    assert_matches(case.card, case.tables, case.periods)
