"""Weighted roll-up: KPIs -> objectives -> perspectives -> tiers -> headline.

KPIs are laid out in tree order (``Scorecard.all_kpis``), so the KPIs of one objective, and
the objectives of one perspective, are contiguous: each level is one ``numpy.add.reduceat``
over the previous level's weighted scores, for every (tier, period) at once.

``score = Σ w·s ÷ Σ w`` over the children that have a score (renormalise) or over all of them
with missing scores as 0 (zero policy); ``coverage = Σ w·covered ÷ Σ w`` always measures the
share of weight that had data, recursively.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from scorecard_studio.domain.model import MissingDataPolicy, Scorecard

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class _Segments:
    """Contiguous child ranges of each parent: reduceat starts for the non-empty ones."""

    n_parents: int
    starts: IntArray
    nonempty: IntArray

    def sum(self, values: FloatArray) -> FloatArray:
        out = np.zeros((self.n_parents, *values.shape[1:]))
        if self.starts.size:
            out[self.nonempty] = np.add.reduceat(values, self.starts, axis=0)
        return out


def _segments(sizes: list[int]) -> _Segments:
    starts, nonempty, pos = [], [], 0
    for i, size in enumerate(sizes):
        if size:
            starts.append(pos)
            nonempty.append(i)
        pos += size
    return _Segments(len(sizes), np.array(starts, dtype=np.intp), np.array(nonempty, dtype=np.intp))


@dataclass(frozen=True, slots=True)
class Structure:
    """The design's tree as index arrays; built once per design, reused on every recompute."""

    kpi_weights: FloatArray
    objective_weights: FloatArray
    perspective_weights: FloatArray
    kpis_by_group: _Segments  # groups: per perspective its direct KPIs, then each objective
    group_is_objective: npt.NDArray[np.bool_]
    objective_group: IntArray  # group index of each objective
    direct_group: IntArray  # group index of each perspective's direct KPIs
    objectives_by_perspective: _Segments
    objective_ids: tuple[str, ...]
    perspective_ids: tuple[str, ...]

    @classmethod
    def of(cls, card: Scorecard) -> Structure:
        group_sizes: list[int] = []
        group_is_objective: list[bool] = []
        objective_group: list[int] = []
        direct_group: list[int] = []
        objectives_per_perspective: list[int] = []
        kpi_weights: list[float] = []
        objective_weights: list[float] = []
        objective_ids: list[str] = []
        for p in card.perspectives:
            direct_group.append(len(group_sizes))
            group_sizes.append(len(p.kpis))
            group_is_objective.append(False)
            kpi_weights.extend(k.weight for k in p.kpis)
            for o in p.objectives:
                objective_group.append(len(group_sizes))
                group_sizes.append(len(o.kpis))
                group_is_objective.append(True)
                kpi_weights.extend(k.weight for k in o.kpis)
                objective_weights.append(o.weight)
                objective_ids.append(o.id)
            objectives_per_perspective.append(len(p.objectives))
        return cls(
            kpi_weights=np.array(kpi_weights, dtype=np.float64),
            objective_weights=np.array(objective_weights, dtype=np.float64),
            perspective_weights=np.array([p.weight for p in card.perspectives], dtype=np.float64),
            kpis_by_group=_segments(group_sizes),
            group_is_objective=np.array(group_is_objective, dtype=bool),
            objective_group=np.array(objective_group, dtype=np.intp),
            direct_group=np.array(direct_group, dtype=np.intp),
            objectives_by_perspective=_segments(objectives_per_perspective),
            objective_ids=tuple(objective_ids),
            perspective_ids=tuple(p.id for p in card.perspectives),
        )

    def effective_shares(self) -> FloatArray:
        """Each KPI's share of the headline when every score is present (sums to 1)."""
        k = self.kpi_weights
        group_total = self.kpis_by_group.sum(k)
        o = self.objective_weights
        persp_total = self.objectives_by_perspective.sum(o) + group_total[self.direct_group]
        p = self.perspective_weights
        p_share = _share(p, p.sum())
        kpi_group = np.repeat(
            np.arange(self.kpis_by_group.n_parents), _group_sizes(self.kpis_by_group, k.size)
        )
        share_in_group = _share(k, group_total[kpi_group])
        # Weight of each group within its perspective, and the perspective of each group.
        group_weight = np.zeros(self.kpis_by_group.n_parents)
        group_persp = np.zeros(self.kpis_by_group.n_parents, dtype=np.intp)
        group_weight[self.objective_group] = o
        group_weight[self.direct_group] = 1.0  # direct KPIs weigh for themselves
        group_persp[self.direct_group] = np.arange(self.direct_group.size)
        obj_persp = np.repeat(
            np.arange(self.direct_group.size),
            _group_sizes(self.objectives_by_perspective, o.size),
        )
        group_persp[self.objective_group] = obj_persp
        is_direct = ~self.group_is_objective[kpi_group]
        persp = group_persp[kpi_group]
        within_persp = np.where(
            is_direct,
            _share(k, persp_total[persp]),
            share_in_group * _share(group_weight[kpi_group], persp_total[persp]),
        )
        shares: FloatArray = within_persp * p_share[persp]
        return shares


def _share(weights: FloatArray, totals: FloatArray | float) -> FloatArray:
    with np.errstate(invalid="ignore", divide="ignore"):
        out: FloatArray = np.where(np.asarray(totals) > 0, weights / totals, 0.0)
    return out


def _group_sizes(seg: _Segments, total: int) -> IntArray:
    sizes = np.zeros(seg.n_parents, dtype=np.intp)
    if seg.starts.size:
        ends = np.append(seg.starts[1:], total)
        sizes[seg.nonempty] = ends - seg.starts
    return sizes


@dataclass(slots=True)
class RollUp:
    """Scores and coverage at every level, each (…, tiers + all, periods)."""

    objective_score: FloatArray
    objective_coverage: FloatArray
    perspective_score: FloatArray
    perspective_coverage: FloatArray
    tier_score: FloatArray  # (tiers + all, periods)
    tier_coverage: FloatArray
    headline: FloatArray  # (periods,)
    headline_coverage: FloatArray


def _combine(
    num: FloatArray,
    den: FloatArray,
    cov_num: FloatArray,
    total: FloatArray,
    scored: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """A node's score and coverage; ``scored`` counts its children that have a score.

    A node none of whose children has a score has none itself, under either policy: the
    zero policy counts a missing child as 0 in its parent, but a node with no data at all
    is "no data", never a red 0 (specification section 3).
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where((den > 0) & (scored > 0), num / den, np.nan)
        coverage = np.where(total > 0, cov_num / total, 0.0)
    return score, coverage


def roll_up(
    structure: Structure,
    kpi_score: FloatArray,
    tier_weights: FloatArray,
    policy: MissingDataPolicy,
) -> RollUp:
    """All levels from KPI scores (K, T+1, P) and tier weights (T, P)."""
    zero = policy is MissingDataPolicy.ZERO
    has = ~np.isnan(kpi_score)
    filled = np.nan_to_num(kpi_score)
    w = structure.kpi_weights[:, None, None]
    counted = np.ones_like(filled) if zero else has.astype(np.float64)
    seg = structure.kpis_by_group
    g_num = seg.sum(w * filled * counted)
    g_den = seg.sum(w * counted)
    g_cov = seg.sum(w * has)
    g_total = seg.sum(np.broadcast_to(w, filled.shape))
    g_scored = seg.sum(has.astype(np.float64))

    og = structure.objective_group
    o_score, o_cov = _combine(g_num[og], g_den[og], g_cov[og], g_total[og], g_scored[og])
    ow = structure.objective_weights[:, None, None]
    o_has = ~np.isnan(o_score)
    o_counted = np.ones_like(o_score) if zero else o_has.astype(np.float64)
    o_filled = np.nan_to_num(o_score)
    by_p = structure.objectives_by_perspective
    dg = structure.direct_group
    p_num = by_p.sum(ow * o_filled * o_counted) + g_num[dg]
    p_den = by_p.sum(ow * o_counted) + g_den[dg]
    p_cov = by_p.sum(ow * o_cov) + g_cov[dg]
    p_total = by_p.sum(np.broadcast_to(ow, o_score.shape)) + g_total[dg]
    p_scored = by_p.sum(o_has.astype(np.float64)) + g_scored[dg]
    p_score, p_coverage = _combine(p_num, p_den, p_cov, p_total, p_scored)

    pw = structure.perspective_weights[:, None, None]
    p_has = ~np.isnan(p_score)
    p_counted = np.ones_like(p_score) if zero else p_has.astype(np.float64)
    t_score, t_cov = _combine(
        (pw * np.nan_to_num(p_score) * p_counted).sum(axis=0),
        (pw * p_counted).sum(axis=0),
        (pw * p_coverage).sum(axis=0),
        np.broadcast_to(pw, p_score.shape).sum(axis=0),
        p_has.sum(axis=0).astype(np.float64),
    )
    n_tiers = tier_weights.shape[0]
    ts, tc = t_score[:n_tiers], t_cov[:n_tiers]
    t_has = ~np.isnan(ts)
    t_counted = np.ones_like(ts) if zero else t_has.astype(np.float64)
    head, head_cov = _combine(
        (tier_weights * np.nan_to_num(ts) * t_counted).sum(axis=0),
        (tier_weights * t_counted).sum(axis=0),
        (tier_weights * tc).sum(axis=0),
        tier_weights.sum(axis=0),
        t_has.sum(axis=0).astype(np.float64),
    )
    return RollUp(o_score, o_cov, p_score, p_coverage, t_score, t_cov, head, head_cov)
