"""Typing a column the way a careful analyst would, counting everything it could not use.

A column becomes one of: number, percent, currency (all float64), date (datetime64),
boolean (pandas ``boolean``) or text (``str``). The type is the one most of its filled
cells support; cells of that column that do not fit it become missing *and are counted as
unparseable with examples*, so nothing is dropped silently. When fewer than 90 % of the
filled cells fit a typed reading the column stays text and keeps every value verbatim.

Text understood: thousands separators (``1,234.5``, ``1.234,5``, ``1 234,5``,
``1'234.5``), negative numbers in parentheses, currency symbols and codes, ``45%`` (0.45),
Yes/No, Y/N, TRUE/FALSE, ISO dates, day-first or month-first numeric dates (detected per
column; a warning when nothing in the column tells them apart) and dates with month names.
Cells holding only spaces are missing; Excel error values are missing and counted apart.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard_studio.domain.model import DateOrder
from scorecard_studio.engines.importing.columns.arrow_text import text_cells
from scorecard_studio.engines.importing.columns.cells import ERROR_CODES, ExcelError
from scorecard_studio.engines.importing.columns.text_dates import (
    as_utc,
    has_offsets,
    mixed_zones_note,
    naive,
    parse_dates,
)

#: A column stays text unless this share of its filled cells fit a typed reading (booleans:
#: all of them, so a third answer such as "No phone service" keeps the column text).
TYPED_SHARE = 0.9
#: Large text columns are first judged on this many filled cells, spread evenly over the
#: column (so a column whose first rows differ from the rest is still judged by all).
SAMPLE = 500
#: Excel serial day numbers accepted as dates inside a date column (1900-01-01 to 9999).
_SERIAL_RANGE = (1.0, 106_000.0)  # up to the year 2190, inside pandas' datetime range
_EXCEL_EPOCH = np.datetime64("1899-12-30", "ns")

BoolArray = npt.NDArray[np.bool_]


class ColumnType(StrEnum):
    NUMBER = "number"
    PERCENT = "percent"
    CURRENCY = "currency"
    DATE = "date"
    BOOLEAN = "boolean"
    TEXT = "text"
    EMPTY = "empty"


@dataclass(slots=True)
class TypedColumn:
    """One typed column and what typing it found."""

    name: str
    type: ColumnType
    values: pd.Series
    missing: int = 0  # missing after typing (blank, error and unparseable cells included)
    blank_text: int = 0  # cells holding only spaces
    errors: int = 0  # Excel error cells
    unparseable: int = 0  # filled cells that did not fit the column's type
    unparseable_at: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    examples: list[str] = field(default_factory=list)
    bad_values: list[str] = field(default_factory=list)  # raw text at ``unparseable_at``
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # severity, code, text
    symbol: str = ""  # a currency column's most frequent symbol or code ("$", "EUR")


#: Text that means "no value" in exports (compared case-insensitively, trimmed).
NULL_MARKERS = frozenset({"null", "n/a", "na", "none", "nan", "-", "--", "—", "–", "#n/a"})

_BOOL_WORDS = {
    "yes": True,
    "no": False,
    "y": True,
    "n": False,
    "true": True,
    "false": False,
}
_CURRENCY = re.compile(r"[$€£¥₹₽₩₪]|\b(?:USD|EUR|GBP|CHF|JPY|CAD|AUD|SEK|NOK|DKK|INR)\b")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_EU_NUMBER = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+(,\d+)?|\d+,\d+)$")
_US_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+(\.\d+)?|\d+\.\d+)$")


def type_column(
    name: str,
    series: pd.Series,
    *,
    date_order: DateOrder = DateOrder.AUTO,
    error_positions: npt.NDArray[np.int64] | None = None,
) -> TypedColumn:
    """Type one column; ``error_positions`` are rows a reader reported as error cells."""
    n_errors = 0 if error_positions is None else len(error_positions)
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return _done(name, ColumnType.BOOLEAN, series.astype("boolean"), n_errors)
    if pd.api.types.is_numeric_dtype(dtype):
        if pd.api.types.is_integer_dtype(dtype) and len(series) and series.abs().max() > 2**53:
            # identifiers too long for a float: kept exactly, as text
            return _done(name, ColumnType.TEXT, series.astype("str"), n_errors)
        return _done(name, ColumnType.NUMBER, series.astype("float64"), n_errors)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        values = naive(series)
        if isinstance(dtype, pd.DatetimeTZDtype):
            values = as_utc(values)
        return _done(name, ColumnType.DATE, values, n_errors)
    return _type_mixed(name, series, date_order, n_errors)


def _done(name: str, kind: ColumnType, values: pd.Series, errors: int) -> TypedColumn:
    missing = int(values.isna().sum())
    if missing == len(values):
        kind = ColumnType.EMPTY
    col = TypedColumn(name, kind, values, missing=missing, errors=errors)
    if errors:
        col.notes.append(_error_note(name, errors))
    return col


def _error_note(name: str, errors: int) -> tuple[str, str, str]:
    return (
        "warning",
        "excel_error_cells",
        f"{name!r}: {errors:,} cells hold Excel errors (#N/A, #DIV/0!…) and are treated as missing",
    )


def _type_mixed(name: str, series: pd.Series, order: DateOrder, n_errors: int) -> TypedColumn:
    """Object or string columns: natives from workbooks and text from anywhere."""
    n = len(series)
    cells = text_cells(series, NULL_MARKERS)  # Arrow text: one kernel per question
    if cells is not None:
        raw: npt.NDArray[np.object_] = np.empty(0, dtype=object)  # natives only; none here
        kinds = np.full(n, "s")
        text = cells.text
        null_markers = int(cells.marker.sum())
        blank_text = int(cells.blank.sum())
        error_text = cells.error
        errors = n_errors + int(error_text.sum())
        usable_text = cells.valid & ~cells.marker & ~cells.blank & ~cells.error
        no_natives = np.zeros(n, dtype=bool)
        natives = dict.fromkeys("nbdt", no_natives)
    else:
        if isinstance(series.dtype, pd.StringDtype):  # text only: no per-cell look needed
            raw = np.empty(0, dtype=object)
            kinds = np.full(n, "s")
            text = series.str.strip()
            text.index = pd.RangeIndex(n)
        else:
            raw = np.asarray(series.astype(object).where(series.notna(), None))
            kinds = np.array([_native_kind(v) for v in raw], dtype="U1")
            only_text = raw.copy()
            only_text[kinds != "s"] = None
            text = pd.Series(only_text, dtype="str").str.strip()
        is_text = kinds == "s"
        markers = text.str.lower().isin(NULL_MARKERS).fillna(False).to_numpy()
        null_markers = int((is_text & markers).sum())
        text = text.where(~pd.Series(markers, index=text.index), "")
        blank_text = int((is_text & text.eq("").fillna(False).to_numpy()).sum()) - null_markers
        error_text = text.isin(ERROR_CODES).fillna(False).to_numpy()
        errors = n_errors + int((kinds == "e").sum()) + int(error_text.sum())
        usable_text = is_text & ~error_text & (text.notna() & text.ne("")).to_numpy(dtype=bool)
        natives = {k: kinds == k for k in "nbdt"}
    filled = int(usable_text.sum() + sum(int(m.sum()) for m in natives.values()))
    col = TypedColumn(name, ColumnType.TEXT, series, blank_text=blank_text, errors=errors)
    if errors:
        col.notes.append(_error_note(name, errors))
    if blank_text:
        col.notes.append(
            (
                "info",
                "blank_as_space",
                f"{name!r}: {blank_text:,} cells hold only spaces and are treated as missing",
            )
        )
    if null_markers:
        col.notes.append(
            (
                "info",
                "null_markers",
                f"{name!r}: {null_markers:,} cells say there is no value (NULL, N/A, -…) and "
                "are treated as missing",
            )
        )
    if filled == 0:
        col.type = ColumnType.EMPTY
        col.values = pd.Series(np.full(n, np.nan), index=series.index, dtype="float64")
        col.missing = n
        return col
    texts = text if usable_text.all() else text.where(pd.Series(usable_text, index=text.index))
    candidates = _candidates(texts, raw, usable_text, natives, order, filled)
    kind, parsed, ok, notes = max(candidates, key=lambda c: int(c[2].sum()))
    need = filled if kind is ColumnType.BOOLEAN else TYPED_SHARE * filled
    if int(ok.sum()) < need:
        kind, parsed, ok, notes = _as_text(raw, kinds, texts, usable_text)
    col.type = kind
    col.notes.extend(notes)
    if kind is ColumnType.CURRENCY:
        col.symbol = _currency_symbol(texts)
    fill_mask = usable_text | natives["n"] | natives["b"] | natives["d"] | natives["t"]
    bad = fill_mask & ~ok
    col.unparseable = int(bad.sum())
    col.unparseable_at = np.flatnonzero(bad)
    originals = series.iloc[col.unparseable_at[:10_000]].tolist()
    col.bad_values = [_spell(v) for v in originals]
    if col.unparseable:
        shown = pd.unique(pd.Series(col.bad_values[:200], dtype=object).astype(str))[:5]
        col.examples = [str(v) for v in shown]
        col.notes.append(
            (
                "warning",
                "unparseable",
                f"{name!r} ({kind.value}): {col.unparseable:,} values are not a "
                f"{kind.value} and are left missing, e.g. {', '.join(map(repr, col.examples))}",
            )
        )
    parsed.index = series.index
    col.values = parsed
    col.missing = int(parsed.isna().sum())
    return col


def _native_kind(value: object) -> str:
    """One letter per cell: s text/empty, n number, b bool, d date, t time, e error."""
    if value is None or isinstance(value, str):
        return "s"
    if isinstance(value, bool | np.bool_):
        return "b"
    if isinstance(value, int | float | np.integer | np.floating):
        return "s" if np.isnan(value) else "n"  # NaN is empty
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp | np.datetime64):
        return "d"
    if isinstance(value, dt.time | dt.timedelta | pd.Timedelta):
        return "t"
    if isinstance(value, ExcelError):
        return "e"
    return "s"


Candidate = tuple[ColumnType, pd.Series, BoolArray, list[tuple[str, str, str]]]

#: A reading is tried on the whole column when this share of the sample supports it.
MIN_SHARE = 0.2
#: Text that could be a number: digits with separators, signs, parentheses, percent,
#: exponent and currency (symbols or codes) only. A superset of what _parse_numbers reads.
_NUMBER_LIKE = re.compile(
    r"^(?:[\d\s.,'()+\-%eE\u00a0\u202f\u2009\u2212$€£¥₹₽₩₪]|USD|EUR|GBP|CHF|JPY|CAD|AUD"
    r"|SEK|NOK|DKK|INR)*\d(?:[\d\s.,'()+\-%eE\u00a0\u202f\u2009\u2212$€£¥₹₽₩₪]|USD|EUR"
    r"|GBP|CHF|JPY|CAD|AUD|SEK|NOK|DKK|INR)*$"
)
#: Text that could be a date: starting with a digit (ISO and numeric dates) or naming a
#: month. A superset of what parse_dates reads.
_DATE_LIKE = re.compile(r"^[+-]?\d|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")


def _share(words: Counter[str], pattern: re.Pattern[str]) -> float:
    """The share of ``words`` (each counted as often as it occurs) that ``pattern`` finds.

    Each distinct word is searched once: a column of a few categories costs a few searches.
    """
    total = words.total()
    return sum(n for w, n in words.items() if pattern.search(w)) / total if total else 0.0


def _bool_share(words: Counter[str]) -> float:
    """The share of ``words`` that are yes/no words (see :data:`_BOOL_WORDS`)."""
    total = words.total()
    return sum(n for w, n in words.items() if w.lower() in _BOOL_WORDS) / total if total else 0.0


def _candidates(
    texts: pd.Series,
    raw: npt.NDArray[np.object_],
    usable: BoolArray,
    natives: dict[str, BoolArray],
    order: DateOrder,
    filled: int,
) -> list[Candidate]:
    filled_at = np.flatnonzero(usable)
    if len(filled_at) > SAMPLE:
        filled_at = filled_at[np.linspace(0, len(filled_at) - 1, SAMPLE).astype(np.intp)]
    sample = texts.iloc[filled_at]  # strings where usable
    # Parsing is tried on the sample only for the readings a cheap look at its text
    # allows: a column of ids or names costs no number or date parse at all.
    seen = Counter(str(v) for v in sample.tolist())
    could = {
        "number": _share(seen, _NUMBER_LIKE) >= MIN_SHARE,
        "date": _share(seen, _DATE_LIKE) >= MIN_SHARE,
    }
    quick = {
        "number": _parse_numbers(sample)[0].notna().mean() if could["number"] else 0.0,
        "date": parse_dates(sample, order)[0].notna().mean() if could["date"] else 0.0,
        "bool": _bool_share(seen),
    }
    native_share = sum(int(m.sum()) for m in natives.values()) / filled
    out: list[Candidate] = []
    n = len(texts)
    index = texts.index
    zero_padded = bool(sample.str.match(r"^[+-]?0\d+$").fillna(False).any())
    if zero_padded:  # identifiers such as 00123 stay text so their zeros survive
        quick["number"] = 0.0
    if (quick["number"] >= MIN_SHARE and not zero_padded) or natives["n"].any():
        nums, kind = _parse_numbers(texts)
        values = nums.to_numpy(dtype="float64", na_value=np.nan)
        native_nums = (
            np.array([float(v) if k else np.nan for v, k in zip(raw, natives["n"], strict=True)])
            if natives["n"].any()
            else np.full(n, np.nan)
        )
        values = np.where(natives["n"], native_nums, values)
        ok = ~np.isnan(values)
        out.append((kind, pd.Series(values, index=index, dtype="float64"), ok, []))
    if quick["date"] >= MIN_SHARE or natives["d"].any():
        dates, notes = parse_dates(texts, order)
        values = dates.to_numpy(dtype="datetime64[ns]")
        if natives["d"].any():
            objs = raw
            native = pd.to_datetime(
                pd.Series([v if k else None for v, k in zip(objs, natives["d"], strict=True)]),
                errors="coerce",
            )
            values = np.where(natives["d"], naive(native).to_numpy(dtype="datetime64[ns]"), values)
        real_dates = bool(natives["d"].any()) or bool((~np.isnat(values)).any())
        if natives["n"].any() and real_dates:  # serial day numbers among real dates
            objs = raw
            serial = np.array(
                [float(v) if k else np.nan for v, k in zip(objs, natives["n"], strict=True)]
            )
            in_range = (serial >= _SERIAL_RANGE[0]) & (serial < _SERIAL_RANGE[1])
            days = np.where(in_range, serial, 0.0)
            as_dates = _EXCEL_EPOCH + (days * 86400e9).astype("timedelta64[ns]")
            values = np.where(natives["n"] & in_range, as_dates, values)
            if (natives["n"] & in_range).any():
                notes = [
                    *notes,
                    (
                        "info",
                        "date_serials",
                        f"{int((natives['n'] & in_range).sum()):,} plain numbers in a date "
                        "column were read as Excel day numbers (1900 system)",
                    ),
                ]
        ok = ~np.isnat(values)
        date_values = pd.Series(values, index=index)
        if has_offsets(texts):
            date_values = as_utc(date_values)
            if natives["d"].any() or not has_offsets(texts, every=True):
                notes = [*notes, mixed_zones_note()]
        out.append((ColumnType.DATE, date_values, ok, notes))
    if quick["bool"] >= MIN_SHARE or natives["b"].any():
        words = texts.str.lower().map(_BOOL_WORDS)
        objs = raw if len(raw) else np.full(n, None, dtype=object)
        merged = [
            bool(v) if isb else (w if isinstance(w, bool) else None)
            for v, isb, w in zip(objs, natives["b"], words, strict=True)
        ]
        values_b = pd.Series(pd.array(merged, dtype="boolean"), index=index)
        out.append((ColumnType.BOOLEAN, values_b, values_b.notna().to_numpy(), []))
    del native_share
    out.append(_as_text_placeholder(texts))
    return out


def _as_text_placeholder(texts: pd.Series) -> Candidate:
    return (ColumnType.TEXT, texts, np.zeros(len(texts), dtype=bool), [])


def _as_text(
    raw: npt.NDArray[np.object_], kinds: npt.NDArray[np.str_], texts: pd.Series, usable: BoolArray
) -> Candidate:
    """Every value kept: text as written (trimmed), natives in their usual spelling."""
    out = texts  # a fresh series already: the caller only gives it a new index
    if not len(raw):  # text only (no native cells to spell)
        return ColumnType.TEXT, out, usable, []
    natives = (kinds != "s") & (kinds != "e")
    other = np.flatnonzero(natives)
    if len(other):
        out = out.astype(object)
        for i in other.tolist():
            out.iat[i] = _spell(raw[i])
        # cells missing in the source stay missing: pandas 2 spells them "nan" in astype
        out = out.astype("str").where(out.notna())
    return ColumnType.TEXT, out, usable | natives, []


def _spell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _currency_symbol(texts: pd.Series, sample: int = 200) -> str:
    """The symbol or code a currency column writes most often, for showing its values."""
    found = texts.dropna().iloc[:sample].astype("str").str.extract(f"({_CURRENCY.pattern})")[0]
    modes = found.dropna().mode()
    return str(modes.iloc[0]) if len(modes) else ""


def _parse_numbers(texts: pd.Series) -> tuple[pd.Series, ColumnType]:
    """Numbers written as text, with the column's decimal convention; NaN where not."""
    t = texts.astype("str")
    negative = t.str.match(r"^\(.*\)$").fillna(False) | t.str.endswith("-").fillna(False)
    percent = t.str.contains("%", regex=False).fillna(False)
    currency = t.str.contains(_CURRENCY).fillna(False)
    t = t.str.replace(_CURRENCY, "", regex=True).str.replace(r"[()%]", "", regex=True)
    t = t.str.replace("\u2212", "-", regex=False).str.rstrip("-")
    t = t.str.replace(_SPACES, "", regex=True)
    eu = int(t.str.match(_EU_NUMBER).fillna(False).sum())
    us = int(t.str.match(_US_NUMBER).fillna(False).sum())
    if eu > us:
        t = t.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        t = t.where(
            ~t.str.contains(",", regex=False).fillna(False) | t.str.match(_US_NUMBER).fillna(False)
        )
        t = t.str.replace(",", "", regex=False)
    nums = pd.to_numeric(t, errors="coerce").astype("float64")
    nums = nums.where(~negative, -nums.abs())
    nums = nums.where(~percent, nums / 100.0)
    filled = max(int(nums.notna().sum()), 1)
    if int((percent & nums.notna()).sum()) * 2 >= filled:
        kind = ColumnType.PERCENT
    elif int((currency & nums.notna()).sum()) * 2 >= filled:
        kind = ColumnType.CURRENCY
    else:
        kind = ColumnType.NUMBER
    return nums, kind
