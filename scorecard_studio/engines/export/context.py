"""What every report sheet reads: the result, the period, the provenance, the findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scorecard_studio.domain.findings import Finding
from scorecard_studio.domain.model import Kpi, Objective, Perspective, Scorecard
from scorecard_studio.domain.units import unit_of
from scorecard_studio.engines.export.cells import excel_number_format
from scorecard_studio.engines.scoring import ScoreResult


@dataclass(frozen=True, slots=True)
class ReportProvenance:
    """Where the figures came from, so the report can be produced again from the store."""

    version: int | None = None
    version_hash: str | None = None
    snapshot_hashes: dict[str, str] = field(default_factory=dict)
    frozen_label: str | None = None
    saved_by: str | None = None
    saved_at: str | None = None
    #: The store's name of the scorecard, and its latest version when the report was made:
    #: a witness ``store verify --against REPORT.xlsx`` checks the store against.
    scorecard: str | None = None
    head: int | None = None
    head_hash: str | None = None

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> ReportProvenance:
        """Build from the store's provenance dictionary (unknown keys ignored)."""
        snapshots = data.get("snapshot_hashes") or data.get("snapshots") or {}
        return cls(
            version=data.get("version"),
            version_hash=data.get("hash") or data.get("version_hash"),
            snapshot_hashes={str(k): str(v) for k, v in dict(snapshots).items()},
            frozen_label=data.get("frozen_label") or data.get("label"),
            saved_by=data.get("author"),
            saved_at=data.get("created_at") or data.get("saved_at"),
            scorecard=data.get("scorecard"),
            head=data.get("head"),
            head_hash=data.get("head_hash"),
        )


@dataclass(slots=True)
class ReportContext:
    """The shared inputs of all sheets, with lookups sheets need repeatedly."""

    result: ScoreResult
    period_index: int
    provenance: ReportProvenance
    author: str
    findings: list[Finding]

    @property
    def card(self) -> Scorecard:
        return self.result.card

    @property
    def period_label(self) -> str:
        return self.result.period_labels[self.period_index]

    def tiers(self) -> list[tuple[int, str, str]]:
        """(row index in the arrays, id, display name) of every tier, "all customers" last."""
        return list(
            zip(
                range(len(self.result.tier_ids)),
                self.result.tier_ids,
                self.result.tier_names(),
                strict=True,
            )
        )

    def parents(self) -> dict[str, tuple[Perspective, Objective | None]]:
        out: dict[str, tuple[Perspective, Objective | None]] = {}
        for p in self.card.perspectives:
            for k in p.kpis:
                out[k.id] = (p, None)
            for o in p.objectives:
                for k in o.kpis:
                    out[k.id] = (p, o)
        return out

    @staticmethod
    def value_format(kpi: Kpi) -> str:
        return excel_number_format(kpi.number_format, unit_of(kpi))
