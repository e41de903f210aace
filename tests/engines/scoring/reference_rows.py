"""Reference scorer, part 1: cells, calendar, dates, tiers and rows, from the spec alone.

Nothing here comes from the engine; see ``reference_scorer`` for the whole contract.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from scorecard_studio.domain.model import (
    DataSource,
    DateOrder,
    FiscalYearLabel,
    Frequency,
    Layout,
    Scorecard,
    TierMode,
)

NAN = float("nan")
Grid = list[list[float]]  # [tier row (tiers + all)][period]

# --- cells --------------------------------------------------------------------------------


def is_empty(value: object) -> bool:
    """None, NaN, NA, NaT, or text that is blank after trimming."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


_NUMBER_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def number(value: object) -> float | None:
    """A cell as a number: numbers as they are, numeric text parsed, anything else None."""
    if is_empty(value) or isinstance(value, datetime):
        return None
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and _NUMBER_TEXT.fullmatch(value.strip()):
        return float(value.strip())
    try:  # numpy scalars that tolist() did not unwrap
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def text_value(value: object) -> object:
    """The value distinct count compares: trimmed text, or the number as written."""
    if isinstance(value, str):
        return value.strip()
    n = number(value)
    return n if n is not None else value


def normal_key(value: object) -> str | None:
    """Customer keys compare as trimmed, case-folded text; 1001.0 is the same as "1001"."""
    if is_empty(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().casefold()
    m = re.fullmatch(r"(-?\d+)\.0+", text)
    return m.group(1) if m else text


# --- calendar -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RefCalendar:
    frequency: Frequency
    start_month: int
    label_by: FiscalYearLabel

    @property
    def size(self) -> int:
        return {Frequency.MONTH: 1, Frequency.QUARTER: 3, Frequency.YEAR: 12}[self.frequency]

    @property
    def offset(self) -> int:
        return self.start_month - 1

    def period_of(self, month: int) -> int:
        if self.size == 1:
            return month
        return (month - self.offset) // self.size

    def first_month(self, period: int) -> int:
        return period if self.size == 1 else period * self.size + self.offset

    def last_month(self, period: int) -> int:
        return self.first_month(period) + self.size - 1

    def _fy_name(self, fy_start_month: int) -> int:
        """Year number naming the fiscal year that starts at a month ordinal."""
        start_year = fy_start_month // 12
        if self.offset == 0 or self.label_by is FiscalYearLabel.START:
            return start_year
        return start_year + 1

    def _fy_start(self, name: int) -> int:
        if self.offset == 0 or self.label_by is FiscalYearLabel.START:
            return name * 12 + self.offset
        return (name - 1) * 12 + self.offset

    def fy_start_of_month(self, month: int) -> int:
        return month - ((month - self.offset) % 12)

    def label(self, period: int) -> str:
        prefix = "FY" if self.offset else ""
        if self.frequency is Frequency.MONTH:
            return f"{period // 12:04d}-{period % 12 + 1:02d}"
        first = self.first_month(period)
        fy_start = self.fy_start_of_month(first)
        name = self._fy_name(fy_start)
        if self.frequency is Frequency.YEAR:
            return f"{prefix}{name:04d}"
        return f"{prefix}{name:04d}-Q{(first - fy_start) // 3 + 1}"

    def parse_label(self, text: str) -> int | None:
        """Period ordinal of a period label, or None when it does not fit.

        Month labels fit every frequency (the period containing the month); quarter labels
        fit quarterly and yearly scorecards; year labels only yearly ones.
        """
        t = text.strip().upper()
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", t)
        if m and 1 <= int(m.group(2)) <= 12:
            return self.period_of(int(m.group(1)) * 12 + int(m.group(2)) - 1)
        m = re.fullmatch(r"(?:FY)?(\d{4})-?Q([1-4])", t)
        if m:
            if self.frequency is Frequency.MONTH:
                return None
            first = self._fy_start(int(m.group(1))) + (int(m.group(2)) - 1) * 3
            return self.period_of(first)
        m = re.fullmatch(r"(?:FY)?(\d{4})", t)
        if m and self.frequency is Frequency.YEAR:
            return self.period_of(self._fy_start(int(m.group(1))))
        return None

    def label_first_month(self, text: str) -> int | None:
        """First month of what a period label names itself (for ordering rows in time)."""
        t = text.strip().upper()
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", t)
        if m and 1 <= int(m.group(2)) <= 12:
            return int(m.group(1)) * 12 + int(m.group(2)) - 1
        m = re.fullmatch(r"(?:FY)?(\d{4})-?Q([1-4])", t)
        if m:
            return self._fy_start(int(m.group(1))) + (int(m.group(2)) - 1) * 3
        m = re.fullmatch(r"(?:FY)?(\d{4})", t)
        if m:
            return self._fy_start(int(m.group(1)))
        return None


def calendar_for(card: Scorecard) -> RefCalendar:
    s = card.settings
    return RefCalendar(s.frequency, s.fiscal_year_start_month, s.fiscal_year_label)


# --- dates --------------------------------------------------------------------------------

EXCEL_EPOCH = datetime(1899, 12, 30)


def local_time(value: object, order: DateOrder, zone: str) -> datetime | None:
    """A cell as a naive datetime in the scorecard's zone, or None when it is no date.

    Aware values are converted to the zone; naive ones are taken to be in it. Numbers are
    Excel serial dates (1900 system: day 0 is 1899-12-30).
    """
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        when = value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
    elif isinstance(value, bool):
        return None
    elif isinstance(value, int | float):
        when = EXCEL_EPOCH + timedelta(days=float(value))
    elif isinstance(value, str):
        parsed = _parse_text_date(value.strip(), order)
        if parsed is None:
            return None
        when = parsed
    else:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    return when


def _parse_text_date(text: str, order: DateOrder) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if not m:
        return None
    a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    # Choice: "auto" reads month first unless that is impossible (as a reader of US text
    # would); the importer warns about ambiguous columns.
    day_first = order is DateOrder.DAY_FIRST or (order is DateOrder.AUTO and a > 12)
    day, month = (a, b) if day_first else (b, a)
    try:
        return datetime(year, month, day)
    except ValueError:
        return None


def month_of(when: datetime) -> int:
    return when.year * 12 + when.month - 1


# --- rows ---------------------------------------------------------------------------------


@dataclass
class Row:
    index: int
    cells: dict[str, object]
    when: datetime | None = None  # for ordering in time
    period: int | None = None
    tier: int | None = None  # None: unknown tier, counts only for all customers


@dataclass
class Table:
    source: DataSource
    rows: list[Row]
    columns: list[str]

    def value(self, row: Row, name: str) -> object:
        """A measure cell; in a long layout, the value of metric ``name`` (else empty)."""
        s = self.source
        if s.layout is Layout.LONG and s.metric_column:
            metric = row.cells.get(s.metric_column)
            if is_empty(metric) or str(metric) != name:
                return None
            return row.cells.get(s.value_column or "value")
        return row.cells.get(name)

    def has(self, name: str) -> bool:
        s = self.source
        if s.layout is Layout.LONG and s.metric_column:
            return any(
                not is_empty(r.cells.get(s.metric_column))
                and str(r.cells.get(s.metric_column)) == name
                for r in self.rows
            )
        return name in self.columns


def read_rows(frame: pd.DataFrame) -> tuple[list[Row], list[str]]:
    columns = [str(c) for c in frame.columns]
    data = {str(c): frame[c].tolist() for c in frame.columns}
    rows = [Row(i, {c: data[c][i] for c in columns}) for i in range(len(frame))]
    return rows, columns


def normal_tier_text(text: str) -> str:
    return " ".join(text.split()).casefold()


def tier_of_text(card: Scorecard, value: object) -> int | None:
    """Tier index from a tier cell: explicit map, tier id or name, case and spacing ignored."""
    if is_empty(value):
        return None
    lookup: dict[str, int] = {}
    for i, tier in enumerate(card.tiers):
        lookup[normal_tier_text(tier.name)] = i
        lookup[normal_tier_text(tier.id)] = i
    ids = {tier.id: i for i, tier in enumerate(card.tiers)}
    for raw, tier_id in card.tiering.values:
        if tier_id in ids:
            lookup[normal_tier_text(raw)] = ids[tier_id]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    key = normal_tier_text(str(value))
    if key in lookup:
        return lookup[key]
    # Choice: a bare number n means "Tier n" when a tier is so named (engine behaviour).
    m = re.fullmatch(r"(\d+)(\.0+)?", key)
    if m and f"tier {int(m.group(1))}" in lookup:
        return lookup[f"tier {int(m.group(1))}"]
    return None


def tier_by_rules(card: Scorecard, value: object) -> int | None:
    """First rule, highest minimum first, that the value reaches."""
    n = number(value)
    if n is None:
        return None
    ids = {tier.id: i for i, tier in enumerate(card.tiers)}
    for rule in sorted(card.tiering.rules, key=lambda r: -r.minimum):
        if rule.tier in ids and n >= rule.minimum:
            return ids[rule.tier]
    return None


def customer_tiers(card: Scorecard, tables: Mapping[str, pd.DataFrame]) -> dict[str, int] | None:
    """Key -> tier from the tiering source: each customer's latest dated row.

    A row without a date is used only for a customer with no dated row at all. Ties at the
    same time, and among undated rows, go to the later row in file order.
    """
    tiering = card.tiering
    if not tiering.source or tiering.source not in tables:
        return None
    source = next((s for s in card.sources if s.id == tiering.source), None)
    if source is None:
        return None
    frame = tables[tiering.source]
    rows, columns = read_rows(frame)
    column = tiering.column or source.tier_column
    if not source.key_column or source.key_column not in columns:
        return None
    if not column or column not in columns:
        return None
    zone = card.settings.timezone
    best: dict[str, tuple[int, datetime, int, Row]] = {}
    for row in rows:
        key = normal_key(row.cells[source.key_column])
        if key is None:
            continue
        when = None
        if source.date_column and source.date_column in columns:
            when = local_time(row.cells[source.date_column], source.date_order, zone)
        elif source.period_column and source.period_column in columns:
            # Choice: a period-labelled CRM snapshot is dated by its period's first month,
            # so the latest period decides (file order only breaks ties).
            _, start = _period_cell(row.cells[source.period_column], calendar_for(card), zone)
            when = datetime(start // 12, start % 12 + 1, 1) if start is not None else None
        rank = (1, when, row.index) if when is not None else (0, datetime.min, row.index)
        if key not in best or rank > best[key][:3]:
            best[key] = (*rank, row)
    out: dict[str, int] = {}
    for key, (_, _, _, row) in best.items():
        cell = row.cells[column]
        if tiering.mode is TierMode.RULES:
            tier = tier_by_rules(card, cell)
        else:
            tier = tier_of_text(card, cell)
        if tier is not None:
            out[key] = tier
    return out


def prepare(
    card: Scorecard,
    source: DataSource,
    frame: pd.DataFrame,
    cal: RefCalendar,
    key_tiers: dict[str, int] | None,
) -> Table:
    rows, columns = read_rows(frame)
    zone = card.settings.timezone
    for row in rows:
        if source.date_column and source.date_column in columns:
            when = local_time(row.cells[source.date_column], source.date_order, zone)
            if when is not None:
                row.when = when
                row.period = cal.period_of(month_of(when))
        elif source.period_column and source.period_column in columns:
            row.period, start = _period_cell(row.cells[source.period_column], cal, zone)
            if row.period is not None and start is not None:
                row.when = datetime(start // 12, start % 12 + 1, 1)
        own = (
            card.tiering.mode is TierMode.COLUMN
            and source.tier_column is not None
            and source.tier_column in columns
        )
        if own:
            assert source.tier_column is not None
            row.tier = tier_of_text(card, row.cells[source.tier_column])
        elif key_tiers is not None and source.key_column and source.key_column in columns:
            key = normal_key(row.cells[source.key_column])
            row.tier = key_tiers.get(key) if key is not None else None
    return Table(source, rows, columns)


def _period_cell(value: object, cal: RefCalendar, zone: str) -> tuple[int | None, int | None]:
    """(period, first month of the label) of a period-column cell.

    Dates (a month label the importer typed as a date) give their month; whole numbers are
    year labels; text is a label the calendar writes, or a finer one.
    """
    if is_empty(value):
        return None, None
    if isinstance(value, datetime):
        when = local_time(value, DateOrder.AUTO, zone)
        assert when is not None
        month = month_of(when)
        return cal.period_of(month), month
    n = number(value)
    if n is not None and not isinstance(value, str):
        if not n.is_integer():
            return None, None
        text = str(int(n))
    else:
        text = str(value)
    return cal.parse_label(text), cal.label_first_month(text)
