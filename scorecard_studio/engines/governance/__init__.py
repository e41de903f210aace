"""Governance over scored results: red KPIs, escalation, suggestions and impact of a change.

The rules live in ``domain.governance`` and ``domain.escalation``; this package applies
them to a :class:`~scorecard_studio.engines.scoring.ScoreResult`, and scores a proposed
design on the data of the versions it would replace (``impact``). It never touches the
store: the store's freeze and the CLI hand it designs, tables and governance views.
"""

from scorecard_studio.engines.governance.impact import Impact, ImpactRun, compare_results
from scorecard_studio.engines.governance.red import (
    escalations,
    red_kpis,
    report_period_index,
    suggestions,
)
from scorecard_studio.engines.scoring import red_by_kpi

__all__ = [
    "Impact",
    "ImpactRun",
    "compare_results",
    "escalations",
    "red_by_kpi",
    "red_kpis",
    "report_period_index",
    "suggestions",
]
