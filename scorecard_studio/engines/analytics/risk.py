"""At-risk accounts: the design's rules over each account's values, ranked by value at risk.

A rule holds for an account at period t (specification section 6); an account is at risk
when any rule holds, and each rule that holds is one of its reasons, with the values that
made it hold. The list is ranked by value at risk (ARR or CLV), largest first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from scorecard_studio.domain.analytics import RiskRule, RuleKind
from scorecard_studio.engines.analytics.calibration import next_outcome, outcome_grid
from scorecard_studio.engines.analytics.panel import CustomerPanel

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Reason:
    """One rule that holds, with the values it compared."""

    rule: str
    name: str
    value: float  # the value at t
    earlier: float  # the value it was compared with (NaN for a level rule)
    text: str


@dataclass(frozen=True, slots=True)
class AtRiskAccount:
    key: str
    tier: str  # tier id, or "" when unknown
    health: float
    band: int
    value_at_risk: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class CatchRate:
    """How many of the accounts that churned within h periods had been flagged beforehand."""

    churned: int
    caught: int
    flagged: int  # (account, period) flags over the same periods
    flagged_churned: int  # of which the account churned within h

    @property
    def share(self) -> float:
        return self.caught / self.churned if self.churned else math.nan

    @property
    def precision(self) -> float:
        return self.flagged_churned / self.flagged if self.flagged else math.nan


def rule_series(panel: CustomerPanel, rule: RiskRule) -> FloatArray | None:
    """The (C, P) values a rule reads: a KPI's per-account value, or health."""
    if rule.kpi is None:
        return panel.health
    return panel.series(rule.kpi) if rule.kpi in panel.kpi_ids else None


def rule_holds(panel: CustomerPanel, rule: RiskRule) -> tuple[BoolArray, FloatArray]:
    """(C, P) where the rule holds, and the earlier value it compared with (NaN if none)."""
    x = rule_series(panel, rule)
    shape = panel.health.shape
    earlier = np.full(shape, np.nan)
    if x is None:
        return np.zeros(shape, dtype=bool), earlier
    lag = rule.periods if rule.kind in (RuleKind.FALL, RuleKind.RISE) else 1
    if rule.kind not in (RuleKind.BELOW, RuleKind.ABOVE) and 0 < lag < shape[1]:
        earlier[:, lag:] = x[:, :-lag]
    t = rule.threshold
    with np.errstate(invalid="ignore", divide="ignore"):
        if rule.kind is RuleKind.BELOW:
            holds = x < t
        elif rule.kind is RuleKind.ABOVE:
            holds = x > t
        elif rule.kind is RuleKind.CROSS_BELOW:
            holds = (earlier >= t) & (x < t)
        elif rule.kind is RuleKind.CROSS_ABOVE:
            holds = (earlier <= t) & (x > t)
        else:
            change = x - earlier if rule.kind is RuleKind.RISE else earlier - x
            if rule.relative:
                change = np.where(earlier != 0, change / np.abs(earlier), np.nan)
            holds = change >= t
        if rule.minimum_value is not None:
            holds &= panel.account_value >= rule.minimum_value
    out: BoolArray = holds & np.isfinite(x)
    return out, earlier


def flags(panel: CustomerPanel) -> BoolArray:
    """(C, P): any rule holds for an active account."""
    out = np.zeros(panel.health.shape, dtype=bool)
    for rule in panel.card.analytics.risk_rules:
        out |= rule_holds(panel, rule)[0]
    result: BoolArray = out & panel.active()
    return result


def at_risk(panel: CustomerPanel, period: int) -> list[AtRiskAccount]:
    """The accounts at risk in period index ``period``, largest value at risk first."""
    active = panel.active()[:, period]
    reasons: dict[int, list[Reason]] = {}
    for rule in panel.card.analytics.risk_rules:
        holds, earlier = rule_holds(panel, rule)
        x = rule_series(panel, rule)
        assert x is not None or not holds.any()
        for c in np.flatnonzero(holds[:, period] & active):
            value = float(x[c, period]) if x is not None else math.nan
            before = float(earlier[c, period])
            reasons.setdefault(int(c), []).append(
                Reason(rule.id, rule.name, value, before, _describe(panel, rule, value, before))
            )
    tiers = panel.card.tier_ids()
    out = [
        AtRiskAccount(
            key=panel.keys[c],
            tier=tiers[panel.tier[c]] if panel.tier[c] >= 0 else "",
            health=float(panel.health[c, period]),
            band=int(panel.band[c, period]),
            value_at_risk=float(panel.account_value[c, period]),
            reasons=tuple(found),
        )
        for c, found in reasons.items()
    ]
    out.sort(
        key=lambda a: (-a.value_at_risk if math.isfinite(a.value_at_risk) else math.inf, a.key)
    )
    return out


def catch_rate(panel: CustomerPanel) -> CatchRate | None:
    """Of the accounts that churned within h periods of t, the share flagged at t.

    Counted per (account, period) over every period that has both a flag decision and an
    outcome window, so the figure does not rest on one chosen quarter.
    """
    outcomes = outcome_grid(panel)
    if outcomes is None or not panel.card.analytics.risk_rules:
        return None
    y, _ = next_outcome(outcomes, panel.card.analytics.outcomes.horizon)
    flagged = flags(panel)
    active = panel.active()
    will_churn = (y == 0.0) & active
    churned_accounts = np.flatnonzero(will_churn.any(axis=1))
    caught = np.flatnonzero((will_churn & flagged).any(axis=1))
    decided = flagged & np.isfinite(y)
    return CatchRate(
        churned=int(churned_accounts.size),
        caught=int(caught.size),
        flagged=int(decided.sum()),
        flagged_churned=int((decided & (y == 0.0)).sum()),
    )


def _describe(panel: CustomerPanel, rule: RiskRule, value: float, before: float) -> str:
    what = "health" if rule.kpi is None else panel.card.kpi(rule.kpi).name
    n = rule.periods
    span = f"{n} period{'s' if n != 1 else ''}"
    if rule.kind is RuleKind.BELOW:
        return f"{what} {value:.3g} is below {rule.threshold:g}"
    if rule.kind is RuleKind.ABOVE:
        return f"{what} {value:.3g} is above {rule.threshold:g}"
    if rule.kind is RuleKind.CROSS_BELOW:
        return f"{what} fell below {rule.threshold:g} ({before:.3g} → {value:.3g})"
    if rule.kind is RuleKind.CROSS_ABOVE:
        return f"{what} rose above {rule.threshold:g} ({before:.3g} → {value:.3g})"
    verb = "fell" if rule.kind is RuleKind.FALL else "rose"
    if rule.relative and before:
        share = abs(value - before) / abs(before)
        return f"{what} {verb} {share:.0%} over {span} ({before:.3g} → {value:.3g})"
    return f"{what} {verb} by {abs(value - before):.3g} over {span} ({before:.3g} → {value:.3g})"
