"""The few statistics the evidence needs, in numpy: ranks, Spearman, Fisher z, AUC, Brier.

Written out rather than taken from scipy so the application does not ship a second large
numerical library for five formulas; the tests check each against scipy, computed
independently on the same data (docs/decisions.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

#: The standard normal quantile for a two-sided 95 % interval.
Z_95 = 1.959963984540054


def ranks_of_sorted(ordered: FloatArray) -> FloatArray:
    """Average ranks of values already in ascending order: 1-based, ties share their mean.

    Linear time: the sort is the caller's, so a series sorted once can be ranked over many
    subsets of itself (every lag of every link) without sorting again.
    """
    n = ordered.size
    starts_group = np.empty(n, dtype=bool)
    if n:
        starts_group[0] = True
        starts_group[1:] = ordered[1:] != ordered[:-1]
    group = np.cumsum(starts_group) - 1
    starts = np.flatnonzero(starts_group)
    sizes = np.diff(np.append(starts, n))
    mean_rank = starts + (sizes + 1) / 2.0
    out: FloatArray = mean_rank[group]
    return out


def average_ranks(values: FloatArray) -> FloatArray:
    """1-based ranks, ties sharing the mean of the ranks they span (as Spearman needs)."""
    # Any sort will do: tied values get the same (mean) rank whatever their order.
    order = np.argsort(values)
    ranks = np.empty(values.size)
    ranks[order] = ranks_of_sorted(values[order])
    return ranks


def _dot(a: FloatArray, b: FloatArray) -> float:
    # einsum's own loop: a BLAS dot spawns threads that cost more than they save on a busy
    # machine, for a sum this simple.
    return float(np.einsum("i,i->", a, b))


def pearson(x: FloatArray, y: FloatArray) -> float:
    """Pearson's r; NaN when either side does not vary (no correlation can be measured)."""
    if x.size < 2:
        return math.nan
    dx = x - x.mean()
    dy = y - y.mean()
    denominator = math.sqrt(_dot(dx, dx) * _dot(dy, dy))
    if denominator == 0.0:
        return math.nan
    return max(-1.0, min(1.0, _dot(dx, dy) / denominator))


def spearman(x: FloatArray, y: FloatArray) -> float:
    """Spearman's rank correlation: Pearson's r of the average ranks."""
    return pearson(average_ranks(x), average_ranks(y))


@dataclass(frozen=True, slots=True)
class Correlation:
    """A correlation with its sample size and 95 % Fisher-z confidence interval."""

    r: float
    n: int
    low: float
    high: float

    def excludes_zero(self) -> bool:
        return self.low > 0.0 or self.high < 0.0


def fisher_interval(r: float, n: int, z: float = Z_95) -> tuple[float, float]:
    """tanh(atanh(r) ± z/√(n−3)); a perfect correlation's interval is the point itself."""
    if n < 4 or math.isnan(r):
        return math.nan, math.nan
    if abs(r) >= 1.0:
        return r, r
    centre = math.atanh(r)
    half = z / math.sqrt(n - 3)
    return math.tanh(centre - half), math.tanh(centre + half)


def correlate(x: FloatArray, y: FloatArray, minimum_pairs: int) -> Correlation | None:
    """Spearman over the pairs where both have a value; None below ``minimum_pairs``.

    Also None when either side is constant over those pairs: then there is nothing to rank.
    """
    both = np.isfinite(x) & np.isfinite(y)
    n = int(both.sum())
    if n < max(minimum_pairs, 4):
        return None
    r = spearman(x[both], y[both])
    if math.isnan(r):
        return None
    low, high = fisher_interval(r, n)
    return Correlation(r, n, low, high)


class SortedSeries:
    """A (customer, period) series with the order of its values, sorted once.

    Spearman of x at t with y at t+L ranks each side over the pairs that have both values,
    a different subset for every lag and partner. The subset of a sorted order is still in
    order, so each ranking is a filter of this one sort plus a linear pass.
    """

    def __init__(self, values: FloatArray) -> None:
        self.values = values
        self.periods = values.shape[1]
        self.flat = values.ravel()
        self.finite = np.isfinite(self.flat)
        finite = np.flatnonzero(self.finite)
        #: Flat indices (customer × periods + period) of the finite values, ascending.
        self.order = finite[np.argsort(self.flat[finite])]
        #: The period of each of those values.
        self.period_of = self.order % self.periods
        self.count = int(finite.size)
        self._ranks: FloatArray | None = None
        self._centred: tuple[FloatArray, float] | None = None

    def ranks(self) -> FloatArray:
        """Ranks over all finite values, by flat index (unset where there is no value)."""
        if self._ranks is None:
            self._ranks = np.empty(self.flat.size)
            self._ranks[self.order] = ranks_of_sorted(self.flat[self.order])
        return self._ranks

    def centred_ranks(self) -> tuple[FloatArray, float]:
        """Ranks of every value (in flat order) less their mean, and their norm: a partner
        with values in exactly the same cells needs one dot product, not a ranking."""
        if self._centred is None:
            centred = self.ranks()[self.finite] - (self.count + 1) / 2.0
            self._centred = centred, math.sqrt(_dot(centred, centred))
        return self._centred

    def ranks_over(self, pairs: npt.NDArray[np.bool_], shift: int, n: int) -> FloatArray:
        """Ranks over the values at ``pairs`` (by pair index), each value's pair being its
        flat index minus ``shift``; laid out by pair index."""
        if shift == 0 and n == self.count:  # every value takes part: rank them all, once
            return self.ranks()
        order = self.order
        if shift:
            order = order[self.period_of >= shift]
        kept = order[pairs[order - shift]]
        out = np.empty(self.flat.size)
        out[kept - shift] = ranks_of_sorted(self.flat[kept])
        return out


def lagged_correlation(
    x: SortedSeries, y: SortedSeries, lag: int, minimum_pairs: int
) -> Correlation | None:
    """Spearman of x at t with y at t+lag over the pairs with both values (as ``correlate``).

    A pair is named by x's flat index c × P + t; y's value at t+lag has index pair + lag.
    """
    p = x.periods
    if lag >= p:
        return None
    if lag == 0:
        both = x.finite & y.finite
    else:
        both = np.zeros(x.flat.size, dtype=bool)
        grid = both.reshape(-1, p)
        grid[:, : p - lag] = (
            x.finite.reshape(-1, p)[:, : p - lag] & y.finite.reshape(-1, p)[:, lag:]
        )
    n = int(np.count_nonzero(both))
    if n < max(minimum_pairs, 4):
        return None
    if lag == 0 and n == x.count == y.count:  # both sides have values in the same cells
        (cx, nx), (cy, ny) = x.centred_ranks(), y.centred_ranks()
        r = math.nan if nx == 0.0 or ny == 0.0 else max(-1.0, min(1.0, _dot(cx, cy) / (nx * ny)))
    else:
        rx = x.ranks_over(both, 0, n)
        ry = y.ranks_over(both, lag, n)
        r = pearson(rx[both], ry[both])
    if math.isnan(r):
        return None
    low, high = fisher_interval(r, n)
    return Correlation(r, n, low, high)


def auc(score: FloatArray, positive: npt.NDArray[np.bool_]) -> float:
    """Area under the ROC curve by the Mann–Whitney U: P(score₊ > score₋), ties count half."""
    n_pos = int(positive.sum())
    n_neg = int(positive.size - n_pos)
    if n_pos == 0 or n_neg == 0:
        return math.nan
    ranks = average_ranks(score)
    u = float(ranks[positive].sum()) - n_pos * (n_pos + 1) / 2.0
    return u / (n_pos * n_neg)


def brier(probability: FloatArray, outcome: FloatArray) -> float:
    """Mean squared difference between a predicted probability and the 0/1 outcome."""
    if probability.size == 0:
        return math.nan
    return float(np.mean((probability - outcome) ** 2))
