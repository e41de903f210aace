"""Customer analytics benchmark: health, calibration, at-risk and link evidence together.

Generated data: 100,000 accounts in 4 tiers, 1,000,000 activity rows over 12 quarters
(usage, tickets, survey answers, ARR), and one renewal row per account-year. The design has
8 KPIs (leading and lagging, every kind of aggregation the sample uses), 6 strategy-map
links, 5 at-risk rules, health bands, renewals as outcomes and ARR as value at risk.
Timed: ``analyze`` end to end (per-account values and health, calibration, catch rate, link
evidence at lags 0–4, redundant pairs), then the at-risk list of the latest quarter; and
each part on its own, after one untimed small run. Reference in the same run: one
pandas ``groupby([key, quarter])``
mean of the activity columns, the floor any per-account computation starts from.

    uv run python benchmarks/bench_analytics.py [--rows 1000000] [--customers 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from scorecard_studio.domain.analytics import (
    AccountValue,
    Analytics,
    HealthBands,
    LinkSign,
    Outcomes,
    RiskRule,
    RuleKind,
    StrategyLink,
)
from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    Direction,
    IndicatorType,
    Kpi,
    Measure,
    Objective,
    Perspective,
    Scorecard,
    TargetSet,
    TargetValues,
)
from scorecard_studio.engines.analytics import analyze
from scorecard_studio.engines.analytics.calibration import calibrate
from scorecard_studio.engines.analytics.links import link_evidence, redundant_pairs
from scorecard_studio.engines.analytics.panel import build_panel
from scorecard_studio.engines.analytics.risk import at_risk, catch_rate

TIERS = np.array(["Tier 1", "Tier 2", "Tier 3", "Tier 4"])
QUARTERS = 12


def make_tables(rows: int, customers: int, seed: int = 11) -> dict[str, pd.DataFrame]:
    """Activity rows whose usage drives satisfaction and renewal, and the renewals."""
    rng = np.random.default_rng(seed)
    account = rng.integers(0, customers, rows)
    quarter = rng.integers(0, QUARTERS, rows)
    start = np.datetime64("2023-01-01")
    days = (quarter * 91 + rng.integers(0, 90, rows)).astype("timedelta64[D]")
    propensity = rng.normal(0.0, 1.0, customers)  # each account's own level
    drift = rng.normal(0.0, 0.3, (customers, QUARTERS)).cumsum(axis=1)
    level = propensity[account] + drift[account, quarter]
    adoption = np.clip(0.5 + 0.15 * level + rng.normal(0, 0.1, rows), 0, 1)
    tickets = rng.poisson(np.exp(0.3 - 0.4 * level))
    answer = np.clip(np.round(7 + 1.5 * level + rng.normal(0, 1.5, rows)), 0, 10)
    arr = np.round(np.exp(10 + 0.8 * propensity[account]), -2)
    activity = pd.DataFrame(
        {
            "account": np.char.add("ACC-", account.astype(str)),
            "date": start + days,
            "tier": TIERS[account % 4],
            "adoption": adoption,
            "tickets": tickets.astype(np.float64),
            "answer": answer,
            "arr": arr,
            "hours": np.round(rng.gamma(2.0, 4.0, rows), 1),
        }
    )
    years = QUARTERS // 4
    acc = np.repeat(np.arange(customers), years)
    year = np.tile(np.arange(years), customers)
    at = year * 4 + 3
    churn_p = 1 / (1 + np.exp(3.0 + 1.2 * (propensity[acc] + drift[acc, at - 1])))
    renewals = pd.DataFrame(
        {
            "account": np.char.add("ACC-", acc.astype(str)),
            "date": start + (at * 91 + rng.integers(0, 90, acc.size)).astype("timedelta64[D]"),
            "tier": TIERS[acc % 4],
            "renewed": (rng.random(acc.size) >= churn_p).astype(np.float64),
        }
    )
    return {"activity": activity, "renewals": renewals}


def _kpi(
    kid: str,
    measure: Measure,
    target: float,
    indicator: IndicatorType,
    direction: Direction = Direction.HIGHER,
    baseline: float = 0.0,
) -> Kpi:
    return Kpi(
        kid,
        kid.replace("_", " ").title(),
        measure,
        TargetSet(TargetValues(baseline=baseline, target=target)),
        direction=direction,
        indicator=indicator,
    )


def make_card() -> Scorecard:
    a, lead, lag = "activity", IndicatorType.LEADING, IndicatorType.LAGGING
    lower = Direction.LOWER
    kpis = {
        "adoption": _kpi("adoption", Measure(Aggregation.MEAN, a, "adoption"), 0.6, lead),
        "tickets": _kpi("tickets", Measure(Aggregation.SUM, a, "tickets"), 1, lead, lower, 6),
        "hours": _kpi("hours", Measure(Aggregation.MEAN, a, "hours"), 10, lead),
        "nps": _kpi("nps", Measure(Aggregation.NPS, a, "answer"), 30, lag, baseline=-50),
        "ces": _kpi("ces", Measure(Aggregation.MEAN, a, "answer"), 8, lag),
        "contacts": _kpi("contacts", Measure(Aggregation.COUNT, a, "tickets"), 10, lead),
        "arr": _kpi("arr", Measure(Aggregation.LAST, a, "arr"), 50_000, lag),
        "peak_arr": _kpi("peak_arr", Measure(Aggregation.MAX, a, "arr"), 50_000, lag),
    }
    perspectives = (
        Perspective(
            "fin", "Financial", 1, (Objective("grow", "Grow", 1, (kpis["arr"], kpis["peak_arr"])),)
        ),
        Perspective(
            "cust", "Customer", 1, (Objective("loyal", "Loyalty", 1, (kpis["nps"], kpis["ces"])),)
        ),
        Perspective("proc", "Process", 1, kpis=(kpis["tickets"], kpis["contacts"])),
        Perspective("learn", "Learning", 1, kpis=(kpis["adoption"], kpis["hours"])),
    )
    analytics = Analytics(
        links=(
            StrategyLink("adoption", "nps"),
            StrategyLink("adoption", "loyal"),
            StrategyLink("tickets", "nps", LinkSign.NEGATIVE),
            StrategyLink("tickets", "ces", LinkSign.NEGATIVE),
            StrategyLink("hours", "adoption"),
            StrategyLink("loyal", "grow"),
        ),
        risk_rules=(
            RiskRule("usage_fall", "Usage falling", RuleKind.FALL, 0.15, "adoption", 1, True),
            RiskRule("tickets", "Many tickets", RuleKind.ABOVE, 4, "tickets"),
            RiskRule("detractor", "Detractors", RuleKind.BELOW, 0, "nps"),
            RiskRule("cross", "Adoption under 40%", RuleKind.CROSS_BELOW, 0.4, "adoption"),
            RiskRule("health_fall", "Health falling", RuleKind.FALL, 0.2, None, 1, False, 50_000),
        ),
        bands=HealthBands(green=0.85, amber=0.7),
        outcomes=Outcomes("renewals", "renewed", horizon=4, fit_share=0.5),
        value=AccountValue("activity", "arr"),
    )
    sources = (
        DataSource(
            "activity", "Activity", key_column="account", date_column="date", tier_column="tier"
        ),
        DataSource(
            "renewals", "Renewals", key_column="account", date_column="date", tier_column="tier"
        ),
    )
    return Scorecard("Analytics benchmark", perspectives, sources=sources, analytics=analytics)


def median_time(fn: Callable[[], object], repeat: int) -> float:
    return median_times(fn, repeat)[0]


def median_times(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds (CPU time says less about the shared machine's load)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def reference(frame: pd.DataFrame) -> pd.DataFrame:
    quarter = frame["date"].dt.to_period("Q")
    cols = ["adoption", "tickets", "answer", "arr", "hours"]
    return frame[cols].groupby([frame["account"], quarter]).mean()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    card = make_card()
    # One small run first, untimed: lazy imports and kernels' first-call set-up are the
    # window's start-up cost, not the analysis's.
    analyze(card, make_tables(20_000, 2_000))
    tables = make_tables(args.rows, args.customers)

    def everything() -> object:
        evidence = analyze(card, tables)
        return evidence.at_risk(evidence.period_index(None))

    t_all, cpu_all = median_times(everything, args.repeat)
    panel = build_panel(card, tables)
    latest = int(np.flatnonzero(np.isfinite(panel.health).any(axis=0))[-1])
    parts = {
        "per-account values, health, bands": lambda: build_panel(card, tables),
        "calibration against renewals": lambda: calibrate(panel),
        "at-risk list (latest quarter)": lambda: at_risk(panel, latest),
        "catch rate (every quarter)": lambda: catch_rate(panel),
        "link evidence, lags 0-4": lambda: link_evidence(panel),
        "redundant pairs": lambda: redundant_pairs(panel),
    }
    timed = {name: median_time(fn, args.repeat) for name, fn in parts.items()}
    t_ref = median_time(lambda: reference(tables["activity"]), args.repeat)
    evidence = analyze(card, tables)
    flagged = len(evidence.at_risk(latest))
    print(
        f"rows={args.rows:,} (+{len(tables['renewals']):,} renewals) "
        f"customers={panel.n_customers:,} quarters={len(panel.period_labels)} "
        f"kpis={len(panel.kpi_ids)} links={len(card.analytics.links)} repeat={args.repeat}"
    )
    print(f"analyze + at-risk list, end to end   median {t_all:7.2f} s   (target <= 10 s)")
    print(f"  the same, CPU time of the process  median {cpu_all:7.2f} s")
    for name, seconds in timed.items():
        print(f"  {name:<34} median {seconds:7.2f} s")
    print(f"pandas groupby(key, quarter).mean()  median {t_ref:7.2f} s   (reference)")
    print(f"ratio end to end / reference                {t_all / t_ref:7.1f}")
    catch = evidence.catch
    print(
        f"at risk in {panel.period_labels[latest]}: {flagged:,}; "
        f"catch rate {catch.caught:,} of {catch.churned:,}"
        if catch
        else ""
    )


if __name__ == "__main__":
    main()
