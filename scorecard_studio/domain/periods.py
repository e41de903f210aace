"""Reporting periods with fiscal years, as integer ordinals.

Every date is first reduced to a *month ordinal* (``year * 12 + month - 1``). A period of the
scorecard's frequency is then an integer too: a month is its month ordinal, a quarter or year
counts blocks of 3 or 12 months starting at the fiscal year's first month. Integers make
bucketing a vectorised floor division in the engine and make periods sortable and hashable;
labels ("2026-Q3", "FY2027-Q1", "2026-07") are only for people and design files.

Fiscal years are named by the calendar year they end in (the US convention) unless the
scorecard says ``start``. A calendar fiscal year (start month 1) has no "FY" prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scorecard_studio.domain.errors import DesignError
from scorecard_studio.domain.model import FiscalYearLabel, Frequency, Scorecard

#: An ISO timestamp's zone designator at its end: ``Z``, ``+02``, ``-05:00`` or ``+0530``
#: after a time of day. Text with one is an instant; text without one is local wall time.
TIMESTAMP_WITH_OFFSET = (
    r"(?:T|\s)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$"
)

_MONTHS_PER = {Frequency.MONTH: 1, Frequency.QUARTER: 3, Frequency.YEAR: 12}


@dataclass(frozen=True, slots=True)
class Calendar:
    """The period arithmetic of one scorecard."""

    frequency: Frequency = Frequency.QUARTER
    fiscal_start_month: int = 1
    fiscal_label: FiscalYearLabel = FiscalYearLabel.END

    @property
    def months_per_period(self) -> int:
        return _MONTHS_PER[self.frequency]

    @property
    def offset(self) -> int:
        """Months from January to the first month of the fiscal year."""
        return self.fiscal_start_month - 1

    def period_of_month(self, month_ordinal: int) -> int:
        """Period ordinal containing a month ordinal (see the module docstring)."""
        if self.frequency is Frequency.MONTH:
            return month_ordinal
        return (month_ordinal - self.offset) // self.months_per_period

    def first_month(self, period: int) -> int:
        """Month ordinal of the first month of a period."""
        if self.frequency is Frequency.MONTH:
            return period
        return period * self.months_per_period + self.offset

    def last_month(self, period: int) -> int:
        return self.first_month(period) + self.months_per_period - 1

    def fiscal_year(self, month_ordinal: int) -> int:
        """The fiscal year's name (a year number) for a month ordinal."""
        start_ordinal = ((month_ordinal - self.offset) // 12) * 12 + self.offset
        if self.fiscal_label is FiscalYearLabel.START or self.offset == 0:
            return start_ordinal // 12
        return (start_ordinal + 11) // 12

    def label(self, period: int) -> str:
        """Human label: ``2026-07``, ``2026-Q3``/``FY2027-Q1``, ``2026``/``FY2027``."""
        prefix = "FY" if self.offset else ""
        if self.frequency is Frequency.MONTH:
            year, month = divmod(period, 12)
            return f"{year:04d}-{month + 1:02d}"
        first = self.first_month(period)
        fy = self.fiscal_year(first)
        if self.frequency is Frequency.YEAR:
            return f"{prefix}{fy:04d}"
        quarter = ((first - self.offset) % 12) // 3 + 1
        return f"{prefix}{fy:04d}-Q{quarter}"

    def parse(self, label: str) -> int:
        """Period ordinal of a label; the inverse of :meth:`label`.

        Raises DesignError naming the expected form when the label does not fit the
        scorecard's frequency (a quarter label for a monthly scorecard, say).
        """
        text = label.strip().upper()
        prefix = "FY" if self.offset else ""
        if self.frequency is Frequency.MONTH:
            m = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
            if m and 1 <= int(m.group(2)) <= 12:
                return int(m.group(1)) * 12 + int(m.group(2)) - 1
            raise DesignError("period", f"{label!r} is not a month like 2026-07")
        if self.frequency is Frequency.QUARTER:
            m = re.fullmatch(r"(?:FY)?(\d{4})-?Q([1-4])", text)
            if m is None:
                raise DesignError("period", f"{label!r} is not a quarter like {prefix}2026-Q3")
            fy, quarter = int(m.group(1)), int(m.group(2))
            first = self._first_month_of_fiscal_year(fy) + (quarter - 1) * 3
            return self.period_of_month(first)
        m = re.fullmatch(r"(?:FY)?(\d{4})", text)
        if m is None:
            raise DesignError("period", f"{label!r} is not a year like {prefix}2026")
        return self.period_of_month(self._first_month_of_fiscal_year(int(m.group(1))))

    def _first_month_of_fiscal_year(self, fy: int) -> int:
        if self.offset == 0 or self.fiscal_label is FiscalYearLabel.START:
            return fy * 12 + self.offset
        return (fy - 1) * 12 + self.offset

    def period_containing(self, label: str) -> int:
        """The period that holds a labelled span of this frequency or a finer one.

        Data files label their rows in whatever their system writes: a monthly export feeds
        a quarterly scorecard, so ``2026-02`` counts in 2026-Q1 there. Month labels are
        calendar months; quarter labels are the scorecard's (fiscal) quarters, as
        :meth:`label` writes them. A coarser label (a year in a quarterly scorecard) fits
        no single period and raises DesignError.
        """
        text = label.strip().upper()
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
        if m and 1 <= int(m.group(2)) <= 12:
            return self.period_of_month(int(m.group(1)) * 12 + int(m.group(2)) - 1)
        m = re.fullmatch(r"(?:FY)?(\d{4})-?Q([1-4])", text)
        if m and self.frequency is not Frequency.MONTH:
            first = self._first_month_of_fiscal_year(int(m.group(1))) + (int(m.group(2)) - 1) * 3
            return self.period_of_month(first)
        return self.parse(label)

    def is_valid_label(self, label: str) -> bool:
        try:
            self.parse(label)
        except DesignError:
            return False
        return True


def month_ordinal(year: int, month: int) -> int:
    """``year * 12 + month - 1``: the integer all period arithmetic starts from."""
    return year * 12 + month - 1


def calendar_of(card: Scorecard) -> Calendar:
    """The period arithmetic a scorecard's settings call for."""
    s = card.settings
    return Calendar(s.frequency, s.fiscal_year_start_month, s.fiscal_year_label)
