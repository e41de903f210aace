"""Fast rescoring of what-if scenarios, and each KPI's marginal effect on the headline.

A slider step in a workshop must answer within a frame or two, so a scenario is scored as
a patch on the design's own result rather than from scratch:

* the actuals (the expensive half) are the design's, untouched;
* a weight change re-runs only the roll-up: KPI scores and statuses do not depend on
  weights, so they are reused as they are;
* a target change rescores only the KPIs whose targets changed, and patches their rows
  into copies of the score, status and target arrays.

The outcome is a :class:`ScoreResult` equal to scoring ``apply(card, scenario)`` in full
(the tests hold the two side by side), except that design findings are the design's: a
scenario is not a design and is checked when it is applied.

The marginal effect answers "what is this KPI worth here?": how many points the headline
moves when the KPI's score moves by one point in every tier, holding the others still.
With every score present it is the KPI's effective share of the headline; with missing
data the roll-up renormalises over what is present, and the effect is computed from the
same weights the roll-up actually used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scorecard_studio.domain.model import MissingDataPolicy, Scorecard
from scorecard_studio.domain.scenario import Scenario, apply
from scorecard_studio.engines.scoring.result import FloatArray, ScoreResult
from scorecard_studio.engines.scoring.rollup import Structure, _group_sizes, roll_up
from scorecard_studio.engines.scoring.scores import (
    NodeStatuses,
    TargetArrays,
    compute_scores,
    kpi_statuses,
    resolve_targets,
)

_TARGET_ARRAYS = ("baseline", "target", "stretch", "red_flag", "low", "high", "tolerance")


@dataclass(frozen=True, slots=True)
class Marginal:
    """Marginal effects of KPI scores on the roll-up, per period.

    ``headline[k, p]``: headline points per point of KPI k's score in every real tier at
    period p (NaN where the KPI has no score in any tier, so it cannot move anything).
    ``tier[k, t, p]``: points of tier t's score per point of KPI k's score in that tier
    (NaN where the KPI has no score there). The "all customers" row is included in
    ``tier``; it never weighs in the headline.
    """

    headline: FloatArray  # (K, P)
    tier: FloatArray  # (K, T+1, P)


def _divide(num: FloatArray, den: FloatArray) -> FloatArray:
    out: FloatArray = np.divide(num, den, out=np.zeros(np.broadcast(num, den).shape), where=den > 0)
    return out


def marginal_effects(
    structure: Structure,
    score: FloatArray,
    tier_weights: FloatArray,
    policy: MissingDataPolicy,
) -> Marginal:
    """∂ roll-up / ∂ KPI score, from the same denominators :func:`roll_up` divides by.

    Each level of the roll-up is a weighted mean over the children that count (those with
    a score, or all of them under the zero policy), so the derivative of a parent by one
    child is that child's weight over the parent's counted weight. Chaining the levels
    gives KPI -> (objective) -> perspective -> tier -> headline. The roll-up is linear in
    the scores for a fixed pattern of missing data, so this is exact for any step that
    does not make a missing score appear or a present one vanish.
    """
    zero = policy is MissingDataPolicy.ZERO
    has = ~np.isnan(score)
    ones = np.ones(score.shape)
    counted = ones if zero else has.astype(np.float64)
    w = structure.kpi_weights[:, None, None]
    seg = structure.kpis_by_group
    n_groups = seg.n_parents
    g_den = seg.sum(w * counted)  # (G, T1, P)

    og, dg = structure.objective_group, structure.direct_group
    ow = structure.objective_weights[:, None, None]
    o_den = g_den[og]
    o_counted = np.ones(o_den.shape) if zero else (o_den > 0).astype(np.float64)
    p_den = structure.objectives_by_perspective.sum(ow * o_counted) + g_den[dg]
    pw = structure.perspective_weights[:, None, None]
    p_counted = np.ones(p_den.shape) if zero else (p_den > 0).astype(np.float64)
    t_den = (pw * p_counted).sum(axis=0)  # (T1, P)

    # Perspective of each group, and each group's factor: d perspective / d (Σ w·s in it).
    n_persp = dg.size
    group_persp = np.zeros(n_groups, dtype=np.intp)
    group_persp[dg] = np.arange(n_persp)
    group_persp[og] = np.repeat(
        np.arange(n_persp), _group_sizes(structure.objectives_by_perspective, og.size)
    )
    factor = np.zeros(g_den.shape)
    factor[dg] = _divide(np.ones(p_den.shape), p_den)
    factor[og] = _divide(ow * o_counted, p_den[group_persp[og]]) * _divide(
        np.ones(o_den.shape), o_den
    )
    # d tier / d perspective, per perspective.
    persp_to_tier = _divide(pw * p_counted, np.broadcast_to(t_den, p_den.shape))

    kpi_group = np.repeat(np.arange(n_groups), _group_sizes(seg, score.shape[0]))
    kpi_persp = group_persp[kpi_group]
    tier_effect = w * counted * factor[kpi_group] * persp_to_tier[kpi_persp]
    tier_effect = np.where(has, tier_effect, np.nan)

    n_tiers = tier_weights.shape[0]
    t_score_has = t_den[:n_tiers] > 0
    t_counted = np.ones(t_score_has.shape) if zero else t_score_has.astype(np.float64)
    h_den = (tier_weights * t_counted).sum(axis=0)  # (P,)
    to_headline = _divide(tier_weights * t_counted, np.broadcast_to(h_den, tier_weights.shape))
    real = tier_effect[:, :n_tiers]
    headline = np.nansum(real * to_headline[None], axis=1)
    headline = np.where(has[:, :n_tiers].any(axis=1), headline, np.nan)
    return Marginal(headline=headline, tier=tier_effect)


def result_marginals(result: ScoreResult) -> Marginal:
    """Marginal effects for a scored design (or scenario)."""
    return marginal_effects(
        Structure.of(result.card),
        result.score,
        result.actuals.tier_weights,
        result.card.settings.missing_data,
    )


class ScenarioScorer:
    """Scores scenarios on top of one scored design, reusing everything a scenario keeps.

    Build one per design result (the window does so whenever the document rescored) and
    call :meth:`score` for every scenario step; the scorer itself never changes, so one
    can be shared with a worker thread.
    """

    def __init__(self, base: ScoreResult) -> None:
        self.base = base
        self._structure = Structure.of(base.card)
        self._index = {kid: i for i, kid in enumerate(base.actuals.kpi_ids)}

    @property
    def card(self) -> Scorecard:
        return self.base.card

    def score(self, scenario: Scenario) -> ScoreResult:
        """The design's result as ``scenario`` would change it (DesignError if stale)."""
        return self._score(scenario)[0]

    def evaluate(self, scenario: Scenario) -> WhatIf:
        """The scenario's result and its marginal effects, from one roll-up structure."""
        result, structure = self._score(scenario)
        marginal = marginal_effects(
            structure, result.score, result.actuals.tier_weights, result.card.settings.missing_data
        )
        return WhatIf(scenario, result, marginal)

    def _score(self, scenario: Scenario) -> tuple[ScoreResult, Structure]:
        base = self.base
        if scenario.is_empty():
            return base, self._structure
        card = apply(base.card, scenario)
        kpis = tuple(card.all_kpis())
        actuals = base.actuals
        structure = Structure.of(card) if scenario.weights else self._structure
        targets, score, status = base.targets, base.score, base.status
        changed = sorted(self._index[kid] for kid in scenario.changed_kpis())
        if changed:
            rows = np.array(changed, dtype=np.intp)
            sub_kpis = [kpis[r] for r in changed]
            sub_targets = resolve_targets(sub_kpis, actuals.tier_ids, actuals.period_labels)
            patched: dict[str, FloatArray] = {}
            for name in _TARGET_ARRAYS:
                array = base.targets.field(name).copy()
                array[rows] = sub_targets.field(name)
                patched[name] = array
            targets = TargetArrays(**patched)
            value = actuals.value[rows]
            sub_score = compute_scores(sub_kpis, value, sub_targets, card.settings.cap)
            score = base.score.copy()
            score[rows] = sub_score
            status = base.status.copy()
            status[rows] = kpi_statuses(sub_kpis, value, sub_score, sub_targets, card.settings)
        settings = card.settings
        rolled = roll_up(structure, score, actuals.tier_weights, settings.missing_data)
        nodes = NodeStatuses.of(rolled, settings)
        result = ScoreResult(
            card=card,
            kpis=kpis,
            actuals=actuals,
            targets=targets,
            score=score,
            status=status,
            low_sample=base.low_sample,
            rollup=rolled,
            objective_status=nodes.objective,
            perspective_status=nodes.perspective,
            tier_status=nodes.tier,
            headline_status=nodes.headline,
            effective_share=structure.effective_shares(),
            findings=base.findings,
        )
        return result, structure


@dataclass(frozen=True, slots=True)
class WhatIf:
    """One scenario's outcome: what the preview draws, as one object (never half of it)."""

    scenario: Scenario
    result: ScoreResult
    marginal: Marginal


__all__ = ["Marginal", "ScenarioScorer", "WhatIf", "marginal_effects", "result_marginals"]
