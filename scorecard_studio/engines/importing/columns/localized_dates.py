"""Dates written with month names in the user's language, as Jira writes them.

Jira formats dates with the Java pattern ``dd/MMM/yy h:mm a`` in the language of the
user's interface: ``05/août/25 2:47 PM``, ``15/juil./25``, ``14/sept./25``, ``03/Mär/25``.
Typing reads English month names only; here such text becomes ISO text
(``2025-08-05 14:47``) that typing reads like any date. The abbreviations are those of the
Java locales of Jira's most used interface languages; none of them names two different
months, so one table serves them all.
"""

from __future__ import annotations

import re

import pandas as pd

#: Month abbreviations and names (case-folded, without the trailing dot) → month number.
MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "jan january janv janvier januar ene enero gen gennaio jän jänner janeiro",
        "feb february févr février fevr februar febr febrero febbraio fev fevereiro",
        "mar march mars märz mär mrz marzo março mrt maart",
        "apr april avr avril abr abril aprile",
        "may mai mayo mag maggio mei",
        "jun june juin juni junio giu giugno junho",
        "jul july juil juillet juli julio lug luglio julho",
        "aug august août aout ago agosto augustus",
        "sep sept september septembre septiembre set settembre setembro",
        "oct october octobre okt oktober octubre ott ottobre out outubro",
        "nov november novembre noviembre novembro",
        "dec december déc décembre dez dezember dic diciembre dicembre dezembro",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

#: ``05/août/25 2:47 PM``: day, month word, 2- or 4-digit year, optional 12- or 24-hour time.
PATTERN = re.compile(
    r"^\s*(\d{1,2})[/\-. ]([^\W\d_]+)\.?[/\-. ](\d{4}|\d{2})"
    r"(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?)?\s*$"
)


def to_iso(texts: pd.Series) -> pd.Series | None:
    """The column as ISO date text when every filled value is such a date, else None."""
    filled = texts.dropna().astype("str").str.strip()
    filled = filled[filled != ""]
    if filled.empty:
        return None
    parts = filled.str.extract(PATTERN)
    if parts[0].isna().any():
        return None
    months = parts[1].str.casefold().map(MONTHS)
    if months.isna().any():
        return None
    year = parts[2].astype(int)
    year = year.where(year >= 100, year + 2000)
    hour = parts[3].fillna("0").astype(int)
    half = parts[6].fillna("").str.upper().str.replace(".", "", regex=False)
    hour = hour.where(half == "", hour % 12 + (half == "PM") * 12)
    iso = (
        year.astype(str)
        + "-"
        + months.astype(int).map("{:02d}".format)
        + "-"
        + parts[0].astype(int).map("{:02d}".format)
    )
    timed = parts[4].notna()
    clock = hour.map("{:02d}".format) + ":" + parts[4].fillna("00") + ":" + parts[5].fillna("00")
    iso = iso.where(~timed, iso + " " + clock)
    out = pd.Series(pd.NA, index=texts.index, dtype=object)
    out.loc[iso.index] = iso
    return out
