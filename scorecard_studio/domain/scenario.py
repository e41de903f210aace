"""What-if scenarios: weight and target changes held beside a design, not inside it.

A workshop tries many "what if the NPS target were 45?" questions before deciding on one.
Keeping those trials in a :class:`Scenario` rather than editing the design means the saved
design, its undo history and its autosave never see half-decided numbers; the preview scores
``apply(card, scenario)`` instead. When the room agrees, the applied design becomes one
undoable edit, and dropping the scenario leaves no trace.

A scenario is a plain value, like the design: every change returns a new ``Scenario``.
Changes are keyed by what they change (an item's weight; a KPI's target field at a tier
and period), so setting the same slider twice keeps one change, the latest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from scorecard_studio.domain.edits import all_ids, set_target_field, set_weight
from scorecard_studio.domain.errors import DesignError
from scorecard_studio.domain.model import TARGET_FIELDS, Kpi, Scorecard
from scorecard_studio.domain.units import PLAIN, format_value, unit_of

TargetKey = tuple[str, str, str | None, str | None]


@dataclass(frozen=True, slots=True)
class TargetChange:
    """One target field of one KPI, at the default level or at a (tier, period) override.

    ``value`` None clears the field at that level, so an override falls back to what it
    inherits; at the default level it leaves the field unset.
    """

    kpi_id: str
    field: str
    value: float | None
    tier: str | None = None
    period: str | None = None

    @property
    def key(self) -> TargetKey:
        return (self.kpi_id, self.field, self.tier, self.period)


@dataclass(frozen=True, slots=True)
class Scenario:
    """Overrides of weights (perspectives, objectives, KPIs) and of KPI targets.

    ``weights`` holds ``(item id, weight)`` pairs in the order they were first set; a
    later change of the same item replaces its pair in place, so the order of the list
    (shown to the user) does not jump while a slider is dragged.
    """

    weights: tuple[tuple[str, float], ...] = ()
    targets: tuple[TargetChange, ...] = ()

    # --- reading ------------------------------------------------------------------------

    def is_empty(self) -> bool:
        return not self.weights and not self.targets

    @property
    def size(self) -> int:
        """Number of separate changes, for a "3 changes" label."""
        return len(self.weights) + len(self.targets)

    def weight_of(self, item_id: str) -> float | None:
        for iid, weight in self.weights:
            if iid == item_id:
                return weight
        return None

    def target_of(
        self, kpi_id: str, field: str, tier: str | None = None, period: str | None = None
    ) -> TargetChange | None:
        key = (kpi_id, field, tier, period)
        for change in self.targets:
            if change.key == key:
                return change
        return None

    def changed_kpis(self) -> frozenset[str]:
        """KPIs whose targets the scenario changes: the only ones whose scores move."""
        return frozenset(c.kpi_id for c in self.targets)

    # --- changing -----------------------------------------------------------------------

    def with_weight(self, item_id: str, weight: float) -> Scenario:
        if not math.isfinite(weight) or weight < 0:
            raise DesignError(item_id, f"weight {weight:g} must be a number of 0 or more")
        pairs = list(self.weights)
        for i, (iid, _old) in enumerate(pairs):
            if iid == item_id:
                pairs[i] = (item_id, float(weight))
                break
        else:
            pairs.append((item_id, float(weight)))
        return replace(self, weights=tuple(pairs))

    def without_weight(self, item_id: str) -> Scenario:
        return replace(self, weights=tuple(p for p in self.weights if p[0] != item_id))

    def with_target(
        self,
        kpi_id: str,
        field: str,
        value: float | None,
        tier: str | None = None,
        period: str | None = None,
    ) -> Scenario:
        if field not in TARGET_FIELDS:
            raise DesignError(field, "not a target field")
        if value is not None and not math.isfinite(value):
            raise DesignError(f"{kpi_id}.{field}", "a target must be a finite number")
        change = TargetChange(kpi_id, field, None if value is None else float(value), tier, period)
        changes = list(self.targets)
        for i, old in enumerate(changes):
            if old.key == change.key:
                changes[i] = change
                break
        else:
            changes.append(change)
        return replace(self, targets=tuple(changes))

    def without_target(
        self, kpi_id: str, field: str, tier: str | None = None, period: str | None = None
    ) -> Scenario:
        key = (kpi_id, field, tier, period)
        return replace(self, targets=tuple(c for c in self.targets if c.key != key))


def apply(card: Scorecard, scenario: Scenario) -> Scorecard:
    """The design as the scenario would make it; raises DesignError for an unknown item.

    Built from the same pure edits the editor uses, so "apply scenario" produces exactly the
    design the user would get by making each change by hand.
    """
    for item_id, weight in scenario.weights:
        card = set_weight(card, item_id, weight)
    for change in scenario.targets:
        _kpi(card, change.kpi_id)  # a DesignError naming the KPI, not a bare KeyError
        card = set_target_field(
            card, change.kpi_id, change.field, change.value, change.tier, change.period
        )
    return card


def design_weight(card: Scorecard, item_id: str) -> float:
    """The weight the design itself gives a perspective, objective or KPI."""
    for p in card.perspectives:
        if p.id == item_id:
            return p.weight
        for o in p.objectives:
            if o.id == item_id:
                return o.weight
    try:
        return card.kpi(item_id).weight
    except KeyError:
        raise DesignError(item_id, "no such item") from None


def design_target(
    card: Scorecard, kpi_id: str, field: str, tier: str | None = None, period: str | None = None
) -> float | None:
    """The value set exactly at (tier, period) in the design (not the inherited one)."""
    kpi = _kpi(card, kpi_id)
    if tier is None and period is None:
        values = kpi.targets.default
    else:
        override = kpi.targets.override_for(tier, period)
        if override is None:
            return None
        values = override.values
    value: float | None = getattr(values, field)
    return value


def prune(card: Scorecard, scenario: Scenario) -> Scenario:
    """Drop changes that no longer apply to ``card`` or that equal the design already.

    Run whenever the design changes under an open scenario (an undo, an edit in the
    editor): a deleted KPI must not make the scenario unusable, and a change the design
    has caught up with is no longer a change.
    """
    ids = all_ids(card)
    kpi_ids = {k.id for k in card.all_kpis()}
    tier_ids = set(card.tier_ids())
    weights = tuple(
        (iid, w) for iid, w in scenario.weights if iid in ids and design_weight(card, iid) != w
    )
    targets = tuple(
        c
        for c in scenario.targets
        if c.kpi_id in kpi_ids
        and (c.tier is None or c.tier in tier_ids)
        and design_target(card, c.kpi_id, c.field, c.tier, c.period) != c.value
    )
    return Scenario(weights, targets)


def describe(card: Scorecard, scenario: Scenario) -> list[str]:
    """One line per change, "Weight of Revenue: 3 → 5", for the scenario's change list.

    Targets read in their KPI's unit ("Target of Churn: 6% → 8%"), as everywhere else.
    """
    units = {k.id: unit_of(k) for k in card.all_kpis()}
    names = {p.id: p.name for p in card.perspectives}
    names |= {o.id: o.name for p in card.perspectives for o in p.objectives}
    names |= {k.id: k.name for k in card.all_kpis()}
    tiers = {t.id: t.name for t in card.tiers}
    lines = []
    for item_id, weight in scenario.weights:
        before = design_weight(card, item_id) if item_id in names else None
        lines.append(f"Weight of {names.get(item_id, item_id)}: {_num(before)} → {_num(weight)}")
    for c in scenario.targets:
        where = ", ".join(x for x in (tiers.get(c.tier or "", c.tier), c.period) if x)
        label = f"{c.field.replace('_', ' ').capitalize()} of {names.get(c.kpi_id, c.kpi_id)}"
        if where:
            label += f" ({where})"
        before = (
            design_target(card, c.kpi_id, c.field, c.tier, c.period) if c.kpi_id in names else None
        )
        unit = units.get(c.kpi_id, PLAIN)
        shown = [
            "unset" if v is None else format_value(v, unit, missing="unset")
            for v in (before, c.value)
        ]
        lines.append(f"{label}: {shown[0]} → {shown[1]}")
    return lines


def _kpi(card: Scorecard, kpi_id: str) -> Kpi:
    try:
        return card.kpi(kpi_id)
    except KeyError:
        raise DesignError(kpi_id, "no such KPI") from None


def _num(value: float | None) -> str:
    return "unset" if value is None else f"{value:g}"
