"""Account health and the at-risk list on a few accounts computed by hand."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from scorecard_studio.domain.analytics import AccountValue, Analytics, RiskRule, RuleKind
from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    Kpi,
    Measure,
    Perspective,
    Scorecard,
    TargetOverride,
    TargetSet,
    TargetValues,
    Tier,
)
from scorecard_studio.engines.analytics import analyze

SRC = DataSource("src", "Usage", key_column="key", date_column="date", tier_column="tier")
CRM = DataSource("crm", "CRM", key_column="key", date_column="date", tier_column="tier")
Q1, Q2, Q3 = "2026-01-15", "2026-04-15", "2026-07-15"


def _kpi(kid: str, column: str, target: float, t2_target: float | None = None) -> Kpi:
    overrides = ()
    if t2_target is not None:
        overrides = (TargetOverride(TargetValues(target=t2_target), tier="t2"),)
    return Kpi(
        kid,
        kid,
        Measure(Aggregation.MEAN, source="src", column=column),
        TargetSet(TargetValues(baseline=0, target=target), overrides),
    )


CARD = Scorecard(
    "hand",
    (
        Perspective("p1", "P1", 1.0, kpis=(_kpi("usage", "u", 10),)),
        Perspective("p2", "P2", 3.0, kpis=(_kpi("sat", "s", 100, t2_target=50),)),
    ),
    tiers=(Tier("t1", "Tier 1"), Tier("t2", "Tier 2")),
    sources=(SRC, CRM),
    analytics=Analytics(
        risk_rules=(
            RiskRule("fall", "Usage falling", RuleKind.FALL, 0.3, "usage", 1, True),
            RiskRule("low", "Low health", RuleKind.BELOW, 0.65),
        ),
        value=AccountValue("crm", "arr"),
    ),
)

ROWS = [  # key, date, tier, usage, satisfaction
    ("a", Q1, "t1", 8, 80),
    ("a", Q1, "t1", 10, None),
    ("a", Q2, "t1", 6, 60),
    ("a", Q3, "t1", 3, 40),
    ("b", Q1, "t2", 10, 50),
    (" B ", Q2, "t2", 10, 50),  # the same account, written differently
    ("b", Q3, "t2", 10, 25),
    ("c", Q1, "t1", 2, None),
    ("c", Q3, "t1", 5, None),
    (None, Q3, "t1", 0, 0),  # no key: counts for no account
]
TABLES = {
    "src": pd.DataFrame(ROWS, columns=["key", "date", "tier", "u", "s"]),
    "crm": pd.DataFrame(
        [
            ("a", Q1, "t1", 100.0),
            ("b", Q1, "t2", 300.0),
            ("c", Q1, "t1", 50.0),
            ("a", Q3, "t1", 120),
        ],
        columns=["key", "date", "tier", "arr"],
    ),
}

#: Health by hand: (1·usage/10 + 3·sat/target) ÷ 4, renormalised over the KPIs with data.
HEALTH = {
    "a": [(0.9 + 3 * 0.8) / 4, (0.6 + 3 * 0.6) / 4, (0.3 + 3 * 0.4) / 4],
    "b": [1.0, 1.0, (1.0 + 3 * 0.5) / 4],
    "c": [0.2, math.nan, 0.5],
}


@pytest.fixture(scope="module")
def evidence():  # type: ignore[no-untyped-def]
    return analyze(CARD, TABLES)


def test_each_account_is_scored_against_its_tiers_targets(evidence) -> None:  # type: ignore[no-untyped-def]
    panel = evidence.panel
    assert panel.period_labels == ("2026-Q1", "2026-Q2", "2026-Q3")
    assert panel.keys == ("a", "b", "c")
    assert panel.tier.tolist() == [0, 1, 0]
    for c, key in enumerate(panel.keys):
        np.testing.assert_allclose(panel.health[c], HEALTH[key], equal_nan=True)
    np.testing.assert_allclose(panel.value[0, 0], [9, 6, 3])  # mean of a's usage rows
    np.testing.assert_allclose(panel.coverage[2], [0.25, 0, 0.25])


def test_bands_follow_the_rag_thresholds_and_thin_coverage_earns_none(evidence) -> None:  # type: ignore[no-untyped-def]
    bands = [[str(evidence.panel.band[c, p]) for p in range(3)] for c in range(3)]
    # codes: 1 red, 2 amber, 3 green, 4 insufficient data, 0 no data
    assert bands == [["2", "1", "1"], ["3", "3", "1"], ["4", "0", "4"]]


def test_health_by_tier_and_its_accounts(evidence) -> None:  # type: ignore[no-untyped-def]
    rows = {r.tier: r for r in evidence.health_by_tier(0)}
    assert rows["t1"].accounts == 2
    assert rows["t1"].mean_health == pytest.approx((HEALTH["a"][0] + 0.2) / 2)
    assert rows["t1"].bands == {"green": 0, "amber": 1, "red": 0}
    assert rows["all"].accounts == 3
    assert [a.key for a in evidence.accounts(0, "t1")] == ["c", "a"]  # worst first


def test_at_risk_is_ranked_by_value_with_every_reason(evidence) -> None:  # type: ignore[no-untyped-def]
    found = evidence.at_risk(2)
    assert [(a.key, a.value_at_risk) for a in found] == [("b", 300), ("a", 120), ("c", 50)]
    a = found[1]
    assert [r.rule for r in a.reasons] == ["fall", "low"]
    assert a.reasons[0].text == "usage fell 50% over 1 period (6 → 3)"
    assert [a.key for a in evidence.at_risk(1)] == ["a"]  # a fell 9 → 6 (33 %), health 0.6
    assert [a.key for a in evidence.at_risk(2, "t2")] == ["b"]


def test_a_minimum_value_limits_a_rule_to_valuable_accounts() -> None:
    rule = RiskRule("low", "Low health", RuleKind.BELOW, 0.65, minimum_value=110)
    card = dataclasses.replace(
        CARD, analytics=dataclasses.replace(CARD.analytics, risk_rules=(rule,))
    )
    assert [a.key for a in analyze(card, TABLES).at_risk(2)] == ["b", "a"]


@pytest.mark.parametrize(
    ("kind", "threshold", "expected"),
    [
        (RuleKind.ABOVE, 9.5, [["b"], ["b"], ["b"]]),  # b's usage is 10 throughout
        (RuleKind.CROSS_BELOW, 7, [[], ["a"], []]),  # a: 9 → 6; c has no Q2 value
        (RuleKind.RISE, 3, [[], [], []]),
    ],
)
def test_rule_kinds(kind: RuleKind, threshold: float, expected: list[list[str]]) -> None:
    rule = RiskRule("r", "R", kind, threshold, "usage")
    card = dataclasses.replace(CARD, analytics=Analytics(risk_rules=(rule,)))
    evidence = analyze(card, TABLES)
    assert [sorted(a.key for a in evidence.at_risk(p)) for p in range(3)] == expected
