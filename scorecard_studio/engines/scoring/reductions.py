"""The shared building blocks of aggregation: group codes, numbers, cells and reductions.

Rows are reduced once per (source, column, aggregation) for all (tier, period) groups at the
same time, with ``numpy.bincount`` for the decomposable reductions and pandas' grouped
kernels for median, minimum, maximum and latest value. KPIs that share a column and an
aggregation share the work; every reduction is cached for the scoring run.
"""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from scorecard_studio.domain.findings import Finding, Severity
from scorecard_studio.domain.model import Aggregation, Kpi, Measure
from scorecard_studio.engines.scoring.grid import Actual, Codes, FloatArray, Grid, IntArray
from scorecard_studio.engines.scoring.prepare import PreparedSource

#: Reductions computed by pandas' grouped kernels rather than by ``bincount``.
GROUPWISE = frozenset({Aggregation.MIN, Aggregation.MAX, Aggregation.MEDIAN, Aggregation.LAST})
_PANDAS_NAMES = {
    Aggregation.MIN: "min",
    Aggregation.MAX: "max",
    Aggregation.MEDIAN: "median",
    Aggregation.LAST: "last",
}


class Reductions:
    """Cached reductions over the prepared sources of one scoring run."""

    def __init__(self, sources: dict[str, PreparedSource], grid: Grid) -> None:
        self.sources = sources
        self.grid = grid
        self._codes: dict[str, Codes] = {}
        self._numbers: dict[tuple[str, str], FloatArray] = {}
        self._reductions: dict[tuple[str, str, Aggregation], tuple[FloatArray, FloatArray]] = {}
        self._by_measure: dict[Measure, Actual] = {}
        self._groupwise: dict[tuple[str, str, Aggregation], FloatArray] = {}
        self._orders: dict[str, IntArray] = {}
        self._presence: dict[tuple[str, str], tuple[IntArray, FloatArray]] = {}

    def codes(self, source_id: str) -> Codes:
        cached = self._codes.get(source_id)
        if cached is not None:
            return cached
        src = self.sources[source_id]
        g = self.grid
        period = src.period - g.first_period
        in_range = (src.period >= 0) & (period >= 0) & (period < g.n_periods)
        slot = np.where(src.tier >= 0, src.tier, g.n_tiers)
        codes = Codes(
            by_tier=np.where(in_range, slot * g.n_periods + period, -1),
            by_period=np.where(in_range, period, -1),
            in_range=in_range,
        )
        self._codes[source_id] = codes
        return codes

    def numbers(self, source_id: str, column: str) -> FloatArray:
        """A column as float64 with NaN for missing; text that is not a number is NaN."""
        key = (source_id, column)
        cached = self._numbers.get(key)
        if cached is None:
            series = self.sources[source_id].column(column)
            if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(
                series.dtype
            ):
                cached = series.to_numpy(dtype=np.float64, na_value=np.nan)
            else:
                cached = pd.to_numeric(series, errors="coerce").to_numpy(
                    dtype=np.float64, na_value=np.nan
                )
            self._numbers[key] = cached
        return cached

    def _tier_sums(self, codes: IntArray, weights: FloatArray | None) -> FloatArray:
        """bincount over tier slots, folded to (tiers + all) rows."""
        g = self.grid
        valid = codes >= 0
        slots = (g.n_tiers + 1) * g.n_periods
        sums = np.bincount(
            codes[valid], weights=None if weights is None else weights[valid], minlength=slots
        ).reshape(g.n_tiers + 1, g.n_periods)
        out = np.empty(g.shape)
        out[: g.n_tiers] = sums[: g.n_tiers]
        out[g.n_tiers] = sums.sum(axis=0)  # all customers, unassigned rows included
        return out

    def reduce(
        self, source_id: str, column: str | None, agg: Aggregation
    ) -> tuple[FloatArray, FloatArray]:
        """(value, count of values) per (tier, period) for a simple aggregation."""
        key = (source_id, column or "", agg)
        cached = self._reductions.get(key)
        if cached is not None:
            return cached
        if column is None:  # count of rows
            counts = self._tier_sums(self.codes(source_id).by_tier, None)
            result = (counts, counts)
        elif agg is Aggregation.DISTINCT_COUNT:
            result = self._distinct(source_id, column)
        elif agg is Aggregation.COUNT:
            counts = self._tier_sums(self._filled_codes(source_id, column), None)
            result = (counts, counts)
        else:
            tier_codes, counts = self._present(source_id, column)
            empty = counts == 0
            if agg in (Aggregation.SUM, Aggregation.TTM_SUM):
                sums = self._tier_sums(tier_codes, np.nan_to_num(self.numbers(source_id, column)))
                value = np.where(empty, np.nan, sums)
            elif agg is Aggregation.MEAN:
                sums, _ = self.reduce(source_id, column, Aggregation.SUM)
                with np.errstate(invalid="ignore", divide="ignore"):
                    value = sums / counts
            elif agg in GROUPWISE:
                if (source_id, column, agg) not in self._groupwise:
                    self.prefetch_groupwise(source_id, {column}, {agg})
                value = self._groupwise[(source_id, column, agg)]
            else:  # pragma: no cover - the design checks exclude it
                raise ValueError(f"{agg.value} is not a simple aggregation")
            result = (value, counts)
        self._reductions[key] = result
        return result

    def _present(self, source_id: str, column: str) -> tuple[IntArray, FloatArray]:
        """Group codes of the rows where a column has a number, and their counts."""
        cached = self._presence.get((source_id, column))
        if cached is None:
            values = self.numbers(source_id, column)
            tier_codes = np.where(np.isnan(values), -1, self.codes(source_id).by_tier)
            cached = (tier_codes, self._tier_sums(tier_codes, None))
            self._presence[(source_id, column)] = cached
        return cached

    def cells(self, source_id: str, column: str) -> pd.Series:
        """A column's cells as written, with blank text as missing: what count counts.

        Count and distinct count work on any type (text ids included): a cell counts when
        it holds something, and text is compared trimmed.
        """
        series = self.sources[source_id].column(column)
        if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
            return series
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            return series
        text = series.astype("string").str.strip()
        return text.mask(text == "")

    def _filled_codes(self, source_id: str, column: str) -> IntArray:
        """Group codes of the rows whose cell in ``column`` is not empty (-1 elsewhere)."""
        filled = self.cells(source_id, column).notna().to_numpy(dtype=bool)
        return np.where(filled, self.codes(source_id).by_tier, -1)

    def _distinct(self, source_id: str, column: str) -> tuple[FloatArray, FloatArray]:
        """Distinct values per group: factorise once, then count (group, value) pairs."""
        value_codes, uniques = pd.factorize(self.cells(source_id, column))
        group = np.where(value_codes >= 0, self.codes(source_id).by_tier, -1)
        counts = self._tier_sums(group, None)
        return self._distinct_pairs(source_id, group, value_codes, len(uniques)), counts

    def _distinct_pairs(
        self, source_id: str, group: IntArray, value_codes: IntArray, n_uniques: int
    ) -> FloatArray:
        """Distinct value codes per (tier, period), and per period for all customers."""
        g = self.grid
        n_values = max(n_uniques, 1)
        out = np.zeros(g.shape)
        if g.n_periods == 0:  # no period to count in (no row has a date)
            return out
        period = self.codes(source_id).by_period
        n_slots = (g.n_tiers + 1) * g.n_periods
        for row, codes, size in (
            (slice(0, g.n_tiers), group, n_slots),
            (g.n_tiers, np.where(group >= 0, period, -1), g.n_periods),
        ):
            keep = codes >= 0
            pairs = np.sort(codes[keep] * n_values + value_codes[keep])
            if pairs.size:  # a sort and a neighbour test beat numpy's hashed unique here
                pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
            per_group = np.bincount(pairs // n_values, minlength=size).astype(np.float64)
            if size == n_slots:
                out[row] = per_group.reshape(g.n_tiers + 1, g.n_periods)[: g.n_tiers]
            else:
                out[row] = per_group
        return out

    def _time_order(self, source_id: str) -> IntArray:
        """Row order by date and time, so a grouped 'last' is the latest row with a value."""
        order = self._orders.get(source_id)
        if order is None:
            order = self.sources[source_id].order_by_time()
            self._orders[source_id] = order
        return order

    def prefetch_groupwise(self, source_id: str, columns: set[str], aggs: set[Aggregation]) -> None:
        """Min, max, median and latest value of many columns in one grouped pass.

        pandas factorises the group codes once for all columns and aggregations, which is
        what makes a thousand KPIs over a million rows affordable.
        """
        g = self.grid
        codes = self.codes(source_id)
        order = self._time_order(source_id)
        ordered_columns = sorted(columns)
        frame = pd.DataFrame(
            {c: self.numbers(source_id, c)[order] for c in ordered_columns}, copy=False
        )
        tier_codes = codes.by_tier[order]  # the unassigned slot included: it counts for all
        period_codes = codes.by_period[order]
        n_slots = (g.n_tiers + 1) * g.n_periods
        keep = tier_codes >= 0
        by_slot = frame[keep].groupby(tier_codes[keep], sort=True)
        by_period = frame[keep].groupby(period_codes[keep], sort=True)
        # All customers' min/max fold the tier slots; median and latest need their own pass.
        jobs = [(by_slot, agg) for agg in aggs] + [
            (by_period, agg) for agg in aggs if agg not in (Aggregation.MIN, Aggregation.MAX)
        ]
        # pandas' grouped kernels release the GIL: two threads use both cores.
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = [pool.submit(getattr(grouped, _PANDAS_NAMES[agg])) for grouped, agg in jobs]
            results = {
                (grouped is by_slot, agg): future.result()
                for (grouped, agg), future in zip(jobs, futures, strict=True)
            }
        for agg in aggs:
            slots = _spread(results[(True, agg)], n_slots, ordered_columns)
            slots = slots.reshape(len(ordered_columns), g.n_tiers + 1, g.n_periods)
            if agg in (Aggregation.MIN, Aggregation.MAX):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN periods
                    fold = np.nanmin if agg is Aggregation.MIN else np.nanmax
                    everyone = fold(slots, axis=1)
            else:
                everyone = _spread(results[(False, agg)], g.n_periods, ordered_columns)
            for i, column in enumerate(ordered_columns):
                out = np.empty(g.shape)
                out[: g.n_tiers] = slots[i, : g.n_tiers]
                out[g.n_tiers] = everyone[i]
                self._groupwise[(source_id, column, agg)] = out

    def _no_data(self, kpi: Kpi, message: str, severity: Severity = Severity.WARNING) -> Actual:
        nan = np.full(self.grid.shape, np.nan)
        return Actual(
            nan, np.zeros(self.grid.shape), [Finding(severity, "no_data", kpi.id, message)]
        )


def _spread(result: pd.DataFrame, size: int, columns: list[str]) -> FloatArray:
    """A grouped result (index = group code) as a dense (columns, size) array, NaN-filled."""
    out = np.full((len(columns), size), np.nan)
    index = result.index.to_numpy(dtype=np.int64)
    out[:, index] = result[columns].to_numpy(dtype=np.float64, na_value=np.nan).T
    return out
