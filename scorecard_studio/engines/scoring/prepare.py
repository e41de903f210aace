"""From a source table to the integer codes aggregation needs: tier and period per row.

Everything after this step is array arithmetic over ``group = tier * n_periods + period``.
Rows that cannot be placed are never dropped silently: a row without a usable date lands in
no period and one without a known tier lands in the *unassigned* tier (it still counts for
"all customers"); both are counted in findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard_studio.domain.errors import DesignError
from scorecard_studio.domain.findings import Finding, Severity
from scorecard_studio.domain.model import DataSource, DateOrder, Layout, Scorecard, TierMode
from scorecard_studio.domain.periods import TIMESTAMP_WITH_OFFSET, Calendar
from scorecard_studio.domain.wording import count_has

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: Tier code of a row whose tier is unknown.
UNASSIGNED = -1


@dataclass(slots=True)
class PreparedSource:
    """One source table with each row's month ordinal, period ordinal and tier index."""

    source: DataSource
    frame: pd.DataFrame
    month: IntArray  # month ordinal per row, or -1 where the row has no date
    period: IntArray  # period ordinal per row, or -1
    tier: IntArray  # tier index per row, or UNASSIGNED
    has_dates: bool
    findings: list[Finding] = field(default_factory=list)
    #: Local wall-clock time per row in nanoseconds (0 where a period column or no date
    #: places it): what "latest row" means, down to the second, whatever the file order.
    stamp: IntArray | None = None

    def order_by_time(self) -> IntArray:
        """Row indexes from earliest to latest; rows at the same time keep file order."""
        if self.stamp is None:
            return np.arange(len(self.frame), dtype=np.int64)
        return np.argsort(self.stamp, kind="stable").astype(np.int64)

    def column(self, name: str) -> pd.Series:
        """A measure column; for a long-layout source, the values of metric ``name``."""
        if self.source.layout is Layout.LONG and self.source.metric_column:
            metric = self.frame[self.source.metric_column].astype("string")
            value_col = self.source.value_column or "value"
            return self.frame[value_col].where(metric == name)
        return self.frame[name]

    def has_column(self, name: str) -> bool:
        if self.source.layout is Layout.LONG and self.source.metric_column:
            metric = self.frame[self.source.metric_column].astype("string")
            return bool((metric == name).any())
        return name in self.frame.columns


def to_datetime(series: pd.Series, order: DateOrder, timezone: str) -> pd.Series:
    """Parse a date column into naive timestamps in the scorecard's time zone.

    A time-zone-aware value is converted to the scorecard's zone before bucketing; a naive
    one is taken to be in it already (specification section 2).
    """
    if not isinstance(series.dtype, pd.DatetimeTZDtype) and not pd.api.types.is_datetime64_dtype(
        series.dtype
    ):
        if pd.api.types.is_numeric_dtype(series.dtype):
            # Excel serial dates in the 1900 system (the importer converts 1904 files).
            series = pd.to_datetime(series, unit="D", origin="1899-12-30", errors="coerce")
        else:
            return _text_to_datetime(series.astype("string").str.strip(), order, timezone)
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_convert(timezone).dt.tz_localize(None)
    return series


def _text_to_datetime(text: pd.Series, order: DateOrder, timezone: str) -> pd.Series:
    """Text dates as naive local times: instants (with an offset) converted, the rest as is.

    One column may hold several offsets (a daylight-saving change, exports from several
    zones) and even text without one: each instant is converted on its own, and wall times
    are taken to be in the scorecard's zone already.
    """
    dayfirst = order is DateOrder.DAY_FIRST
    marked = text.str.contains(TIMESTAMP_WITH_OFFSET, case=False, regex=True)
    aware = marked.fillna(False).to_numpy(dtype=bool)
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if aware.any():
        instants = pd.to_datetime(text[aware], utc=True, errors="coerce", format="mixed")
        out[aware] = instants.dt.tz_convert(timezone).dt.tz_localize(None).astype(out.dtype)
    if not aware.all():
        local = pd.to_datetime(text[~aware], errors="coerce", format="mixed", dayfirst=dayfirst)
        out[~aware] = local.astype(out.dtype)
    return out


def month_ordinals(dates: pd.Series) -> IntArray:
    """``year * 12 + month - 1`` per row, -1 where the date is missing."""
    values = dates.to_numpy(dtype="datetime64[ns]")
    missing = np.isnat(values)
    months = values.astype("datetime64[M]").astype(np.int64) + 1970 * 12
    months[missing] = -1
    return months.astype(np.int64)


def time_stamps(dates: pd.Series) -> IntArray:
    """Nanoseconds of naive local times, for ordering; a missing date sorts last."""
    values = dates.to_numpy(dtype="datetime64[ns]")
    out = values.astype(np.int64)
    out[np.isnat(values)] = np.iinfo(np.int64).max
    return out


def prepare_source(
    card: Scorecard,
    source: DataSource,
    frame: pd.DataFrame,
    calendar: Calendar,
    key_tiers: dict[str, int] | None,
) -> PreparedSource:
    """Codes for every row of one source; ``key_tiers`` maps customer keys to tier indexes."""
    findings: list[Finding] = []
    n = len(frame)
    month = np.full(n, -1, dtype=np.int64)
    period = np.full(n, -1, dtype=np.int64)
    has_dates = False
    stamp: IntArray | None = None
    if source.date_column and source.date_column in frame.columns:
        dates = to_datetime(frame[source.date_column], source.date_order, card.settings.timezone)
        month = month_ordinals(dates)
        stamp = time_stamps(dates)
        valid = month >= 0
        period[valid] = _periods_of_months(month[valid], calendar)
        has_dates = True
        bad = int((~valid).sum())
        if bad:
            findings.append(
                Finding(
                    Severity.WARNING,
                    "row_without_date",
                    source.id,
                    f"{source.name}: {count_has(bad, 'row')} no usable date in "
                    f"{source.date_column!r} and count in no period",
                )
            )
    elif source.period_column and source.period_column in frame.columns:
        period, bad = period_ordinals(frame[source.period_column], calendar, card.settings.timezone)
        month = np.where(period >= 0, _first_months(period, calendar), -1)
        has_dates = True
        if bad:
            findings.append(
                Finding(
                    Severity.WARNING,
                    "row_without_period",
                    source.id,
                    f"{source.name}: {count_has(bad, 'row')} a period that does not fit the "
                    f"scorecard's {calendar.frequency.value} periods",
                )
            )
    tier = _tier_codes(card, source, frame, key_tiers, findings)
    return PreparedSource(source, frame, month, period, tier, has_dates, findings, stamp)


def _periods_of_months(months: IntArray, calendar: Calendar) -> IntArray:
    if calendar.months_per_period == 1:
        return months
    return (months - calendar.offset) // calendar.months_per_period


def _first_months(periods: IntArray, calendar: Calendar) -> IntArray:
    if calendar.months_per_period == 1:
        return periods
    return periods * calendar.months_per_period + calendar.offset


def period_ordinals(series: pd.Series, calendar: Calendar, timezone: str) -> tuple[IntArray, int]:
    """Period ordinal per row from a period column, and how many rows fit no period.

    Every label the calendar writes reads back, and so does a finer one (a month label in a
    quarterly scorecard). The importer may have typed the column already: ``2026-01``
    labels become dates (their month is the label) and ``2026`` years become numbers.
    """
    if isinstance(series.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(
        series.dtype
    ):
        months = month_ordinals(to_datetime(series, DateOrder.AUTO, timezone))
        out = np.where(months >= 0, _periods_of_months(np.maximum(months, 0), calendar), -1)
        return out.astype(np.int64), int((months < 0).sum())
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        numbers = pd.to_numeric(series, errors="coerce")
        whole = numbers.where(numbers == numbers.round())
        text = whole.astype("Int64").astype("string")
    else:
        text = series.astype("string").str.strip()
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    parsed = np.full(len(uniques) + 1, -1, dtype=np.int64)
    for i, label in enumerate(uniques):
        try:
            parsed[i] = calendar.period_containing(str(label))
        except DesignError:
            continue
    out = parsed[codes]  # code -1 picks the trailing -1
    return out, int((out < 0).sum())


def normalise_tier_text(value: str) -> str:
    return " ".join(value.split()).casefold()


def tier_lookup(card: Scorecard) -> dict[str, int]:
    """Raw tier text -> tier index: explicit mapping, then tier id, then tier name."""
    index = {t.id: i for i, t in enumerate(card.tiers)}
    lookup: dict[str, int] = {}
    for i, t in enumerate(card.tiers):
        lookup[normalise_tier_text(t.name)] = i
        lookup[normalise_tier_text(t.id)] = i
    for raw, tier_id in card.tiering.values:
        if tier_id in index:
            lookup[normalise_tier_text(raw)] = index[tier_id]
    return lookup


def tiers_from_column(card: Scorecard, series: pd.Series) -> tuple[IntArray, set[str]]:
    """Tier index per row from a tier column, and the raw values that matched no tier."""
    lookup = tier_lookup(card)
    codes, uniques = pd.factorize(series.astype("string"), use_na_sentinel=True)
    mapped = np.full(len(uniques) + 1, UNASSIGNED, dtype=np.int64)
    unknown: set[str] = set()
    for i, raw in enumerate(uniques):
        text = str(raw)
        key = normalise_tier_text(text)
        if key in lookup:
            mapped[i] = lookup[key]
        elif key.replace(".0", "").isdigit() and f"tier {int(float(key))}" in lookup:
            mapped[i] = lookup[f"tier {int(float(key))}"]
        else:
            unknown.add(text)
    return mapped[codes], unknown


def normalise_keys(series: pd.Series) -> pd.Series:
    """Customer keys compared as trimmed, case-folded text (``" ACME-01"`` = ``"acme-01"``)."""
    text = series.astype("string").str.strip().str.casefold()
    # 1001.0 from a float column and "1001" from a text column are the same customer.
    return text.str.replace(r"^(-?\d+)\.0+$", r"\1", regex=True)


def _tier_codes(
    card: Scorecard,
    source: DataSource,
    frame: pd.DataFrame,
    key_tiers: dict[str, int] | None,
    findings: list[Finding],
) -> IntArray:
    n = len(frame)
    own_column = (
        card.tiering.mode is TierMode.COLUMN
        and source.tier_column
        and source.tier_column in frame.columns
    )
    if own_column:
        assert source.tier_column is not None
        tiers, unknown = tiers_from_column(card, frame[source.tier_column])
        if unknown:
            sample = ", ".join(sorted(unknown)[:5])
            findings.append(
                Finding(
                    Severity.WARNING,
                    "unknown_tier_value",
                    source.id,
                    f"{source.name}: tier values {sample} match no tier; their rows count "
                    "only for all customers",
                )
            )
    elif key_tiers is not None and source.key_column and source.key_column in frame.columns:
        keys = normalise_keys(frame[source.key_column])
        mapped = keys.map(key_tiers)
        tiers = np.asarray(mapped.fillna(UNASSIGNED).to_numpy(dtype=np.int64), dtype=np.int64)
    else:
        tiers = np.full(n, UNASSIGNED, dtype=np.int64)
        if card.tiers:
            findings.append(
                Finding(
                    Severity.WARNING,
                    "no_tier_for_source",
                    source.id,
                    f"{source.name}: neither a tier column nor a customer key to find the tier; "
                    "its rows count only for all customers",
                )
            )
        return tiers
    unassigned = int((tiers == UNASSIGNED).sum())
    if unassigned and not own_column:
        findings.append(
            Finding(
                Severity.WARNING,
                "row_without_tier",
                source.id,
                f"{source.name}: {count_has(unassigned, 'row')} a customer key with no known tier; "
                "they count only for all customers",
            )
        )
    return tiers
