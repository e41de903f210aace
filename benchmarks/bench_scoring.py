"""Scoring engine benchmark: rows -> actuals, and actuals -> scores and roll-ups.

A generated scorecard of 1,000 KPIs x 4 tiers x 36 monthly periods over 1,000,000 rows, the
KPIs spread over every row-level aggregation and 12 measure columns (as a real scorecard
shares a few data columns between many KPIs). Reference in the same run: a plain pandas
``groupby(["tier", "month"]).agg()`` computing the same (column, aggregation) pairs.

    uv run python benchmarks/bench_scoring.py [--rows 1000000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    Frequency,
    Kpi,
    Measure,
    Objective,
    Perspective,
    Scorecard,
    Settings,
    TargetOverride,
    TargetSet,
    TargetValues,
)
from scorecard_studio.engines.scoring import compute_actuals, score_actuals
from scorecard_studio.engines.scoring.engine import ScoringPlan

COLUMNS = [f"m{i}" for i in range(12)]
ROW_AGGREGATIONS = [
    Aggregation.SUM,
    Aggregation.MEAN,
    Aggregation.MEDIAN,
    Aggregation.MIN,
    Aggregation.MAX,
    Aggregation.COUNT,
    Aggregation.DISTINCT_COUNT,
    Aggregation.LAST,
    Aggregation.TTM_SUM,
    Aggregation.RATIO,
    Aggregation.NPS,
    Aggregation.CSAT,
    Aggregation.CES,
]


def make_rows(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    months = pd.date_range("2023-10-01", periods=36, freq="MS")
    data: dict[str, object] = {
        "account": rng.integers(0, 20_000, n).astype(str),
        "date": months.values[rng.integers(0, 36, n)]
        + rng.integers(0, 27, n).astype("timedelta64[D]"),
        "tier": np.array(["Tier 1", "Tier 2", "Tier 3", "Tier 4"])[rng.integers(0, 4, n)],
        "answer": rng.integers(0, 11, n).astype(np.float64),
    }
    for col in COLUMNS:
        values = rng.gamma(2.0, 50.0, n)
        values[rng.random(n) < 0.02] = np.nan
        data[col] = values
    return pd.DataFrame(data)


def make_card(n_kpis: int = 1000) -> Scorecard:
    kpis = []
    for i in range(n_kpis):
        agg = ROW_AGGREGATIONS[i % len(ROW_AGGREGATIONS)]
        column = (
            "answer"
            if agg in (Aggregation.NPS, Aggregation.CSAT, Aggregation.CES)
            else COLUMNS[i % 12]
        )
        if agg is Aggregation.DISTINCT_COUNT:
            column = "account"  # active accounts: distinct counts are of keys
        measure = Measure(
            agg,
            source="rows",
            column=column,
            denominator=COLUMNS[(i + 1) % 12] if agg is Aggregation.RATIO else None,
        )
        if agg is Aggregation.CSAT:
            measure = Measure(agg, source="rows", column="answer", scale=None)
        targets = TargetSet(
            TargetValues(baseline=10.0 + i % 7, target=100.0 + i % 13),
            (TargetOverride(TargetValues(target=120.0), tier="tier_1"),) if i % 5 == 0 else (),
        )
        kpis.append(Kpi(f"k{i}", f"KPI {i}", measure, targets, weight=1.0 + i % 4))
    perspectives = []
    per_p = n_kpis // 4
    for p in range(4):
        chunk = kpis[p * per_p : (p + 1) * per_p]
        objectives = tuple(
            Objective(
                f"o{p}_{j}", f"Objective {p}.{j}", 1.0 + j % 3, tuple(chunk[j * 10 : (j + 1) * 10])
            )
            for j in range(len(chunk) // 10)
        )
        perspectives.append(Perspective(f"p{p}", f"Perspective {p}", 1.0 + p, objectives))
    source = DataSource(
        "rows", "Rows", key_column="account", date_column="date", tier_column="tier"
    )
    return Scorecard(
        "Benchmark",
        tuple(perspectives),
        settings=Settings(frequency=Frequency.MONTH),
        sources=(source,),
    )


def pandas_reference(frame: pd.DataFrame) -> pd.DataFrame:
    """The same (column, aggregation) pairs with plain pandas groupby().agg()."""
    grouped = frame.assign(month=frame["date"].dt.to_period("M")).groupby(["tier", "month"])
    spec: dict[str, list[str]] = {
        c: ["sum", "mean", "median", "min", "max", "count", "nunique", "last"] for c in COLUMNS
    }
    spec = {c: ["sum", "mean", "median", "min", "max", "count", "last"] for c in COLUMNS}
    spec["answer"] = ["count", "mean"]
    spec["account"] = ["nunique"]
    return grouped.agg(spec)


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--kpis", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    frame = make_rows(args.rows)
    card = make_card(args.kpis)
    tables = {"rows": frame}
    actuals = compute_actuals(card, tables)
    assert len(actuals.period_labels) == 36, actuals.period_labels
    plan = ScoringPlan.of(card, actuals)
    t_agg = median_time(lambda: compute_actuals(card, tables), args.repeat)
    t_ref = median_time(lambda: pandas_reference(frame), args.repeat)
    t_score = median_time(lambda: score_actuals(card, actuals, plan), max(args.repeat, 21))
    t_plan = median_time(lambda: ScoringPlan.of(card, actuals), max(args.repeat, 11))
    cells = actuals.value.size
    print(f"rows={args.rows:,} kpis={args.kpis} tiers=4 periods=36 cells={cells:,}")
    print(f"rows -> actuals (engine)        median {t_agg * 1000:8.1f} ms")
    print(f"pandas groupby().agg reference  median {t_ref * 1000:8.1f} ms")
    print(f"ratio engine / pandas reference        {t_agg / t_ref:8.2f}")
    print(f"actuals -> scores + roll-up     median {t_score * 1000:8.2f} ms")
    print(f"design plan (targets, checks)   median {t_plan * 1000:8.2f} ms  (once per design edit)")


if __name__ == "__main__":
    main()
