"""Escalation findings and trend statistics that leave exceptional periods out.

Escalation (specification section 7): a KPI red for N consecutive periods ending at the
reporting period (N = the scorecard's ``escalation_periods``, default 2) with no open
action linked to it is a finding; so is an open action past its due date. A KPI counts as
red in a period when it is red in any tier, the same rule the QBR summary lists red KPIs by.

Trend statistics and baseline suggestions are computed over the trailing periods with the
exceptional ones left out, so a one-off contract or a market disruption neither drags a
suggested baseline nor bends a trend line.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import median

from scorecard_studio.domain.findings import Finding, Severity
from scorecard_studio.domain.governance import GovernanceView
from scorecard_studio.domain.model import Direction

#: How many trailing periods a suggestion looks at by default.
SUGGESTION_PERIODS = 8


def red_streak(red: Sequence[bool], end: int) -> int:
    """How many consecutive periods up to and including ``end`` are red."""
    count = 0
    for p in range(end, -1, -1):
        if not red[p]:
            break
        count += 1
    return count


def escalation_findings(
    red_by_kpi: Mapping[str, Sequence[bool]],
    kpi_names: Mapping[str, str],
    periods: Sequence[str],
    end: int,
    view: GovernanceView,
    today: str,
    escalation_periods: int = 2,
) -> list[Finding]:
    """Escalation findings at period index ``end`` (``today`` an ISO date, for due dates)."""
    findings: list[Finding] = []
    for kpi, red in red_by_kpi.items():
        streak = red_streak(red, end)
        if streak >= escalation_periods and not view.actions_for(kpi, open_only=True):
            first = periods[end - streak + 1]
            findings.append(
                Finding(
                    Severity.WARNING,
                    "escalation_red_no_action",
                    kpi,
                    f"{kpi_names.get(kpi, kpi)} has been red for {streak} consecutive periods "
                    f"({first} to {periods[end]}) with no open action",
                )
            )
    for action in view.actions:
        if action.is_overdue(today):
            linked = ", ".join(kpi_names.get(k, k) for k in action.kpis)
            findings.append(
                Finding(
                    Severity.WARNING,
                    "escalation_overdue_action",
                    action.id,
                    f"action {action.id} {action.title!r} ({action.owner or 'no owner'})"
                    f"{f' on {linked}' if linked else ''} was due {action.due} and is still open",
                )
            )
    return findings


@dataclass(frozen=True, slots=True)
class TrendStatistics:
    """Statistics of a KPI's values over trailing periods, exceptional periods left out."""

    periods: tuple[str, ...]  # the periods used
    excluded: tuple[str, ...]  # exceptional periods left out
    median: float | None
    mean: float | None
    slope: float | None  # least-squares change per period, by position in the window

    def to_json_dict(self) -> dict[str, object]:
        return {
            "periods": list(self.periods),
            "excluded": list(self.excluded),
            "median": self.median,
            "mean": self.mean,
            "slope": self.slope,
        }


def trend_statistics(
    labels: Sequence[str],
    values: Sequence[float],
    exceptional: frozenset[str] = frozenset(),
    *,
    end: int | None = None,
    window: int = SUGGESTION_PERIODS,
) -> TrendStatistics:
    """Median, mean and slope of the ``window`` periods ending at ``end`` (default: last).

    A period without a value (NaN) and an exceptional period are left out; the slope keeps
    each value at its period's position, so a gap does not compress time.
    """
    last = len(labels) - 1 if end is None else end
    first = max(0, last - window + 1)
    points: list[tuple[int, float]] = []
    used: list[str] = []
    excluded: list[str] = []
    for p in range(first, last + 1):
        v = float(values[p])
        if labels[p] in exceptional:
            if not math.isnan(v):
                excluded.append(labels[p])
            continue
        if math.isnan(v):
            continue
        points.append((p, v))
        used.append(labels[p])
    if not points:
        return TrendStatistics(tuple(used), tuple(excluded), None, None, None)
    ys = [v for _, v in points]
    return TrendStatistics(
        tuple(used),
        tuple(excluded),
        float(median(ys)),
        sum(ys) / len(ys),
        _slope(points),
    )


def _slope(points: Sequence[tuple[int, float]]) -> float | None:
    if len(points) < 2:
        return None
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    sxy = sum((x - mx) * (y - my) for x, y in points)
    return sxy / sxx if sxx else None


@dataclass(frozen=True, slots=True)
class TargetSuggestion:
    """A suggested baseline and target for one KPI and tier; never applied by itself."""

    kpi: str
    tier: str
    baseline: float | None
    target: float | None
    basis: TrendStatistics
    note: str

    def to_json_dict(self) -> dict[str, object]:
        return {
            "kpi": self.kpi,
            "tier": self.tier,
            "baseline": self.baseline,
            "target": self.target,
            "note": self.note,
            **{f"basis_{k}": v for k, v in self.basis.to_json_dict().items()},
        }


def suggest_targets(
    kpi: str,
    tier: str,
    direction: Direction,
    stats: TrendStatistics,
) -> TargetSuggestion:
    """Baseline = the median of the trailing periods; target = one period of the trend ahead
    of the baseline when the trend improves, else the best trailing value."""
    if stats.median is None:
        return TargetSuggestion(kpi, tier, None, None, stats, "no values to suggest from")
    baseline = stats.median
    better = 1.0 if direction is Direction.HIGHER else -1.0
    slope = stats.slope or 0.0
    if slope * better > 0:
        # the trend line at the median's position, one step beyond the last period used
        steps = (len(stats.periods) + 1) / 2
        target = baseline + slope * steps
        note = "median and trend of the trailing periods"
    else:
        target = baseline + abs(baseline) * 0.05 * better if baseline else baseline
        note = "no improving trend: median plus 5 %"
    if stats.excluded:
        note += f"; {len(stats.excluded)} exceptional period(s) left out"
    return TargetSuggestion(kpi, tier, baseline, target, stats, note)
