"""The evidence as report rows: what the Excel Evidence sheet and the PDF briefing list.

Both formats read these rows, so the workbook and the briefing name the same period, rank
the same accounts and print the same links with the same numbers; neither computes
anything of its own. Links and accounts are named as users know them (KPI and objective
names, tier names, band labels), never by ids.
"""

from __future__ import annotations

from dataclasses import dataclass

from scorecard_studio.domain.model import STATUS_BY_CODE, STATUS_LABELS
from scorecard_studio.engines.analytics import VERDICT_LABELS, Evidence, Verdict
from scorecard_studio.engines.analytics.links import item_name


@dataclass(frozen=True, slots=True)
class LinkRow:
    """One strategy-map link: its verdict and the correlation at its best lag."""

    text: str  # "Feature adoption → Churn rate (negative)"
    verdict: Verdict
    verdict_label: str
    best_lag: int | None
    r: float | None
    low: float | None
    high: float | None
    n: int | None


@dataclass(frozen=True, slots=True)
class AtRiskRow:
    """One flagged account with the reasons of the rules that hold."""

    account: str
    tier: str
    health: float
    band: str
    value_at_risk: float
    reasons: str


def evidence_period(evidence: Evidence, period_label: str) -> int:
    """The report's period when accounts have health in it, else the latest that has."""
    labels = evidence.period_labels
    if period_label in labels and evidence.panel.has_health(labels.index(period_label)):
        return labels.index(period_label)
    return evidence.period_index(None)


def link_rows(evidence: Evidence) -> list[LinkRow]:
    card = evidence.panel.card
    rows = []
    for e in evidence.links:
        best = e.best
        text = (
            f"{item_name(card, e.link.cause)} → {item_name(card, e.link.effect)} "
            f"({e.link.sign.value})"
        )
        rows.append(
            LinkRow(
                text,
                e.verdict,
                VERDICT_LABELS[e.verdict],
                e.best_lag,
                None if best is None else best.r,
                None if best is None else best.low,
                None if best is None else best.high,
                None if best is None else best.n,
            )
        )
    return rows


def at_risk_rows(evidence: Evidence, period: int) -> list[AtRiskRow]:
    """The flagged accounts of ``period``, largest value at risk first."""
    names = {t.id: t.name for t in evidence.panel.card.tiers}
    return [
        AtRiskRow(
            a.key,
            names.get(a.tier, a.tier),
            a.health,
            STATUS_LABELS[STATUS_BY_CODE[a.band]],
            a.value_at_risk,
            "; ".join(r.text for r in a.reasons),
        )
        for a in evidence.at_risk(period)
    ]


def redundant_names(evidence: Evidence, first: str, second: str) -> str:
    card = evidence.panel.card
    return f"{item_name(card, first)} / {item_name(card, second)}"
