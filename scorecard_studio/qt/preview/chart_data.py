"""What each preview chart draws, as plain numbers: pure functions of one ``ScoreResult``.

Every chart reads the same result object through these functions and only turns their
numbers into pixels. Keeping the mapping here (no Qt) means the numbers a reader sees,
bar heights, bullet positions, heat-map cells, can be tested against the engine's arrays
without rendering, and a chart widget has no arithmetic of its own to get wrong.

Axes of the result arrays are (KPI, tier row, period); the last tier row is "all
customers". A tier filter is ``None`` (every tier and "all customers") or one tier id
(including ``"all"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from scorecard_studio.domain.model import ScoringMethod, StatusRule
from scorecard_studio.domain.units import Unit, unit_of
from scorecard_studio.engines.scoring import ScoreResult
from scorecard_studio.engines.scoring.scores import TargetArrays, higher_is_better

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
StatusArray = npt.NDArray[np.int8]

NO_DATA, RED, AMBER, GREEN = 0, 1, 2, 3
#: Share of a group's width the bars of one perspective take; the rest is the gap.
GROUP_WIDTH = 0.8


def tier_rows(result: ScoreResult, tier_id: str | None) -> tuple[int, ...]:
    """Rows of the result arrays a tier filter shows: all of them, or one."""
    if tier_id is None:
        return tuple(range(len(result.tier_ids)))
    return (result.tier_ids.index(tier_id),)


def focus_row(result: ScoreResult, tier_id: str | None) -> int:
    """The one row a single-tier chart (bullets) shows: the chosen tier, else all customers."""
    if tier_id is None:
        return len(result.tier_ids) - 1
    return result.tier_ids.index(tier_id)


# --- perspective scores per tier, with the headline ----------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class PerspectiveBars:
    """Grouped bars: one group per perspective, one bar per shown tier row."""

    perspective_ids: tuple[str, ...]
    perspective_names: tuple[str, ...]
    tier_rows: tuple[int, ...]
    tier_names: tuple[str, ...]
    n_real_tiers: int
    x: FloatArray  # (perspectives, tiers) bar centres
    width: float
    height: FloatArray  # (perspectives, tiers) scores, NaN without data
    status: StatusArray  # (perspectives, tiers)
    coverage: FloatArray  # (perspectives, tiers)
    tier_score: FloatArray  # (tiers,)
    tier_status: StatusArray  # (tiers,)
    headline: float
    headline_status: int
    headline_coverage: float
    amber: float
    green: float
    cap: float


def perspective_bars(result: ScoreResult, period: int, tier_id: str | None) -> PerspectiveBars:
    rows = tier_rows(result, tier_id)
    r = result.rollup
    n_p, n_t = len(result.card.perspectives), len(rows)
    width = GROUP_WIDTH / max(n_t, 1)
    offsets = -GROUP_WIDTH / 2 + width * (np.arange(n_t) + 0.5)
    x = np.arange(n_p, dtype=np.float64)[:, None] + offsets[None, :]
    idx = list(rows)
    names = result.tier_names()
    settings = result.card.settings
    return PerspectiveBars(
        perspective_ids=tuple(p.id for p in result.card.perspectives),
        perspective_names=tuple(p.name for p in result.card.perspectives),
        tier_rows=rows,
        tier_names=tuple(names[t] for t in rows),
        n_real_tiers=len(result.card.tiers),
        x=x,
        width=width,
        height=r.perspective_score[:, idx, period].reshape(n_p, n_t),
        status=result.perspective_status[:, idx, period].reshape(n_p, n_t),
        coverage=r.perspective_coverage[:, idx, period].reshape(n_p, n_t),
        tier_score=r.tier_score[idx, period],
        tier_status=result.tier_status[idx, period],
        headline=float(r.headline[period]),
        headline_status=int(result.headline_status[period]),
        headline_coverage=float(r.headline_coverage[period]),
        amber=settings.rag.amber,
        green=settings.rag.green,
        cap=settings.cap,
    )


# --- KPI bullets ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class Bullets:
    """One horizontal bullet per KPI row, each on its own axis in the KPI's units.

    Positions are fractions of the row's axis: 0 is its worse end and 1 its better end, so
    every bullet reads left (bad) to right (good) whether higher or lower is better.
    ``axis_start``/``axis_end`` are the values at 0 and 1. RAG bands are flat arrays of
    segments (``band_row``, ``band_start``, ``band_end``, ``band_status``).
    """

    kpis: IntArray  # KPI indices, in the order drawn (row 0 at the top)
    kpi_ids: tuple[str, ...]
    names: tuple[str, ...]
    units: tuple[Unit, ...]
    tier_row: int
    actual: FloatArray
    baseline: FloatArray
    target: FloatArray
    stretch: FloatArray
    red_flag: FloatArray
    score: FloatArray
    status: StatusArray
    low_sample: BoolArray
    higher: BoolArray
    axis_start: FloatArray
    axis_end: FloatArray
    pos_actual: FloatArray
    pos_baseline: FloatArray
    pos_target: FloatArray
    pos_stretch: FloatArray
    band_row: IntArray
    band_start: FloatArray
    band_end: FloatArray
    band_status: npt.NDArray[np.int8]


def _value_at_score(
    s: float,
    method: ScoringMethod,
    higher: bool,
    baseline: float,
    target: float,
    stretch: float,
    cap: float,
) -> float:
    """The actual at which a KPI reaches score ``s``: where a RAG band starts or ends."""
    if method is ScoringMethod.LINEAR:
        if s > 1.0 and cap > 1.0 and np.isfinite(stretch) and stretch != target:
            return target + (s - 1.0) / (cap - 1.0) * (stretch - target)
        return baseline + s * (target - baseline)
    if method is ScoringMethod.RATIO:
        if higher:
            return s * target
        return target / s if s > 0 else np.inf
    if method is ScoringMethod.BINARY:
        return target
    return np.nan  # range: two-sided, handled by the caller


def _segments(
    method: ScoringMethod,
    rule: StatusRule,
    higher: bool,
    tv: dict[str, float],
    amber: float,
    green: float,
    cap: float,
) -> list[tuple[float, float, int]]:
    """RAG bands as (from value, to value, status) going from the worse to the better end.

    Values may lie beyond the axis; the caller clips. Returned in value order for the
    range method (red, amber, green, amber, red), else from bad to good.
    """
    inf = np.inf
    b, t, st = tv["baseline"], tv["target"], tv["stretch"]
    if method is ScoringMethod.RANGE:
        low, high, tol = tv["low"], tv["high"], tv["tolerance"]
        if not (np.isfinite(low) and np.isfinite(high)):
            return []
        tol = tol if np.isfinite(tol) and tol > 0 else 0.0
        d_amber = (1.0 - amber) * tol if amber <= 1.0 else -inf
        if green <= 1.0:
            d_green = (1.0 - green) * tol
            g_low, g_high = low - d_green, high + d_green
        else:
            g_low = g_high = (low + high) / 2  # never green: no green band
        a_low, a_high = (low - d_amber, high + d_amber) if d_amber >= 0 else (g_low, g_low)
        return [
            (-inf, a_low, RED),
            (a_low, g_low, AMBER),
            (g_low, g_high, GREEN),
            (g_high, a_high, AMBER),
            (a_high, inf, RED),
        ]
    v_green = _value_at_score(green, method, higher, b, t, st, cap)
    v_amber = _value_at_score(amber, method, higher, b, t, st, cap)
    if rule is StatusRule.RED_FLAG and np.isfinite(tv["red_flag"]):
        v_amber = tv["red_flag"]
    if np.isnan(v_green) or np.isnan(v_amber):
        return []
    far_bad, far_good = (-inf, inf) if higher else (inf, -inf)
    return [(far_bad, v_amber, RED), (v_amber, v_green, AMBER), (v_green, far_good, GREEN)]


def bullets(
    result: ScoreResult,
    period: int,
    tier_id: str | None,
    kpis: Sequence[int] | None = None,
) -> Bullets:
    """Bullets of the given KPI indices (default all) at one period, for one tier row."""
    row = focus_row(result, tier_id)
    ks = np.arange(len(result.kpis), dtype=np.intp) if kpis is None else np.asarray(kpis, np.intp)
    settings = result.card.settings
    amber, green, cap = settings.rag.amber, settings.rag.green, settings.cap
    tg = result.targets

    def cut(array: FloatArray) -> FloatArray:
        out: FloatArray = array[ks, row, period].astype(np.float64)
        return out

    fields = ("baseline", "target", "stretch", "red_flag", "low", "high", "tolerance")
    values = {name: cut(tg.field(name)) for name in fields}
    actual = cut(result.actuals.value)
    sub_kpis = [result.kpis[k] for k in ks]
    sliced = TargetArrays(**{n: v[:, None, None] for n, v in values.items()})
    higher = higher_is_better(sub_kpis, sliced)[:, 0, 0].astype(bool)

    n = len(ks)
    start, end = np.full(n, np.nan), np.full(n, np.nan)
    band_row: list[int] = []
    band_start: list[float] = []
    band_end: list[float] = []
    band_status: list[int] = []
    for i, kpi in enumerate(sub_kpis):
        tv = {name: float(values[name][i]) for name in fields}
        segments = _segments(kpi.method, kpi.status_rule, bool(higher[i]), tv, amber, green, cap)
        candidates = [tv[f] for f in ("baseline", "target", "stretch", "red_flag", "low", "high")]
        candidates.append(float(actual[i]))
        candidates += [v for s in segments for v in s[:2]]
        if kpi.method is ScoringMethod.RANGE and np.isfinite(tv["tolerance"]):
            candidates += [tv["low"] - tv["tolerance"], tv["high"] + tv["tolerance"]]
        finite = [c for c in candidates if np.isfinite(c)]
        if not finite:
            continue
        lo, hi = min(finite), max(finite)
        pad = 0.05 * (hi - lo) if hi > lo else max(abs(lo) * 0.1, 1.0)
        ascending = bool(higher[i]) or kpi.method is ScoringMethod.RANGE
        start[i], end[i] = (lo - pad, hi + pad) if ascending else (hi + pad, lo - pad)
        span = end[i] - start[i]
        for v0, v1, status in segments:
            p0 = min(max((v0 - start[i]) / span, 0.0), 1.0)
            p1 = min(max((v1 - start[i]) / span, 0.0), 1.0)
            lo_p, hi_p = min(p0, p1), max(p0, p1)
            if hi_p - lo_p > 1e-12:
                band_row.append(i)
                band_start.append(lo_p)
                band_end.append(hi_p)
                band_status.append(status)

    def pos(v: FloatArray) -> FloatArray:
        with np.errstate(invalid="ignore", divide="ignore"):
            out: FloatArray = (v - start) / (end - start)
        return out

    names = tuple(result.kpis[k].name for k in ks)
    return Bullets(
        kpis=ks,
        kpi_ids=tuple(result.kpis[k].id for k in ks),
        names=names,
        units=tuple(unit_of(result.kpis[k]) for k in ks),
        tier_row=row,
        actual=actual,
        baseline=values["baseline"],
        target=values["target"],
        stretch=values["stretch"],
        red_flag=values["red_flag"],
        score=cut(result.score),
        status=result.status[ks, row, period],
        low_sample=result.low_sample[ks, row, period],
        higher=higher,
        axis_start=start,
        axis_end=end,
        pos_actual=pos(actual),
        pos_baseline=pos(values["baseline"]),
        pos_target=pos(values["target"]),
        pos_stretch=pos(values["stretch"]),
        band_row=np.array(band_row, dtype=np.intp),
        band_start=np.array(band_start, dtype=np.float64),
        band_end=np.array(band_end, dtype=np.float64),
        band_status=np.array(band_status, dtype=np.int8),
    )


# --- tier x KPI heat map ---------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class Heatmap:
    """Scores as a (KPI, tier) matrix with separate masks for the cells not to read as red.

    ``no_data``: no score at all (no actual, or nothing to score it against); drawn
    neutral. ``low_sample``: a score from too few survey answers; drawn in its colour but
    marked. The two masks never overlap.
    """

    kpi_ids: tuple[str, ...]
    kpi_names: tuple[str, ...]
    tier_rows: tuple[int, ...]
    tier_names: tuple[str, ...]
    score: FloatArray  # (KPIs, tiers)
    status: StatusArray
    actual: FloatArray
    target: FloatArray
    no_data: BoolArray
    no_actual: BoolArray
    low_sample: BoolArray
    amber: float
    green: float
    cap: float


def heatmap(result: ScoreResult, period: int, tier_id: str | None) -> Heatmap:
    rows = list(tier_rows(result, tier_id))
    score = result.score[:, rows, period]
    no_data = np.isnan(score)
    names = result.tier_names()
    settings = result.card.settings
    return Heatmap(
        kpi_ids=result.actuals.kpi_ids,
        kpi_names=tuple(k.name for k in result.kpis),
        tier_rows=tuple(rows),
        tier_names=tuple(names[t] for t in rows),
        score=score,
        status=result.status[:, rows, period],
        actual=result.actuals.value[:, rows, period],
        target=result.targets.target[:, rows, period],
        no_data=no_data,
        no_actual=np.isnan(result.actuals.value[:, rows, period]),
        low_sample=result.low_sample[:, rows, period] & ~no_data,
        amber=settings.rag.amber,
        green=settings.rag.green,
        cap=settings.cap,
    )


# --- trends ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class Trend:
    """One KPI's actual by period per tier row, with its targets per period."""

    kpi_id: str
    name: str
    unit: Unit
    period_labels: tuple[str, ...]
    period: int
    tier_rows: tuple[int, ...]
    tier_names: tuple[str, ...]
    n_real_tiers: int
    actual: FloatArray  # (tiers, periods)
    baseline: FloatArray
    target: FloatArray
    stretch: FloatArray
    score: FloatArray
    status: StatusArray
    low_sample: BoolArray


def trend(result: ScoreResult, kpi_id: str, period: int, tier_id: str | None) -> Trend:
    k = result.kpi_index(kpi_id)
    rows = list(tier_rows(result, tier_id))
    names = result.tier_names()
    kpi = result.kpis[k]
    tg = result.targets
    return Trend(
        kpi_id=kpi.id,
        name=kpi.name,
        unit=unit_of(kpi),
        period_labels=result.period_labels,
        period=period,
        tier_rows=tuple(rows),
        tier_names=tuple(names[t] for t in rows),
        n_real_tiers=len(result.card.tiers),
        actual=result.actuals.value[k, rows],
        baseline=tg.baseline[k, rows],
        target=tg.target[k, rows],
        stretch=tg.stretch[k, rows],
        score=result.score[k, rows],
        status=result.status[k, rows],
        low_sample=result.low_sample[k, rows],
    )


# --- weights -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class Weights:
    """Each KPI's effective share of the headline, largest first.

    ``design_share`` is the saved design's share (beside a scenario's), and ``marginal``
    the headline points per point of the KPI's score at the chosen period, both in the
    same sorted order; None when not asked for.
    """

    order: IntArray  # KPI indices, largest share first
    kpi_ids: tuple[str, ...]
    names: tuple[str, ...]
    share: FloatArray
    design_share: FloatArray | None
    marginal: FloatArray | None


def weights(
    result: ScoreResult,
    marginal: FloatArray | None = None,
    design_share: FloatArray | None = None,
) -> Weights:
    """Sorted shares; ``marginal`` is (K,) for one period, ``design_share`` (K,)."""
    share = result.effective_share
    order = np.argsort(-share, kind="stable").astype(np.intp)
    return Weights(
        order=order,
        kpi_ids=tuple(result.kpis[k].id for k in order),
        names=tuple(result.kpis[k].name for k in order),
        share=share[order],
        design_share=None if design_share is None else design_share[order],
        marginal=None if marginal is None else marginal[order],
    )
