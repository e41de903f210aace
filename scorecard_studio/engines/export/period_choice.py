"""Which period a report states when none is asked for.

A frozen version is the record of one review: "QBR 2026 Q2" was frozen for 2026-Q2, even if
its data already held some of Q3 when it was frozen. Its label is the only place that
records the period (the store keeps the label, its seal and the data snapshots, not a
period), so the period is read from the label: the first period named in it that the data
covers. A label that names none (or names a period outside the data) falls back to the
latest period with data, which for a frozen version is fixed by its snapshots.
"""

from __future__ import annotations

import re

from scorecard_studio.domain.errors import DesignError
from scorecard_studio.domain.model import Frequency
from scorecard_studio.domain.periods import Calendar, calendar_of
from scorecard_studio.engines.scoring import ScoreResult

# A year is four digits, or two after "FY" ("FY26 Q3" is FY2026-Q3).
_Y = r"(?:FY\s?(\d{2}|\d{4})|(\d{4}))"
_QUARTER_FIRST = re.compile(rf"\b{_Y}[\s\-_/]*Q([1-4])\b", re.IGNORECASE)
_QUARTER_LAST = re.compile(rf"\bQ([1-4])[\s\-_/]*{_Y}\b", re.IGNORECASE)
_MONTH = re.compile(r"\b(\d{4})-(\d{2})\b")
_YEAR = re.compile(rf"\b{_Y}\b", re.IGNORECASE)


def _year(fy: str | None, plain: str | None) -> str:
    text = fy or plain or ""
    return f"20{text}" if len(text) == 2 else text


def _candidates(label: str, calendar: Calendar) -> list[str]:
    """Period labels in the calendar's own spelling, in the order the text names them."""
    found: list[tuple[int, str]] = []
    if calendar.frequency is Frequency.QUARTER:
        for m in _QUARTER_FIRST.finditer(label):
            found.append((m.start(), f"{_year(m.group(1), m.group(2))}-Q{m.group(3)}"))
        for m in _QUARTER_LAST.finditer(label):
            found.append((m.start(), f"{_year(m.group(2), m.group(3))}-Q{m.group(1)}"))
    elif calendar.frequency is Frequency.MONTH:
        found += [(m.start(), f"{m.group(1)}-{m.group(2)}") for m in _MONTH.finditer(label)]
    else:
        found += [(m.start(), _year(m.group(1), m.group(2))) for m in _YEAR.finditer(label)]
    out = []
    for _, text in sorted(found):
        try:
            out.append(calendar.label(calendar.parse(text)))
        except DesignError:
            continue
    return out


def period_named_in(label: str, result: ScoreResult) -> str | None:
    """The first period ``label`` names that the result has, in the result's spelling."""
    calendar = calendar_of(result.card)
    for candidate in _candidates(label, calendar):
        if candidate in result.period_labels:
            return candidate
    return None


def default_period(result: ScoreResult, frozen_label: str | None) -> str | None:
    """The period to report when the user named none (None: the latest with data)."""
    if frozen_label:
        return period_named_in(frozen_label, result)
    return None
