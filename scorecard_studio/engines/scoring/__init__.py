"""The scoring engine: rows to actuals to scores, statuses and roll-ups (spec sections 2-3)."""

from scorecard_studio.engines.scoring.engine import (
    calendar_of,
    compute_actuals,
    score,
    score_actuals,
)
from scorecard_studio.engines.scoring.result import (
    ALL_TIERS_ID,
    ALL_TIERS_NAME,
    Actuals,
    ScoreResult,
    red_by_kpi,
)

__all__ = [
    "ALL_TIERS_ID",
    "ALL_TIERS_NAME",
    "Actuals",
    "ScoreResult",
    "calendar_of",
    "compute_actuals",
    "red_by_kpi",
    "score",
    "score_actuals",
]
