"""Hand-computed scores, statuses and roll-ups (specification section 3)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scoring_builders import SOURCE, TIERS, card_of, cell, kpi, objective, rows, run

from scorecard_studio.domain.model import (
    Aggregation,
    Direction,
    Kpi,
    Measure,
    MissingDataPolicy,
    Perspective,
    RagThresholds,
    Scorecard,
    ScoringMethod,
    Settings,
    StatusRule,
    TargetOverride,
    TargetSet,
    TargetValues,
    Tier,
    TierWeighting,
    TierWeights,
)
from scorecard_studio.engines.scoring import score


def one_value(v: float) -> object:
    return rows(("a", "2026-02-01", "Tier 1", v))


def scored(k: Kpi, v: float, settings: Settings | None = None) -> tuple[float, str]:
    result = run(card_of([k], settings=settings), one_value(v))
    t, p = 0, 0
    return float(result.score[0, t, p]), result.to_json_dict()["kpis"][0]["by_tier"]["t1"]["status"]


def with_targets(k: Kpi, method: ScoringMethod = ScoringMethod.LINEAR, **values: float) -> Kpi:
    return Kpi(k.id, k.name, k.measure, TargetSet(TargetValues(**values)), method=method)


BASE = kpi("k", Aggregation.SUM)


@pytest.mark.parametrize(
    ("values", "actual", "expected"),
    [
        ({"baseline": 0, "target": 100}, 80, 0.8),
        ({"baseline": 50, "target": 100}, 80, 0.6),
        ({"baseline": 50, "target": 100}, 40, 0.0),  # clipped at 0
        ({"baseline": 50, "target": 100}, 130, 1.0),  # clipped at the default cap
        # Lower is better: target below baseline; the same formula serves.
        ({"baseline": 10, "target": 5}, 7, 0.6),
        ({"baseline": 10, "target": 5}, 4, 1.0),
        # Negative values.
        ({"baseline": -10, "target": -2}, -4, 0.75),
        ({"baseline": 2, "target": -6}, -4, 0.75),
    ],
)
def test_linear(values: dict[str, float], actual: float, expected: float) -> None:
    assert scored(with_targets(BASE, **values), actual)[0] == pytest.approx(expected)


def test_linear_above_target_with_cap_and_stretch() -> None:
    capped = Settings(cap=1.2)
    plain = with_targets(BASE, baseline=0, target=100)
    assert scored(plain, 110, capped)[0] == pytest.approx(1.1)
    assert scored(plain, 150, capped)[0] == pytest.approx(1.2)
    # With a stretch of 200 the cap is reached only at 200: 150 -> 1 + 0.2 * 50/100.
    stretched = with_targets(BASE, baseline=0, target=100, stretch=200)
    assert scored(stretched, 150, capped)[0] == pytest.approx(1.1)
    assert scored(stretched, 250, capped)[0] == pytest.approx(1.2)


@pytest.mark.parametrize(
    ("values", "actual", "expected"),
    [
        ({"baseline": 0, "target": 50}, 40, 0.8),  # higher is better: a / t
        ({"baseline": 100, "target": 50}, 80, 0.625),  # lower is better: t / a
        ({"baseline": 100, "target": 50}, 0, 1.0),  # nothing at all is perfect, capped
        ({"baseline": 0, "target": 50}, -5, math.nan),  # only for positive values
    ],
)
def test_ratio(values: dict[str, float], actual: float, expected: float) -> None:
    got = scored(with_targets(BASE, ScoringMethod.RATIO, **values), actual)[0]
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(expected)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [(50, 1.0), (40, 1.0), (60, 1.0), (35, 0.5), (70, 0.0), (90, 0.0), (65, 0.5)],
)
def test_range(actual: float, expected: float) -> None:
    k = with_targets(BASE, ScoringMethod.RANGE, low=40, high=60, tolerance=10)
    assert scored(k, actual)[0] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("values", "actual", "expected"),
    [
        ({"baseline": 0, "target": 10}, 10, 1.0),
        ({"baseline": 0, "target": 10}, 9.9, 0.0),
        ({"baseline": 10, "target": 5}, 5, 1.0),
        ({"baseline": 10, "target": 5}, 6, 0.0),
    ],
)
def test_binary(values: dict[str, float], actual: float, expected: float) -> None:
    assert scored(with_targets(BASE, ScoringMethod.BINARY, **values), actual)[0] == expected


def test_binary_without_baseline_follows_the_kpi_direction() -> None:
    lower = Kpi(
        "k",
        "K",
        BASE.measure,
        TargetSet(TargetValues(target=5)),
        method=ScoringMethod.BINARY,
        direction=Direction.LOWER,
    )
    assert scored(lower, 4)[0] == 1.0
    assert scored(lower, 6)[0] == 0.0


@pytest.mark.parametrize(
    ("actual", "status"),
    [(100, "green"), (70, "amber"), (69.9, "red"), (0, "red")],
)
def test_rag_status_thresholds(actual: float, status: str) -> None:
    assert scored(with_targets(BASE, baseline=0, target=100), actual)[1] == status


def test_custom_rag_thresholds() -> None:
    settings = Settings(rag=RagThresholds(green=0.9, amber=0.5))
    k = with_targets(BASE, baseline=0, target=100)
    assert scored(k, 90, settings)[1] == "green"
    assert scored(k, 50, settings)[1] == "amber"


def test_red_flag_status_rule() -> None:
    k = Kpi(
        "k",
        "K",
        BASE.measure,
        TargetSet(TargetValues(baseline=0, target=100, red_flag=40)),
        status_rule=StatusRule.RED_FLAG,
    )
    assert scored(k, 39, None)[1] == "red"
    assert scored(k, 41, None)[1] == "amber"  # score 0.41 but above the red flag
    assert scored(k, 100, None)[1] == "green"


def test_no_data_is_no_data_never_red_never_zero() -> None:
    k = with_targets(BASE, baseline=0, target=100)
    result = run(card_of([k]), rows(("a", "2026-02-01", "Tier 2", 5)))
    doc = result.to_json_dict()
    t1 = doc["kpis"][0]["by_tier"]["t1"]
    assert t1 == {**t1, "actual": None, "score": None, "status": "no_data"}


def test_target_overrides_most_specific_wins() -> None:
    targets = TargetSet(
        TargetValues(baseline=0, target=100),
        (
            TargetOverride(TargetValues(target=200), period="2026-Q1"),
            TargetOverride(TargetValues(target=50), tier="t1"),
            TargetOverride(TargetValues(target=80, baseline=40), tier="t1", period="2026-Q2"),
        ),
    )
    k = Kpi("k", "K", BASE.measure, targets)
    frame = rows(
        ("a", "2026-02-01", "Tier 1", 40),
        ("b", "2026-02-01", "Tier 2", 40),
        ("a", "2026-05-01", "Tier 1", 60),
        ("b", "2026-05-01", "Tier 2", 60),
    )
    result = run(card_of([k]), frame)
    assert cell(result, "k", "t1", "2026-Q1", "score") == pytest.approx(
        40 / 50
    )  # tier beats period
    assert cell(result, "k", "t2", "2026-Q1", "score") == pytest.approx(40 / 200)  # period
    assert cell(result, "k", "t1", "2026-Q2", "score") == pytest.approx((60 - 40) / (80 - 40))
    assert cell(result, "k", "t2", "2026-Q2", "score") == pytest.approx(60 / 100)  # default
    assert cell(result, "k", "all", "2026-Q1", "score") == pytest.approx(80 / 200)  # no tier


def nested_card(policy: MissingDataPolicy = MissingDataPolicy.RENORMALISE) -> Scorecard:
    """Financial (weight 3): objective Growth (2) {rev 1, margin 3}, direct KPI dso (1).
    Customer (weight 1): nps (1)."""

    def k(kid: str, weight: float, column: str) -> Kpi:
        return Kpi(
            kid,
            kid,
            Measure(Aggregation.SUM, source="src", column=column),
            TargetSet(TargetValues(baseline=0, target=100)),
            weight=weight,
        )

    financial = Perspective(
        "fin",
        "Financial",
        3,
        objectives=(objective("growth", [k("rev", 1, "rev"), k("margin", 3, "margin")], 2),),
        kpis=(k("dso", 1, "dso"),),
    )
    customer = Perspective("cust", "Customer", 1, kpis=(k("nps", 1, "nps"),))
    return Scorecard(
        "Nested",
        (financial, customer),
        tiers=TIERS,
        sources=(SOURCE,),
        settings=Settings(missing_data=policy),
    )


def nested_frame(margin: float | None = 40) -> object:
    import pandas as pd

    return pd.DataFrame(
        {
            "key": ["a"],
            "date": ["2026-02-01"],
            "tier": ["Tier 1"],
            "rev": [80],
            "margin": [margin],
            "dso": [20],
            "nps": [50],
        }
    )


def test_nested_rollup_with_unequal_weights() -> None:
    result = score(nested_card(), {"src": nested_frame()})
    doc = result.to_json_dict()
    growth = (1 * 0.8 + 3 * 0.4) / 4  # 0.5
    financial = (2 * growth + 1 * 0.2) / 3  # 0.4
    tier1 = (3 * financial + 1 * 0.5) / 4  # 0.425
    assert doc["objectives"][0]["by_tier"]["t1"]["score"] == pytest.approx(growth)
    assert doc["perspectives"][0]["by_tier"]["t1"]["score"] == pytest.approx(financial)
    assert doc["tiers"][0]["score"] == pytest.approx(tier1)
    assert doc["tiers"][0]["coverage"] == 1.0
    # Tier 2 has no rows: no score, and the headline renormalises over Tier 1 alone.
    assert doc["tiers"][1]["score"] is None
    assert doc["headline"]["score"] == pytest.approx(tier1)
    assert doc["headline"]["coverage"] == pytest.approx(0.5)
    # Effective shares of the headline: rev = 3/4 * 2/3 * 1/4 = 0.125, margin 0.375,
    # dso = 3/4 * 1/3 = 0.25, nps = 1/4.
    shares = {k["id"]: k["effective_share"] for k in doc["kpis"]}
    assert shares == pytest.approx({"dso": 0.25, "rev": 0.125, "margin": 0.375, "nps": 0.25})


def test_missing_data_renormalise_versus_zero() -> None:
    frame = nested_frame(margin=None)
    renorm = score(nested_card(), {"src": frame}).to_json_dict()
    zero = score(nested_card(MissingDataPolicy.ZERO), {"src": frame}).to_json_dict()
    # Renormalise: growth = rev alone = 0.8; coverage of growth = 1/4 of its weight.
    assert renorm["objectives"][0]["by_tier"]["t1"]["score"] == pytest.approx(0.8)
    assert renorm["objectives"][0]["by_tier"]["t1"]["coverage"] == pytest.approx(0.25)
    # Zero: margin counts as 0 -> growth = 0.8 / 4 = 0.2; coverage is the same.
    assert zero["objectives"][0]["by_tier"]["t1"]["score"] == pytest.approx(0.2)
    assert zero["objectives"][0]["by_tier"]["t1"]["coverage"] == pytest.approx(0.25)
    # Financial coverage: (2 * 0.25 + 1 * 1) / 3 = 0.5; tier coverage (3*0.5 + 1) / 4.
    assert renorm["perspectives"][0]["by_tier"]["t1"]["coverage"] == pytest.approx(0.5)
    assert renorm["tiers"][0]["coverage"] == pytest.approx(0.625)


def test_fixed_and_column_tier_weights() -> None:
    frame = rows(("a", "2026-02-01", "Tier 1", 100), ("b", "2026-02-01", "Tier 2", 50))
    k = with_targets(BASE, baseline=0, target=100)
    tiers = (Tier("t1", "Tier 1", 3), Tier("t2", "Tier 2", 1))
    fixed = card_of([k], tiers=tiers, tier_weights=TierWeights(TierWeighting.FIXED))
    assert run(fixed, frame).rollup.headline[0] == pytest.approx((3 * 1.0 + 1 * 0.5) / 4)
    # Weights from the revenue column: Tier 1 has 100, Tier 2 has 50.
    by_column = card_of([k], tier_weights=TierWeights(TierWeighting.COLUMN, "src", "v"))
    assert run(by_column, frame).rollup.headline[0] == pytest.approx((100 * 1.0 + 50 * 0.5) / 150)
    equal = card_of([k])
    assert run(equal, frame).rollup.headline[0] == pytest.approx(0.75)


def test_survey_kpi_below_minimum_sample_is_flagged() -> None:
    nps = kpi("nps", Aggregation.NPS, baseline=0, target=50)
    frame = rows(
        *[("a", "2026-02-01", "Tier 1", 10)] * 29, *[("b", "2026-02-01", "Tier 2", 9)] * 30
    )
    doc = run(card_of([nps]), frame).to_json_dict()
    assert doc["kpis"][0]["by_tier"]["t1"]["low_sample"] is True
    assert doc["kpis"][0]["by_tier"]["t1"]["sample"] == 29
    assert doc["kpis"][0]["by_tier"]["t2"]["low_sample"] is False
    # Still scored: low sample is a flag, not a verdict.
    assert doc["kpis"][0]["by_tier"]["t1"]["score"] == 1.0


def test_tier_rules_on_a_numeric_column() -> None:
    from scorecard_studio.domain.model import DataSource, Tiering, TierMode, TierRule

    crm = DataSource("crm", "CRM", key_column="account", tier_column=None)
    tiering = Tiering(
        TierMode.RULES,
        source="crm",
        column="arr",
        rules=(TierRule("t1", 1_000_000), TierRule("t2", 0)),
    )
    k = with_targets(BASE, baseline=0, target=100)
    card = Scorecard(
        "Rules",
        (Perspective("p", "P", kpis=(k,)),),
        tiers=TIERS,
        tiering=tiering,
        sources=(SOURCE.__class__("src", "S", key_column="key", date_column="date"), crm),
    )
    import pandas as pd

    tables = {
        "crm": pd.DataFrame({"account": ["A ", "b"], "arr": [2_000_000, 10]}),
        "src": pd.DataFrame({"key": ["a", "B", "z"], "date": ["2026-01-01"] * 3, "v": [1, 2, 4]}),
    }
    result = score(card, tables)
    assert cell(result, "k", "t1", "2026-Q1") == 1  # "A " and "a" are the same customer
    assert cell(result, "k", "t2", "2026-Q1") == 2
    assert cell(result, "k", "all", "2026-Q1") == 7  # z has no tier but counts for everyone
    assert any(f.code == "row_without_tier" for f in result.findings)


def test_headline_is_nan_free_when_nothing_has_data() -> None:
    k = with_targets(BASE, baseline=0, target=100)
    result = run(card_of([k]), rows(("a", "2026-02-01", "Tier 9", 5)))
    assert np.isnan(result.rollup.headline).all()
    assert result.to_json_dict()["headline"]["status"] == "no_data"
