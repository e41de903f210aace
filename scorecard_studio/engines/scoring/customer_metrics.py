"""Customer and survey metrics: NPS, CSAT, CES, churn rate and lifetime value.

They need more than one column per row (a response and its scale, an account's start and
end, a margin and a retention), so they are built on the shared reductions rather than
being one of them.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard_studio.domain.findings import Finding, Severity
from scorecard_studio.domain.model import Aggregation, CesMode, Kpi, Measure, SurveyScale
from scorecard_studio.engines.scoring.grid import Actual, FloatArray, IntArray
from scorecard_studio.engines.scoring.prepare import (
    month_ordinals,
    normalise_keys,
    time_stamps,
    to_datetime,
)
from scorecard_studio.engines.scoring.reductions import Reductions


class CustomerMetrics(Reductions):
    """The metrics of specification section 2's table, over the shared reductions."""

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
        started row (by start date; equal dates: the later row in the file). A row without
        an end keeps its account open, whether or not it has a start; an account needs at
        least one row with a start to count at all.
        """
        assert m.start_column is not None
        assert m.end_column is not None
        src = self.sources[src_id]
        tz = self.grid.timezone
        started = to_datetime(src.frame[m.start_column], src.source.date_order, tz)
        start = month_ordinals(started)
        end = month_ordinals(to_datetime(src.frame[m.end_column], src.source.date_order, tz))
        slot = np.where(src.tier >= 0, src.tier, self.grid.n_tiers)
        key = src.source.key_column
        if not key or key not in src.frame.columns:
            return start, end, slot
        keys = normalise_keys(src.frame[key])
        stamps = time_stamps(started)
        undated = stamps == np.iinfo(np.int64).max
        rows = pd.DataFrame(
            {
                "key": keys,
                "start": np.where(undated, np.iinfo(np.int64).max, start),
                "end": end,
                "slot": slot,
                "when": np.where(undated, np.iinfo(np.int64).min, stamps),
            }
        )
        rows = rows[rows["key"].notna()]
        rows = rows.iloc[np.argsort(rows["when"].to_numpy(), kind="stable")]
        grouped = rows.groupby("key", sort=False)
        open_rows = grouped["end"].min() < 0
        counted = grouped["when"].max() > np.iinfo(np.int64).min  # some row has a start
        accounts = pd.DataFrame(
            {
                "start": grouped["start"].min(),
                "end": grouped["end"].max().where(~open_rows, -1),
                "slot": grouped["slot"].last(),
            }
        )[counted]
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
