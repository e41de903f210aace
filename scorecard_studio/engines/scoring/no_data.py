"""Why a KPI has no data: the causes behind a "no data" cell, in the user's words.

A KPI bound to a source whose rows have no usable date falls in no period and shows "no
data" everywhere, while its findings list says nothing, because every finding about it
sits on the source (rows without a date, tier values that match no tier) or was never
made (no date column mapped at all). :func:`explain_no_data` gathers them for one KPI
from the design and the actuals: what the Properties form shows beside its findings.

The scorecard's periods are those of all its sources, so a KPI on a source whose data
starts in 2024 has no value in every period from 2019 on; that is said once ("no data
before 2024-Q1"), and only the gaps after the source's start are named period by period.
"""

from __future__ import annotations

import numpy as np

from scorecard_studio.domain.model import Aggregation, Scorecard
from scorecard_studio.engines.scoring.result import Actuals

#: Findings on a source that explain missing values of the KPIs reading it.
SOURCE_CAUSES = frozenset(
    {
        "row_without_date",
        "row_without_period",
        "unknown_tier_value",
        "no_tier_for_source",
        "row_without_tier",
    }
)


def explain_no_data(card: Scorecard, actuals: Actuals | None, kpi_id: str) -> list[str]:
    """The reasons the KPI has no value in some or all periods; empty when it has data."""
    kpi = card.kpi(kpi_id)
    m = kpi.measure
    if m.aggregation is Aggregation.FORMULA:
        return []
    if not m.source:
        return ["No data: the KPI reads no data source (choose one under Measure)"]
    try:
        source = card.source(m.source)
    except KeyError:
        return [f"No data: the data source {m.source!r} is not in the scorecard"]
    reasons: list[str] = []
    if not (source.date_column or source.period_column):
        reasons.append(
            f"No data: source “{source.name}” has no date or period column mapped, so its "
            "rows fall in no period (map one with Import… → Column roles)"
        )
    if actuals is None:
        return reasons or [f"No data yet: source “{source.name}” has not been imported"]
    reasons += [f.message for f in actuals.findings if f.item == kpi_id and f.code == "no_data"]
    reasons += [
        f.message for f in actuals.findings if f.item == source.id and f.code in SOURCE_CAUSES
    ]
    if not actuals.period_labels and not reasons:
        reasons.append(f"No data: no row of source “{source.name}” falls in a period")
    if kpi_id in actuals.kpi_ids and actuals.period_labels:
        values = actuals.value[actuals.kpi_ids.index(kpi_id)]  # (tiers + all, periods)
        empty = [p for p in range(len(actuals.period_labels)) if bool(np.isnan(values[:, p]).all())]
        if empty and len(empty) == len(actuals.period_labels) and not reasons:
            reasons.append(f"No data in any period: no row of “{source.name}” gives a value")
        elif empty:
            start = source_start(card, actuals, source.id)
            labels = actuals.period_labels
            if start is not None and start > 0 and empty[0] == 0:
                reasons.append(
                    f"No data before {labels[start]}: source “{source.name}” starts then"
                )
            gaps = [labels[p] for p in empty if start is None or p >= start]
            if gaps:
                shown = ", ".join(gaps[:4]) + ("…" if len(gaps) > 4 else "")
                reasons.append(f"No value in {shown}: no row of “{source.name}” gives one there")
    return reasons


def source_start(card: Scorecard, actuals: Actuals, source_id: str) -> int | None:
    """The first period in which any KPI reading the source has a value, None if none has."""
    indices = [
        actuals.kpi_ids.index(kpi.id)
        for kpi in card.all_kpis()
        if kpi.measure.source == source_id
        and kpi.measure.aggregation is not Aggregation.FORMULA
        and kpi.id in actuals.kpi_ids
    ]
    if not indices:
        return None
    filled = np.flatnonzero(~np.isnan(actuals.value[indices]).all(axis=(0, 1)))
    return int(filled[0]) if filled.size else None
