"""Dates written as text, and the time zones of date columns, for column typing.

Split from ``column_types`` because reading a date is its own small grammar: ISO 8601
first, then numeric dates whose day/month order is told from the column as a whole (a
value above 12 settles it; otherwise the data source's date order, with a warning when it
was only assumed), then dates with month names. Timestamps with an offset are kept as UTC
so the snapshot holds one instant per cell.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from scorecard_studio.domain.model import DateOrder
from scorecard_studio.domain.periods import TIMESTAMP_WITH_OFFSET

_MONTH_NAME = re.compile(
    r"(?i)^(?=.*\d)(?:\d{1,2}[ .\-/]*)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
    r"[ .,\-/]*\d"
)
_NUMERIC_DATE = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)


def naive(series: pd.Series) -> pd.Series:
    """Naive datetime64[ns] (aware values as UTC wall time); years pandas cannot hold: NaT.

    Callers that met an offset put it back with :func:`as_utc`, so a timestamp written
    with a zone keeps it through the snapshot and is converted to the scorecard's zone
    only when it is bucketed.
    """
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
    if series.dtype != "datetime64[ns]":
        lo, hi = series.min(), series.max()
        if not (pd.isna(lo) or (lo.year > 1677 and hi.year < 2262)):  # else all fit
            years = series.dt.year
            series = series.where((years > 1677) & (years < 2262))
    return series.astype("datetime64[ns]")


_OFFSET = TIMESTAMP_WITH_OFFSET


def has_offsets(texts: pd.Series, every: bool = False) -> bool:
    """Whether any (or every non-empty) text is a timestamp with a time-zone offset."""
    filled = texts.dropna()
    if filled.empty:
        return False
    marked = filled.astype("str").str.strip().str.contains(_OFFSET, case=False, regex=True)
    return bool(marked.all() if every else marked.any())


def as_utc(values: pd.Series) -> pd.Series:
    """Naive UTC wall times as an aware UTC column (what the snapshot keeps)."""
    return values.astype("datetime64[ns]").dt.tz_localize("UTC")


def mixed_zones_note() -> tuple[str, str, str]:
    return (
        "warning",
        "mixed_time_zones",
        "some timestamps carry a time-zone offset and some do not; those without one are "
        "taken to be in UTC",
    )


def parse_dates(texts: pd.Series, order: DateOrder) -> tuple[pd.Series, list[tuple[str, str, str]]]:
    """Dates written as text; the day/month order is detected per column."""
    notes: list[tuple[str, str, str]] = []
    t = texts.astype("str")
    out = pd.to_datetime(t, format="ISO8601", errors="coerce", utc=True)
    out = out.dt.tz_localize(None)
    rest = out.isna() & t.notna()
    if rest.any():
        parts = t[rest].str.extract(_NUMERIC_DATE)
        found = parts[0].notna()
        if found.any():
            a = parts[0].astype("float64")
            b = parts[1].astype("float64")
            day_first = bool((a > 12).any())
            month_first = bool((b > 12).any())
            if day_first and not month_first:
                dayfirst = True
            elif month_first and not day_first:
                dayfirst = False
            else:
                dayfirst = order is not DateOrder.MONTH_FIRST
                if order is DateOrder.AUTO and not (day_first and month_first):
                    notes.append(
                        (
                            "warning",
                            "ambiguous_dates",
                            "text dates such as "
                            f"{t[rest][found].iloc[0]!r} could be day-first or month-first; "
                            "read as day-first (change the data source's date order if wrong)",
                        )
                    )
            if order is DateOrder.DAY_FIRST:
                dayfirst = True
            elif order is DateOrder.MONTH_FIRST:
                dayfirst = False
            year = parts[2].astype("float64")
            year = year.where(year >= 100, year + np.where(year < 70, 2000, 1900))
            frame = pd.DataFrame(
                {
                    "year": year,
                    "month": b if dayfirst else a,
                    "day": a if dayfirst else b,
                    "hour": parts[3].astype("float64").fillna(0),
                    "minute": parts[4].astype("float64").fillna(0),
                    "second": parts[5].astype("float64").fillna(0),
                }
            )
            parsed = pd.to_datetime(frame[found], errors="coerce")
            out.loc[parsed.index] = parsed
        rest = out.isna() & t.notna() & t.str.contains(_MONTH_NAME).fillna(False)
        if rest.any():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                loose = pd.to_datetime(
                    t[rest],
                    format="mixed",
                    errors="coerce",
                    dayfirst=order is not DateOrder.MONTH_FIRST,
                )
            out.loc[loose.index] = loose
    return naive(out), notes
