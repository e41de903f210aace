"""Period arithmetic: calendar and fiscal quarters, months and years, labels both ways."""

from __future__ import annotations

import pytest

from scorecard_studio.domain.errors import DesignError
from scorecard_studio.domain.model import FiscalYearLabel, Frequency
from scorecard_studio.domain.periods import Calendar, month_ordinal


@pytest.mark.parametrize(
    ("calendar", "year", "month", "label"),
    [
        (Calendar(Frequency.QUARTER), 2026, 7, "2026-Q3"),
        (Calendar(Frequency.QUARTER), 2026, 1, "2026-Q1"),
        (Calendar(Frequency.MONTH), 2026, 7, "2026-07"),
        (Calendar(Frequency.YEAR), 2026, 12, "2026"),
        # July fiscal year named by its end: July 2026 opens FY2027.
        (Calendar(Frequency.QUARTER, 7), 2026, 7, "FY2027-Q1"),
        (Calendar(Frequency.QUARTER, 7), 2026, 6, "FY2026-Q4"),
        (Calendar(Frequency.QUARTER, 7), 2027, 1, "FY2027-Q3"),
        (Calendar(Frequency.YEAR, 7), 2026, 12, "FY2027"),
        # Named by its start instead.
        (Calendar(Frequency.QUARTER, 4, FiscalYearLabel.START), 2026, 4, "FY2026-Q1"),
        (Calendar(Frequency.QUARTER, 4, FiscalYearLabel.START), 2027, 3, "FY2026-Q4"),
    ],
)
def test_labels(calendar: Calendar, year: int, month: int, label: str) -> None:
    period = calendar.period_of_month(month_ordinal(year, month))
    assert calendar.label(period) == label
    assert calendar.parse(label) == period


def test_fiscal_quarter_spans_two_calendar_years() -> None:
    cal = Calendar(Frequency.QUARTER, 11)  # November fiscal year: Q1 = Nov, Dec, Jan
    q1 = cal.parse("FY2027-Q1")
    assert cal.first_month(q1) == month_ordinal(2026, 11)
    assert cal.last_month(q1) == month_ordinal(2027, 1)
    assert cal.period_of_month(month_ordinal(2027, 1)) == q1
    assert cal.period_of_month(month_ordinal(2027, 2)) == q1 + 1


@pytest.mark.parametrize("bad", ["2026-13", "Q3 2026", "", "2026-Q5"])
def test_bad_labels_name_the_expected_form(bad: str) -> None:
    cal = Calendar(Frequency.MONTH if bad == "2026-13" else Frequency.QUARTER)
    with pytest.raises(DesignError, match="is not a"):
        cal.parse(bad)
