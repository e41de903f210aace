"""Small builders for hand-computed scoring cases: one source, one or a few KPIs."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    Kpi,
    Measure,
    Objective,
    Perspective,
    Scorecard,
    Settings,
    TargetSet,
    TargetValues,
    Tier,
)
from scorecard_studio.engines.scoring import ScoreResult, score

TIERS = (Tier("t1", "Tier 1"), Tier("t2", "Tier 2"))
SOURCE = DataSource("src", "Source", key_column="key", date_column="date", tier_column="tier")


def kpi(
    kpi_id: str,
    aggregation: Aggregation,
    column: str | None = "v",
    baseline: float | None = 0.0,
    target: float | None = 100.0,
    weight: float = 1.0,
    **measure: object,
) -> Kpi:
    return Kpi(
        kpi_id,
        kpi_id.upper(),
        Measure(aggregation, source="src", column=column, **measure),  # type: ignore[arg-type]
        TargetSet(TargetValues(baseline=baseline, target=target)),
        weight=weight,
    )


def card_of(
    kpis: Sequence[Kpi],
    settings: Settings | None = None,
    tiers: tuple[Tier, ...] = TIERS,
    source: DataSource = SOURCE,
    **extra: object,
) -> Scorecard:
    return Scorecard(
        "Test",
        (Perspective("p", "P", kpis=tuple(kpis)),),
        tiers=tiers,
        settings=settings or Settings(),
        sources=(source,),
        **extra,  # type: ignore[arg-type]
    )


def rows(*records: tuple[str, str, str, object]) -> pd.DataFrame:
    """(key, date, tier, v) records."""
    return pd.DataFrame(records, columns=["key", "date", "tier", "v"])


def run(card: Scorecard, frame: pd.DataFrame, periods: Sequence[str] | None = None) -> ScoreResult:
    return score(card, {"src": frame}, periods)


def cell(result: ScoreResult, kpi_id: str, tier: str, period: str, what: str = "actual") -> float:
    k = result.kpi_index(kpi_id)
    t = result.tier_ids.index(tier)
    p = result.period_labels.index(period)
    arrays = {
        "actual": result.actuals.value,
        "sample": result.actuals.sample,
        "score": result.score,
    }
    return float(arrays[what][k, t, p])


def objective(oid: str, kpis: Sequence[Kpi], weight: float = 1.0) -> Objective:
    return Objective(oid, oid.upper(), weight, tuple(kpis))


def agg_kpi(kpi_id: str, aggregation: Aggregation, **kw: object) -> Kpi:
    return kpi(kpi_id, aggregation, **kw)  # type: ignore[arg-type]
