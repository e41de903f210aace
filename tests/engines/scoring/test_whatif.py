"""What-if rescoring equals full scoring; marginal effects match hand values and finite steps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    Kpi,
    Measure,
    MissingDataPolicy,
    Objective,
    Perspective,
    Scorecard,
    Settings,
    TargetSet,
    TargetValues,
    Tier,
)
from scorecard_studio.domain.scenario import Scenario, apply
from scorecard_studio.engines.scoring import ScoreResult, score, score_actuals
from scorecard_studio.engines.scoring.rollup import Structure, roll_up
from scorecard_studio.engines.scoring.whatif import (
    ScenarioScorer,
    marginal_effects,
    result_marginals,
)

SOURCE = DataSource("src", "Source", key_column="key", date_column="date", tier_column="tier")


def _kpi(kid: str, weight: float = 1.0) -> Kpi:
    return Kpi(
        kid,
        kid.title(),
        Measure(Aggregation.SUM, source="src", column=kid),
        TargetSet(TargetValues(baseline=0, target=100)),
        weight=weight,
    )


def design(settings: Settings | None = None) -> Scorecard:
    """Financial (weight 2): objective Grow {revenue 3, margin 1} and direct dso;
    Customer (weight 1): nps. Two tiers, equal tier weights."""
    fin = Perspective(
        "fin",
        "Financial",
        2,
        objectives=(Objective("grow", "Grow", 1, (_kpi("revenue", 3), _kpi("margin"))),),
        kpis=(_kpi("dso"),),
    )
    cust = Perspective("cust", "Customer", 1, kpis=(_kpi("nps"),))
    return Scorecard(
        "What-if test",
        (fin, cust),
        tiers=(Tier("t1", "Tier 1"), Tier("t2", "Tier 2")),
        settings=settings or Settings(),
        sources=(SOURCE,),
    )


def data(nps_tier2: float = 10.0) -> dict[str, pd.DataFrame]:
    return {
        "src": pd.DataFrame(
            {
                "key": ["a", "b"],
                "date": ["2026-02-01", "2026-02-01"],
                "tier": ["Tier 1", "Tier 2"],
                "revenue": [80.0, 40.0],
                "margin": [50.0, 20.0],
                "dso": [30.0, 90.0],
                "nps": [60.0, nps_tier2],
            }
        )
    }


def full(settings: Settings | None = None, nps_tier2: float = 10.0) -> ScoreResult:
    return score(design(settings), data(nps_tier2))


def assert_same_result(a: ScoreResult, b: ScoreResult) -> None:
    assert a.card == b.card
    for name in ("score", "status", "low_sample", "effective_share"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    for name in ("baseline", "target", "stretch", "red_flag", "low", "high", "tolerance"):
        np.testing.assert_array_equal(a.targets.field(name), b.targets.field(name))
    for name in (
        "objective_score",
        "perspective_score",
        "tier_score",
        "headline",
        "tier_coverage",
        "headline_coverage",
    ):
        np.testing.assert_allclose(getattr(a.rollup, name), getattr(b.rollup, name), rtol=1e-12)
    for name in ("objective_status", "perspective_status", "tier_status", "headline_status"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))


SCENARIOS = [
    Scenario().with_weight("revenue", 5.0),
    Scenario().with_weight("fin", 1.0).with_weight("grow", 3.0),
    Scenario().with_target("nps", "target", 80.0),
    Scenario().with_target("dso", "target", 20.0).with_target("dso", "baseline", 120.0),
    Scenario().with_target("margin", "target", 40.0, tier="t2").with_weight("nps", 0.0),
]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scenario_rescoring_equals_scoring_the_applied_design(scenario: Scenario) -> None:
    base = full()
    fast = ScenarioScorer(base).score(scenario)
    assert_same_result(fast, score_actuals(apply(base.card, scenario), base.actuals))


def test_hand_computed_scenario_headline() -> None:
    base = full()
    # Design, tier 1: grow = (3·0.8 + 0.5)/4 = 0.725; fin = (0.725 + 0.3)/2 = 0.5125;
    # tier 1 = (2·0.5125 + 0.6)/3 = 0.541667. Tier 2: grow = (1.2+0.2)/4 = 0.35;
    # fin = (0.35 + 0.9)/2 = 0.625; tier 2 = (1.25 + 0.1)/3 = 0.45. Headline 0.495833.
    assert base.rollup.headline[0] == pytest.approx((1.625 / 3 + 1.35 / 3) / 2)
    # NPS target 80: tier 1 nps = 0.75, tier 2 = 0.125.
    # Tier 1 = (1.025 + 0.75)/3 = 0.591667; tier 2 = (1.25 + 0.125)/3 = 0.458333.
    what = ScenarioScorer(base).score(Scenario().with_target("nps", "target", 80.0))
    assert what.rollup.headline[0] == pytest.approx((1.775 / 3 + 1.375 / 3) / 2)
    assert what.score[base.kpi_index("nps"), :, 0] == pytest.approx([0.75, 0.125, 70 / 80])


def test_a_weight_change_reuses_the_designs_scores_and_leaves_them_alone() -> None:
    base = full()
    before = base.score.copy()
    what = ScenarioScorer(base).score(Scenario().with_weight("dso", 4.0))
    assert what.score is base.score  # no KPI was rescored
    assert what.targets is base.targets
    np.testing.assert_array_equal(base.score, before)
    target_change = ScenarioScorer(base).score(Scenario().with_target("dso", "target", 50.0))
    np.testing.assert_array_equal(base.score, before)  # patched copies, not the original
    assert target_change.card.kpi("dso").targets.default.target == 50.0
    assert base.card.kpi("dso").targets.default.target == 100.0


def test_an_empty_scenario_is_the_design_result() -> None:
    base = full()
    scorer = ScenarioScorer(base)
    assert scorer.score(Scenario()) is base
    outcome = scorer.evaluate(Scenario())
    assert outcome.result is base
    np.testing.assert_allclose(outcome.marginal.headline[:, 0], base.effective_share)


def test_marginal_effect_with_every_score_present_is_the_effective_share() -> None:
    base = full()
    ids = base.actuals.kpi_ids
    assert ids == ("dso", "revenue", "margin", "nps")
    # revenue: 3/4 of Grow, Grow is 1/2 of Financial, Financial 2/3 of the tier: 0.25.
    expected = [1 / 2 * 2 / 3, 3 / 4 * 1 / 2 * 2 / 3, 1 / 4 * 1 / 2 * 2 / 3, 1 / 3]
    np.testing.assert_allclose(base.effective_share, expected)
    m = result_marginals(base)
    np.testing.assert_allclose(m.headline[:, 0], expected)
    np.testing.assert_allclose(m.tier[:, :, 0], np.repeat(np.array(expected)[:, None], 3, axis=1))


def test_marginal_effect_with_missing_data_follows_the_renormalised_weights() -> None:
    base = full(nps_tier2=np.nan)  # tier 2 has no NPS: Customer drops out of tier 2
    m = result_marginals(base)
    k = base.kpi_index("revenue")
    # Tier 1 as before (0.25); tier 2 is Financial alone: 3/4 · 1/2 · 1 = 0.375.
    assert m.tier[k, 0, 0] == pytest.approx(0.25)
    assert m.tier[k, 1, 0] == pytest.approx(0.375)
    assert m.headline[k, 0] == pytest.approx((0.25 + 0.375) / 2)
    nps = base.kpi_index("nps")
    assert np.isnan(m.tier[nps, 1, 0])
    assert m.headline[nps, 0] == pytest.approx(1 / 3 / 2)  # moves tier 1 only
    assert base.effective_share[k] == pytest.approx(0.25)  # the design share ignores data


def _finite_difference(
    structure: Structure,
    score_: np.ndarray,
    tier_weights: np.ndarray,
    policy: MissingDataPolicy,
    k: int,
    eps: float = 1e-6,
) -> np.ndarray:
    n = tier_weights.shape[0]
    bumped = score_.copy()
    bumped[k, :n] += eps  # NaN stays NaN: only present scores move
    h0 = roll_up(structure, score_, tier_weights, policy).headline
    h1 = roll_up(structure, bumped, tier_weights, policy).headline
    out: np.ndarray = (h1 - h0) / eps
    return out


def _random_design(rng: np.random.Generator) -> Scorecard:
    perspectives = []
    n = 0
    for p in range(4):
        direct = tuple(_kpi(f"k{n + i}", float(rng.uniform(0, 5))) for i in range(p % 3))
        n += len(direct)
        objectives = []
        for o in range(int(rng.integers(0, 4))):
            size = int(rng.integers(0, 4))
            ks = tuple(_kpi(f"k{n + i}", float(rng.uniform(0, 5))) for i in range(size))
            n += size
            objectives.append(Objective(f"o{p}_{o}", "O", float(rng.uniform(0, 3)), ks))
        perspectives.append(
            Perspective(f"p{p}", "P", float(rng.uniform(0.1, 3)), tuple(objectives), direct)
        )
    return Scorecard("Random", tuple(perspectives))


@pytest.mark.parametrize("policy", list(MissingDataPolicy))
@pytest.mark.parametrize("seed", range(6))
def test_marginal_effects_match_a_finite_difference_of_the_roll_up(
    policy: MissingDataPolicy, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    card = _random_design(rng)
    structure = Structure.of(card)
    n_kpis, n_tiers, n_periods = len(card.all_kpis()), 3, 4
    score_ = rng.uniform(0, 1.2, (n_kpis, n_tiers + 1, n_periods))
    score_[rng.random(score_.shape) < 0.3] = np.nan
    tier_weights = rng.uniform(0, 2, (n_tiers, n_periods))
    tier_weights[0, 1] = 0.0
    m = marginal_effects(structure, score_, tier_weights, policy)
    assert n_kpis > 0
    for k in range(n_kpis):
        fd = _finite_difference(structure, score_, tier_weights, policy, k)
        present = ~np.isnan(score_[k, :n_tiers]).all(axis=0)
        np.testing.assert_allclose(m.headline[k][present], fd[present], atol=1e-6)
        assert np.isnan(m.headline[k][~present]).all()
        # Per tier: bump one tier's score and watch that tier's score.
        for t in range(n_tiers + 1):
            bumped = score_.copy()
            bumped[k, t] += 1e-6
            t0 = roll_up(structure, score_, tier_weights, policy).tier_score[t]
            t1 = roll_up(structure, bumped, tier_weights, policy).tier_score[t]
            has = ~np.isnan(score_[k, t])
            np.testing.assert_allclose(m.tier[k, t][has], ((t1 - t0) / 1e-6)[has], atol=1e-6)


def test_a_scenarios_marginal_effects_follow_its_own_weights() -> None:
    base = full()
    outcome = ScenarioScorer(base).evaluate(Scenario().with_weight("cust", 2.0))
    # Financial and Customer now weigh 2 and 2: NPS is half of each tier.
    assert outcome.result.effective_share[base.kpi_index("nps")] == pytest.approx(0.5)
    np.testing.assert_allclose(outcome.marginal.headline, result_marginals(outcome.result).headline)
    np.testing.assert_allclose(outcome.marginal.headline[:, 0], outcome.result.effective_share)
