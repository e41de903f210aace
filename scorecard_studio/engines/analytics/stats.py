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


def average_ranks(values: FloatArray) -> FloatArray:
    """1-based ranks, ties sharing the mean of the ranks they span (as Spearman needs)."""
    n = values.size
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    starts_group = np.empty(n, dtype=bool)
    if n:
        starts_group[0] = True
        starts_group[1:] = ordered[1:] != ordered[:-1]
    group = np.cumsum(starts_group) - 1
    starts = np.flatnonzero(starts_group)
    sizes = np.diff(np.append(starts, n))
    mean_rank = starts + (sizes + 1) / 2.0
    ranks = np.empty(n)
    ranks[order] = mean_rank[group]
    return ranks


def pearson(x: FloatArray, y: FloatArray) -> float:
    """Pearson's r; NaN when either side does not vary (no correlation can be measured)."""
    if x.size < 2:
        return math.nan
    dx = x - x.mean()
    dy = y - y.mean()
    denominator = math.sqrt(float(dx @ dx) * float(dy @ dy))
    if denominator == 0.0:
        return math.nan
    return max(-1.0, min(1.0, float(dx @ dy) / denominator))


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
