"""Small designs and tables for the store tests, built so the expected values are obvious."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    Kpi,
    Measure,
    Objective,
    Perspective,
    Scorecard,
    TargetSet,
    TargetValues,
)

BILLING = DataSource(
    "billing",
    "Billing",
    file="billing.csv",
    key_column="account",
    date_column="month",
    tier_column="tier",
)
SURVEY = DataSource(
    "survey",
    "Survey",
    file="survey.csv",
    key_column="account",
    date_column="date",
    tier_column="tier",
)


def kpi(kpi_id: str, name: str, target: float = 200.0, weight: float = 1.0) -> Kpi:
    return Kpi(
        kpi_id,
        name,
        Measure(Aggregation.SUM, source="billing", column="amount"),
        TargetSet(TargetValues(baseline=0, target=target)),
        weight=weight,
    )


def card(name: str = "Retention", *, target: float = 200.0, extra: int = 0) -> Scorecard:
    """A two-perspective card; ``extra`` adds KPIs so designs differ by size."""
    growth = Objective("growth", "Growth", kpis=(kpi("revenue", "Revenue", target),))
    extras = tuple(kpi(f"k{i}", f"KPI {i}", 100.0 + i) for i in range(extra))
    nps = Kpi(
        "nps",
        "NPS",
        Measure(Aggregation.NPS, source="survey", column="score"),
        TargetSet(TargetValues(baseline=0, target=40)),
    )
    return Scorecard(
        name,
        (
            Perspective("fin", "Financial", objectives=(growth,), kpis=extras),
            Perspective("cust", "Customer", kpis=(nps,)),
        ),
        sources=(BILLING, SURVEY),
    )


def with_weight(c: Scorecard, kpi_id: str, weight: float) -> Scorecard:
    """``c`` with one KPI's weight changed (wherever the KPI sits)."""

    def fix(k: Kpi) -> Kpi:
        return dataclasses.replace(k, weight=weight) if k.id == kpi_id else k

    perspectives = tuple(
        dataclasses.replace(
            p,
            kpis=tuple(fix(k) for k in p.kpis),
            objectives=tuple(
                dataclasses.replace(o, kpis=tuple(fix(k) for k in o.kpis)) for o in p.objectives
            ),
        )
        for p in c.perspectives
    )
    return dataclasses.replace(c, perspectives=perspectives)


def billing_table(rows: int = 4, seed: int = 0) -> pd.DataFrame:
    """Typed like an import: float64, datetime64, bool and str with a missing value."""
    rng = np.random.default_rng(seed)
    months = pd.date_range("2026-01-01", periods=rows, freq="MS")
    tiers = pd.Series(["Tier 1", "Tier 2", None, "Tier 1"] * (rows // 4 + 1), dtype="str")
    return pd.DataFrame(
        {
            "account": pd.Series([f"a{i}" for i in range(rows)], dtype="str"),
            "month": months,
            "tier": tiers[:rows].reset_index(drop=True),
            "amount": rng.integers(0, 1000, rows).astype("float64"),
            "active": pd.Series([i % 2 == 0 for i in range(rows)], dtype="bool"),
        }
    )


def survey_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account": pd.Series(["a0", "a1", "a2"], dtype="str"),
            "date": pd.to_datetime(["2026-01-05", "2026-02-05", "2026-03-05"]),
            "tier": pd.Series(["Tier 1", "Tier 2", "Tier 1"], dtype="str"),
            "score": [9.0, 6.0, np.nan],
        }
    )
