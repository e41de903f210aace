"""Retiring a KPI: it leaves the design with a reason, and its past stays readable.

Deleting a KPI that was reported for years loses the story of why it went; a review board
wants "retired: replaced by net revenue retention", not "removed". A retired KPI is taken
out of its perspective or objective (so it is no longer scored, weighted or checked) and
kept in ``Scorecard.retired`` with the reason, the date and where it sat. Older versions
still hold it as an active KPI, so their reports are unchanged; the version diff says
"retired" with the reason (``design_diff``); and :func:`with_retired_shown` puts retired
KPIs back, weightless and labelled, so a trend can still draw their past values.

Pure: dates are given by the caller.
"""

from __future__ import annotations

from dataclasses import replace

from scorecard_studio.domain.edits import locate_kpi, remove_item
from scorecard_studio.domain.errors import DesignError
from scorecard_studio.domain.formula import parse_formula, references
from scorecard_studio.domain.model import Kpi, Objective, Perspective, RetiredKpi, Scorecard

#: What a retired KPI is called where it is shown beside the active ones.
RETIRED_SUFFIX = " (retired)"
#: Id of the weightless perspective that holds retired KPIs whose own place is gone.
RETIRED_GROUP = "retired_kpis"
MAX_REASON = 2_000


def retire_kpi(card: Scorecard, kpi_id: str, reason: str, on: str = "") -> Scorecard:
    """The design without KPI ``kpi_id``, which is kept in ``retired`` with ``reason``.

    Refused (DesignError) without a reason, for a KPI that is not in the design, and for one
    another KPI's formula still uses (its formula would lose a reference: change it first).
    """
    reason = reason.strip()
    if not reason:
        raise DesignError(kpi_id, "retiring a KPI needs a reason (e.g. 'replaced by NRR')")
    if len(reason) > MAX_REASON:
        raise DesignError(kpi_id, f"the reason is at most {MAX_REASON:,} characters")
    try:
        pi, oi, _ki = locate_kpi(card, kpi_id)
    except DesignError:
        raise DesignError(kpi_id, f"no KPI {kpi_id!r} in the design to retire") from None
    users = [k.name for k in card.all_kpis() if k.id != kpi_id and kpi_id in _formula_refs(k)]
    if users:
        raise DesignError(
            kpi_id,
            f"{', '.join(users)} use{'s' if len(users) == 1 else ''} it in a formula: "
            "change the formula before retiring it",
        )
    perspective = card.perspectives[pi]
    retired = RetiredKpi(
        kpi=card.kpi(kpi_id),
        reason=reason,
        retired_on=on,
        perspective=perspective.id,
        objective="" if oi is None else perspective.objectives[oi].id,
    )
    kept = tuple(r for r in card.retired if r.kpi.id != kpi_id)
    return replace(remove_item(card, kpi_id), retired=(*kept, retired))


def retired_by_id(card: Scorecard) -> dict[str, RetiredKpi]:
    """The design's retired KPIs by id (a later retirement of the same id wins)."""
    return {r.kpi.id: r for r in card.retired}


def with_retired_shown(card: Scorecard) -> Scorecard:
    """The design with its retired KPIs back in place, weight 0, named "… (retired)", their
    description the retirement note ("Retired on 2026-10-01: replaced by NRR").

    For trends and history views only: a weight of 0 leaves every roll-up, its coverage and
    the headline exactly as they are, while the KPI's actuals, scores and statuses are
    computed on the same data. A retired KPI whose perspective or objective is gone (or
    whose id is taken again by an active KPI) goes into a weightless "Retired KPIs"
    perspective at the end; one whose id is reused is left out.
    """
    if not card.retired:
        return card
    active = {k.id for k in card.all_kpis()}
    perspectives = list(card.perspectives)
    leftovers: list[Kpi] = []
    for r in card.retired:
        if r.kpi.id in active:
            continue
        active.add(r.kpi.id)
        note = f"Retired{f' on {r.retired_on}' if r.retired_on else ''}: {r.reason}"
        shown = replace(r.kpi, name=r.kpi.name + RETIRED_SUFFIX, weight=0.0, description=note)
        if not _place(perspectives, r, shown):
            leftovers.append(shown)
    if leftovers:
        perspectives.append(
            Perspective(RETIRED_GROUP, "Retired KPIs", weight=0.0, kpis=tuple(leftovers))
        )
    return replace(card, perspectives=tuple(perspectives), retired=())


def _place(perspectives: list[Perspective], r: RetiredKpi, shown: Kpi) -> bool:
    for i, p in enumerate(perspectives):
        if p.id != r.perspective:
            continue
        if not r.objective:
            perspectives[i] = replace(p, kpis=(*p.kpis, shown))
            return True
        objectives: list[Objective] = list(p.objectives)
        for j, o in enumerate(objectives):
            if o.id == r.objective:
                objectives[j] = replace(o, kpis=(*o.kpis, shown))
                perspectives[i] = replace(p, objectives=tuple(objectives))
                return True
    return False


def _formula_refs(kpi: Kpi) -> set[str]:
    text = kpi.measure.formula
    if not text:
        return set()
    try:
        return references(parse_formula(text))
    except DesignError:
        return set()
