"""The scoring engine's interface: rows -> actuals -> scores and roll-ups.

Two halves, because they change at different speeds. ``compute_actuals`` reduces the rows
(seconds for millions of rows, rerun when data or a KPI's measure changes);
``score_actuals`` turns actuals into scores, statuses and roll-ups (milliseconds, rerun on
every weight or target change while the user drags a slider).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard_studio.domain.checks import check_design
from scorecard_studio.domain.errors import DesignError
from scorecard_studio.domain.findings import Finding, Severity
from scorecard_studio.domain.formula import (
    FloatArithmetic,
    evaluate,
    formula_order,
    parse_formula,
    references,
)
from scorecard_studio.domain.model import (
    SURVEY_AGGREGATIONS,
    Aggregation,
    Kpi,
    Scorecard,
    TierWeighting,
)
from scorecard_studio.domain.periods import Calendar, calendar_of
from scorecard_studio.engines.scoring.aggregate import Actual, Aggregator, FloatArray, Grid
from scorecard_studio.engines.scoring.prepare import PreparedSource, prepare_source
from scorecard_studio.engines.scoring.result import Actuals, ScoreResult
from scorecard_studio.engines.scoring.rollup import Structure, roll_up
from scorecard_studio.engines.scoring.scores import (
    NodeStatuses,
    TargetArrays,
    compute_scores,
    kpi_statuses,
    resolve_targets,
)
from scorecard_studio.engines.scoring.tiering import customer_tiers


def compute_actuals(
    card: Scorecard,
    tables: Mapping[str, pd.DataFrame],
    periods: Sequence[str] | None = None,
) -> Actuals:
    """Reduce every source's rows to KPI actuals for every (tier, period).

    ``periods`` restricts nothing about the data read; it fixes the period axis (labels in
    the scorecard's calendar). By default the axis runs from the first to the last period
    that has any dated row.
    """
    calendar = calendar_of(card)
    findings: list[Finding] = []
    known = {s.id for s in card.sources}
    for source_id in tables:
        if source_id not in known:
            findings.append(
                Finding(
                    Severity.WARNING,
                    "unused_table",
                    source_id,
                    f"no source {source_id!r} in the design",
                )
            )
    key_tiers = customer_tiers(card, dict(tables), findings)
    prepared: dict[str, PreparedSource] = {}
    for source in card.sources:
        if source.id in tables:
            prep = prepare_source(card, source, tables[source.id], calendar, key_tiers)
            prepared[source.id] = prep
            findings.extend(prep.findings)
    axis = period_axis(prepared, calendar, periods)
    grid = Grid(
        len(card.tiers),
        axis[0] if axis else 0,
        len(axis),
        calendar,
        card.settings.timezone,
    )
    aggregator = Aggregator(prepared, grid)
    kpis = card.all_kpis()
    aggregator.plan(kpis)
    value = np.full((len(kpis), *grid.shape), np.nan)
    sample = np.zeros((len(kpis), *grid.shape))
    formulas: dict[str, int] = {}
    for k, kpi in enumerate(kpis):
        if kpi.measure.aggregation is Aggregation.FORMULA:
            formulas[kpi.id] = k
            continue
        actual = aggregator.actual(kpi)
        value[k], sample[k] = actual.value, actual.sample
        findings.extend(actual.findings)
    evaluate_formulas(card, formulas, value, sample)
    period_rows = _tier_rows(aggregator, prepared, grid)
    tier_rows = period_rows.sum(axis=1)
    for t, tier in enumerate(card.tiers):
        if prepared and tier_rows[t] == 0:
            findings.append(
                Finding(
                    Severity.WARNING,
                    "tier_without_rows",
                    tier.id,
                    f"{tier.name} has no rows in the data",
                )
            )
    return Actuals(
        kpi_ids=tuple(k.id for k in kpis),
        tier_ids=tuple(card.tier_ids()),
        periods=tuple(axis),
        period_labels=tuple(calendar.label(p) for p in axis),
        value=value,
        sample=sample,
        tier_weights=_tier_weights(card, aggregator, grid, findings),
        tier_rows=tier_rows,
        findings=findings,
        period_rows=period_rows,
    )


def period_axis(
    prepared: Mapping[str, PreparedSource], calendar: Calendar, periods: Sequence[str] | None
) -> list[int]:
    """The period axis: the labels asked for, else first to last period with a dated row."""
    if periods:
        ordinals = sorted({calendar.parse(label) for label in periods})
        return list(range(ordinals[0], ordinals[-1] + 1))
    found = [src.period[src.period >= 0] for src in prepared.values()]
    found = [f for f in found if f.size]
    if not found:
        return []
    low = min(int(f.min()) for f in found)
    high = max(int(f.max()) for f in found)
    return list(range(low, high + 1))


def _tier_rows(
    aggregator: Aggregator, prepared: Mapping[str, PreparedSource], grid: Grid
) -> FloatArray:
    """Rows of data per (tier, period), summed over the sources."""
    rows = np.zeros(grid.shape)
    for source_id in prepared:
        counts, _ = aggregator.reduce(source_id, None, Aggregation.COUNT)
        rows += counts
    return rows


def _tier_weights(
    card: Scorecard, aggregator: Aggregator, grid: Grid, findings: list[Finding]
) -> FloatArray:
    shape = (grid.n_tiers, grid.n_periods)
    tw = card.tier_weights
    if tw.mode is TierWeighting.FIXED:
        fixed = np.array([t.weight for t in card.tiers], dtype=np.float64)
        return np.broadcast_to(fixed[:, None], shape).copy()
    if tw.mode is TierWeighting.COLUMN and tw.source in aggregator.sources and tw.column:
        if aggregator.sources[tw.source].has_column(tw.column):
            sums, _ = aggregator.reduce(tw.source, tw.column, Aggregation.SUM)
            return np.nan_to_num(sums[: grid.n_tiers])
        findings.append(
            Finding(
                Severity.ERROR,
                "bad_tier_weights",
                tw.source,
                f"tier weight column {tw.column!r} not found",
            )
        )
    return np.ones(shape)


class _ArrayArithmetic:
    def constant(self, value: float) -> FloatArray:
        return np.asarray(value, dtype=np.float64)

    def divide(self, a: FloatArray, b: FloatArray) -> FloatArray:
        with np.errstate(invalid="ignore", divide="ignore"):
            out: FloatArray = np.where(b != 0, a / np.where(b != 0, b, 1.0), np.nan)
        return out

    def minimum(self, a: FloatArray, b: FloatArray) -> FloatArray:
        return np.minimum(a, b)

    def maximum(self, a: FloatArray, b: FloatArray) -> FloatArray:
        return np.maximum(a, b)

    def absolute(self, a: FloatArray) -> FloatArray:
        return np.abs(a)


_ = FloatArithmetic  # the scalar twin of _ArrayArithmetic, used by tests as an oracle


def evaluate_formulas(
    card: Scorecard, formulas: dict[str, int], value: FloatArray, sample: FloatArray
) -> None:
    """Formula KPIs in dependency order; broken formulas stay without data (checks say why)."""
    if not formulas:
        return
    kpis = card.all_kpis()
    index = {k.id: i for i, k in enumerate(kpis)}
    parsed = {}
    graph: dict[str, set[str]] = {}
    for kpi_id, k in formulas.items():
        kpi = kpis[k]
        try:
            node = parse_formula(kpi.measure.formula or "", f"{kpi_id}.formula")
        except DesignError:
            continue
        refs = references(node)
        if refs - index.keys():
            continue
        parsed[kpi_id] = node
        graph[kpi_id] = refs
    order, cycles = formula_order(graph)
    in_cycle = {kpi for cycle in cycles for kpi in cycle}
    arith = _ArrayArithmetic()
    for kpi_id in order:
        if kpi_id in in_cycle or kpi_id not in parsed:
            continue
        env = {ref: value[index[ref]] for ref in graph[kpi_id]}
        if any(ref in in_cycle for ref in graph[kpi_id]):
            continue
        result = evaluate(parsed[kpi_id], env, arith)
        k = formulas[kpi_id]
        value[k] = np.where(np.isfinite(result), result, np.nan)
        sample[k] = np.nan


@dataclass(frozen=True, slots=True)
class ScoringPlan:
    """Everything about a design that scoring needs and that data does not change.

    Built once per design edit and reused while the same design is rescored, e.g. by the
    preview as new data arrives; a what-if edit builds a new one.
    """

    kpis: tuple[Kpi, ...]
    structure: Structure
    targets: TargetArrays
    survey: npt.NDArray[np.bool_]
    design_findings: tuple[Finding, ...]

    @classmethod
    def of(cls, card: Scorecard, actuals: Actuals) -> ScoringPlan:
        kpis = tuple(card.all_kpis())
        return cls(
            kpis=kpis,
            structure=Structure.of(card),
            targets=resolve_targets(kpis, actuals.tier_ids, actuals.period_labels),
            survey=np.array(
                [k.measure.aggregation in SURVEY_AGGREGATIONS for k in kpis], dtype=bool
            ),
            design_findings=tuple(check_design(card)),
        )


def score_actuals(
    card: Scorecard, actuals: Actuals, plan: ScoringPlan | None = None
) -> ScoreResult:
    """Scores, statuses, roll-ups and findings from actuals (the fast half)."""
    plan = plan or ScoringPlan.of(card, actuals)
    kpis = plan.kpis
    targets = plan.targets
    cap = card.settings.cap
    score = compute_scores(kpis, actuals.value, targets, cap)
    status = kpi_statuses(kpis, actuals.value, score, targets, card.settings)
    low = (
        plan.survey[:, None, None]
        & (actuals.sample > 0)
        & (actuals.sample < card.settings.minimum_sample)
    )
    rolled = roll_up(plan.structure, score, actuals.tier_weights, card.settings.missing_data)
    nodes = NodeStatuses.of(rolled, card.settings)
    return ScoreResult(
        card=card,
        kpis=kpis,
        actuals=actuals,
        targets=targets,
        score=score,
        status=status,
        low_sample=low,
        rollup=rolled,
        objective_status=nodes.objective,
        perspective_status=nodes.perspective,
        tier_status=nodes.tier,
        headline_status=nodes.headline,
        effective_share=plan.structure.effective_shares(),
        findings=[*plan.design_findings, *actuals.findings],
    )


def score(
    card: Scorecard, tables: Mapping[str, pd.DataFrame], periods: Sequence[str] | None = None
) -> ScoreResult:
    """Both halves: the one call most callers need."""
    return score_actuals(card, compute_actuals(card, tables, periods))


__all__ = [
    "Actual",
    "Actuals",
    "ScoreResult",
    "ScoringPlan",
    "calendar_of",
    "compute_actuals",
    "score",
    "score_actuals",
]
