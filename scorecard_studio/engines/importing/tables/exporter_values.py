"""What each exporter means by its values, applied before and after typing.

:mod:`.exporters` names the system that wrote the file; here its conventions turn
into values typing understands, so the table reads as the system meant it:

* **Salesforce**: checkbox fields (``IsDeleted``, ``HasOptedOutOfEmail``…) are written as
  ``1`` or empty (or ``true``/``false``); a checkbox is never unset, so empty is False.
* **SurveyMonkey**: ``RespondentID`` and ``CollectorID`` are identifiers, kept as text
  (typing reads their digits as numbers; they go back to text after it).
* **Stripe**: ``Card Last4`` is four digits, kept as text with its leading zeros; booleans
  a European Excel re-saved as ``WAHR``/``FALSCH``, ``VRAI``/``FAUX``… are read as
  ``true``/``false``; columns marked ``(UTC)`` hold UTC times and become UTC-aware.
* **Jira**: dates with localized month names (``05/août/25 2:47 PM``) become ISO text.

Every change is described in a note (severity, code, text) for the import's findings.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from scorecard_studio.engines.importing.columns import localized_dates
from scorecard_studio.engines.importing.columns.column_types import ColumnType, TypedColumn
from scorecard_studio.engines.importing.tables.exporters import (
    JIRA,
    SALESFORCE,
    STRIPE,
    SURVEYMONKEY,
)

Note = tuple[str, str, str]

_CHECKBOX = re.compile(r"^(?:Is|Has)[A-Z]")
_CHECKBOX_VALUES = {"1": True, "0": False, "true": True, "false": False}
_IDENTIFIERS = {"respondentid", "collectorid"}
_LOCALE_BOOLEANS = {
    "wahr": "true",
    "falsch": "false",
    "vrai": "true",
    "faux": "false",
    "verdadero": "true",
    "falso": "false",
    "vero": "true",
    "waar": "true",
    "onwaar": "false",
    "sant": "true",
    "usant": "false",
}


def _word(value: object) -> str:
    """A value as trimmed, case-folded text (whole numbers as their digits)."""
    if isinstance(value, bool):
        return str(value).casefold()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip().casefold()


def _words(values: pd.Series) -> pd.Series:
    """The filled values as :func:`_word` text, blanks left out."""
    words = values.dropna().map(_word)
    return words[words != ""]


def _checkbox(value: object) -> bool:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return False
    return _CHECKBOX_VALUES.get(_word(value), False)


def _checkboxes(frame: pd.DataFrame) -> list[Note]:
    changed: list[str] = []
    for name in frame.columns:
        if _CHECKBOX.match(str(name)) and _words(frame[name]).isin(list(_CHECKBOX_VALUES)).all():
            frame[name] = frame[name].map(_checkbox).astype(bool)
            changed.append(str(name))
    if not changed:
        return []
    text = f"Salesforce checkboxes read as booleans, empty as False: {', '.join(changed)}"
    return [("info", "exporter_booleans", text)]


def _locale_booleans(frame: pd.DataFrame) -> list[str]:
    done: list[str] = []
    for name in frame.columns:
        values = frame[name]
        if values.dtype != object and not isinstance(values.dtype, pd.StringDtype):
            continue
        words = _words(values)
        if words.empty or not words.isin(list(_LOCALE_BOOLEANS)).all():
            continue
        frame[name] = values.map(
            lambda v: _LOCALE_BOOLEANS.get(str(v).strip().casefold(), v) if pd.notna(v) else v
        )
        done.append(str(name))
    return done


def before_typing(exporter: str | None, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Note]]:
    """The untyped table with the exporter's value conventions applied, and notes."""
    if exporter not in {SALESFORCE, STRIPE, JIRA}:
        return frame, []
    frame = frame.copy(deep=False)
    notes: list[Note] = []
    if exporter == SALESFORCE:
        notes = _checkboxes(frame)
    elif exporter == STRIPE:
        if words := _locale_booleans(frame):
            notes.append(
                (
                    "info",
                    "exporter_booleans",
                    f"booleans written in a European Excel's language read as true/false: "
                    f"{', '.join(words)}",
                )
            )
    elif exporter == JIRA:
        dated: list[str] = []
        for name in frame.columns:
            values = frame[name]
            if values.dtype == object or isinstance(values.dtype, pd.StringDtype):
                iso = localized_dates.to_iso(values)
                if iso is not None:
                    frame[name] = iso
                    dated.append(str(name))
        if dated:
            notes.append(
                (
                    "info",
                    "localized_dates",
                    f"dates with month names in the interface's language: {', '.join(dated)}",
                )
            )
    return frame, notes


def _identifiers(exporter: str | None, names: list[str]) -> list[tuple[str, int]]:
    """Columns of digits the exporter means as identifiers, with their zero-padded width."""
    if exporter == SURVEYMONKEY:
        return [(n, 0) for n in names if n.casefold().replace(" ", "") in _IDENTIFIERS]
    if exporter == STRIPE:
        return [(n, 4) for n in names if n.casefold().endswith("last4")]
    return []


def after_typing(
    exporter: str | None, frame: pd.DataFrame, typed: dict[str, TypedColumn]
) -> list[Note]:
    """The typed table (in place) as the exporter meant it, and notes.

    Identifiers typing read as numbers go back to their digits as text; Stripe's
    ``(UTC)`` columns become UTC-aware.
    """
    notes: list[Note] = []
    kept: list[str] = []
    for name, width in _identifiers(exporter, [str(n) for n in frame.columns]):
        col = typed[name]
        values = frame[name]
        whole = values.dropna()
        if col.type is not ColumnType.NUMBER or not (whole == whole.round()).all():
            continue
        digits = values.dropna().astype("int64").astype("str").str.zfill(width)
        text = pd.Series(None, index=values.index, dtype=object)
        text.loc[digits.index] = digits
        frame[name] = col.values = text
        col.type = ColumnType.TEXT
        kept.append(name)
    if kept:
        notes.append(
            ("info", "exporter_identifiers", f"identifiers kept as text: {', '.join(kept)}")
        )
    if exporter == STRIPE:
        utc = []
        for name in frame.columns:
            values = frame[name]
            if str(name).casefold().endswith("(utc)") and values.dtype == "datetime64[ns]":
                frame[name] = typed[str(name)].values = values.dt.tz_localize("UTC")
                utc.append(str(name))
        if utc:
            notes.append(
                ("info", "utc_columns", f"times in UTC, as the header says: {', '.join(utc)}")
            )
    return notes
