"""What-if scenarios: changes held beside the design, applied with the editor's own edits."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scorecard_studio.domain import edits
from scorecard_studio.domain.errors import DesignError
from scorecard_studio.domain.model import (
    Aggregation,
    Kpi,
    Measure,
    Objective,
    Perspective,
    Scorecard,
    TargetOverride,
    TargetSet,
    TargetValues,
    Tier,
)
from scorecard_studio.domain.scenario import (
    Scenario,
    TargetChange,
    apply,
    describe,
    design_target,
    design_weight,
    prune,
)


def _kpi(kid: str, weight: float = 1.0) -> Kpi:
    return Kpi(
        kid,
        kid.upper(),
        Measure(Aggregation.SUM, source="s", column=kid),
        TargetSet(
            TargetValues(baseline=0.0, target=100.0),
            (TargetOverride(TargetValues(target=150.0), tier="t1"),) if kid == "a" else (),
        ),
        weight=weight,
    )


def card() -> Scorecard:
    fin = Perspective(
        "fin",
        "Financial",
        2.0,
        kpis=(_kpi("a", 3.0), _kpi("b")),
        objectives=(Objective("grow", "Grow", kpis=(_kpi("c"),)),),
    )
    return Scorecard(
        "T",
        (fin, Perspective("cust", "Customer", kpis=(_kpi("d"),))),
        tiers=(Tier("t1", "Tier 1"), Tier("t2", "Tier 2")),
    )


def test_setting_the_same_weight_twice_keeps_one_change_in_its_place() -> None:
    s = Scenario().with_weight("a", 5).with_weight("fin", 1).with_weight("a", 7)
    assert s.weights == (("a", 7.0), ("fin", 1.0))
    assert s.weight_of("a") == 7.0
    assert s.weight_of("b") is None
    assert s.size == 2
    assert s.without_weight("a").weights == (("fin", 1.0),)


def test_target_changes_are_keyed_by_kpi_field_tier_and_period() -> None:
    s = (
        Scenario()
        .with_target("a", "target", 120)
        .with_target("a", "target", 130, tier="t2")
        .with_target("a", "target", 125)
    )
    assert s.targets == (
        TargetChange("a", "target", 125.0),
        TargetChange("a", "target", 130.0, "t2"),
    )
    assert s.changed_kpis() == frozenset({"a"})
    assert s.target_of("a", "target", "t2") == TargetChange("a", "target", 130.0, "t2")
    assert s.without_target("a", "target").targets == (TargetChange("a", "target", 130.0, "t2"),)


@pytest.mark.parametrize("weight", [-1.0, float("nan"), float("inf")])
def test_a_weight_must_be_a_finite_non_negative_number(weight: float) -> None:
    with pytest.raises(DesignError):
        Scenario().with_weight("a", weight)


def test_an_unknown_target_field_is_refused() -> None:
    with pytest.raises(DesignError):
        Scenario().with_target("a", "goal", 1.0)


def test_apply_equals_the_same_edits_made_by_hand_and_leaves_the_design_alone() -> None:
    design = card()
    snapshot = card()
    s = (
        Scenario()
        .with_weight("fin", 1.0)
        .with_weight("grow", 4.0)
        .with_weight("d", 0.5)
        .with_target("b", "stretch", 140.0)
        .with_target("a", "baseline", 10.0, tier="t1")
    )
    applied = apply(design, s)
    by_hand = edits.set_weight(design, "fin", 1.0)
    by_hand = edits.set_weight(by_hand, "grow", 4.0)
    by_hand = edits.set_weight(by_hand, "d", 0.5)
    by_hand = edits.set_target_field(by_hand, "b", "stretch", 140.0)
    by_hand = edits.set_target_field(by_hand, "a", "baseline", 10.0, "t1")
    assert applied == by_hand
    assert design == snapshot  # the design value itself never changes
    # The tier override gains a baseline and keeps its own target; the default is untouched.
    assert applied.kpi("a").targets.resolve("t1", None) == TargetValues(baseline=10.0, target=150.0)
    assert applied.kpi("a").targets.default == TargetValues(baseline=0.0, target=100.0)
    assert applied.perspectives[0].objectives[0].weight == 4.0


def test_apply_of_an_empty_scenario_is_the_design() -> None:
    assert apply(card(), Scenario()) == card()
    assert Scenario().is_empty()


def test_apply_with_an_unknown_item_raises_a_design_error() -> None:
    with pytest.raises(DesignError):
        apply(card(), Scenario().with_weight("gone", 1.0))
    with pytest.raises(DesignError):
        apply(card(), Scenario().with_target("gone", "target", 1.0))


def test_design_values_are_read_at_the_exact_level() -> None:
    design = card()
    assert design_weight(design, "fin") == 2.0
    assert design_weight(design, "grow") == 1.0
    assert design_weight(design, "a") == 3.0
    assert design_target(design, "a", "target") == 100.0
    assert design_target(design, "a", "target", "t1") == 150.0
    assert design_target(design, "a", "baseline", "t1") is None  # inherited, not set there
    assert design_target(design, "b", "target", "t2") is None
    with pytest.raises(DesignError):
        design_weight(design, "nope")


def test_prune_drops_stale_and_caught_up_changes() -> None:
    s = (
        Scenario()
        .with_weight("a", 3.0)  # equal to the design: no longer a change
        .with_weight("b", 2.0)
        .with_weight("d", 9.0)
        .with_target("d", "target", 90.0)
        .with_target("a", "target", 150.0, tier="t1")  # equal to the override
        .with_target("b", "target", 80.0, tier="t9")  # tier no longer exists
    )
    design = edits.remove_item(card(), "d")
    assert prune(design, s) == Scenario(weights=(("b", 2.0),))


def test_describe_names_items_and_shows_before_and_after() -> None:
    s = (
        Scenario()
        .with_weight("fin", 1.0)
        .with_target("a", "red_flag", 20.0, tier="t1")
        .with_target("b", "target", 110.0)
    )
    assert describe(card(), s) == [
        "Weight of Financial: 2 → 1",
        "Red flag of A (Tier 1): unset → 20",
        "Target of B: 100 → 110",
    ]


def test_describe_shows_a_percentage_kpis_targets_in_percent() -> None:
    design = card()
    design = edits.replace_kpi(design, replace(design.kpi("b"), unit="%"))
    design = edits.set_target_field(design, "b", "target", 0.06)
    s = Scenario().with_target("b", "target", 0.08)
    assert describe(design, s) == ["Target of B: 6% → 8%"]
