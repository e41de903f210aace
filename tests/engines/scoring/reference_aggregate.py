"""Reference scorer, part 2: every aggregation and formulas, as loops over rows.

Nothing here comes from the engine; see ``reference_scorer`` for the whole contract.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from reference_rows import (
    NAN,
    Grid,
    RefCalendar,
    Row,
    Table,
    is_empty,
    local_time,
    month_of,
    normal_key,
    number,
    text_value,
)

from scorecard_studio.domain.model import (
    Aggregation,
    CesMode,
    Kpi,
    Measure,
    Scorecard,
    SurveyScale,
)

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
    assert m.start_column
    assert m.end_column
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


_TOKEN = re.compile(
    r"\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_]\w*)|(.))"
)


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
