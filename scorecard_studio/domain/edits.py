"""Pure edits of a scorecard design: each takes a ``Scorecard`` and returns a new one.

The window's undo commands are thin wrappers around these: because designs are immutable
values, the inverse of any edit is simply the design before it, so no edit needs a
hand-written inverse that could drift from it. Every function raises ``DesignError`` for an
edit that cannot apply (unknown id, moving a perspective into itself...), never a bare
``KeyError``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from scorecard_studio.domain.errors import DesignError
from scorecard_studio.domain.model import (
    TARGET_FIELDS,
    Aggregation,
    Kpi,
    Measure,
    Objective,
    Perspective,
    Scorecard,
    TargetOverride,
    TargetSet,
    TargetValues,
)

# --- lookups ------------------------------------------------------------------------------


def locate_kpi(card: Scorecard, kpi_id: str) -> tuple[int, int | None, int]:
    """(perspective index, objective index or None, position) of a KPI."""
    for pi, p in enumerate(card.perspectives):
        for ki, k in enumerate(p.kpis):
            if k.id == kpi_id:
                return pi, None, ki
        for oi, o in enumerate(p.objectives):
            for ki, k in enumerate(o.kpis):
                if k.id == kpi_id:
                    return pi, oi, ki
    raise DesignError(kpi_id, "no such KPI")


def locate_objective(card: Scorecard, objective_id: str) -> tuple[int, int]:
    for pi, p in enumerate(card.perspectives):
        for oi, o in enumerate(p.objectives):
            if o.id == objective_id:
                return pi, oi
    raise DesignError(objective_id, "no such objective")


def locate_perspective(card: Scorecard, perspective_id: str) -> int:
    for pi, p in enumerate(card.perspectives):
        if p.id == perspective_id:
            return pi
    raise DesignError(perspective_id, "no such perspective")


def all_ids(card: Scorecard) -> set[str]:
    ids = {p.id for p in card.perspectives}
    ids |= {o.id for p in card.perspectives for o in p.objectives}
    ids |= {k.id for k in card.all_kpis()}
    return ids


#: The kinds of tree items as messages name them.
KIND_WORDS = {"perspective": "perspective", "objective": "objective", "kpi": "KPI"}


def item_kind_and_name(card: Scorecard, item_id: str) -> tuple[str, str]:
    """("perspective" | "objective" | "kpi", name) of an item of the tree."""
    for p in card.perspectives:
        if p.id == item_id:
            return "perspective", p.name
        for o in p.objectives:
            if o.id == item_id:
                return "objective", o.name
    for k in card.all_kpis():
        if k.id == item_id:
            return "kpi", k.name
    raise DesignError(item_id, "no such item")


def item_label(card: Scorecard, item_id: str) -> str:
    """An item as a message names it: kind in words, then name (``KPI 'Net revenue'``).

    Ids are internal (generated from the first name and kept across renames), so users
    are never shown them.
    """
    kind, name = item_kind_and_name(card, item_id)
    return f"{KIND_WORDS[kind]} '{name}'"


def new_id(name: str, taken: Iterable[str]) -> str:
    """A readable, unique identifier from a name: ``"Net Revenue %"`` -> ``net_revenue``."""
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "item"
    if base[0].isdigit():
        base = f"k_{base}"
    used = set(taken)
    candidate, n = base, 2
    while candidate in used:
        candidate = f"{base}_{n}"
        n += 1
    return candidate


# --- replacing items in the tree ------------------------------------------------------


def _set_perspective(card: Scorecard, pi: int, perspective: Perspective) -> Scorecard:
    items = list(card.perspectives)
    items[pi] = perspective
    return replace(card, perspectives=tuple(items))


def _map_kpi(card: Scorecard, kpi_id: str, change: Callable[[Kpi], Kpi]) -> Scorecard:
    pi, oi, ki = locate_kpi(card, kpi_id)
    p = card.perspectives[pi]
    if oi is None:
        kpis = list(p.kpis)
        kpis[ki] = change(kpis[ki])
        return _set_perspective(card, pi, replace(p, kpis=tuple(kpis)))
    objectives = list(p.objectives)
    o = objectives[oi]
    kpis = list(o.kpis)
    kpis[ki] = change(kpis[ki])
    objectives[oi] = replace(o, kpis=tuple(kpis))
    return _set_perspective(card, pi, replace(p, objectives=tuple(objectives)))


def replace_kpi(card: Scorecard, kpi: Kpi, kpi_id: str | None = None) -> Scorecard:
    """Put ``kpi`` where the KPI ``kpi_id`` (default: ``kpi.id``) is."""
    return _map_kpi(card, kpi_id or kpi.id, lambda _old: kpi)


def replace_objective(
    card: Scorecard, objective: Objective, objective_id: str | None = None
) -> Scorecard:
    pi, oi = locate_objective(card, objective_id or objective.id)
    p = card.perspectives[pi]
    objectives = list(p.objectives)
    objectives[oi] = objective
    return _set_perspective(card, pi, replace(p, objectives=tuple(objectives)))


def replace_perspective(
    card: Scorecard, perspective: Perspective, perspective_id: str | None = None
) -> Scorecard:
    return _set_perspective(
        card, locate_perspective(card, perspective_id or perspective.id), perspective
    )


# --- adding and removing ----------------------------------------------------------------


def add_perspective(card: Scorecard, name: str, weight: float = 1.0) -> tuple[Scorecard, str]:
    pid = new_id(name, all_ids(card))
    return replace(card, perspectives=(*card.perspectives, Perspective(pid, name, weight))), pid


def add_objective(card: Scorecard, perspective_id: str, name: str) -> tuple[Scorecard, str]:
    pi = locate_perspective(card, perspective_id)
    oid = new_id(name, all_ids(card))
    p = card.perspectives[pi]
    updated = replace(p, objectives=(*p.objectives, Objective(oid, name)))
    return _set_perspective(card, pi, updated), oid


def add_kpi(
    card: Scorecard,
    parent_id: str,
    name: str,
    measure: Measure | None = None,
    index: int | None = None,
) -> tuple[Scorecard, str]:
    """Add a KPI to a perspective or an objective (by id); returns the card and the KPI id.

    The id skips retired KPIs' ids too: a new KPI never takes over a retired one's history."""
    kid = new_id(name, all_ids(card) | {r.kpi.id for r in card.retired})
    kpi = Kpi(kid, name, measure or Measure(Aggregation.SUM))
    return insert_kpi(card, kpi, parent_id, index), kid


def insert_kpi(card: Scorecard, kpi: Kpi, parent_id: str, index: int | None = None) -> Scorecard:
    for pi, p in enumerate(card.perspectives):
        if p.id == parent_id:
            kpis = list(p.kpis)
            kpis.insert(len(kpis) if index is None else index, kpi)
            return _set_perspective(card, pi, replace(p, kpis=tuple(kpis)))
        for o in p.objectives:
            if o.id == parent_id:
                kpis = list(o.kpis)
                kpis.insert(len(kpis) if index is None else index, kpi)
                return replace_objective(card, replace(o, kpis=tuple(kpis)))
    raise DesignError(parent_id, "no such perspective or objective")


def remove_item(card: Scorecard, item_id: str) -> Scorecard:
    """Remove a perspective, objective or KPI (with everything under it), and what reads it.

    A strategy-map link with an end that is gone, an at-risk rule reading a KPI that is
    gone, or an account value taken from it would only be reported as pointing at an
    unknown item, so they go in the same edit (an undo brings the design back whole).
    """
    before = all_ids(card)
    card = _take_out(card, item_id)
    gone = before - all_ids(card)
    a = card.analytics
    links = tuple(k for k in a.links if k.cause not in gone and k.effect not in gone)
    rules = tuple(r for r in a.risk_rules if r.kpi not in gone)
    value = replace(a.value, kpi=None) if a.value.kpi in gone else a.value
    if (links, rules, value) == (a.links, a.risk_rules, a.value):
        return card
    return replace(card, analytics=replace(a, links=links, risk_rules=rules, value=value))


def _take_out(card: Scorecard, item_id: str) -> Scorecard:
    """The tree without the item and what is under it; links untouched (a move re-inserts)."""
    for pi, p in enumerate(card.perspectives):
        if p.id == item_id:
            return replace(card, perspectives=card.perspectives[:pi] + card.perspectives[pi + 1 :])
        for oi, o in enumerate(p.objectives):
            if o.id == item_id:
                rest = p.objectives[:oi] + p.objectives[oi + 1 :]
                return _set_perspective(card, pi, replace(p, objectives=rest))
    kpi_pi, kpi_oi, ki = locate_kpi(card, item_id)
    p = card.perspectives[kpi_pi]
    if kpi_oi is None:
        return _set_perspective(card, kpi_pi, replace(p, kpis=p.kpis[:ki] + p.kpis[ki + 1 :]))
    o = p.objectives[kpi_oi]
    return replace_objective(card, replace(o, kpis=o.kpis[:ki] + o.kpis[ki + 1 :]))


# --- moving -----------------------------------------------------------------------------


def move_perspective(card: Scorecard, perspective_id: str, index: int) -> Scorecard:
    """Reorder: the perspective ends up at ``index`` of the new order."""
    pi = locate_perspective(card, perspective_id)
    items = list(card.perspectives)
    item = items.pop(pi)
    items.insert(max(0, min(index, len(items))), item)
    return replace(card, perspectives=tuple(items))


def move_objective(
    card: Scorecard, objective_id: str, perspective_id: str, index: int | None = None
) -> Scorecard:
    pi, oi = locate_objective(card, objective_id)
    objective = card.perspectives[pi].objectives[oi]
    card = _take_out(card, objective_id)
    ti = locate_perspective(card, perspective_id)
    target = card.perspectives[ti]
    objectives = list(target.objectives)
    objectives.insert(
        len(objectives) if index is None else max(0, min(index, len(objectives))), objective
    )
    return _set_perspective(card, ti, replace(target, objectives=tuple(objectives)))


def move_kpi(card: Scorecard, kpi_id: str, parent_id: str, index: int | None = None) -> Scorecard:
    """Move a KPI into a perspective or objective, at ``index`` among its new siblings."""
    pi, oi, ki = locate_kpi(card, kpi_id)
    source = card.perspectives[pi]
    kpi = source.kpis[ki] if oi is None else source.objectives[oi].kpis[ki]
    same_parent = parent_id == (source.id if oi is None else source.objectives[oi].id)
    if same_parent and index is not None and index > ki:
        index -= 1  # the KPI's own slot disappears before it is inserted again
    return insert_kpi(_take_out(card, kpi_id), kpi, parent_id, index)


# --- weights and targets ---------------------------------------------------------------


def set_weight(card: Scorecard, item_id: str, weight: float) -> Scorecard:
    if weight < 0:
        raise DesignError(item_label(card, item_id), f"a weight cannot be negative ({weight:g})")
    for p in card.perspectives:
        if p.id == item_id:
            return replace_perspective(card, replace(p, weight=weight))
        for o in p.objectives:
            if o.id == item_id:
                return replace_objective(card, replace(o, weight=weight))
    return _map_kpi(card, item_id, lambda k: replace(k, weight=weight))


def sibling_ids(card: Scorecard, item_id: str) -> list[str]:
    """The ids that share a parent with ``item_id`` (itself included), in order."""
    if any(p.id == item_id for p in card.perspectives):
        return [p.id for p in card.perspectives]
    for p in card.perspectives:
        ids = [o.id for o in p.objectives] + [k.id for k in p.kpis]
        if item_id in ids:
            return ids
        for o in p.objectives:
            if item_id in [k.id for k in o.kpis]:
                return [k.id for k in o.kpis]
    raise DesignError(item_id, "no such item")


def balance_siblings(card: Scorecard, item_id: str) -> Scorecard:
    """Give ``item_id`` and its siblings equal weights (1 each)."""
    for sid in sibling_ids(card, item_id):
        card = set_weight(card, sid, 1.0)
    return card


def set_targets(
    card: Scorecard,
    kpi_id: str,
    values: TargetValues,
    tier: str | None = None,
    period: str | None = None,
) -> Scorecard:
    """Set the default targets (no tier, no period) or the override for (tier, period).

    An override equal to nothing (every field unset) is removed, so clearing a cell of the
    targets matrix goes back to the inherited value.
    """

    def change(kpi: Kpi) -> Kpi:
        if tier is None and period is None:
            return replace(kpi, targets=replace(kpi.targets, default=values))
        kept = tuple(o for o in kpi.targets.overrides if (o.tier, o.period) != (tier, period))
        if not values.is_empty():
            kept = (*kept, TargetOverride(values, tier, period))
        return replace(kpi, targets=TargetSet(kpi.targets.default, kept))

    return _map_kpi(card, kpi_id, change)


def set_target_field(
    card: Scorecard,
    kpi_id: str,
    field_name: str,
    value: float | None,
    tier: str | None = None,
    period: str | None = None,
) -> Scorecard:
    """Change one field of the targets set exactly at (tier, period); others unchanged."""
    if field_name not in TARGET_FIELDS:
        raise DesignError(field_name, "not a target field")
    kpi = card.kpi(kpi_id)
    if tier is None and period is None:
        current = kpi.targets.default
    else:
        override = kpi.targets.override_for(tier, period)
        current = override.values if override else TargetValues()
    return set_targets(card, kpi_id, replace(current, **{field_name: value}), tier, period)


# --- keyboard equivalents of drags and field edits ---------------------------------------


def shift_item(card: Scorecard, item_id: str, delta: int) -> Scorecard:
    """Move an item ``delta`` places among the siblings of its own kind (Move up/down).

    The keyboard and menu equivalent of reordering by drag: a perspective among the
    perspectives, an objective among its perspective's objectives, a KPI among the KPIs of
    its parent. Moving past either end leaves the design unchanged.
    """
    for pi, p in enumerate(card.perspectives):
        if p.id == item_id:
            return move_perspective(card, item_id, max(0, pi + delta))
        for oi, o in enumerate(p.objectives):
            if o.id == item_id:
                return move_objective(card, item_id, p.id, max(0, oi + delta))
    kpi_pi, kpi_oi, ki = locate_kpi(card, item_id)
    parent = card.perspectives[kpi_pi]
    parent_id = parent.id if kpi_oi is None else parent.objectives[kpi_oi].id
    count = len(parent.kpis) if kpi_oi is None else len(parent.objectives[kpi_oi].kpis)
    target = max(0, min(ki + delta, count - 1))
    if target == ki:
        return card
    # move_kpi's index counts the KPI's own slot when moving down within one parent.
    return move_kpi(card, item_id, parent_id, target + 1 if target > ki else target)


def update_kpi(card: Scorecard, kpi_id: str, **changes: Any) -> Scorecard:
    """Change fields of one KPI (the Properties panel's edits)."""
    return _map_kpi(card, kpi_id, lambda k: replace(k, **changes))


def update_measure(card: Scorecard, kpi_id: str, **changes: Any) -> Scorecard:
    """Change fields of one KPI's measure (aggregation, source, columns...)."""
    return _map_kpi(card, kpi_id, lambda k: replace(k, measure=replace(k.measure, **changes)))


def update_group(card: Scorecard, item_id: str, **changes: Any) -> Scorecard:
    """Change fields (name, description, weight) of a perspective or an objective."""
    for p in card.perspectives:
        if p.id == item_id:
            return replace_perspective(card, replace(p, **changes))
        for o in p.objectives:
            if o.id == item_id:
                return replace_objective(card, replace(o, **changes))
    raise DesignError(item_id, "no such perspective or objective")
