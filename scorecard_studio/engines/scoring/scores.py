"""From actuals to scores and statuses (specification section 3), on whole arrays.

Targets are resolved once per design into arrays of shape (KPIs, tiers + all, periods), so a
what-if change of weights re-runs only the roll-up, and a change of targets only this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from scorecard_studio.domain.model import (
    TARGET_FIELDS,
    Direction,
    Kpi,
    ScoringMethod,
    Settings,
    StatusRule,
)
from scorecard_studio.engines.scoring.rollup import RollUp

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Status codes in the int8 status arrays (the order of ``STATUS_BY_CODE``).
NO_DATA, RED, AMBER, GREEN, INSUFFICIENT = 0, 1, 2, 3, 4


@dataclass(slots=True)
class TargetArrays:
    """Each target field per (KPI, tier + all, period); NaN where not set."""

    baseline: FloatArray
    target: FloatArray
    stretch: FloatArray
    red_flag: FloatArray
    low: FloatArray
    high: FloatArray
    tolerance: FloatArray

    def field(self, name: str) -> FloatArray:
        value: FloatArray = getattr(self, name)
        return value


def resolve_targets(
    kpis: Sequence[Kpi], tier_ids: Sequence[str], period_labels: Sequence[str]
) -> TargetArrays:
    """Layer overrides over defaults: period, then tier, then tier+period (most specific)."""
    k, t, p = len(kpis), len(tier_ids) + 1, len(period_labels)
    tier_index = {tid: i for i, tid in enumerate(tier_ids)}
    period_index = {label: i for i, label in enumerate(period_labels)}
    arrays: dict[str, FloatArray] = {}
    for name in TARGET_FIELDS:
        defaults = np.array(
            [_nan(getattr(kpi.targets.default, name)) for kpi in kpis], dtype=np.float64
        )
        arrays[name] = np.broadcast_to(defaults[:, None, None], (k, t, p)).copy()
    for ki, kpi in enumerate(kpis):
        for override in sorted(kpi.targets.overrides, key=lambda o: o.specificity):
            tiers: slice | int = slice(None)
            periods: slice | int = slice(None)
            if override.tier is not None:
                if override.tier not in tier_index:
                    continue
                tiers = tier_index[override.tier]
            if override.period is not None:
                if override.period not in period_index:
                    continue
                periods = period_index[override.period]
            for name in TARGET_FIELDS:
                value = getattr(override.values, name)
                if value is not None:
                    arrays[name][ki, tiers, periods] = value
    return TargetArrays(**arrays)


def _nan(value: float | None) -> float:
    return np.nan if value is None else float(value)


def higher_is_better(kpis: Sequence[Kpi], targets: TargetArrays) -> BoolArray:
    """Direction per cell: the targets decide where both are set, else the KPI's direction."""
    declared = np.array([k.direction is Direction.HIGHER for k in kpis])[:, None, None]
    b, t = targets.baseline, targets.target
    decided = ~np.isnan(b) & ~np.isnan(t) & (b != t)
    with np.errstate(invalid="ignore"):
        return np.where(decided, t > b, declared)


def compute_scores(
    kpis: Sequence[Kpi], actual: FloatArray, targets: TargetArrays, cap: float
) -> FloatArray:
    """Scores in [0, cap]; NaN where there is no actual or the targets cannot score it."""
    score = np.full(actual.shape, np.nan)
    higher = higher_is_better(kpis, targets)
    methods = np.array([k.method.value for k in kpis])
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for method in ScoringMethod:
            rows = np.flatnonzero(methods == method.value)
            if rows.size == 0:
                continue
            whole = rows.size == len(kpis)  # the usual case: no copies at all
            a = actual if whole else actual[rows]
            tg = targets if whole else _take(targets, rows)
            h = higher if whole else higher[rows]
            if method is ScoringMethod.LINEAR:
                s = _linear(a, tg, cap)
            elif method is ScoringMethod.RATIO:
                s = _ratio(a, tg, h, cap)
            elif method is ScoringMethod.RANGE:
                s = _range(a, tg)
            else:
                s = _binary(a, tg, h)
            if whole:
                score = s
            else:
                score[rows] = s
    return np.where(np.isnan(score), np.nan, np.clip(score, 0.0, cap))


def _take(targets: TargetArrays, rows: npt.NDArray[np.intp]) -> TargetArrays:
    return TargetArrays(**{name: targets.field(name)[rows] for name in TARGET_FIELDS})


def _linear(a: FloatArray, tg: TargetArrays, cap: float) -> FloatArray:
    """(a − b) ÷ (t − b); past the target, a stated stretch is where the cap is reached."""
    b, t, s = tg.baseline, tg.target, tg.stretch
    base = (a - b) / (t - b)
    base = np.where(t == b, np.nan, base)
    if cap > 1.0:
        toward_stretch = 1.0 + (cap - 1.0) * (a - t) / (s - t)
        use_stretch = ~np.isnan(s) & (s != t) & (base > 1.0)
        base = np.where(use_stretch, toward_stretch, base)
    result: FloatArray = base
    return result


def _ratio(a: FloatArray, tg: TargetArrays, higher: BoolArray, cap: float) -> FloatArray:
    t = tg.target
    up = a / t
    down = np.where(a == 0, cap, t / a)
    out = np.where(higher, up, down)
    valid = (t > 0) & (a >= 0)
    result: FloatArray = np.where(valid, out, np.nan)
    return result


def _range(a: FloatArray, tg: TargetArrays) -> FloatArray:
    low, high, tol = tg.low, tg.high, np.nan_to_num(tg.tolerance)
    distance = np.where(a < low, low - a, np.where(a > high, a - high, 0.0))
    falling = np.where(tol > 0, 1.0 - distance / np.where(tol > 0, tol, 1.0), 0.0)
    out = np.where(distance == 0, 1.0, np.maximum(falling, 0.0))
    result: FloatArray = np.where(np.isnan(low) | np.isnan(high) | np.isnan(a), np.nan, out)
    return result


def _binary(a: FloatArray, tg: TargetArrays, higher: BoolArray) -> FloatArray:
    t = tg.target
    met = np.where(higher, a >= t, a <= t)
    result: FloatArray = np.where(np.isnan(t) | np.isnan(a), np.nan, met.astype(np.float64))
    return result


def statuses(score: FloatArray, settings: Settings) -> npt.NDArray[np.int8]:
    """RAG codes from score thresholds; NaN is "no data", never red."""
    rag = settings.rag
    out = np.full(score.shape, NO_DATA, dtype=np.int8)
    has = ~np.isnan(score)
    out[has & (score >= rag.green)] = GREEN
    out[has & (score < rag.green) & (score >= rag.amber)] = AMBER
    out[has & (score < rag.amber)] = RED
    return out


def rollup_statuses(
    score: FloatArray, coverage: FloatArray, settings: Settings
) -> npt.NDArray[np.int8]:
    """RAG codes of a roll-up, "insufficient data" where too little weight had data.

    The score is kept (and shown); only the colour is withheld, because a headline that is
    amber on a fifth of its weight says more about the data than about the customers.
    """
    out = statuses(score, settings)
    with np.errstate(invalid="ignore"):
        thin = ~np.isnan(score) & (coverage < settings.minimum_coverage)
    out[thin] = INSUFFICIENT
    return out


@dataclass(frozen=True, slots=True)
class NodeStatuses:
    """The statuses of every roll-up level of one scoring run."""

    objective: npt.NDArray[np.int8]
    perspective: npt.NDArray[np.int8]
    tier: npt.NDArray[np.int8]
    headline: npt.NDArray[np.int8]

    @classmethod
    def of(cls, rolled: RollUp, settings: Settings) -> NodeStatuses:
        return cls(
            rollup_statuses(rolled.objective_score, rolled.objective_coverage, settings),
            rollup_statuses(rolled.perspective_score, rolled.perspective_coverage, settings),
            rollup_statuses(rolled.tier_score, rolled.tier_coverage, settings),
            rollup_statuses(rolled.headline, rolled.headline_coverage, settings),
        )


def kpi_statuses(
    kpis: Sequence[Kpi],
    actual: FloatArray,
    score: FloatArray,
    targets: TargetArrays,
    settings: Settings,
) -> npt.NDArray[np.int8]:
    """Statuses of KPIs: by score, or by red-flag value for KPIs that ask for it.

    With a red-flag rule the status is red when the actual is on the wrong side of the
    red-flag value, green when the score reaches the green threshold, amber in between.
    """
    out = statuses(score, settings)
    rows = np.array([k.status_rule is StatusRule.RED_FLAG for k in kpis])
    if not rows.any():
        return out
    higher = higher_is_better(kpis, targets)
    rf = targets.red_flag
    with np.errstate(invalid="ignore"):
        flagged = np.where(higher, actual < rf, actual > rf) & ~np.isnan(rf)
    has = ~np.isnan(score)
    by_flag = np.where(flagged, RED, np.where(score >= settings.rag.green, GREEN, AMBER))
    mask = rows[:, None, None] & has & ~np.isnan(rf)
    out[mask] = by_flag[mask].astype(np.int8)
    return out
