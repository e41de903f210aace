"""The evidence's statistics against scipy, on random data with ties and without."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from scorecard_studio.engines.analytics.stats import (
    SortedSeries,
    auc,
    average_ranks,
    brier,
    correlate,
    fisher_interval,
    lagged_correlation,
    spearman,
)

RNG = np.random.default_rng(20261123)


@pytest.mark.parametrize("ties", [False, True])
def test_ranks_and_spearman_equal_scipys(ties: bool) -> None:
    x = RNG.normal(size=500)
    y = x * 0.4 + RNG.normal(size=500)
    if ties:
        x, y = np.round(x), np.round(y * 2)
    assert np.array_equal(average_ranks(x), stats.rankdata(x))
    assert spearman(x, y) == pytest.approx(stats.spearmanr(x, y).statistic, abs=1e-12)


def test_the_interval_is_fishers_z_by_hand() -> None:
    r, n = 0.3, 103
    z, half = math.atanh(0.3), stats.norm.ppf(0.975) / 10.0
    low, high = fisher_interval(r, n)
    assert (low, high) == pytest.approx((math.tanh(z - half), math.tanh(z + half)), abs=1e-12)
    assert fisher_interval(1.0, 50) == (1.0, 1.0)
    assert all(math.isnan(v) for v in fisher_interval(0.5, 3))


def test_correlate_uses_only_pairs_with_both_values_and_needs_enough() -> None:
    x = RNG.normal(size=200)
    y = -x + RNG.normal(size=200)
    x[::7] = np.nan
    y[::5] = np.nan
    both = ~np.isnan(x) & ~np.isnan(y)
    c = correlate(x, y, minimum_pairs=30)
    assert c is not None
    assert c.n == int(both.sum())
    assert c.r == pytest.approx(stats.spearmanr(x[both], y[both]).statistic, abs=1e-12)
    assert correlate(x, y, minimum_pairs=c.n + 1) is None
    assert correlate(np.ones(50), np.arange(50.0), minimum_pairs=10) is None  # nothing varies


def test_auc_is_the_mann_whitney_share_of_correctly_ordered_pairs() -> None:
    score = np.round(RNG.normal(size=300), 1)  # ties between the classes count half
    positive = RNG.random(300) < 0.5 + 0.2 * np.tanh(score)
    pos, neg = score[positive], score[~positive]
    pairs = (pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean()
    assert auc(score, positive) == pytest.approx(pairs, abs=1e-12)
    u = stats.mannwhitneyu(pos, neg).statistic
    assert auc(score, positive) == pytest.approx(u / (pos.size * neg.size), abs=1e-12)
    assert math.isnan(auc(score, np.ones(300, dtype=bool)))


def test_brier_is_the_mean_squared_error_of_the_probabilities() -> None:
    assert brier(np.array([0.9, 0.2, 0.5]), np.array([1.0, 0.0, 1.0])) == pytest.approx(
        (0.01 + 0.04 + 0.25) / 3
    )


@pytest.mark.parametrize("gaps", [True, False])
@pytest.mark.parametrize("lag", [0, 1, 2, 4, 6])
def test_a_series_sorted_once_gives_every_lags_spearman(lag: int, gaps: bool) -> None:
    """x at t with y at t+lag over (customer, period) pairs with both, ties and gaps included,
    as scipy computes it on the pairs taken out one by one."""
    x = np.round(RNG.normal(size=(300, 6)) * 2)  # ties
    y = np.roll(x, 1, axis=1) * 0.5 + RNG.normal(size=(300, 6))
    if gaps:
        x[RNG.random(x.shape) < 0.15] = np.nan
        y[RNG.random(y.shape) < 0.1] = np.nan
    got = lagged_correlation(SortedSeries(x), SortedSeries(y), lag, minimum_pairs=30)
    if lag >= 6:
        assert got is None
        return
    a, b = x[:, : 6 - lag].ravel(), y[:, lag:].ravel()
    both = np.isfinite(a) & np.isfinite(b)
    assert got is not None
    assert got.n == int(both.sum())
    assert got.r == pytest.approx(stats.spearmanr(a[both], b[both]).statistic, abs=1e-12)
    assert (got.low, got.high) == pytest.approx(fisher_interval(got.r, got.n), abs=1e-15)
    assert lagged_correlation(SortedSeries(x), SortedSeries(y), lag, got.n + 1) is None
