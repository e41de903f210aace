"""A deliberately naive reference scorer: plain loops over rows, written from the spec.

It shares no code with the engine (nothing from ``scorecard_studio.engines``): its own
calendar, date reading, tiering, aggregation, target resolution, scoring, status and
roll-up. Only the design dataclasses are read from the domain model, and pandas is used for
nothing but reading cell values out of the tables the engine is given.

Where the specification and docs/scoring.md are silent, the choice made here is written in a
comment beginning "Choice:"; each is what a strategy manager would expect, and all but one
(the tiering source's period column) are also what the engine does today.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from reference_aggregate import Context, aggregate, blank, formulas
from reference_rows import (
    NAN,
    Grid,
    RefCalendar,
    Table,
    calendar_for,
    customer_tiers,
    number,
    prepare,
)

from scorecard_studio.domain.model import (
    Aggregation,
    Direction,
    Kpi,
    MissingDataPolicy,
    Scorecard,
    ScoringMethod,
    StatusRule,
    TargetValues,
    TierWeighting,
)

__all__ = ["RefCalendar", "Reference", "minimum_coverage", "reference_score"]

# --- targets, scores, statuses ------------------------------------------------------------


def targets_for(kpi: Kpi, tier: str | None, label: str) -> TargetValues:
    """Default, then period, tier and tier+period overrides; unset fields inherit."""
    fields = ("baseline", "target", "stretch", "red_flag", "low", "high", "tolerance")
    values = {f: getattr(kpi.targets.default, f) for f in fields}
    for level in (1, 2, 3):
        for o in kpi.targets.overrides:
            spec = (2 if o.tier is not None else 0) + (1 if o.period is not None else 0)
            if spec != level:
                continue
            if o.tier is not None and o.tier != tier:
                continue
            if o.period is not None and o.period != label:
                continue
            for f in fields:
                if getattr(o.values, f) is not None:
                    values[f] = getattr(o.values, f)
    return TargetValues(**values)


def higher_better(kpi: Kpi, tv: TargetValues) -> bool:
    if tv.baseline is not None and tv.target is not None and tv.baseline != tv.target:
        return tv.target > tv.baseline
    return kpi.direction is Direction.HIGHER


def score_of(kpi: Kpi, actual: float, tv: TargetValues, cap: float) -> float:
    if math.isnan(actual):
        return NAN
    method = kpi.method
    raw: float
    if method is ScoringMethod.LINEAR:
        b, t = tv.baseline, tv.target
        if b is None or t is None or b == t:
            return NAN
        raw = (actual - b) / (t - b)
        s = tv.stretch
        if cap > 1.0 and raw > 1.0 and s is not None and s != t:
            # From 1 at the target up to the cap at the stretch, then clipped.
            raw = 1.0 + (cap - 1.0) * (actual - t) / (s - t)
    elif method is ScoringMethod.RATIO:
        t = tv.target
        if t is None or t <= 0 or actual < 0:
            return NAN
        # Lower is better: an actual of 0 reaches the cap.
        lower = cap if actual == 0 else t / actual
        raw = actual / t if higher_better(kpi, tv) else lower
    elif method is ScoringMethod.RANGE:
        if tv.low is None or tv.high is None:
            return NAN
        tol = tv.tolerance or 0.0
        if tv.low <= actual <= tv.high:
            raw = 1.0
        else:
            distance = tv.low - actual if actual < tv.low else actual - tv.high
            raw = max(0.0, 1.0 - distance / tol) if tol > 0 else 0.0
    else:
        if tv.target is None:
            return NAN
        met = actual >= tv.target if higher_better(kpi, tv) else actual <= tv.target
        raw = 1.0 if met else 0.0
    return min(max(raw, 0.0), cap)


def rag(score: float, card: Scorecard) -> str:
    if math.isnan(score):
        return "no_data"
    if score >= card.settings.rag.green:
        return "green"
    if score >= card.settings.rag.amber:
        return "amber"
    return "red"


def kpi_status(kpi: Kpi, actual: float, score: float, tv: TargetValues, card: Scorecard) -> str:
    if kpi.status_rule is StatusRule.RED_FLAG and tv.red_flag is not None and not math.isnan(score):
        wrong = actual < tv.red_flag if higher_better(kpi, tv) else actual > tv.red_flag
        if wrong:
            return "red"
        return "green" if score >= card.settings.rag.green else "amber"
    return rag(score, card)


def minimum_coverage(card: Scorecard) -> float:
    return float(getattr(card.settings, "minimum_coverage", 0.5))


def node_status(score: float, coverage: float, card: Scorecard) -> str:
    if not math.isnan(score) and coverage < minimum_coverage(card):
        return "insufficient_data"
    return rag(score, card)


# --- roll-up ------------------------------------------------------------------------------


def combine(children: Sequence[tuple[float, float, float]], zero: bool) -> tuple[float, float]:
    """(score, coverage) of a node from its children's (weight, score, coverage)."""
    total = sum(w for w, _, _ in children)
    scored = [(w, s) for w, s, _ in children if not math.isnan(s)]
    num = sum(w * s for w, s in scored)
    # Zero policy: over all children, unless none has a score (then the node has none).
    den = (total if scored else 0.0) if zero else sum(w for w, _ in scored)
    score = num / den if den > 0 else NAN
    # Choice: a node whose children all weigh 0 covers nothing (the checks flag the design).
    coverage = sum(w * c for w, _, c in children) / total if total > 0 else 0.0
    return score, coverage


# --- the whole run ------------------------------------------------------------------------


@dataclass
class Reference:
    labels: list[str]
    kpi_ids: list[str]
    value: list[Grid]
    sample: list[Grid]
    score: list[Grid]
    status: list[list[list[str]]]
    low_sample: list[list[list[bool]]]
    objective_score: list[Grid]
    objective_coverage: list[Grid]
    objective_status: list[list[list[str]]]
    perspective_score: list[Grid]
    perspective_coverage: list[Grid]
    perspective_status: list[list[list[str]]]
    tier_score: Grid
    tier_coverage: Grid
    tier_status: list[list[str]]
    headline: list[float]
    headline_coverage: list[float]
    headline_status: list[str]
    tier_weights: Grid
    effective_share: list[float]


def period_axis(
    cal: RefCalendar, tables: dict[str, Table], periods: Sequence[str] | None
) -> list[int]:
    if periods:
        ordinals = [cal.parse_label(p) for p in periods]
        known = [o for o in ordinals if o is not None]
        return list(range(min(known), max(known) + 1))
    found = [r.period for t in tables.values() for r in t.rows if r.period is not None]
    return list(range(min(found), max(found) + 1)) if found else []


def tier_weight_grid(ctx: Context) -> Grid:
    card = ctx.card
    n, n_p = len(card.tiers), len(ctx.periods)
    tw = card.tier_weights
    if tw.mode is TierWeighting.FIXED:
        return [[float(t.weight)] * n_p for t in card.tiers]
    if tw.mode is TierWeighting.COLUMN and tw.source in ctx.tables and tw.column:
        table = ctx.tables[tw.source]
        if table.has(tw.column):
            out = [[0.0] * n_p for _ in range(n)]
            for t in range(n):
                for p in range(n_p):
                    for r in ctx.in_cell(table, t, p):
                        v = number(table.value(r, tw.column))
                        out[t][p] += v if v is not None else 0.0
            return out
    return [[1.0] * n_p for _ in range(n)]


def effective_shares(card: Scorecard) -> list[float]:
    def share(w: float, total: float) -> float:
        return w / total if total > 0 else 0.0

    p_total = sum(p.weight for p in card.perspectives)
    out: list[float] = []
    for p in card.perspectives:
        inside = sum(k.weight for k in p.kpis) + sum(o.weight for o in p.objectives)
        ps = share(p.weight, p_total)
        out.extend(share(k.weight, inside) * ps for k in p.kpis)
        for o in p.objectives:
            o_total = sum(k.weight for k in o.kpis)
            out.extend(share(k.weight, o_total) * share(o.weight, inside) * ps for k in o.kpis)
    return out


def reference_score(
    card: Scorecard, frames: Mapping[str, pd.DataFrame], periods: Sequence[str] | None = None
) -> Reference:
    cal = calendar_for(card)
    key_tiers = customer_tiers(card, frames)
    tables = {
        s.id: prepare(card, s, frames[s.id], cal, key_tiers) for s in card.sources if s.id in frames
    }
    axis = period_axis(cal, tables, periods)
    ctx = Context(card, cal, tables, axis)
    labels = [cal.label(p) for p in axis]
    kpis = card.all_kpis()
    n_t, n_p = len(card.tiers), len(axis)
    value: list[Grid] = []
    sample: list[Grid] = []
    for kpi in kpis:
        if kpi.measure.aggregation is Aggregation.FORMULA:
            value.append(blank(ctx))
            sample.append(blank(ctx, 0.0))
        else:
            v, s = aggregate(ctx, kpi)
            value.append(v)
            sample.append(s)
    formulas(ctx, kpis, value, sample)

    cap = card.settings.cap
    tier_ids: list[str | None] = [*card.tier_ids(), None]
    score: list[Grid] = []
    status = []
    low = []
    for k, kpi in enumerate(kpis):
        sk, stk, lk = blank(ctx), [], []
        survey_kpi = kpi.measure.aggregation in (Aggregation.NPS, Aggregation.CSAT, Aggregation.CES)
        for t in range(n_t + 1):
            row_status, row_low = [], []
            for p in range(n_p):
                tv = targets_for(kpi, tier_ids[t], labels[p])
                a = value[k][t][p]
                sk[t][p] = score_of(kpi, a, tv, cap)
                row_status.append(kpi_status(kpi, a, sk[t][p], tv, card))
                n = sample[k][t][p]
                row_low.append(survey_kpi and 0 < n < card.settings.minimum_sample)
            stk.append(row_status)
            lk.append(row_low)
        score.append(sk)
        status.append(stk)
        low.append(lk)

    zero = card.settings.missing_data is MissingDataPolicy.ZERO
    position = {kpi.id: i for i, kpi in enumerate(kpis)}

    def kpi_child(kpi: Kpi, t: int, p: int) -> tuple[float, float, float]:
        s = score[position[kpi.id]][t][p]
        return (kpi.weight, s, 0.0 if math.isnan(s) else 1.0)

    o_score, o_cov, o_stat = [], [], []
    p_score, p_cov, p_stat = [], [], []
    for persp in card.perspectives:
        ps, pc = blank(ctx), blank(ctx, 0.0)
        objective_results = []
        for obj in persp.objectives:
            os_, oc = blank(ctx), blank(ctx, 0.0)
            for t in range(n_t + 1):
                for p in range(n_p):
                    os_[t][p], oc[t][p] = combine([kpi_child(k, t, p) for k in obj.kpis], zero)
            objective_results.append((obj.weight, os_, oc))
            o_score.append(os_)
            o_cov.append(oc)
            o_stat.append(
                [
                    [node_status(os_[t][p], oc[t][p], card) for p in range(n_p)]
                    for t in range(n_t + 1)
                ]
            )
        for t in range(n_t + 1):
            for p in range(n_p):
                children = [kpi_child(k, t, p) for k in persp.kpis]
                children += [(w, s[t][p], c[t][p]) for w, s, c in objective_results]
                ps[t][p], pc[t][p] = combine(children, zero)
        p_score.append(ps)
        p_cov.append(pc)
        p_stat.append(
            [[node_status(ps[t][p], pc[t][p], card) for p in range(n_p)] for t in range(n_t + 1)]
        )

    t_score, t_cov = blank(ctx), blank(ctx, 0.0)
    for t in range(n_t + 1):
        for p in range(n_p):
            children = [
                (persp.weight, p_score[i][t][p], p_cov[i][t][p])
                for i, persp in enumerate(card.perspectives)
            ]
            t_score[t][p], t_cov[t][p] = combine(children, zero)
    t_stat = [
        [node_status(t_score[t][p], t_cov[t][p], card) for p in range(n_p)] for t in range(n_t + 1)
    ]
    weights = tier_weight_grid(ctx)
    head, head_cov = [], []
    for p in range(n_p):
        h, c = combine([(weights[t][p], t_score[t][p], t_cov[t][p]) for t in range(n_t)], zero)
        head.append(h)
        head_cov.append(c)
    return Reference(
        labels=labels,
        kpi_ids=[k.id for k in kpis],
        value=value,
        sample=sample,
        score=score,
        status=status,
        low_sample=low,
        objective_score=o_score,
        objective_coverage=o_cov,
        objective_status=o_stat,
        perspective_score=p_score,
        perspective_coverage=p_cov,
        perspective_status=p_stat,
        tier_score=t_score,
        tier_coverage=t_cov,
        tier_status=t_stat,
        headline=head,
        headline_coverage=head_cov,
        headline_status=[node_status(h, c, card) for h, c in zip(head, head_cov, strict=True)],
        tier_weights=weights,
        effective_share=effective_shares(card),
    )
