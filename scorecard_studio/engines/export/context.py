"""What every report sheet reads: the result, the period, the provenance, the findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scorecard_studio import __version__
from scorecard_studio.domain.findings import Finding
from scorecard_studio.domain.governance import GovernanceView
from scorecard_studio.domain.model import Kpi, Objective, Perspective, Scorecard
from scorecard_studio.domain.units import unit_of
from scorecard_studio.engines.export.cells import excel_number_format
from scorecard_studio.engines.scoring import ScoreResult

if TYPE_CHECKING:
    from scorecard_studio.engines.analytics import Evidence

#: Periods the Trends appendix and the trend charts show, ending at the reported one.
TREND_WINDOW = 12


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
    design_hash: str | None = None
    parent: int | None = None
    message: str | None = None
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
            design_hash=data.get("design_hash"),
            parent=data.get("parent"),
            message=data.get("message"),
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
    generated_at: str = ""
    include_trends: bool = True
    paper: str = "a4"
    #: Commentary, exceptions and actions of the stored version (None: none recorded).
    governance: GovernanceView | None = None
    #: Account health, at-risk accounts and link evidence, for the briefing's evidence page
    #: (None: the design sets up no evidence, or it was not computed).
    evidence: Evidence | None = None

    @property
    def card(self) -> Scorecard:
        return self.result.card

    @property
    def period_label(self) -> str:
        return self.result.period_labels[self.period_index]

    @property
    def previous_index(self) -> int | None:
        """The period before the reported one, when the data has it."""
        return self.period_index - 1 if self.period_index > 0 else None

    @property
    def previous_label(self) -> str | None:
        p = self.previous_index
        return None if p is None else self.result.period_labels[p]

    @property
    def trend_start(self) -> int:
        """First period of the Trends appendix and charts: the last twelve to the report's."""
        return max(0, self.period_index - TREND_WINDOW + 1)

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

    def compact_provenance(self) -> str:
        """One line for page footers: enough to find the version and check it."""
        prov = self.provenance
        version = "unsaved design" if prov.version is None else f"version {prov.version}"
        parts = [version]
        if prov.frozen_label:
            parts.append(f"frozen as {prov.frozen_label}")
        if prov.version_hash:
            parts.append(f"hash {prov.version_hash[:12]}")
        if prov.snapshot_hashes:
            parts.append(f"{len(prov.snapshot_hashes)} data snapshot(s)")
        parts.append(f"Scorecard Studio {__version__}")
        if self.generated_at:
            parts.append(f"generated {self.generated_at}")
        return " · ".join(parts)

    @staticmethod
    def value_format(kpi: Kpi) -> str:
        return excel_number_format(kpi.number_format, unit_of(kpi))
