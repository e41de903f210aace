"""A quarterly scorecard whose statuses are worked out by hand, for the governance tests.

One source, every row in Tier 1, three quarters of 2026. Targets: revenue 0 → 200, orders
0 → 10, both higher-is-better, linear, cap 1, green ≥ 1.0, amber ≥ 0.7.

| quarter | revenue | score | status | orders | score | status | Tier 1 = headline |
| ------- | ------- | ----- | ------ | ------ | ----- | ------ | ----------------- |
| 2026-Q1 | 300     | 1.0   | green  | 10     | 1.0   | green  | 1.0 green         |
| 2026-Q2 | 100     | 0.5   | red    | 10     | 1.0   | green  | 0.75 amber        |
| 2026-Q3 | 100     | 0.5   | red    | 8      | 0.8   | amber  | 0.65 red          |

The design has the one tier, so the headline is Tier 1's score.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    Frequency,
    Kpi,
    Measure,
    Perspective,
    Raci,
    Scorecard,
    Settings,
    TargetSet,
    TargetValues,
    Tier,
)

SALES = DataSource(
    "sales", "Sales", file="sales.csv", key_column="account", date_column="date", tier_column="tier"
)


def governed_card(
    *,
    revenue_target: float = 200.0,
    require_commentary: bool = False,
    require_approval: bool = False,
    escalation_periods: int = 2,
) -> Scorecard:
    revenue = Kpi(
        "revenue",
        "Revenue",
        Measure(Aggregation.SUM, source="sales", column="revenue"),
        TargetSet(TargetValues(baseline=0, target=revenue_target)),
        owner="Olga",
        raci=Raci(responsible=("Sales ops",), accountable="Ana", informed=("Board",)),
    )
    orders = Kpi(
        "orders",
        "Orders",
        Measure(Aggregation.SUM, source="sales", column="orders"),
        TargetSet(TargetValues(baseline=0, target=10)),
        owner="Ben",
    )
    return Scorecard(
        "Governed",
        (
            Perspective("fin", "Financial", kpis=(revenue,)),
            Perspective("cust", "Customer", kpis=(orders,)),
        ),
        tiers=(Tier("tier_1", "Tier 1"),),
        sources=(SALES,),
        settings=Settings(
            frequency=Frequency.QUARTER,
            require_commentary_on_red=require_commentary,
            require_approval=require_approval,
            escalation_periods=escalation_periods,
        ),
    )


def sales_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account": pd.Series(["a1", "a1", "a1"], dtype="str"),
            "date": pd.to_datetime(["2026-02-01", "2026-05-01", "2026-08-01"]),
            "tier": pd.Series(["Tier 1"] * 3, dtype="str"),
            "revenue": [300.0, 100.0, 100.0],
            "orders": [10.0, 10.0, 8.0],
        }
    )


def with_settings(card: Scorecard, **changes: object) -> Scorecard:
    return dataclasses.replace(card, settings=dataclasses.replace(card.settings, **changes))
