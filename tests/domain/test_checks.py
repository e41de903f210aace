"""Design checks of specification section 4, one case each."""

from __future__ import annotations

import pytest

from scorecard_studio.domain.checks import check_design
from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    Kpi,
    Measure,
    Objective,
    Perspective,
    Scorecard,
    ScoringMethod,
    TargetOverride,
    TargetSet,
    TargetValues,
)

SRC = (DataSource("s", "S"),)


def card(*kpis: Kpi, objectives: tuple[Objective, ...] = ()) -> Scorecard:
    return Scorecard("c", (Perspective("p", "P", kpis=kpis, objectives=objectives),), sources=SRC)


def k(
    kid: str = "k",
    *,
    weight: float = 1.0,
    method: ScoringMethod = ScoringMethod.LINEAR,
    measure: Measure | None = None,
    **targets: float,
) -> Kpi:
    values = TargetValues(**targets) if targets else TargetValues(baseline=0, target=10)
    return Kpi(
        kid,
        kid.upper(),
        measure or Measure(Aggregation.SUM, source="s", column="v"),
        TargetSet(values),
        weight=weight,
        method=method,
    )


def codes(c: Scorecard) -> set[str]:
    return {f.code for f in check_design(c)}


def test_a_clean_design_has_no_findings() -> None:
    assert check_design(card(k())) == []


@pytest.mark.parametrize(
    ("design", "code"),
    [
        (card(k(measure=Measure(Aggregation.SUM, column="v"))), "no_source"),
        (card(k(measure=Measure(Aggregation.SUM, source="zz", column="v"))), "unknown_source"),
        (card(k(baseline=5, target=5)), "baseline_equals_target"),
        (card(k(baseline=0, target=10, red_flag=12)), "red_flag_wrong_side"),
        (card(k(baseline=10, target=0, red_flag=-1)), "red_flag_wrong_side"),
        (card(k(method=ScoringMethod.RATIO, baseline=-5, target=-1)), "ratio_non_positive"),
        (
            card(k(measure=Measure(Aggregation.FORMULA, formula="k2 + 1"))),
            "formula_unknown_reference",
        ),
        (
            card(
                k("a", measure=Measure(Aggregation.FORMULA, formula="b")),
                k("b", measure=Measure(Aggregation.FORMULA, formula="a * 2")),
            ),
            "formula_cycle",
        ),
        (card(k("a", measure=Measure(Aggregation.FORMULA, formula="1 +"))), "formula_syntax"),
        (card(k("a", weight=0), k("b", weight=0)), "zero_weights"),
        (card(objectives=(Objective("o", "O", kpis=(k(weight=0),)),)), "zero_weights"),
        (card(k("a"), k("a")), "duplicate_id"),
        (card(k(baseline=0, target=10, stretch=5)), "stretch_wrong_side"),
        (card(k(target=10)), "no_baseline"),
        (card(k(method=ScoringMethod.RANGE, low=5)), "no_target"),
    ],
)
def test_each_check(design: Scorecard, code: str) -> None:
    assert code in codes(design)


def test_overrides_are_checked_after_merging_and_against_tiers_and_periods() -> None:
    kpi = Kpi(
        "k",
        "K",
        Measure(Aggregation.SUM, source="s", column="v"),
        TargetSet(
            TargetValues(baseline=0, target=10),
            (
                TargetOverride(TargetValues(baseline=10), tier="tier_1"),
                TargetOverride(TargetValues(target=20), tier="tier_9"),
                TargetOverride(TargetValues(target=20), period="2026-07"),
            ),
        ),
    )
    found = codes(card(kpi))
    assert {"baseline_equals_target", "unknown_tier", "bad_period"} <= found


def test_direction_disagreeing_with_targets_is_a_warning() -> None:
    from scorecard_studio.domain.model import Direction

    kpi = Kpi(
        "k",
        "K",
        Measure(Aggregation.SUM, source="s", column="v"),
        TargetSet(TargetValues(baseline=10, target=5)),
        direction=Direction.HIGHER,
    )
    [finding] = check_design(card(kpi))
    assert (finding.code, finding.severity.value) == ("direction_mismatch", "warning")
