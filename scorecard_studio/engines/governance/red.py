"""Which KPIs are red, for how long, and what the trailing periods suggest.

"Red" follows the QBR summary: a KPI is red in a period when it is red in any tier (all
customers included). The period a freeze is checked for is the one its report will state:
the first period its label names, else the latest period with data.
"""

from __future__ import annotations

import math
from collections.abc import Collection

from scorecard_studio.domain.escalation import (
    TargetSuggestion,
    escalation_findings,
    suggest_targets,
    trend_statistics,
)
from scorecard_studio.domain.findings import Finding
from scorecard_studio.domain.governance import GovernanceView
from scorecard_studio.domain.model import STATUS_BY_CODE, Status
from scorecard_studio.engines.export.period_choice import default_period
from scorecard_studio.engines.scoring import ALL_TIERS_ID, ScoreResult, red_by_kpi

_RED = STATUS_BY_CODE.index(Status.RED)


def report_period_index(result: ScoreResult, label: str | None = None) -> int:
    """The period a report of this result states (``label``: a freeze label, if any)."""
    return result.period_index(default_period(result, label))


def red_kpis(result: ScoreResult, period: int) -> list[str]:
    """Ids of the KPIs red in any tier in period index ``period``, in tree order."""
    return [
        kpi.id
        for k, kpi in enumerate(result.kpis)
        if bool((result.status[k, :, period] == _RED).any())
    ]


def escalations(
    result: ScoreResult, view: GovernanceView, period: int, today: str
) -> list[Finding]:
    """Escalation findings of the result at ``period`` (spec section 7)."""
    return escalation_findings(
        red_by_kpi(result),
        {k.id: k.name for k in result.kpis},
        result.period_labels,
        period,
        view,
        today,
        result.card.settings.escalation_periods,
    )


def suggestions(
    result: ScoreResult,
    view: GovernanceView,
    period: int,
    window: int = 8,
    kpis: Collection[str] | None = None,
) -> list[TargetSuggestion]:
    """A suggested baseline and target per KPI and tier from the trailing periods,
    exceptional periods left out (shown beside the matrix; never applied by itself).

    ``kpis`` limits it to those KPI ids (the window asks for the selected KPI only)."""
    out: list[TargetSuggestion] = []
    for k, kpi in enumerate(result.kpis):
        if kpis is not None and kpi.id not in kpis:
            continue
        for t, tier in enumerate(result.tier_ids):
            tier_key = None if tier == ALL_TIERS_ID else tier
            values = [float(v) for v in result.actuals.value[k, t, :]]
            if all(math.isnan(v) for v in values[: period + 1]):
                continue
            stats = trend_statistics(
                result.period_labels,
                values,
                view.exceptional_periods(kpi.id, tier_key),
                end=period,
                window=window,
            )
            out.append(suggest_targets(kpi.id, tier, kpi.direction, stats))
    return out
