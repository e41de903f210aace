"""Properties that must hold for every design and every data set (hypothesis)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scoring_builders import SOURCE, TIERS

from scorecard_studio.domain.design_codec import dumps_design, loads_design
from scorecard_studio.domain.model import (
    Aggregation,
    Direction,
    Frequency,
    IndicatorType,
    Kpi,
    Measure,
    MissingDataPolicy,
    Objective,
    Perspective,
    Scorecard,
    ScoringMethod,
    Settings,
    TargetOverride,
    TargetSet,
    TargetValues,
)
from scorecard_studio.engines.scoring import score
from scorecard_studio.engines.scoring.scores import TargetArrays, compute_scores

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
caps = st.floats(1.0, 1.5)


def _kpi(method: ScoringMethod, direction: Direction = Direction.HIGHER) -> Kpi:
    return Kpi(
        "k",
        "K",
        Measure(Aggregation.SUM, source="src", column="v"),
        method=method,
        direction=direction,
    )


def _targets(b: float, t: float, s: float, low: float, high: float, tol: float) -> TargetArrays:
    def arr(v: float) -> np.ndarray:
        return np.full((1, 1, 1), v)

    return TargetArrays(arr(b), arr(t), arr(s), arr(np.nan), arr(low), arr(high), arr(tol))


@given(
    method=st.sampled_from(list(ScoringMethod)),
    actual=finite,
    b=finite,
    t=finite,
    s=finite,
    low=finite,
    width=st.floats(0, 1e5),
    tol=st.floats(0, 1e5),
    cap=caps,
)
def test_scores_stay_within_zero_and_cap(
    method: ScoringMethod,
    actual: float,
    b: float,
    t: float,
    s: float,
    low: float,
    width: float,
    tol: float,
    cap: float,
) -> None:
    score_ = compute_scores(
        [_kpi(method)], np.full((1, 1, 1), actual), _targets(b, t, s, low, low + width, tol), cap
    )[0, 0, 0]
    assert np.isnan(score_) or 0.0 <= score_ <= cap


@given(
    method=st.sampled_from([ScoringMethod.LINEAR, ScoringMethod.RATIO, ScoringMethod.BINARY]),
    a1=finite,
    a2=finite,
    b=finite,
    gap=st.floats(1e-3, 1e5),
    stretch_gap=st.floats(1e-3, 1e5),
    cap=caps,
)
def test_higher_actual_never_lowers_a_higher_is_better_score(
    method: ScoringMethod,
    a1: float,
    a2: float,
    b: float,
    gap: float,
    stretch_gap: float,
    cap: float,
) -> None:
    if method is ScoringMethod.RATIO:
        b = abs(b)
    t = b + gap  # higher is better
    targets = _targets(b, t, t + stretch_gap, np.nan, np.nan, np.nan)
    low, high = sorted((a1, a2))
    k = [_kpi(method)]
    s_low = compute_scores(k, np.full((1, 1, 1), low), targets, cap)[0, 0, 0]
    s_high = compute_scores(k, np.full((1, 1, 1), high), targets, cap)[0, 0, 0]
    if not np.isnan(s_low) and not np.isnan(s_high):
        assert s_high >= s_low - 1e-12


# --- roll-up properties on generated designs and data --------------------------------------

values = st.lists(st.one_of(st.none(), st.floats(-100, 200)), min_size=6, max_size=6)


def _design(weights: list[float], objective_weight: float, policy: MissingDataPolicy) -> Scorecard:
    kpis = [
        Kpi(
            f"k{i}",
            f"K{i}",
            Measure(Aggregation.SUM, source="src", column=f"c{i}"),
            TargetSet(TargetValues(baseline=0, target=100)),
            weight=w,
        )
        for i, w in enumerate(weights)
    ]
    return Scorecard(
        "Prop",
        (
            Perspective(
                "p1",
                "P1",
                2,
                objectives=(Objective("o", "O", objective_weight, tuple(kpis[:3])),),
                kpis=(kpis[3],),
            ),
            Perspective("p2", "P2", 1, kpis=tuple(kpis[4:])),
        ),
        tiers=TIERS,
        sources=(SOURCE,),
        settings=Settings(missing_data=policy),
    )


def _frame(cells: list[float | None]) -> pd.DataFrame:
    data = {"key": ["a", "b"], "date": ["2026-02-01"] * 2, "tier": ["Tier 1", "Tier 2"]}
    for i, v in enumerate(cells):
        data[f"c{i}"] = [v, None if v is None else v / 2]
    return pd.DataFrame(data)


weights_st = st.lists(st.floats(0.1, 10), min_size=6, max_size=6)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    cells=values,
    weights=weights_st,
    factor=st.floats(0.01, 100),
    other=st.floats(0.01, 100),
    policy=st.sampled_from(list(MissingDataPolicy)),
)
def test_scaling_sibling_weights_changes_nothing(
    cells: list[float | None],
    weights: list[float],
    factor: float,
    other: float,
    policy: MissingDataPolicy,
) -> None:
    frame = _frame(cells)
    base = score(_design(weights, 1.0, policy), {"src": frame})
    # Siblings: the objective's KPIs k0-k2 (x factor); the objective and k3 (x other).
    scaled_w = [w * factor for w in weights[:3]] + [weights[3] * other] + weights[4:]
    scaled = score(_design(scaled_w, 1.0 * other, policy), {"src": frame})
    np.testing.assert_allclose(scaled.rollup.headline, base.rollup.headline, rtol=1e-9)
    np.testing.assert_allclose(scaled.rollup.tier_score, base.rollup.tier_score, rtol=1e-9)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(cells=values, weights=weights_st, drop=st.integers(0, 5))
def test_removing_a_kpi_without_data_changes_nothing_under_renormalise(
    cells: list[float | None], weights: list[float], drop: int
) -> None:
    cells = list(cells)
    cells[drop] = None  # this KPI has no data at all
    frame = _frame(cells)
    card = _design(weights, 1.0, MissingDataPolicy.RENORMALISE)
    full = score(card, {"src": frame})
    removed = _without(card, f"k{drop}")
    reduced = score(removed, {"src": frame})
    np.testing.assert_allclose(reduced.rollup.headline, full.rollup.headline, rtol=1e-9)


def _without(card: Scorecard, kpi_id: str) -> Scorecard:
    def strip(kpis: tuple[Kpi, ...]) -> tuple[Kpi, ...]:
        return tuple(k for k in kpis if k.id != kpi_id)

    return replace(
        card,
        perspectives=tuple(
            replace(
                p,
                kpis=strip(p.kpis),
                objectives=tuple(replace(o, kpis=strip(o.kpis)) for o in p.objectives),
            )
            for p in card.perspectives
        ),
    )


# --- design documents ----------------------------------------------------------------------

ids = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
text = st.text(max_size=20)
maybe = st.one_of(st.none(), st.floats(-1e9, 1e9, allow_nan=False))
target_values = st.builds(TargetValues, baseline=maybe, target=maybe, stretch=maybe, red_flag=maybe)
target_sets = st.builds(
    TargetSet,
    default=target_values,
    overrides=st.lists(
        st.builds(
            TargetOverride,
            values=target_values,
            tier=st.one_of(st.none(), ids),
            period=st.one_of(st.none(), st.just("2026-Q1")),
        ),
        max_size=2,
    ).map(tuple),
)
measures = st.builds(
    Measure,
    aggregation=st.sampled_from(list(Aggregation)),
    source=st.one_of(st.none(), ids),
    column=st.one_of(st.none(), text),
    discount_rate=st.floats(0, 1),
    horizon=st.integers(1, 50),
)
kpis = st.builds(
    Kpi,
    id=ids,
    name=text,
    measure=measures,
    targets=target_sets,
    weight=st.floats(0, 1e6),
    direction=st.sampled_from(list(Direction)),
    indicator=st.sampled_from(list(IndicatorType)),
    method=st.sampled_from(list(ScoringMethod)),
    owner=text,
    description=text,
)
objectives = st.builds(
    Objective,
    id=ids,
    name=text,
    weight=st.floats(0, 100),
    kpis=st.lists(kpis, max_size=3).map(tuple),
)
perspectives = st.builds(
    Perspective,
    id=ids,
    name=text,
    weight=st.floats(0, 100),
    objectives=st.lists(objectives, max_size=2).map(tuple),
    kpis=st.lists(kpis, max_size=2).map(tuple),
)
cards = st.builds(
    Scorecard,
    name=text,
    perspectives=st.lists(perspectives, max_size=3).map(tuple),
    settings=st.builds(
        Settings,
        frequency=st.sampled_from(list(Frequency)),
        fiscal_year_start_month=st.integers(1, 12),
        cap=st.floats(1, 1.5),
        minimum_sample=st.integers(0, 500),
    ),
)


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(card=cards)
def test_design_save_load_save_is_byte_identical(card: Scorecard) -> None:
    first = dumps_design(card)
    again = loads_design(first)
    assert dumps_design(again) == first
    assert again == card
