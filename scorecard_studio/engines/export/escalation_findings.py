"""The escalation findings a report lists: red KPIs with no open action, overdue actions.

The rule is the domain's (``domain/escalation.py``, spec section 7), applied at the period
the report states. Overdue actions are judged on the day the governance was read as of:
a frozen version's freeze date, so re-exporting it gives the same findings any day after;
otherwise the day the report is made.
"""

from __future__ import annotations

from datetime import datetime

from scorecard_studio.domain.escalation import escalation_findings
from scorecard_studio.domain.findings import Finding
from scorecard_studio.domain.governance import GovernanceView
from scorecard_studio.engines.scoring import ScoreResult, red_by_kpi


def report_escalations(
    result: ScoreResult, period: int, governance: GovernanceView | None, now: datetime
) -> list[Finding]:
    """Escalation findings at period index ``period`` (none without stored governance)."""
    if governance is None:
        return []
    today = governance.as_of[:10] if governance.as_of else now.date().isoformat()
    return escalation_findings(
        red_by_kpi(result),
        {k.id: k.name for k in result.kpis},
        result.period_labels,
        period,
        governance,
        today,
        result.card.settings.escalation_periods,
    )
