"""From rows to actuals: every aggregation of specification section 2, vectorised.

``Aggregator`` plans the grouped reductions the KPIs ask for and turns each KPI's measure
into its actual: simple aggregations and ratios from the shared reductions
(``reductions.py``), survey and customer metrics from ``customer_metrics.py``, and the
trailing-twelve-months sum here. Problems become findings, never exceptions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecard_studio.domain.findings import Finding, Severity
from scorecard_studio.domain.model import Aggregation, Kpi, Measure
from scorecard_studio.engines.scoring.customer_metrics import CustomerMetrics
from scorecard_studio.engines.scoring.grid import Actual, FloatArray, Grid, IntArray
from scorecard_studio.engines.scoring.prepare import normalise_keys
from scorecard_studio.engines.scoring.reductions import GROUPWISE

__all__ = ["Actual", "Aggregator", "FloatArray", "Grid", "IntArray"]


class Aggregator(CustomerMetrics):
    """Aggregates the prepared sources of one scoring run, caching shared reductions."""

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

    def _ttm(self, src_id: str, m: Measure) -> Actual:
        """Trailing twelve months: the sum over the window of periods ending at each period.

        A window reaching back before the source's first data period is incomplete and gives
        no value, rather than a partial sum presented as a full year.
        """
        assert m.column is not None
        g = self.grid
        window = max(1, 12 // g.calendar.months_per_period)
        # The window reaches back before the first period shown (a range asked for with
        # --from, say): sum on an axis extended by the window, then keep the periods shown.
        n_ext = g.n_periods + window - 1
        src = self.sources[src_id]
        values = self.numbers(src_id, m.column)
        offset = src.period - (g.first_period - (window - 1))
        ok = (src.period >= 0) & (offset >= 0) & (offset < n_ext) & ~np.isnan(values)
        slot = np.where(src.tier >= 0, src.tier, g.n_tiers)
        code = (slot * n_ext + offset)[ok]
        size = (g.n_tiers + 1) * n_ext
        sums = np.bincount(code, weights=values[ok], minlength=size).reshape(g.n_tiers + 1, -1)
        counts = np.bincount(code, minlength=size).reshape(g.n_tiers + 1, -1).astype(np.float64)
        sums[g.n_tiers], counts[g.n_tiers] = sums.sum(axis=0), counts.sum(axis=0)
        csum = np.cumsum(np.concatenate((np.zeros((g.n_tiers + 1, 1)), sums), axis=1), axis=1)
        ccnt = np.cumsum(np.concatenate((np.zeros((g.n_tiers + 1, 1)), counts), axis=1), axis=1)
        ttm = csum[:, window:] - csum[:, :-window]
        nwin = ccnt[:, window:] - ccnt[:, :-window]
        first_data = self._first_data_period(src_id)
        value = np.where(nwin > 0, ttm, np.nan)
        if first_data is not None:
            start = first_data - g.first_period + window - 1
            value[:, : max(0, start)] = np.nan
        return Actual(value, nwin)

    def _first_data_period(self, src_id: str) -> int | None:
        periods = self.sources[src_id].period
        valid = periods[periods >= 0]
        return int(valid.min()) if valid.size else None


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
