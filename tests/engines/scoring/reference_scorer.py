"""A deliberately naive reference scorer: plain loops over rows, written from the spec.

It shares no code with the engine (nothing from ``scorecard_studio.engines``): its own
calendar, date reading, tiering, aggregation, target resolution, scoring, status and
roll-up. Only the design dataclasses are read from the domain model, and pandas is used for
nothing but reading cell values out of the tables the engine is given.

Where the specification and docs/scoring.md are silent, the choice made here is written in a
comment beginning "Choice:"; each is what a strategy manager would expect and is also what
the engine does.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from scorecard_studio.domain.model import (
    Aggregation,
    CesMode,
    DataSource,
    DateOrder,
    Direction,
    FiscalYearLabel,
    Frequency,
    Kpi,
    Layout,
    Measure,
    MissingDataPolicy,
    Scorecard,
    ScoringMethod,
    StatusRule,
    SurveyScale,
    TargetValues,
    TierMode,
    TierWeighting,
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


# --- aggregation --------------------------------------------------------------------------


@dataclass
class Context:
    card: Scorecard
    cal: RefCalendar
    tables: dict[str, Table]
    periods: list[int]

    @property
    def n_rows(self) -> int:
        return len(self.card.tiers) + 1

    def cells(self) -> list[tuple[int, int]]:
        """(tier row, period index) for every cell of the grid; row n_tiers is everyone."""
        return [(t, p) for t in range(self.n_rows) for p in range(len(self.periods))]

    def in_cell(self, table: Table, t: int, p: int) -> list[Row]:
        """Rows of a (tier, period), in file order; all customers include unknown tiers."""
        period = self.periods[p]
        everyone = t == len(self.card.tiers)
        return [r for r in table.rows if r.period == period and (everyone or r.tier == t)]

    def in_tier(self, table: Table, t: int) -> list[Row]:
        everyone = t == len(self.card.tiers)
        return [r for r in table.rows if everyone or r.tier == t]


def blank(ctx: Context, fill: float = NAN) -> Grid:
    return [[fill] * len(ctx.periods) for _ in range(ctx.n_rows)]


def simple(ctx: Context, table: Table, rows: list[Row], column: str | None, agg: Aggregation):
    """(value, sample) of a simple aggregation over some rows."""
    if column is None:  # count of rows (whatever the aggregation asked for)
        return float(len(rows)), float(len(rows))
    if agg in (Aggregation.COUNT, Aggregation.DISTINCT_COUNT):
        present = [table.value(r, column) for r in rows]
        present = [v for v in present if not is_empty(v)]
        if agg is Aggregation.COUNT:
            return float(len(present)), float(len(present))
        return float(len({text_value(v) for v in present})), float(len(present))
    numbered = [(r, number(table.value(r, column))) for r in rows]
    pairs = [(r, v) for r, v in numbered if v is not None]
    values = [v for _, v in pairs]
    n = float(len(values))
    if not values:
        return NAN, 0.0
    if agg in (Aggregation.SUM, Aggregation.TTM_SUM):
        total = 0.0
        for v in values:
            total += v
        return total, n
    if agg is Aggregation.MEAN:
        total = 0.0
        for v in values:
            total += v
        return total / n, n
    if agg is Aggregation.MEDIAN:
        return float(statistics.median(values)), n
    if agg is Aggregation.MIN:
        return min(values), n
    if agg is Aggregation.MAX:
        return max(values), n
    if agg is Aggregation.LAST:
        # Latest by time; rows without a time sort first; ties go to the later row.
        latest = max(pairs, key=lambda rv: (rv[0].when or datetime.min, rv[0].index))
        return latest[1], n
    raise ValueError(agg)


def aggregate(ctx: Context, kpi: Kpi) -> tuple[Grid, Grid]:
    m = kpi.measure
    value, sample = blank(ctx), blank(ctx, 0.0)
    if m.source is None or m.source not in ctx.tables:
        return value, sample
    table = ctx.tables[m.source]
    needed = [c for c in (m.column, m.denominator, m.retention_column) if c]
    if m.aggregation is Aggregation.CHURN_RATE or (
        m.aggregation in (Aggregation.CLV_SIMPLE, Aggregation.CLV_DISCOUNTED)
        and not m.retention_column
        and m.retention_rate is None
    ):
        needed += [c for c in (m.start_column, m.end_column) if c]
    if any(not table.has(c) for c in needed):
        return value, sample
    agg = m.aggregation
    if agg is Aggregation.CHURN_RATE:
        lost, active = churn(ctx, table, m)
        for t, p in ctx.cells():
            a = active[t][p]
            value[t][p] = lost[t][p] / a if a > 0 else NAN
            sample[t][p] = a
        return value, sample
    if agg in (Aggregation.CLV_SIMPLE, Aggregation.CLV_DISCOUNTED):
        return clv(ctx, table, m)
    if agg is Aggregation.TTM_SUM:
        return ttm(ctx, table, m)
    for t, p in ctx.cells():
        rows = ctx.in_cell(table, t, p)
        if agg in (Aggregation.NPS, Aggregation.CSAT, Aggregation.CES):
            value[t][p], sample[t][p] = survey(table, rows, m)
        elif agg is Aggregation.RATIO:
            num, n = simple(ctx, table, rows, m.column, m.aggregation_of_column)
            den, _ = simple(ctx, table, rows, m.denominator, m.aggregation_of_denominator)
            value[t][p] = num / den if not math.isnan(den) and den != 0 else NAN
            sample[t][p] = n
        else:
            value[t][p], sample[t][p] = simple(ctx, table, rows, m.column, agg)
    return value, sample


def ttm(ctx: Context, table: Table, m: Measure) -> tuple[Grid, Grid]:
    """Sum over the twelve months ending with each period, once a full year of data exists.

    The window reads the rows themselves, so data before the first period shown counts.
    """
    value, sample = blank(ctx), blank(ctx, 0.0)
    window = max(1, 12 // ctx.cal.size)
    dated = [r.period for r in table.rows if r.period is not None]
    if not dated:
        return value, sample
    first_full = min(dated) + window - 1
    for t, p in ctx.cells():
        period = ctx.periods[p]
        span = set(range(period - window + 1, period + 1))
        rows = [r for r in ctx.in_tier(table, t) if r.period in span]
        total, n = simple(ctx, table, rows, m.column, Aggregation.SUM)
        sample[t][p] = n
        value[t][p] = total if period >= first_full and n > 0 else NAN
    return value, sample


def survey(table: Table, rows: list[Row], m: Measure) -> tuple[float, float]:
    scale = m.scale
    if scale is None:
        defaults = {
            Aggregation.NPS: SurveyScale(0, 10, 9, 10),
            Aggregation.CSAT: SurveyScale(1, 5, 4, 5),
            Aggregation.CES: SurveyScale(1, 7, 5, 7),
        }
        scale = defaults[m.aggregation]
    assert m.column is not None
    answers = [number(table.value(r, m.column)) for r in rows]
    valid = [a for a in answers if a is not None and scale.minimum <= a <= scale.maximum]
    n = len(valid)
    if n == 0:
        return NAN, 0.0
    top = sum(1 for a in valid if scale.box_low <= a <= scale.box_high)
    if m.aggregation is Aggregation.NPS:
        # Detractors: 0-6 on the 0-10 scale, i.e. three or more below the promoter box.
        bottom = sum(1 for a in valid if a <= scale.box_low - 3)
        return 100.0 * (top - bottom) / n, float(n)
    if m.aggregation is Aggregation.CES and m.ces_mode is CesMode.MEAN:
        return sum(valid) / n, float(n)
    return top / n, float(n)


@dataclass
class Account:
    start: int | None = None  # earliest start month
    start_time: tuple[datetime, int] | None = None  # latest start, for the tier
    ends: list[int | None] = field(default_factory=list)
    tier: int | None = None


def churn(ctx: Context, table: Table, m: Measure) -> tuple[Grid, Grid]:
    """Accounts lost in each period over accounts active at its start.

    With a key, an account is a distinct customer: it starts at its earliest start, has
    ended only when all its rows have an end (at the latest one), and takes the tier of
    its row with the latest start. Without a key every row is an account.
    """
    assert m.start_column and m.end_column
    zone = ctx.card.settings.timezone
    order = table.source.date_order
    key_column = table.source.key_column if table.source.key_column in table.columns else None
    accounts: dict[object, Account] = {}
    for row in table.rows:
        key: object = row.index
        if key_column is not None:
            # Choice: a row with an empty key is an account of its own.
            nk = normal_key(row.cells[key_column])
            key = nk if nk is not None else ("row", row.index)
        acc = accounts.setdefault(key, Account())
        start = local_time(row.cells[m.start_column], order, zone)
        end = local_time(row.cells[m.end_column], order, zone)
        acc.ends.append(month_of(end) if end is not None else None)
        if start is not None:
            sm = month_of(start)
            acc.start = sm if acc.start is None else min(acc.start, sm)
            stamp = (start, row.index)
            if acc.start_time is None or stamp > acc.start_time:
                acc.start_time = stamp
                acc.tier = row.tier
    lost, active = blank(ctx, 0.0), blank(ctx, 0.0)
    n_tiers = len(ctx.card.tiers)
    for acc in accounts.values():
        if acc.start is None:
            continue
        ended = all(e is not None for e in acc.ends)
        end = max(e for e in acc.ends if e is not None) if ended else None
        for p, period in enumerate(ctx.periods):
            first, last = ctx.cal.first_month(period), ctx.cal.last_month(period)
            is_active = acc.start < first and (end is None or end >= first)
            is_lost = is_active and end is not None and end <= last
            for t in (acc.tier, n_tiers) if acc.tier is not None else (n_tiers,):
                active[t][p] += 1.0 if is_active else 0.0
                lost[t][p] += 1.0 if is_lost else 0.0
    return lost, active


def clv(ctx: Context, table: Table, m: Measure) -> tuple[Grid, Grid]:
    """Margin per customer m and retention r per (tier, period); simple or discounted CLV."""
    value, sample = blank(ctx), blank(ctx, 0.0)
    assert m.column is not None
    key_column = table.source.key_column if table.source.key_column in table.columns else None
    churn_grid = None
    if not m.retention_column and m.retention_rate is None:
        if not (m.start_column and m.end_column):
            return value, sample
        churn_grid = churn(ctx, table, m)
    d = m.discount_rate
    for t, p in ctx.cells():
        rows = ctx.in_cell(table, t, p)
        margins = [(r, number(table.value(r, m.column))) for r in rows]
        margins = [(r, v) for r, v in margins if v is not None]
        sample[t][p] = float(len(margins))
        if not margins:
            continue
        total = 0.0
        for _, v in margins:
            total += v
        if key_column is not None:
            customers = len({normal_key(r.cells[key_column]) for r, _ in margins})
        else:
            customers = len(margins)
        per_customer = total / customers
        if m.retention_column:
            r_values = [number(table.value(r, m.retention_column)) for r in rows]
            present = [v for v in r_values if v is not None]
            if not present:
                continue
            retention = sum(present) / len(present)
        elif m.retention_rate is not None:
            retention = m.retention_rate
        else:
            assert churn_grid is not None
            lost, active = churn_grid
            if active[t][p] <= 0:
                continue
            retention = 1.0 - lost[t][p] / active[t][p]
        if m.aggregation is Aggregation.CLV_SIMPLE:
            gap = 1.0 + d - retention
            value[t][p] = per_customer * retention / gap if gap != 0 else NAN
        else:
            value[t][p] = sum(
                per_customer * retention**k / (1.0 + d) ** k for k in range(1, m.horizon + 1)
            )
    return value, sample


# --- formulas -----------------------------------------------------------------------------


class FormulaError(Exception):
    pass


_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_]\w*)|(.))")


def _tokens(text: str) -> list[tuple[str, str]]:
    out = []
    for num, name, op in _TOKEN.findall(text):
        if num:
            out.append(("num", num))
        elif name:
            out.append(("name", name))
        elif op.strip():
            out.append(("op", {"×": "*", "÷": "/"}.get(op, op)))
    return out


def parse_expression(text: str) -> Callable[[Mapping[str, float]], float]:
    """A recursive-descent parser yielding a function of KPI values; NaN propagates."""
    toks = _tokens(text)
    pos = 0

    def peek() -> tuple[str, str] | None:
        return toks[pos] if pos < len(toks) else None

    def take(kind: str, val: str | None = None) -> str:
        nonlocal pos
        tok = peek()
        if tok is None or tok[0] != kind or (val is not None and tok[1] != val):
            raise FormulaError(text)
        pos += 1
        return tok[1]

    def expr() -> Callable[[Mapping[str, float]], float]:
        left = term()
        while (tok := peek()) and tok in (("op", "+"), ("op", "-")):
            take("op")
            right = term()
            left = _bin(tok[1], left, right)
        return left

    def term() -> Callable[[Mapping[str, float]], float]:
        left = unary()
        while (tok := peek()) and tok in (("op", "*"), ("op", "/")):
            take("op")
            right = unary()
            left = _bin(tok[1], left, right)
        return left

    def unary() -> Callable[[Mapping[str, float]], float]:
        tok = peek()
        if tok == ("op", "-"):
            take("op")
            inner = unary()
            return lambda env: 0.0 - inner(env)
        if tok == ("op", "+"):
            take("op")
            return unary()
        return atom()

    def atom() -> Callable[[Mapping[str, float]], float]:
        tok = peek()
        if tok is None:
            raise FormulaError(text)
        if tok[0] == "num":
            v = float(take("num"))
            return lambda env: v
        if tok[0] == "name":
            name = take("name")
            if peek() == ("op", "("):
                take("op", "(")
                args = [expr()]
                while peek() == ("op", ","):
                    take("op", ",")
                    args.append(expr())
                take("op", ")")
                return _call(name, args)
            refs.add(name)
            return lambda env: env[name]
        take("op", "(")
        inner = expr()
        take("op", ")")
        return inner

    refs: set[str] = set()
    fn = expr()
    if pos != len(toks):
        raise FormulaError(text)
    fn.refs = refs  # type: ignore[attr-defined]
    return fn


def _bin(op: str, a: Callable, b: Callable) -> Callable[[Mapping[str, float]], float]:
    def run(env: Mapping[str, float]) -> float:
        x, y = a(env), b(env)
        if math.isnan(x) or math.isnan(y):
            return NAN
        if op == "+":
            return x + y
        if op == "-":
            return x - y
        if op == "*":
            return x * y
        return x / y if y != 0 else NAN  # x / 0 has no value

    return run


def _call(name: str, args: list[Callable]) -> Callable[[Mapping[str, float]], float]:
    if name == "abs" and len(args) == 1:
        return lambda env: abs(args[0](env))
    if name in ("min", "max") and len(args) >= 2:
        pick = min if name == "min" else max

        def run(env: Mapping[str, float]) -> float:
            values = [a(env) for a in args]
            return NAN if any(math.isnan(v) for v in values) else pick(values)

        return run
    raise FormulaError(name)


def formulas(ctx: Context, kpis: list[Kpi], value: list[Grid], sample: list[Grid]) -> None:
    """Formula KPIs per (tier, period); broken, unknown-reference or cyclic ones stay empty.

    Choice: a formula has no sample of its own (NaN), as the engine reports it.
    """
    index = {k.id: i for i, k in enumerate(kpis)}
    parsed: dict[str, Any] = {}
    for k in kpis:
        if k.measure.aggregation is Aggregation.FORMULA:
            try:
                parsed[k.id] = parse_expression(k.measure.formula or "")
            except FormulaError:
                parsed[k.id] = None
    state: dict[str, str] = {}

    def solve(kpi_id: str) -> bool:
        """Evaluate a formula KPI once; False when it cannot have a value."""
        if state.get(kpi_id) == "done":
            return True
        if state.get(kpi_id) in ("visiting", "bad"):
            state[kpi_id] = "bad"
            return False
        fn = parsed[kpi_id]
        if fn is None or any(r not in index for r in fn.refs):
            state[kpi_id] = "bad"
            return False
        state[kpi_id] = "visiting"
        ok = True
        for ref in fn.refs:
            if ref in parsed and not solve(ref):
                ok = False
        if not ok or state[kpi_id] == "bad":
            state[kpi_id] = "bad"
            return False
        k = index[kpi_id]
        for t, p in ctx.cells():
            env = {ref: value[index[ref]][t][p] for ref in fn.refs}
            v = fn(env)
            value[k][t][p] = v if math.isfinite(v) else NAN
            sample[k][t][p] = NAN
        state[kpi_id] = "done"
        return True

    for kpi_id in parsed:
        solve(kpi_id)
    for kpi_id in parsed:
        if state.get(kpi_id) != "done":  # nothing behind it: no value, sample 0
            k = index[kpi_id]
            value[k] = blank(ctx)
            sample[k] = blank(ctx, 0.0)


# --- targets, scores, statuses ------------------------------------------------------------


def targets_for(kpi: Kpi, tier: str | None, label: str) -> TargetValues:
    """Default, then period, tier and tier+period overrides; unset fields inherit."""
    fields = ("baseline", "target", "stretch", "red_flag", "low", "high", "tolerance")
    values = {f: getattr(kpi.targets.default, f) for f in fields}
    for level in (1, 2, 3):
        for o in kpi.targets.overrides:
            spec = (2 if o.tier is not None else 0) + (1 if o.period is not None else 0)
            if spec != level:
                continue
            if o.tier is not None and o.tier != tier:
                continue
            if o.period is not None and o.period != label:
                continue
            for f in fields:
                if getattr(o.values, f) is not None:
                    values[f] = getattr(o.values, f)
    return TargetValues(**values)


def higher_better(kpi: Kpi, tv: TargetValues) -> bool:
    if tv.baseline is not None and tv.target is not None and tv.baseline != tv.target:
        return tv.target > tv.baseline
    return kpi.direction is Direction.HIGHER


def score_of(kpi: Kpi, actual: float, tv: TargetValues, cap: float) -> float:
    if math.isnan(actual):
        return NAN
    method = kpi.method
    raw: float
    if method is ScoringMethod.LINEAR:
        b, t = tv.baseline, tv.target
        if b is None or t is None or b == t:
            return NAN
        raw = (actual - b) / (t - b)
        s = tv.stretch
        if cap > 1.0 and raw > 1.0 and s is not None and s != t:
            # From 1 at the target up to the cap at the stretch, then clipped.
            raw = 1.0 + (cap - 1.0) * (actual - t) / (s - t)
    elif method is ScoringMethod.RATIO:
        t = tv.target
        if t is None or t <= 0 or actual < 0:
            return NAN
        if higher_better(kpi, tv):
            raw = actual / t
        else:
            raw = cap if actual == 0 else t / actual
    elif method is ScoringMethod.RANGE:
        if tv.low is None or tv.high is None:
            return NAN
        tol = tv.tolerance or 0.0
        if tv.low <= actual <= tv.high:
            raw = 1.0
        else:
            distance = tv.low - actual if actual < tv.low else actual - tv.high
            raw = max(0.0, 1.0 - distance / tol) if tol > 0 else 0.0
    else:
        if tv.target is None:
            return NAN
        met = actual >= tv.target if higher_better(kpi, tv) else actual <= tv.target
        raw = 1.0 if met else 0.0
    return min(max(raw, 0.0), cap)


def rag(score: float, card: Scorecard) -> str:
    if math.isnan(score):
        return "no_data"
    if score >= card.settings.rag.green:
        return "green"
    if score >= card.settings.rag.amber:
        return "amber"
    return "red"


def kpi_status(kpi: Kpi, actual: float, score: float, tv: TargetValues, card: Scorecard) -> str:
    if kpi.status_rule is StatusRule.RED_FLAG and tv.red_flag is not None and not math.isnan(score):
        wrong = actual < tv.red_flag if higher_better(kpi, tv) else actual > tv.red_flag
        if wrong:
            return "red"
        return "green" if score >= card.settings.rag.green else "amber"
    return rag(score, card)


def minimum_coverage(card: Scorecard) -> float:
    return float(getattr(card.settings, "minimum_coverage", 0.5))


def node_status(score: float, coverage: float, card: Scorecard) -> str:
    if not math.isnan(score) and coverage < minimum_coverage(card):
        return "insufficient_data"
    return rag(score, card)


# --- roll-up ------------------------------------------------------------------------------


def combine(children: Sequence[tuple[float, float, float]], zero: bool) -> tuple[float, float]:
    """(score, coverage) of a node from its children's (weight, score, coverage)."""
    total = sum(w for w, _, _ in children)
    scored = [(w, s) for w, s, _ in children if not math.isnan(s)]
    num = sum(w * s for w, s in scored)
    if zero:
        den = total if scored else 0.0
    else:
        den = sum(w for w, _ in scored)
    score = num / den if den > 0 else NAN
    # Choice: a node whose children all weigh 0 covers nothing (the checks flag the design).
    coverage = sum(w * c for w, _, c in children) / total if total > 0 else 0.0
    return score, coverage


# --- the whole run ------------------------------------------------------------------------


@dataclass
class Reference:
    labels: list[str]
    kpi_ids: list[str]
    value: list[Grid]
    sample: list[Grid]
    score: list[Grid]
    status: list[list[list[str]]]
    low_sample: list[list[list[bool]]]
    objective_score: list[Grid]
    objective_coverage: list[Grid]
    objective_status: list[list[list[str]]]
    perspective_score: list[Grid]
    perspective_coverage: list[Grid]
    perspective_status: list[list[list[str]]]
    tier_score: Grid
    tier_coverage: Grid
    tier_status: list[list[str]]
    headline: list[float]
    headline_coverage: list[float]
    headline_status: list[str]
    tier_weights: Grid
    effective_share: list[float]


def period_axis(
    cal: RefCalendar, tables: dict[str, Table], periods: Sequence[str] | None
) -> list[int]:
    if periods:
        ordinals = [cal.parse_label(p) for p in periods]
        known = [o for o in ordinals if o is not None]
        return list(range(min(known), max(known) + 1))
    found = [r.period for t in tables.values() for r in t.rows if r.period is not None]
    return list(range(min(found), max(found) + 1)) if found else []


def tier_weight_grid(ctx: Context) -> Grid:
    card = ctx.card
    n, n_p = len(card.tiers), len(ctx.periods)
    tw = card.tier_weights
    if tw.mode is TierWeighting.FIXED:
        return [[float(t.weight)] * n_p for t in card.tiers]
    if tw.mode is TierWeighting.COLUMN and tw.source in ctx.tables and tw.column:
        table = ctx.tables[tw.source]
        if table.has(tw.column):
            out = [[0.0] * n_p for _ in range(n)]
            for t in range(n):
                for p in range(n_p):
                    for r in ctx.in_cell(table, t, p):
                        v = number(table.value(r, tw.column))
                        out[t][p] += v if v is not None else 0.0
            return out
    return [[1.0] * n_p for _ in range(n)]


def effective_shares(card: Scorecard) -> list[float]:
    def share(w: float, total: float) -> float:
        return w / total if total > 0 else 0.0

    p_total = sum(p.weight for p in card.perspectives)
    out: list[float] = []
    for p in card.perspectives:
        inside = sum(k.weight for k in p.kpis) + sum(o.weight for o in p.objectives)
        ps = share(p.weight, p_total)
        out.extend(share(k.weight, inside) * ps for k in p.kpis)
        for o in p.objectives:
            o_total = sum(k.weight for k in o.kpis)
            out.extend(share(k.weight, o_total) * share(o.weight, inside) * ps for k in o.kpis)
    return out


def reference_score(
    card: Scorecard, frames: Mapping[str, pd.DataFrame], periods: Sequence[str] | None = None
) -> Reference:
    cal = calendar_for(card)
    key_tiers = customer_tiers(card, frames)
    tables = {
        s.id: prepare(card, s, frames[s.id], cal, key_tiers) for s in card.sources if s.id in frames
    }
    axis = period_axis(cal, tables, periods)
    ctx = Context(card, cal, tables, axis)
    labels = [cal.label(p) for p in axis]
    kpis = card.all_kpis()
    n_t, n_p = len(card.tiers), len(axis)
    value: list[Grid] = []
    sample: list[Grid] = []
    for kpi in kpis:
        if kpi.measure.aggregation is Aggregation.FORMULA:
            value.append(blank(ctx))
            sample.append(blank(ctx, 0.0))
        else:
            v, s = aggregate(ctx, kpi)
            value.append(v)
            sample.append(s)
    formulas(ctx, kpis, value, sample)

    cap = card.settings.cap
    tier_ids: list[str | None] = [*card.tier_ids(), None]
    score: list[Grid] = []
    status = []
    low = []
    for k, kpi in enumerate(kpis):
        sk, stk, lk = blank(ctx), [], []
        survey_kpi = kpi.measure.aggregation in (Aggregation.NPS, Aggregation.CSAT, Aggregation.CES)
        for t in range(n_t + 1):
            row_status, row_low = [], []
            for p in range(n_p):
                tv = targets_for(kpi, tier_ids[t], labels[p])
                a = value[k][t][p]
                sk[t][p] = score_of(kpi, a, tv, cap)
                row_status.append(kpi_status(kpi, a, sk[t][p], tv, card))
                n = sample[k][t][p]
                row_low.append(survey_kpi and 0 < n < card.settings.minimum_sample)
            stk.append(row_status)
            lk.append(row_low)
        score.append(sk)
        status.append(stk)
        low.append(lk)

    zero = card.settings.missing_data is MissingDataPolicy.ZERO
    position = {kpi.id: i for i, kpi in enumerate(kpis)}

    def kpi_child(kpi: Kpi, t: int, p: int) -> tuple[float, float, float]:
        s = score[position[kpi.id]][t][p]
        return (kpi.weight, s, 0.0 if math.isnan(s) else 1.0)

    o_score, o_cov, o_stat = [], [], []
    p_score, p_cov, p_stat = [], [], []
    for persp in card.perspectives:
        ps, pc = blank(ctx), blank(ctx, 0.0)
        objective_results = []
        for obj in persp.objectives:
            os_, oc = blank(ctx), blank(ctx, 0.0)
            for t in range(n_t + 1):
                for p in range(n_p):
                    os_[t][p], oc[t][p] = combine([kpi_child(k, t, p) for k in obj.kpis], zero)
            objective_results.append((obj.weight, os_, oc))
            o_score.append(os_)
            o_cov.append(oc)
            o_stat.append([[node_status(os_[t][p], oc[t][p], card) for p in range(n_p)]
                           for t in range(n_t + 1)])
        for t in range(n_t + 1):
            for p in range(n_p):
                children = [kpi_child(k, t, p) for k in persp.kpis]
                children += [(w, s[t][p], c[t][p]) for w, s, c in objective_results]
                ps[t][p], pc[t][p] = combine(children, zero)
        p_score.append(ps)
        p_cov.append(pc)
        p_stat.append([[node_status(ps[t][p], pc[t][p], card) for p in range(n_p)]
                       for t in range(n_t + 1)])

    t_score, t_cov = blank(ctx), blank(ctx, 0.0)
    for t in range(n_t + 1):
        for p in range(n_p):
            children = [
                (persp.weight, p_score[i][t][p], p_cov[i][t][p])
                for i, persp in enumerate(card.perspectives)
            ]
            t_score[t][p], t_cov[t][p] = combine(children, zero)
    t_stat = [[node_status(t_score[t][p], t_cov[t][p], card) for p in range(n_p)]
              for t in range(n_t + 1)]
    weights = tier_weight_grid(ctx)
    head, head_cov = [], []
    for p in range(n_p):
        h, c = combine([(weights[t][p], t_score[t][p], t_cov[t][p]) for t in range(n_t)], zero)
        head.append(h)
        head_cov.append(c)
    return Reference(
        labels=labels,
        kpi_ids=[k.id for k in kpis],
        value=value,
        sample=sample,
        score=score,
        status=status,
        low_sample=low,
        objective_score=o_score,
        objective_coverage=o_cov,
        objective_status=o_stat,
        perspective_score=p_score,
        perspective_coverage=p_cov,
        perspective_status=p_stat,
        tier_score=t_score,
        tier_coverage=t_cov,
        tier_status=t_stat,
        headline=head,
        headline_coverage=head_cov,
        headline_status=[node_status(h, c, card) for h, c in zip(head, head_cov, strict=True)],
        tier_weights=weights,
        effective_share=effective_shares(card),
    )
