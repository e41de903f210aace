"""The one result object every chart, table and report reads.

Arrays cover every (tier, period) at once; the last tier row is "all customers". The JSON
rendering (``to_json_dict``) is the CLI's ``--json`` contract: NaN becomes ``null`` and a
status is never made up for a cell without data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from scorecard_studio.domain.findings import Finding
from scorecard_studio.domain.model import STATUS_BY_CODE, Kpi, Scorecard, Status
from scorecard_studio.engines.scoring.rollup import RollUp
from scorecard_studio.engines.scoring.scores import TargetArrays

FloatArray = npt.NDArray[np.float64]
ALL_TIERS_ID = "all"
ALL_TIERS_NAME = "All customers"


@dataclass(slots=True)
class Actuals:
    """Rows reduced to actuals: the expensive half of scoring, reused by what-if changes."""

    kpi_ids: tuple[str, ...]
    tier_ids: tuple[str, ...]
    periods: tuple[int, ...]
    period_labels: tuple[str, ...]
    value: FloatArray  # (K, T+1, P)
    sample: FloatArray  # (K, T+1, P)
    tier_weights: FloatArray  # (T, P)
    tier_rows: FloatArray  # (T+1,) rows per tier in the periods covered
    findings: list[Finding] = field(default_factory=list)
    #: (T+1, P) rows per tier and period: a report states the rows behind its own period.
    period_rows: FloatArray | None = None


@dataclass(slots=True)
class ScoreResult:
    """Actuals, targets, scores, statuses and roll-ups of one design over one data set."""

    card: Scorecard
    kpis: tuple[Kpi, ...]
    actuals: Actuals
    targets: TargetArrays
    score: FloatArray  # (K, T+1, P)
    status: npt.NDArray[np.int8]  # (K, T+1, P)
    low_sample: npt.NDArray[np.bool_]  # (K, T+1, P)
    rollup: RollUp
    objective_status: npt.NDArray[np.int8]
    perspective_status: npt.NDArray[np.int8]
    tier_status: npt.NDArray[np.int8]
    headline_status: npt.NDArray[np.int8]
    effective_share: FloatArray  # (K,)
    findings: list[Finding]

    # --- lookups --------------------------------------------------------------------------

    @property
    def period_labels(self) -> tuple[str, ...]:
        return self.actuals.period_labels

    @property
    def tier_ids(self) -> tuple[str, ...]:
        """Tier ids of the rows of every array, "all" last."""
        return (*self.actuals.tier_ids, ALL_TIERS_ID)

    def tier_names(self) -> tuple[str, ...]:
        return (*(t.name for t in self.card.tiers), ALL_TIERS_NAME)

    def period_index(self, label: str | None) -> int:
        """Index of a period label; None means the latest period with any KPI actual."""
        labels = self.period_labels
        if not labels:
            raise KeyError("no periods")
        if label is None:
            has = ~np.isnan(self.actuals.value).all(axis=(0, 1)) if self.kpis else None
            if has is not None and has.any():
                return int(np.flatnonzero(has)[-1])
            return len(labels) - 1
        return labels.index(label)

    def kpi_index(self, kpi_id: str) -> int:
        return self.actuals.kpi_ids.index(kpi_id)

    # --- JSON ---------------------------------------------------------------------------

    def to_json_dict(self, period: str | None = None) -> dict[str, Any]:
        """Everything for one period, the CLI's ``--json`` document."""
        p = self.period_index(period)
        tiers = self.tier_ids
        names = self.tier_names()
        r = self.rollup
        tier_weights = self.actuals.tier_weights[:, p]
        total_weight = float(tier_weights.sum())
        parents = _parents(self.card)  # once: per KPI it made the document quadratic
        out: dict[str, Any] = {
            "scorecard": self.card.name,
            "period": self.period_labels[p],
            "periods": list(self.period_labels),
            "headline": {
                "score": _num(r.headline[p]),
                "status": _status(self.headline_status[p]),
                "coverage": _num(r.headline_coverage[p]),
            },
            "tiers": [
                {
                    "id": tiers[t],
                    "name": names[t],
                    "weight": _num(tier_weights[t] / total_weight)
                    if t < len(tier_weights) and total_weight
                    else None,
                    "rows": int(self.actuals.tier_rows[t]),
                    "score": _num(r.tier_score[t, p]),
                    "status": _status(self.tier_status[t, p]),
                    "coverage": _num(r.tier_coverage[t, p]),
                }
                for t in range(len(tiers))
            ],
            "perspectives": [
                {
                    "id": persp.id,
                    "name": persp.name,
                    "weight": persp.weight,
                    "by_tier": self._node_by_tier(
                        r.perspective_score[i],
                        r.perspective_coverage[i],
                        self.perspective_status[i],
                        p,
                    ),
                }
                for i, persp in enumerate(self.card.perspectives)
            ],
            "objectives": [
                {
                    "id": obj.id,
                    "name": obj.name,
                    "perspective": persp.id,
                    "weight": obj.weight,
                    "by_tier": self._node_by_tier(
                        r.objective_score[j], r.objective_coverage[j], self.objective_status[j], p
                    ),
                }
                for j, (persp, obj) in enumerate(
                    (pp, o) for pp in self.card.perspectives for o in pp.objectives
                )
            ],
            "kpis": [self._kpi_json(k, p, parents) for k in range(len(self.kpis))],
            "findings": [f.to_json_dict() for f in self.findings],
        }
        return out

    def _node_by_tier(
        self, score: FloatArray, coverage: FloatArray, status: npt.NDArray[np.int8], p: int
    ) -> dict[str, dict[str, Any]]:
        return {
            tier: {
                "score": _num(score[t, p]),
                "status": _status(status[t, p]),
                "coverage": _num(coverage[t, p]),
            }
            for t, tier in enumerate(self.tier_ids)
        }

    def _kpi_json(self, k: int, p: int, parents: dict[str, tuple[str, str]]) -> dict[str, Any]:
        kpi = self.kpis[k]
        parent = parents.get(kpi.id, ("", ""))
        tg = self.targets
        return {
            "id": kpi.id,
            "name": kpi.name,
            "perspective": parent[0],
            "objective": parent[1] or None,
            "unit": kpi.unit,
            "direction": kpi.direction.value,
            "indicator": kpi.indicator.value,
            "aggregation": kpi.measure.aggregation.value,
            "method": kpi.method.value,
            "weight": kpi.weight,
            "effective_share": _num(self.effective_share[k]),
            "owner": kpi.owner,
            "by_tier": {
                tier: {
                    "actual": _num(self.actuals.value[k, t, p]),
                    "sample": _num(self.actuals.sample[k, t, p]),
                    "low_sample": bool(self.low_sample[k, t, p]),
                    "baseline": _num(tg.baseline[k, t, p]),
                    "target": _num(tg.target[k, t, p]),
                    "stretch": _num(tg.stretch[k, t, p]),
                    "red_flag": _num(tg.red_flag[k, t, p]),
                    "score": _num(self.score[k, t, p]),
                    "status": _status(self.status[k, t, p]),
                }
                for t, tier in enumerate(self.tier_ids)
            },
        }


def red_by_kpi(result: ScoreResult) -> dict[str, list[bool]]:
    """Per KPI id, whether it is red in any tier (all customers included) in each period:
    the rule the QBR summary lists red KPIs by, and escalation counts red streaks with."""
    red = (result.status == STATUS_BY_CODE.index(Status.RED)).any(axis=1)  # (K, P)
    return {kpi.id: [bool(v) for v in red[k]] for k, kpi in enumerate(result.kpis)}


def _parents(card: Scorecard) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for p in card.perspectives:
        for k in p.kpis:
            out[k.id] = (p.id, "")
        for o in p.objectives:
            for k in o.kpis:
                out[k.id] = (p.id, o.id)
    return out


def _num(value: float | np.floating[Any]) -> float | None:
    """A JSON number at full precision (written as the shortest round-trip repr)."""
    v = float(value)
    if math.isnan(v):
        return None
    return v


def _status(code: np.int8 | int) -> str:
    return STATUS_BY_CODE[int(code)].value


def status_of(code: int) -> Status:
    return STATUS_BY_CODE[code]
