"""Pure design edits: each checked against the design written out by hand."""

from __future__ import annotations

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
    TargetValues,
)


def _kpi(kid: str) -> Kpi:
    return Kpi(kid, kid.upper(), Measure(Aggregation.SUM, source="s", column=kid))


def card() -> Scorecard:
    fin = Perspective(
        "fin",
        "Financial",
        kpis=(_kpi("a"), _kpi("b"), _kpi("c")),
        objectives=(Objective("grow", "Grow", kpis=(_kpi("d"), _kpi("e"))),),
    )
    return Scorecard("T", (fin, Perspective("cust", "Customer", kpis=(_kpi("f"),))))


def layout(c: Scorecard) -> list[tuple[str, list[str], list[tuple[str, list[str]]]]]:
    return [
        (p.id, [k.id for k in p.kpis], [(o.id, [k.id for k in o.kpis]) for o in p.objectives])
        for p in c.perspectives
    ]


def test_shift_kpi_down_and_up_within_its_parent() -> None:
    down = edits.shift_item(card(), "a", 1)
    assert layout(down)[0][1] == ["b", "a", "c"]
    up = edits.shift_item(card(), "c", -2)
    assert layout(up)[0][1] == ["c", "a", "b"]
    assert edits.shift_item(card(), "c", 1) == card()  # already last: unchanged
    assert layout(edits.shift_item(card(), "e", -1))[0][2] == [("grow", ["e", "d"])]


def test_shift_perspective() -> None:
    assert [p.id for p in edits.shift_item(card(), "fin", 1).perspectives] == ["cust", "fin"]
    assert [p.id for p in edits.shift_item(card(), "cust", -5).perspectives] == ["cust", "fin"]


def test_remove_kpi_inside_an_objective_keeps_the_others() -> None:
    after = edits.remove_item(card(), "d")
    assert layout(after)[0] == ("fin", ["a", "b", "c"], [("grow", ["e"])])


def test_move_kpi_between_perspectives_and_into_objective() -> None:
    moved = edits.move_kpi(card(), "b", "cust", 0)
    assert layout(moved) == [
        ("fin", ["a", "c"], [("grow", ["d", "e"])]),
        ("cust", ["b", "f"], []),
    ]
    into = edits.move_kpi(card(), "f", "grow", None)
    assert layout(into)[0][2] == [("grow", ["d", "e", "f"])]
    assert layout(into)[1] == ("cust", [], [])


def test_update_fields_and_errors() -> None:
    c = edits.update_kpi(card(), "a", owner="Ana", unit="%")
    assert (c.kpi("a").owner, c.kpi("a").unit) == ("Ana", "%")
    c = edits.update_measure(c, "a", aggregation=Aggregation.MEAN)
    assert c.kpi("a").measure.aggregation is Aggregation.MEAN
    assert c.kpi("a").measure.column == "a"
    c = edits.update_group(c, "grow", weight=3.0, description="why")
    assert c.perspectives[0].objectives[0].weight == 3.0
    with pytest.raises(DesignError):
        edits.update_group(c, "a", weight=1.0)
    with pytest.raises(DesignError):
        edits.set_weight(c, "a", -1)


def test_balance_siblings_and_target_override_round_trip() -> None:
    c = edits.set_weight(card(), "b", 5)
    c = edits.balance_siblings(c, "a")
    assert [k.weight for k in c.perspectives[0].kpis] == [1.0, 1.0, 1.0]
    c = edits.set_targets(c, "a", TargetValues(baseline=1, target=2), tier="t1")
    assert len(c.kpi("a").targets.overrides) == 1
    c = edits.set_targets(c, "a", TargetValues(), tier="t1")
    assert c.kpi("a").targets.overrides == ()


def test_items_are_named_by_kind_in_words_and_name_never_by_id() -> None:
    c = card()
    assert edits.item_label(c, "fin") == "perspective 'Financial'"
    assert edits.item_label(c, "grow") == "objective 'Grow'"
    assert edits.item_label(c, "d") == "KPI 'D'"
    with pytest.raises(DesignError, match="no such item"):
        edits.item_label(c, "zzz")
    with pytest.raises(DesignError) as negative:
        edits.set_weight(c, "e", -2)
    assert str(negative.value) == "KPI 'E': a weight cannot be negative (-2)"
