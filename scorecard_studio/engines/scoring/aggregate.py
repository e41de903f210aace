"""From rows to actuals: every aggregation of specification section 2, vectorised.

Rows are reduced once per (source, column, aggregation) for all (tier, period) groups at the
same time, with ``numpy.bincount`` for the decomposable reductions and pandas' grouped
kernels for median, distinct count and latest value. KPIs that share a column and an
aggregation share the work. Results are arrays of shape ``(n_tiers + 1, n_periods)``; the
last row is "all customers", which also counts rows whose tier is unknown.
"""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard_studio.domain.findings import Finding, Severity
from scorecard_studio.domain.model import Aggregation, CesMode, Kpi, Measure, SurveyScale
from scorecard_studio.domain.periods import Calendar
from scorecard_studio.engines.scoring.prepare import (
    PreparedSource,
    month_ordinals,
    normalise_keys,
    to_datetime,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


#: Reductions computed by pandas' grouped kernels rather than by ``bincount``.
GROUPWISE = frozenset({Aggregation.MIN, Aggregation.MAX, Aggregation.MEDIAN, Aggregation.LAST})
_PANDAS_NAMES = {
    Aggregation.MIN: "min",
    Aggregation.MAX: "max",
    Aggregation.MEDIAN: "median",
    Aggregation.LAST: "last",
}


@dataclass(slots=True)
class Grid:
    """The (tier, period) grid results are laid out on."""

    n_tiers: int
    first_period: int
    n_periods: int
    calendar: Calendar
    timezone: str = "UTC"

    @property
    def shape(self) -> tuple[int, int]:
        return (self.n_tiers + 1, self.n_periods)


@dataclass(slots=True)
class Actual:
    """A KPI's actual per (tier, period) and the number of values behind it."""

    value: FloatArray
    sample: FloatArray
    findings: list[Finding] = field(default_factory=list)


@dataclass(slots=True)
class _Codes:
    by_tier: IntArray  # group per row: slot * n_periods + period (slot n_tiers = unassigned)
    by_period: IntArray  # period index per row
    in_range: npt.NDArray[np.bool_]


class Aggregator:
    """Aggregates the prepared sources of one scoring run, caching shared reductions."""

    def __init__(self, sources: dict[str, PreparedSource], grid: Grid) -> None:
        self.sources = sources
        self.grid = grid
        self._codes: dict[str, _Codes] = {}
        self._numbers: dict[tuple[str, str], FloatArray] = {}
        self._reductions: dict[tuple[str, str, Aggregation], tuple[FloatArray, FloatArray]] = {}
        self._by_measure: dict[Measure, Actual] = {}
        self._groupwise: dict[tuple[str, str, Aggregation], FloatArray] = {}
        self._orders: dict[str, IntArray] = {}
        self._presence: dict[tuple[str, str], tuple[IntArray, FloatArray]] = {}

    # --- shared building blocks -----------------------------------------------------------

    def codes(self, source_id: str) -> _Codes:
        cached = self._codes.get(source_id)
        if cached is not None:
            return cached
        src = self.sources[source_id]
        g = self.grid
        period = src.period - g.first_period
        in_range = (src.period >= 0) & (period >= 0) & (period < g.n_periods)
        slot = np.where(src.tier >= 0, src.tier, g.n_tiers)
        codes = _Codes(
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

    def plan(self, kpis: list[Kpi]) -> None:
        """Batch the grouped reductions the KPIs will ask for, per source."""
        wanted: dict[str, tuple[set[str], set[Aggregation]]] = {}
        for kpi in kpis:
            m = kpi.measure
            if not m.source or m.source not in self.sources:
                continue
            pairs = [(m.column, m.aggregation)]
            if m.aggregation is Aggregation.RATIO:
                pairs = [
                    (m.column, m.aggregation_of_column),
                    (m.denominator, m.aggregation_of_denominator),
                ]
            for column, agg in pairs:
                if column and agg in GROUPWISE and self.sources[m.source].has_column(column):
                    cols, aggs = wanted.setdefault(m.source, (set(), set()))
                    cols.add(column)
                    aggs.add(agg)
        for source_id, (cols, aggs) in wanted.items():
            self.prefetch_groupwise(source_id, cols, aggs)

    # --- per KPI -------------------------------------------------------------------------

    def actual(self, kpi: Kpi) -> Actual:
        """The actual of one non-formula KPI; problems become findings, never exceptions.

        KPIs with equal measures (the same column reduced the same way, perhaps scored
        against different targets) share one computation.
        """
        shared = self._by_measure.get(kpi.measure)
        if shared is None:
            shared = self._actual(kpi)
            self._by_measure[kpi.measure] = shared
        if not shared.findings:
            return shared
        findings = [
            Finding(f.severity, f.code, kpi.id, f"{kpi.name}: {f.message}") for f in shared.findings
        ]
        return Actual(shared.value, shared.sample, findings)

    def _actual(self, kpi: Kpi) -> Actual:
        m = kpi.measure
        src_id = m.source
        if src_id is None or src_id not in self.sources:
            return self._no_data(kpi, f"no data loaded for source {src_id!r}")
        src = self.sources[src_id]
        for needed in _columns_needed(m):
            if not src.has_column(needed):
                return self._no_data(
                    kpi, f"column {needed!r} not found in {src.source.name}", Severity.ERROR
                )
        agg = m.aggregation
        if agg in (Aggregation.NPS, Aggregation.CSAT, Aggregation.CES):
            return self._survey(kpi, src_id)
        if agg is Aggregation.CHURN_RATE:
            lost, active = self._churn(src_id, m)
            with np.errstate(invalid="ignore", divide="ignore"):
                return Actual(np.where(active > 0, lost / active, np.nan), active)
        if agg in (Aggregation.CLV_SIMPLE, Aggregation.CLV_DISCOUNTED):
            return self._clv(kpi, src_id)
        if agg is Aggregation.RATIO:
            num, n_num = self.reduce(src_id, m.column, m.aggregation_of_column)
            den, _ = self.reduce(src_id, m.denominator, m.aggregation_of_denominator)
            with np.errstate(invalid="ignore", divide="ignore"):
                value = np.where(den != 0, num / den, np.nan)
            return Actual(value, n_num)
        if agg is Aggregation.TTM_SUM:
            return self._ttm(src_id, m)
        value, n = self.reduce(src_id, m.column, agg)
        return Actual(value, n)

    def _customers_with_value(self, src_id: str, column: str, rows: FloatArray) -> FloatArray:
        """Distinct customer keys among the rows where ``column`` has a number.

        The key is a real column of the table in either layout (in the long layout a metric
        is a row, the key is not), so it is read from the frame, never as a metric.
        ``rows`` (the count of values) stands in when the source has no key.
        """
        src = self.sources[src_id]
        key = src.source.key_column
        if not key or key not in src.frame.columns:
            return rows
        keys = normalise_keys(src.frame[key])
        value_codes, uniques = pd.factorize(keys)
        group, _ = self._present(src_id, column)
        group = np.where(value_codes >= 0, group, -1)
        return self._distinct_pairs(src_id, group, value_codes, len(uniques))

    def _no_data(self, kpi: Kpi, message: str, severity: Severity = Severity.WARNING) -> Actual:
        nan = np.full(self.grid.shape, np.nan)
        return Actual(
            nan, np.zeros(self.grid.shape), [Finding(severity, "no_data", kpi.id, message)]
        )

    def _ttm(self, src_id: str, m: Measure) -> Actual:
        """Trailing twelve months: the sum over the window of periods ending at each period.

        A window reaching back before the source's first data period is incomplete and gives
        no value, rather than a partial sum presented as a full year.
        """
        assert m.column is not None
        sums, n = self.reduce(src_id, m.column, Aggregation.SUM)
        window = max(1, 12 // self.grid.calendar.months_per_period)
        filled = np.nan_to_num(sums)
        csum = np.cumsum(filled, axis=1)
        counts = np.cumsum(n, axis=1)
        ttm = csum.copy()
        ttm[:, window:] = csum[:, window:] - csum[:, :-window]
        nwin = counts.copy()
        nwin[:, window:] = counts[:, window:] - counts[:, :-window]
        first_data = self._first_data_period(src_id)
        value = np.where(nwin > 0, ttm, np.nan)
        if first_data is not None:
            start = first_data - self.grid.first_period + window - 1
            value[:, : max(0, start)] = np.nan
        return Actual(value, nwin)

    def _first_data_period(self, src_id: str) -> int | None:
        periods = self.sources[src_id].period
        valid = periods[periods >= 0]
        return int(valid.min()) if valid.size else None

    def _survey(self, kpi: Kpi, src_id: str) -> Actual:
        m = kpi.measure
        assert m.column is not None
        scale = m.effective_scale()
        assert scale is not None
        values = self.numbers(src_id, m.column)
        codes = self.codes(src_id).by_tier
        present = ~np.isnan(values)
        in_scale = present & (values >= scale.minimum) & (values <= scale.maximum)
        findings: list[Finding] = []
        out_of_scale = int((present & ~in_scale & self.codes(src_id).in_range).sum())
        if out_of_scale:
            findings.append(
                Finding(
                    Severity.WARNING,
                    "out_of_scale",
                    kpi.id,
                    f"{out_of_scale:,} responses outside the "
                    f"{scale.minimum:g}–{scale.maximum:g} scale were left out",
                )
            )
        n = self._tier_sums(np.where(in_scale, codes, -1), None)
        with np.errstate(invalid="ignore", divide="ignore"):
            value = self._survey_value(m, scale, values, in_scale, codes, n)
        return Actual(np.where(n > 0, value, np.nan), n, findings)

    def _survey_value(
        self,
        m: Measure,
        scale: SurveyScale,
        values: FloatArray,
        in_scale: npt.NDArray[np.bool_],
        codes: IntArray,
        n: FloatArray,
    ) -> FloatArray:
        top = in_scale & (values >= scale.box_low) & (values <= scale.box_high)
        top_n = self._tier_sums(np.where(top, codes, -1), None)
        if m.aggregation is Aggregation.NPS:
            detractor = in_scale & (values <= scale.box_low - 3)
            bottom_n = self._tier_sums(np.where(detractor, codes, -1), None)
            result: FloatArray = 100.0 * (top_n - bottom_n) / n
            return result
        if m.aggregation is Aggregation.CES and m.ces_mode is CesMode.MEAN:
            sums = self._tier_sums(np.where(in_scale, codes, -1), np.nan_to_num(values))
            mean: FloatArray = sums / n
            return mean
        share: FloatArray = top_n / n
        return share

    def _churn(self, src_id: str, m: Measure) -> tuple[FloatArray, FloatArray]:
        """Accounts lost in each period and accounts active at its start, per tier.

        An account is active at a period's start when it started in an earlier month and had
        not ended before that month; it is lost in the period when its end date falls inside.
        With a customer key an account is a key, not a row (see :func:`_accounts`).
        """
        start, end, slot = self._accounts(src_id, m)
        end_or_never = np.where(end >= 0, end, np.iinfo(np.int64).max)
        has_start = start >= 0
        g = self.grid
        lost = np.zeros(g.shape)
        active = np.zeros(g.shape)
        cal = g.calendar
        for p in range(g.n_periods):
            first = cal.first_month(g.first_period + p)
            last = cal.last_month(g.first_period + p)
            act = has_start & (start < first) & (end_or_never >= first)
            gone = act & (end_or_never <= last)
            a = np.bincount(slot[act], minlength=g.n_tiers + 1).astype(np.float64)
            lo = np.bincount(slot[gone], minlength=g.n_tiers + 1).astype(np.float64)
            active[: g.n_tiers, p], active[g.n_tiers, p] = a[: g.n_tiers], a.sum()
            lost[: g.n_tiers, p], lost[g.n_tiers, p] = lo[: g.n_tiers], lo.sum()
        return lost, active

    def _accounts(self, src_id: str, m: Measure) -> tuple[IntArray, IntArray, IntArray]:
        """Start month, end month (-1: still active) and tier slot of every account.

        Without a key each row is an account. With one, an account is a customer key: it
        starts at the earliest start of its rows and has ended only when every one of its
        rows has an end, at the latest of them; its tier is that of its most recently
        started row. Rows without a start date describe no contract and are left out.
        """
        assert m.start_column is not None
        assert m.end_column is not None
        src = self.sources[src_id]
        tz = self.grid.timezone
        start = month_ordinals(to_datetime(src.frame[m.start_column], src.source.date_order, tz))
        end = month_ordinals(to_datetime(src.frame[m.end_column], src.source.date_order, tz))
        slot = np.where(src.tier >= 0, src.tier, self.grid.n_tiers)
        key = src.source.key_column
        if not key or key not in src.frame.columns:
            return start, end, slot
        keys = normalise_keys(src.frame[key])
        rows = pd.DataFrame({"key": keys, "start": start, "end": end, "slot": slot})
        rows = rows[(rows["start"] >= 0) & rows["key"].notna()]
        rows = rows.iloc[np.argsort(rows["start"].to_numpy(), kind="stable")]
        grouped = rows.groupby("key", sort=False)
        open_rows = grouped["end"].min() < 0
        accounts = pd.DataFrame(
            {
                "start": grouped["start"].min(),
                "end": grouped["end"].max().where(~open_rows, -1),
                "slot": grouped["slot"].last(),
            }
        )
        return (
            accounts["start"].to_numpy(dtype=np.int64),
            accounts["end"].to_numpy(dtype=np.int64),
            accounts["slot"].to_numpy(dtype=np.int64),
        )

    def _clv(self, kpi: Kpi, src_id: str) -> Actual:
        """Customer lifetime value from margin per customer per period and retention.

        ``m`` is the margin per customer in the (tier, period): the margin summed over the
        rows, divided by the distinct customers (the row count when there is no key). ``r``
        is the mean of the retention column, else the fixed rate, else one minus the churn
        rate from start/end columns. The discounted form sums ``m·rᵗ/(1+d)ᵗ`` for
        t = 1…horizon, which tends to the simple form ``m·r/(1+d−r)`` as the horizon grows.
        """
        m = kpi.measure
        assert m.column is not None
        margin, n = self.reduce(src_id, m.column, Aggregation.SUM)
        customers = self._customers_with_value(src_id, m.column, n)
        with np.errstate(invalid="ignore", divide="ignore"):
            per_customer = np.where(customers > 0, margin / customers, np.nan)
        if m.retention_column:
            retention, _ = self.reduce(src_id, m.retention_column, Aggregation.MEAN)
        elif m.retention_rate is not None:
            retention = np.full(self.grid.shape, m.retention_rate)
        elif m.start_column and m.end_column:
            lost, active = self._churn(src_id, m)
            with np.errstate(invalid="ignore", divide="ignore"):
                retention = np.where(active > 0, 1.0 - lost / active, np.nan)
        else:
            return self._no_data(kpi, "CLV needs a retention column or rate", Severity.ERROR)
        d = m.discount_rate
        if m.aggregation is Aggregation.CLV_SIMPLE:
            with np.errstate(invalid="ignore", divide="ignore"):
                value = per_customer * retention / (1.0 + d - retention)
        else:
            growth = retention / (1.0 + d)
            value = per_customer * sum(growth**t for t in range(1, m.horizon + 1))
        return Actual(value, n)


def _spread(result: pd.DataFrame, size: int, columns: list[str]) -> FloatArray:
    """A grouped result (index = group code) as a dense (columns, size) array, NaN-filled."""
    out = np.full((len(columns), size), np.nan)
    index = result.index.to_numpy(dtype=np.int64)
    out[:, index] = result[columns].to_numpy(dtype=np.float64, na_value=np.nan).T
    return out


def _columns_needed(m: Measure) -> list[str]:
    cols = [c for c in (m.column, m.denominator, m.retention_column) if c]
    if m.aggregation is Aggregation.CHURN_RATE or (
        m.aggregation in (Aggregation.CLV_SIMPLE, Aggregation.CLV_DISCOUNTED)
        and not m.retention_column
        and m.retention_rate is None
    ):
        cols += [c for c in (m.start_column, m.end_column) if c]
    return cols


def normalised_key_count(series: pd.Series) -> int:
    """Distinct customers after key normalisation (used by reports)."""
    return int(normalise_keys(series).nunique())
