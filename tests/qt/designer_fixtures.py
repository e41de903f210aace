"""A small design and data for the designer's model tests."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from scorecard_studio.domain import edits
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
    Tier,
)


def kpi(kid: str, column: str, weight: float = 1.0, target: float = 100.0) -> Kpi:
    return Kpi(
        kid,
        kid.title(),
        Measure(Aggregation.SUM, source="src", column=column),
        TargetSet(TargetValues(baseline=0, target=target)),
        weight=weight,
    )


def design() -> Scorecard:
    fin = Perspective(
        "fin",
        "Financial",
        2,
        objectives=(
            Objective("grow", "Grow", 1, (kpi("revenue", "revenue", 3), kpi("margin", "margin"))),
        ),
        kpis=(kpi("dso", "dso"),),
    )
    cust = Perspective("cust", "Customer", 1, kpis=(kpi("nps", "nps"),))
    source = DataSource(
        "src",
        "Source",
        key_column="key",
        date_column="date",
        tier_column="tier",
        columns=("key", "date", "tier", "revenue", "margin", "dso", "nps", "logins"),
    )
    return Scorecard(
        "Designer test",
        (fin, cust),
        tiers=(Tier("t1", "Tier 1"), Tier("t2", "Tier 2")),
        sources=(source,),
    )


def design_with_rates() -> Scorecard:
    """design() with Dso as a churn rate (6% target) and Margin as CSAT (80% target)."""
    card = design()
    churn = replace(
        card.kpi("dso"),
        name="Churn",
        measure=Measure(
            Aggregation.CHURN_RATE, source="src", start_column="date", end_column="date"
        ),
        targets=TargetSet(TargetValues(baseline=0.1, target=0.06)),
    )
    csat = replace(
        card.kpi("margin"),
        name="CSAT",
        measure=Measure(Aggregation.CSAT, source="src", column="nps"),
        targets=TargetSet(TargetValues(baseline=0.7, target=0.8)),
    )
    return edits.replace_kpi(edits.replace_kpi(card, churn), csat)


def tables() -> dict[str, pd.DataFrame]:
    return {
        "src": pd.DataFrame(
            {
                "key": ["a", "b"],
                "date": ["2026-02-01", "2026-02-01"],
                "tier": ["Tier 1", "Tier 2"],
                "revenue": [80.0, 40.0],
                "margin": [50.0, 20.0],
                "dso": [30.0, 90.0],
                "nps": [60.0, 10.0],
                "logins": [5.0, 7.0],
            }
        )
    }
