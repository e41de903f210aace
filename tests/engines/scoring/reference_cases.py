"""Hypothesis strategies for small scorecards and data sets to score both ways.

Kept small on purpose (at most 3 perspectives, 6 KPIs, 3 tiers and 40 rows) so that many
examples run quickly. Numbers are multiples of 0.25, so sums are exact in binary floating
point and the engine's summation order cannot make a difference that is not a real one.
"""

from __future__ import annotations

import calendar as pycal
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from hypothesis import strategies as st
from reference_scorer import RefCalendar

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
    Objective,
    Perspective,
    RagThresholds,
    Scorecard,
    ScoringMethod,
    Settings,
    StatusRule,
    SurveyScale,
    TargetOverride,
    TargetSet,
    TargetValues,
    Tier,
    TierWeighting,
    TierWeights,
)

ZONES = ("UTC", "America/New_York", "Asia/Kolkata", "Australia/Sydney")
SIMPLE = (
    Aggregation.SUM,
    Aggregation.MEAN,
    Aggregation.MEDIAN,
    Aggregation.MIN,
    Aggregation.MAX,
    Aggregation.COUNT,
    Aggregation.DISTINCT_COUNT,
    Aggregation.LAST,
)


@dataclass
class Case:
    card: Scorecard
    tables: dict[str, pd.DataFrame]
    periods: list[str] | None


@st.composite
def settings_st(draw: st.DrawFn) -> Settings:
    kw: dict[str, Any] = {
        "frequency": draw(st.sampled_from(list(Frequency))),
        "fiscal_year_start_month": draw(st.sampled_from([1, 1, 4, 7, 10])),
        "fiscal_year_label": draw(st.sampled_from(list(FiscalYearLabel))),
        "timezone": draw(st.sampled_from(ZONES)),
        "cap": draw(st.sampled_from([1.0, 1.0, 1.2, 1.5])),
        "rag": draw(st.sampled_from([RagThresholds(), RagThresholds(0.9, 0.6)])),
        "missing_data": draw(st.sampled_from(list(MissingDataPolicy))),
        "minimum_sample": draw(st.sampled_from([2, 3, 30])),
    }
    if "minimum_coverage" in {f.name for f in fields(Settings)}:
        kw["minimum_coverage"] = draw(st.sampled_from([0.5, 0.3, 0.8]))
    return Settings(**kw)


def tiers_st(n: int) -> tuple[Tier, ...]:
    return tuple(Tier(f"t{i}", f"Tier {i}", weight=float(i % 3)) for i in range(1, n + 1))


# --- dates -----------------------------------------------------------------------------------


class RowDraw:
    """Row values from a seeded generator drawn once per example.

    Drawing every cell through Hypothesis made generation most of the run time; cells come
    from small pools anyway, and the seed in a failing example reproduces them.
    """

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def pick(self, options: Sequence[Any]) -> Any:
        return self.rng.choice(options)

    def opt(self, make: Callable[[], Any], empty_one_in: int = 4) -> Any:
        """``make()``, or None once in ``empty_one_in`` times (an empty cell)."""
        return None if self.rng.randrange(empty_one_in) == 0 else make()

    def num(self) -> float:
        return self.rng.randint(-200, 600) / 4

    def positive(self) -> float:
        return self.rng.randint(0, 400) / 4

    def moment(self) -> datetime:
        """A wall-clock time, often close to a month's edge."""
        year = self.pick([2025, 2026])
        month = self.rng.randint(1, 12)
        last = pycal.monthrange(year, month)[1]
        day = self.pick([1, 1, 2, 15, last - 1, last, last])
        hour = self.pick([0, 0, 1, 3, 12, 21, 23, 23])
        return datetime(year, month, day, hour, self.pick([0, 30, 45]))


seeds = st.integers(0, 2**32 - 1).map(RowDraw)


def _aware(moment: datetime, zone: str) -> pd.Timestamp:
    """The wall-clock time in a zone (the first of two at a DST fall-back hour)."""
    return pd.Timestamp(moment).tz_localize(zone, ambiguous=True, nonexistent="shift_forward")


DATE_FORMS = ("naive", "aware", "mixed_zones", "iso_text", "iso_offset", "serial", "day_first")


def date_cells(
    form: str, moments: list[datetime | None], zones: list[str]
) -> tuple[list, DateOrder]:
    """A date column in one of the forms files and the importer produce."""
    out: list[Any] = []
    order = DateOrder.AUTO
    for m, zone in zip(moments, zones, strict=True):
        if m is None:
            out.append(None)
        elif form == "naive":
            out.append(pd.Timestamp(m))
        elif form == "aware":
            out.append(_aware(m, zones[0]))
        elif form == "mixed_zones":
            out.append(_aware(m, zone))
        elif form == "iso_text":
            out.append(m.isoformat(sep=" "))
        elif form == "iso_offset":
            out.append(_aware(m, zones[0]).isoformat())
        elif form == "serial":
            # Minutes are multiples of 15: exact in 1/96 of a day.
            out.append((m - datetime(1899, 12, 30)) / timedelta(days=1))
        else:
            order = DateOrder.DAY_FIRST
            out.append(f"{m.day:02d}/{m.month:02d}/{m.year}")
    if form in ("naive", "aware") and all(v is None for v in out):
        out = [pd.NaT] * len(out)
    return out, order


# --- targets and KPIs ------------------------------------------------------------------------

grid = st.integers(-8, 40).map(lambda i: i * 5.0)


@st.composite
def targets_st(draw: st.DrawFn, method: ScoringMethod, tiers: list[str], labels: list[str]):
    def values() -> TargetValues:
        if method is ScoringMethod.RANGE:
            low = draw(grid)
            high = low + draw(st.sampled_from([0.0, 5.0, 40.0]))
            tol = draw(st.sampled_from([None, 0.0, 10.0, 50.0]))
            return TargetValues(low=low, high=high, tolerance=tol)
        if method is ScoringMethod.RATIO:
            t = draw(st.integers(1, 40).map(lambda i: i * 5.0))
            b = draw(st.sampled_from([None, t - 5.0, t + 20.0]))
            return TargetValues(baseline=b, target=t)
        b = draw(grid)
        t = draw(grid.filter(lambda x: x != b))
        step = t - b
        stretch = draw(st.sampled_from([None, t + step * 0.5, t + step * 2]))
        red = draw(st.sampled_from([None, b, b - step * 0.5, t - step * 0.25]))
        if method is ScoringMethod.BINARY and draw(st.booleans()):
            return TargetValues(target=t)
        return TargetValues(baseline=b, target=t, stretch=stretch, red_flag=red)

    default = values()
    overrides = []
    for _ in range(draw(st.integers(0, 3))):
        tier = draw(st.sampled_from([None, *tiers]))
        period = draw(st.sampled_from([None, *labels])) if labels else None
        if tier is None and period is None:
            period = labels[0] if labels else None
            if period is None:
                continue
        if any(o.tier == tier and o.period == period for o in overrides):
            continue
        full = values()
        keep = draw(
            st.sets(
                st.sampled_from(
                    ["baseline", "target", "stretch", "red_flag", "low", "high", "tolerance"]
                )
            )
        )
        part = TargetValues(
            **{
                f: getattr(full, f) if f in keep else None
                for f in ("baseline", "target", "stretch", "red_flag", "low", "high", "tolerance")
            }
        )
        overrides.append(TargetOverride(part, tier=tier, period=period))
    return TargetSet(default, tuple(overrides))


@st.composite
def kpi_st(draw: st.DrawFn, kid: str, measure: Measure, tiers: list[str], labels: list[str]):
    method = draw(st.sampled_from(list(ScoringMethod)))
    targets = draw(targets_st(method, tiers, labels))
    rule = draw(st.sampled_from([StatusRule.SCORE, StatusRule.SCORE, StatusRule.RED_FLAG]))
    return Kpi(
        kid,
        kid.upper(),
        measure,
        targets,
        weight=draw(st.sampled_from([0.0, 0.5, 1.0, 1.0, 2.0, 3.0])),
        direction=draw(st.sampled_from(list(Direction))),
        method=method,
        status_rule=rule,
    )


@st.composite
def tree_st(draw: st.DrawFn, kpis: list[Kpi]) -> tuple[Perspective, ...]:
    """Spread KPIs over up to 3 perspectives, each with direct KPIs and 0–2 objectives."""
    n_p = draw(st.integers(1, 3))
    n_o = [draw(st.integers(0, 2)) for _ in range(n_p)]
    slots = [(p, None) for p in range(n_p)] + [(p, o) for p in range(n_p) for o in range(n_o[p])]
    where = [draw(st.sampled_from(slots)) for _ in kpis]
    weights = st.sampled_from([0.0, 1.0, 1.0, 2.0, 3.0])
    out = []
    for p in range(n_p):
        objectives = tuple(
            Objective(
                f"o{p}{o}",
                f"O{p}{o}",
                draw(weights),
                tuple(k for k, w in zip(kpis, where, strict=True) if w == (p, o)),
            )
            for o in range(n_o[p])
        )
        direct = tuple(k for k, w in zip(kpis, where, strict=True) if w == (p, None))
        out.append(Perspective(f"p{p}", f"P{p}", draw(weights), objectives, direct))
    return tuple(out)


def labels_near(s: Settings) -> list[str]:
    """Period labels from 2025 to 2026 in the scorecard's calendar (for overrides)."""
    cal = RefCalendar(s.frequency, s.fiscal_year_start_month, s.fiscal_year_label)
    periods = sorted({cal.period_of(m) for m in range(2025 * 12, 2027 * 12)})
    return [cal.label(p) for p in periods]


@st.composite
def periods_arg(draw: st.DrawFn, s: Settings) -> list[str] | None:
    labels = labels_near(s)
    if draw(st.booleans()):
        return None
    i = draw(st.integers(0, len(labels) - 1))
    j = draw(st.integers(i, len(labels) - 1))
    return [labels[i], labels[j]]


# --- the general case: a wide source, simple aggregations, ratio, TTM, formulas --------------

TIER_TEXT = ("t1", "Tier 1", " tier 1 ", "TIER 2", "t2", "Tier 3", "Gold", None, "")
IDS = ("A-01", "A-02", " A-01 ", "B-7", "", "  ", None)


@st.composite
def wide_case(draw: st.DrawFn) -> Case:
    s = draw(settings_st())
    tiers = tiers_st(draw(st.integers(1, 3)))
    n = draw(st.integers(0, 40))
    form = draw(st.sampled_from(DATE_FORMS))
    r = draw(seeds)
    moments = [r.opt(r.moment, 10) for _ in range(n)]
    zones = [r.pick(ZONES) for _ in range(n)]
    dates, order = date_cells(form, moments, zones)
    frame = pd.DataFrame(
        {
            "key": [r.pick(["c1", "c2", "c3", "c4"]) for _ in range(n)],
            "date": dates,
            "tier": [r.pick(TIER_TEXT) for _ in range(n)],
            "v": [r.opt(r.num) for _ in range(n)],
            "w": [r.opt(r.positive) for _ in range(n)],
            "ref": [r.pick(IDS) for _ in range(n)],
        }
    )
    source = DataSource(
        "src", "Rows", key_column="key", date_column="date", tier_column="tier", date_order=order
    )
    tier_ids = [t.id for t in tiers]
    labels = labels_near(s)
    kpis: list[Kpi] = []
    for i in range(draw(st.integers(1, 6))):
        choices = [*SIMPLE, Aggregation.RATIO, Aggregation.TTM_SUM]
        if kpis:
            choices.append(Aggregation.FORMULA)
        agg = draw(st.sampled_from(choices))
        if agg is Aggregation.FORMULA:
            ids = [k.id for k in kpis]
            a, b = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
            text = draw(
                st.sampled_from(
                    [
                        f"{a} + {b}",
                        f"{a} / {b}",
                        f"{a} * 2 - {b}",
                        f"max({a}, {b}) - abs({b})",
                        f"min({a}, 3) / 4",
                        f"-({a}) + 100",
                    ]
                )
            )
            measure = Measure(Aggregation.FORMULA, formula=text)
        elif agg is Aggregation.RATIO:
            measure = Measure(
                Aggregation.RATIO,
                source="src",
                column=draw(st.sampled_from(["v", "w"])),
                aggregation_of_column=draw(st.sampled_from(SIMPLE)),
                denominator=draw(st.sampled_from(["w", "ref"])),
                aggregation_of_denominator=draw(
                    st.sampled_from([Aggregation.SUM, Aggregation.COUNT, Aggregation.MAX])
                ),
            )
        elif agg in (Aggregation.COUNT, Aggregation.DISTINCT_COUNT):
            col = draw(
                st.sampled_from(["v", "ref", "key", None if agg is Aggregation.COUNT else "w"])
            )
            measure = Measure(agg, source="src", column=col)
        else:
            measure = Measure(agg, source="src", column=draw(st.sampled_from(["v", "w"])))
        kpis.append(draw(kpi_st(f"k{i}", measure, tier_ids, labels)))
    weighting = draw(st.sampled_from(list(TierWeighting)))
    card = Scorecard(
        "Generated",
        draw(tree_st(kpis)),
        tiers=tiers,
        tier_weights=TierWeights(weighting, "src", "w"),
        settings=s,
        sources=(source,),
    )
    return Case(card, {"src": frame}, draw(periods_arg(s)))


# --- surveys --------------------------------------------------------------------------------


@st.composite
def survey_case(draw: st.DrawFn) -> Case:
    s = draw(settings_st())
    tiers = tiers_st(draw(st.integers(1, 3)))
    n = draw(st.integers(0, 40))
    r = draw(seeds)
    moments = [r.moment() for _ in range(n)]
    answers = [
        None,
        -1.0,
        11.0,
        6.5,
        4.5,
        *(float(i) for i in range(11)),
        *(float(i) for i in range(1, 8)),
    ]
    frame = pd.DataFrame(
        {
            "date": [pd.Timestamp(m) for m in moments] if n else pd.Series([], dtype="M8[ns]"),
            "tier": [r.pick(TIER_TEXT) for _ in range(n)],
            "nps": [r.pick(answers) for _ in range(n)],
            "sat": [r.pick(answers) for _ in range(n)],
        }
    )
    source = DataSource("src", "Survey", date_column="date", tier_column="tier")
    tier_ids = [t.id for t in tiers]
    labels = labels_near(s)
    measures = [
        Measure(Aggregation.NPS, source="src", column="nps"),
        Measure(Aggregation.CSAT, source="src", column="sat"),
        Measure(Aggregation.CSAT, source="src", column="nps", scale=SurveyScale(0, 10, 8, 10)),
        Measure(Aggregation.CES, source="src", column="sat"),
        Measure(Aggregation.CES, source="src", column="sat", ces_mode=CesMode.TOP_BOX),
    ]
    chosen = draw(st.lists(st.sampled_from(measures), min_size=1, max_size=5))
    kpis = [draw(kpi_st(f"k{i}", m, tier_ids, labels)) for i, m in enumerate(chosen)]
    card = Scorecard("Survey", draw(tree_st(kpis)), tiers=tiers, settings=s, sources=(source,))
    return Case(card, {"src": frame}, draw(periods_arg(s)))


# --- churn and CLV, wide and long -----------------------------------------------------------


@st.composite
def account_case(draw: st.DrawFn) -> Case:
    s = draw(settings_st())
    tiers = tiers_st(draw(st.integers(1, 3)))
    n = draw(st.integers(0, 40))
    long = draw(st.booleans())
    keyed = draw(st.booleans())

    r = draw(seeds)

    def month_text() -> str | None:
        return r.opt(lambda: r.moment().date().isoformat(), 6)

    recs = []
    for _ in range(n):
        recs.append(
            {
                "key": r.pick(["a1", "a2", "a3", "a4", "a5"]),
                "date": pd.Timestamp(r.moment()),
                "tier": r.pick(TIER_TEXT[:6]),
                "start": month_text(),
                "end": r.opt(month_text, 2),
                "margin": r.opt(r.positive),
                "ret": r.opt(lambda: r.pick([0.5, 0.75, 0.875, 1.0])),
            }
        )
    columns = ["key", "date", "tier", "start", "end", "margin", "ret"]
    frame = pd.DataFrame(recs, columns=columns)
    if n:
        frame["date"] = pd.to_datetime(frame["date"])
    if long:
        # One row per metric: margin and retention rows; start/end stay plain columns.
        rows = []
        for rec in recs:
            for metric in ("margin", "ret"):
                if r.rng.randrange(4):
                    rows.append(
                        {**{c: rec[c] for c in columns[:5]}, "metric": metric, "value": rec[metric]}
                    )
        frame = pd.DataFrame(rows, columns=[*columns[:5], "metric", "value"])
        if len(frame):
            frame["date"] = pd.to_datetime(frame["date"])
    source = DataSource(
        "src",
        "Accounts",
        key_column="key" if keyed else None,
        date_column="date",
        tier_column="tier",
        layout=Layout.LONG if long else Layout.WIDE,
        metric_column="metric" if long else None,
        value_column="value" if long else None,
    )
    tier_ids = [t.id for t in tiers]
    labels = labels_near(s)
    retention = draw(st.sampled_from(["column", "rate", "churn"]))
    clv_kw: dict[str, Any] = {
        "column": {"retention_column": "ret"},
        "rate": {"retention_rate": 0.8},
        "churn": {"start_column": "start", "end_column": "end"},
    }[retention]
    d = draw(st.sampled_from([0.1, 0.25]))
    measures = [
        Measure(Aggregation.CHURN_RATE, source="src", start_column="start", end_column="end"),
        Measure(Aggregation.CLV_SIMPLE, source="src", column="margin", discount_rate=d, **clv_kw),
        Measure(
            Aggregation.CLV_DISCOUNTED,
            source="src",
            column="margin",
            discount_rate=d,
            horizon=draw(st.integers(1, 6)),
            **clv_kw,
        ),
        Measure(Aggregation.SUM, source="src", column="margin"),
        Measure(Aggregation.COUNT, source="src", column="margin"),
    ]
    chosen = draw(st.lists(st.sampled_from(measures), min_size=1, max_size=5))
    kpis = [draw(kpi_st(f"k{i}", m, tier_ids, labels)) for i, m in enumerate(chosen)]
    card = Scorecard("Accounts", draw(tree_st(kpis)), tiers=tiers, settings=s, sources=(source,))
    return Case(card, {"src": frame}, draw(periods_arg(s)))


# --- tiering by rules or by a tiering source's tier column ---------------------------------

KEYS = ("c1", " C1", "c2", "C2 ", "c3", "c4", "1001", "1001.0")


@st.composite
def tiering_case(draw: st.DrawFn) -> Case:
    from scorecard_studio.domain.model import Tiering, TierMode, TierRule

    s = draw(settings_st())
    tiers = tiers_st(draw(st.integers(1, 3)))
    n_crm = draw(st.integers(0, 15))
    r = draw(seeds)
    crm = pd.DataFrame(
        {
            "key": [r.pick(KEYS) for _ in range(n_crm)],
            "date": [r.opt(lambda: pd.Timestamp(r.moment()), 3) for _ in range(n_crm)],
            "revenue": [r.opt(lambda: r.pick([0.0, 50.0, 500.0, 5000.0])) for _ in range(n_crm)],
            "segment": [r.pick(TIER_TEXT[:6]) for _ in range(n_crm)],
        }
    )
    if n_crm:
        crm["date"] = pd.to_datetime(crm["date"])
    n = draw(st.integers(0, 25))
    billing = pd.DataFrame(
        {
            "key": [r.pick(KEYS) for _ in range(n)],
            "date": [pd.Timestamp(r.moment()) for _ in range(n)],
            "amount": [r.opt(r.num) for _ in range(n)],
        }
    )
    if n:
        billing["date"] = pd.to_datetime(billing["date"])
    ids = [t.id for t in tiers]
    if draw(st.booleans()):
        rules = tuple(TierRule(tid, m) for tid, m in zip(ids, (1000.0, 100.0, 0.0), strict=False))
        tiering = Tiering(TierMode.RULES, "crm", "revenue", rules=rules)
    else:
        tiering = Tiering(TierMode.COLUMN, "crm", "segment")
    sources = (
        DataSource("bill", "Billing", key_column="key", date_column="date"),
        DataSource("crm", "CRM", key_column="key", date_column="date"),
    )
    labels = labels_near(s)
    measures = [
        Measure(Aggregation.SUM, source="bill", column="amount"),
        Measure(Aggregation.LAST, source="bill", column="amount"),
        Measure(Aggregation.COUNT, source="bill"),
        Measure(Aggregation.DISTINCT_COUNT, source="bill", column="key"),
        Measure(Aggregation.SUM, source="crm", column="revenue"),
    ]
    chosen = draw(st.lists(st.sampled_from(measures), min_size=1, max_size=5))
    kpis = [draw(kpi_st(f"k{i}", m, ids, labels)) for i, m in enumerate(chosen)]
    card = Scorecard(
        "Tiering",
        draw(tree_st(kpis)),
        tiers=tiers,
        tiering=tiering,
        tier_weights=TierWeights(draw(st.sampled_from(list(TierWeighting))), "bill", "amount"),
        settings=s,
        sources=sources,
    )
    return Case(card, {"bill": billing, "crm": crm}, draw(periods_arg(s)))


# --- period columns -------------------------------------------------------------------------


@st.composite
def period_case(draw: st.DrawFn) -> Case:
    s = draw(settings_st())
    tiers = tiers_st(draw(st.integers(1, 2)))
    n = draw(st.integers(1, 30))
    r = draw(seeds)
    months = [r.rng.randint(2025 * 12, 2026 * 12 + 11) for _ in range(n)]
    kind = draw(st.sampled_from(["labels", "dates", "years"]))

    def cal(freq: Frequency) -> RefCalendar:
        return RefCalendar(freq, s.fiscal_year_start_month, s.fiscal_year_label)

    cells: list[Any]
    if kind == "labels":
        freqs = [f for f in Frequency if cal(f).size <= cal(s.frequency).size]
        cells = []
        for m in months:
            c = cal(r.pick(freqs))
            label = c.label(c.period_of(m))
            cells.append(r.pick([None, "n/a"]) if r.rng.randrange(8) == 0 else label)
    elif kind == "dates":
        cells = [pd.Timestamp(datetime(m // 12, m % 12 + 1, 1)) for m in months]
    else:
        cells = [m // 12 for m in months]
        if s.fiscal_year_start_month != 1:  # a plain year is only a calendar year's label
            s = Settings(
                **{
                    f.name: getattr(s, f.name)
                    for f in fields(Settings)
                    if f.name != "fiscal_year_start_month"
                }
            )
        s = Settings(
            **{
                **{f.name: getattr(s, f.name) for f in fields(Settings)},
                "frequency": Frequency.YEAR,
            }
        )
    frame = pd.DataFrame(
        {
            "period": cells,
            "tier": [r.pick(TIER_TEXT[:5]) for _ in range(n)],
            "v": [r.opt(r.num) for _ in range(n)],
        }
    )
    source = DataSource("src", "Periods", period_column="period", tier_column="tier")
    ids = [t.id for t in tiers]
    labels = labels_near(s)
    measures = [
        Measure(Aggregation.SUM, source="src", column="v"),
        Measure(Aggregation.COUNT, source="src"),
        Measure(Aggregation.MEAN, source="src", column="v"),
        Measure(Aggregation.TTM_SUM, source="src", column="v"),
    ]
    chosen = draw(st.lists(st.sampled_from(measures), min_size=1, max_size=4))
    kpis = [draw(kpi_st(f"k{i}", m, ids, labels)) for i, m in enumerate(chosen)]
    card = Scorecard("Periods", draw(tree_st(kpis)), tiers=tiers, settings=s, sources=(source,))
    return Case(card, {"src": frame}, draw(periods_arg(s)))
