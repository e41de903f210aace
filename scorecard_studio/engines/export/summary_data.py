"""What the summary pages say, as data: red KPIs, top movers, the leading/lagging dashboard.

The Excel Summary sheet (:mod:`.summary_sheet`) and the PDF briefing
(:mod:`scorecard_studio.qt.report_pdf`) both show which KPIs moved most since the previous
period and each tier's leading and lagging indicators against target. They are chosen and
computed once, here, so the two reports can never disagree on a mover or a KPI shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from scorecard_studio.domain.model import STATUS_BY_CODE, IndicatorType, Kpi, Status
from scorecard_studio.domain.units import format_value, unit_of
from scorecard_studio.engines.export.context import ReportContext

TOP_MOVERS = 5
DASHBOARD_KPIS = 4  # per tier and side; the Tier matrix sheet has them all


def red_kpis(ctx: ReportContext) -> list[tuple[int, str]]:
    """(KPI index, the tiers it is red in, by name) of every KPI red in a tier this period."""
    r, p = ctx.result, ctx.period_index
    red_code = STATUS_BY_CODE.index(Status.RED)
    tiers = ctx.tiers()
    return [
        (k, ", ".join(name for t, _, name in tiers if r.status[k, t, p] == red_code))
        for k in range(len(r.kpis))
        if (r.status[k, :, p] == red_code).any()
    ]


def signed_change(change: float, kpi: Kpi) -> str:
    """A change in the KPI's own unit with its sign: "+1.2 pp", "−$3,400", "" if unknown.

    A change of a percentage is in percentage points: 15.0% to 7.4% is −7.6 pp, not −7.6%.
    """
    if math.isnan(change):
        return ""
    unit = unit_of(kpi)
    sign = "+" if change > 0 else "−" if change < 0 else ""
    if unit.is_percent:
        decimals = 1 if unit.decimals is None else unit.decimals
        return f"{sign}{abs(change) * 100:.{decimals}f} pp"
    return sign + format_value(abs(change), unit)


@dataclass(frozen=True, slots=True)
class Mover:
    """One KPI whose score (all customers) moved since the previous period."""

    kpi: Kpi
    previous: float
    actual: float
    change: str  # the actual's change in the KPI's unit, signed
    previous_score: float
    score: float
    score_change: float
    status: str


def top_movers(ctx: ReportContext) -> list[Mover] | None:
    """The KPIs whose score moved most, largest move first; None without an earlier period."""
    r = ctx.result
    p, prev = ctx.period_index, ctx.previous_index
    if prev is None:
        return None
    all_t = len(r.tier_ids) - 1
    delta = r.score[:, all_t, p] - r.score[:, all_t, prev]
    order = [int(k) for k in np.argsort(-np.abs(np.nan_to_num(delta, nan=-1.0)), kind="stable")]
    chosen = [k for k in order if not math.isnan(delta[k]) and delta[k] != 0][:TOP_MOVERS]
    movers = []
    for k in chosen:
        kpi = r.kpis[k]
        before, now = float(r.actuals.value[k, all_t, prev]), float(r.actuals.value[k, all_t, p])
        movers.append(
            Mover(
                kpi,
                before,
                now,
                signed_change(now - before, kpi),
                float(r.score[k, all_t, prev]),
                float(r.score[k, all_t, p]),
                float(delta[k]),
                STATUS_BY_CODE[int(r.status[k, all_t, p])].value,
            )
        )
    return movers


@dataclass(frozen=True, slots=True)
class Indicator:
    """A KPI's actual against its target in one tier."""

    kpi: Kpi
    actual: float
    target: float
    status: str


@dataclass(frozen=True, slots=True)
class TierIndicators:
    tier: str
    leading: list[Indicator]
    lagging: list[Indicator]


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Per tier, the leading and lagging KPIs with the largest share of the headline."""

    tiers: list[TierIndicators]
    hidden: int  # indicators left out (more than DASHBOARD_KPIS of a kind)
    any_marked: bool  # whether any KPI is leading or lagging at all

    @property
    def depth(self) -> int:
        """Rows a tier's block needs: the longer of its two sides."""
        return max((max(len(t.leading), len(t.lagging)) for t in self.tiers), default=0)


def dashboard(ctx: ReportContext) -> Dashboard:
    r = ctx.result
    p = ctx.period_index
    order = [int(k) for k in np.argsort(-r.effective_share, kind="stable")]
    leading = [k for k in order if r.kpis[k].indicator is IndicatorType.LEADING]
    lagging = [k for k in order if r.kpis[k].indicator is IndicatorType.LAGGING]
    shown_lead, shown_lag = leading[:DASHBOARD_KPIS], lagging[:DASHBOARD_KPIS]

    def side(kpis: list[int], t: int) -> list[Indicator]:
        return [
            Indicator(
                r.kpis[k],
                float(r.actuals.value[k, t, p]),
                float(r.targets.target[k, t, p]),
                STATUS_BY_CODE[int(r.status[k, t, p])].value,
            )
            for k in kpis
        ]

    tiers = [
        TierIndicators(name, side(shown_lead, t), side(shown_lag, t)) for t, _, name in ctx.tiers()
    ]
    hidden = len(leading) - len(shown_lead) + len(lagging) - len(shown_lag)
    return Dashboard(tiers, hidden, bool(leading or lagging))
