"""The structured design diff: each kind of change, and its readable rendering."""

from __future__ import annotations

import dataclasses
import json

from scorecard_studio.domain.design_diff import ChangeKind, diff_designs
from scorecard_studio.domain.model import (
    Aggregation,
    Direction,
    Kpi,
    Measure,
    Objective,
    Perspective,
    Scorecard,
    Settings,
    TargetOverride,
    TargetSet,
    TargetValues,
    Tier,
)


def _kpi(kpi_id: str, name: str, target: float = 100.0, weight: float = 1.0) -> Kpi:
    return Kpi(
        kpi_id,
        name,
        Measure(Aggregation.SUM, source="billing", column="amount"),
        TargetSet(TargetValues(baseline=0, target=target)),
        weight=weight,
    )


def _card(*kpis: Kpi, growth: tuple[Kpi, ...] = ()) -> Scorecard:
    return Scorecard(
        "Retention",
        (
            Perspective(
                "fin",
                "Financial",
                kpis=kpis,
                objectives=(Objective("growth", "Growth", kpis=growth),),
            ),
            Perspective("cust", "Customer"),
        ),
    )


def test_identical_designs_have_no_changes() -> None:
    card = _card(_kpi("rev", "Revenue"))
    diff = diff_designs(card, card, old_label="v1", new_label="v2")
    assert diff.is_empty
    assert diff.to_text() == "No design changes from v1 to v2."


def test_weight_and_target_changes_show_old_and_new() -> None:
    old = _card(_kpi("rev", "Revenue", target=200, weight=1))
    new = _card(_kpi("rev", "Revenue", target=250, weight=2))
    diff = diff_designs(old, new, old_label="v1", new_label="v2")
    assert [(c.kind, c.item, c.item_id, c.field, c.old, c.new) for c in diff.changes] == [
        (ChangeKind.CHANGED, "kpi", "rev", "targets.default.target", 200.0, 250.0),
        (ChangeKind.CHANGED, "kpi", "rev", "weight", 1.0, 2.0),
    ]
    assert diff.to_text().splitlines() == [
        "Design changes from v1 to v2: 2 changes",
        "  ~ KPI rev “Revenue”: targets.default.target 200 → 250",
        "  ~ KPI rev “Revenue”: weight 1 → 2",
    ]


def test_added_removed_renamed_and_moved_kpis() -> None:
    old = _card(_kpi("rev", "Revenue"), _kpi("churn", "Churn"), growth=(_kpi("nrr", "NRR"),))
    new = _card(_kpi("rev", "Net revenue"), _kpi("nrr", "NRR"), growth=(_kpi("up", "Upsell"),))
    diff = diff_designs(old, new)
    summary = [(c.kind.value, c.item_id, c.field) for c in diff.of_item("kpi")]
    assert summary == [
        ("renamed", "rev", "name"),
        ("moved", "nrr", "location"),
        ("added", "up", ""),
        ("removed", "churn", ""),
    ]
    moved = diff.of_item("kpi")[1]
    assert (moved.old, moved.new) == ("Financial / Growth", "Financial")
    text = diff.to_text()
    assert "~ KPI rev “Net revenue” renamed (name) “Revenue” → “Net revenue”" in text
    assert "> KPI nrr “NRR” moved from Financial / Growth to Financial" in text
    assert "+ KPI up “Upsell” added in Financial / Growth" in text
    assert "- KPI churn “Churn” removed from Financial" in text
    assert diff.counts() == {
        "added": 1,
        "removed": 1,
        "changed": 0,
        "renamed": 1,
        "moved": 1,
        "retired": 0,
    }


def test_a_kpi_whose_id_changed_but_not_its_content_is_a_rename() -> None:
    old = _card(_kpi("rev", "Revenue"))
    new = _card(_kpi("revenue", "Revenue"))
    diff = diff_designs(old, new)
    assert [(c.kind, c.field, c.old, c.new) for c in diff.changes] == [
        (ChangeKind.RENAMED, "id", "rev", "revenue")
    ]


def test_direction_formula_override_and_settings_changes() -> None:
    base = _kpi("rev", "Revenue")
    changed = dataclasses.replace(
        base,
        direction=Direction.LOWER,
        measure=Measure(Aggregation.FORMULA, formula="a + b"),
        targets=TargetSet(
            TargetValues(baseline=0, target=100),
            (TargetOverride(TargetValues(target=150), tier="tier_1"),),
        ),
    )
    old = _card(base)
    new = dataclasses.replace(_card(changed), settings=Settings(cap=1.2))
    diff = diff_designs(old, new)
    fields = {(c.item, c.field): (c.old, c.new) for c in diff.changes}
    assert fields[("setting", "cap")] == (1.0, 1.2)
    assert fields[("kpi", "direction")] == ("higher", "lower")
    assert fields[("kpi", "measure.aggregation")] == ("sum", "formula")
    assert fields[("kpi", "measure.formula")] == (None, "a + b")
    assert fields[("kpi", "measure.source")] == ("billing", None)
    assert fields[("kpi", "targets[tier=tier_1].target")] == (None, 150.0)


def test_perspectives_objectives_and_tiers() -> None:
    old = _card()
    new = dataclasses.replace(
        old,
        perspectives=(
            dataclasses.replace(old.perspectives[0], weight=3.0),
            Perspective("learn", "Learning & Growth"),
        ),
        tiers=(Tier("tier_1", "Enterprise"), *old.tiers[1:]),
    )
    diff = diff_designs(old, new)
    lines = diff.to_text().splitlines()[1:]
    assert lines == [
        "  ~ Tier tier_1 “Enterprise” renamed (name) “Tier 1” → “Enterprise”",
        "  ~ Perspective fin “Financial”: weight 1 → 3",
        "  + Perspective learn “Learning & Growth” added",
        "  - Perspective cust “Customer” removed",
    ]


def test_json_form_is_plain_json() -> None:
    old = _card(_kpi("rev", "Revenue"))
    new = _card(_kpi("rev", "Revenue", weight=2), _kpi("nps", "NPS"))
    doc = diff_designs(old, new, old_label="version 1", new_label="version 2").to_json_dict()
    text = json.dumps(doc)
    assert json.loads(text) == doc
    assert doc["from"] == "version 1"
    assert doc["changes"][0] == {
        "kind": "changed",
        "item": "kpi",
        "id": "rev",
        "name": "Revenue",
        "field": "weight",
        "old": 1.0,
        "new": 2.0,
    }
    added = doc["changes"][1]
    assert (added["kind"], added["new"]["location"], added["new"]["targets.default.target"]) == (
        "added",
        "Financial",
        100.0,
    )
