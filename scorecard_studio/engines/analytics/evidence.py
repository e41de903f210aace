"""The evidence of one design over one data set, and the tables every view reads from it.

``Evidence`` is to the analytics what ``ScoreResult`` is to scoring: computed once (off the
UI thread), then read by the window, the CLI and the report, so all three show the same
numbers. Its ``*_json`` methods are the CLI's ``--json`` contract: NaN becomes ``null``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from scorecard_studio.domain.findings import Finding
from scorecard_studio.domain.model import STATUS_BY_CODE
from scorecard_studio.engines.analytics.calibration import Calibration
from scorecard_studio.engines.analytics.links import LinkEvidence, RedundantPair
from scorecard_studio.engines.analytics.panel import AMBER, GREEN, RED, CustomerPanel
from scorecard_studio.engines.analytics.risk import AtRiskAccount, CatchRate, at_risk
from scorecard_studio.engines.analytics.stats import Correlation

#: The bands a health-by-tier row counts, in display order.
BAND_CODES = (GREEN, AMBER, RED)


@dataclass(frozen=True, slots=True)
class TierHealth:
    """Health of one tier's accounts in one period."""

    tier: str  # tier id, or "all"
    name: str
    accounts: int  # accounts with a health score
    mean_health: float
    bands: dict[str, int]  # band status value -> accounts


@dataclass(frozen=True, slots=True)
class AccountHealth:
    key: str
    tier: str
    health: float
    coverage: float
    band: str
    value_at_risk: float


@dataclass(slots=True)
class Evidence:
    panel: CustomerPanel
    calibration: Calibration | None
    links: list[LinkEvidence]
    redundant: list[RedundantPair]
    catch: CatchRate | None
    findings: list[Finding]

    @property
    def period_labels(self) -> tuple[str, ...]:
        return self.panel.period_labels

    def period_index(self, label: str | None) -> int:
        """Index of a period; by default the latest period in which any account has health."""
        if label is None:
            with_health = np.flatnonzero(np.isfinite(self.panel.health).any(axis=0))
            if with_health.size == 0:
                raise ValueError("no account has a health score")
            return int(with_health[-1])
        return self.panel.period_labels.index(label)

    def health_by_tier(self, period: int) -> list[TierHealth]:
        """One row per tier, then all customers (accounts of an unknown tier included)."""
        p = self.panel
        rows = []
        tiers = [(t.id, t.name, p.tier == i) for i, t in enumerate(p.card.tiers)]
        tiers.append(("all", "All customers", np.ones(p.n_customers, dtype=bool)))
        for tier_id, name, chosen in tiers:
            health = p.health[chosen, period]
            band = p.band[chosen, period]
            has = np.isfinite(health)
            rows.append(
                TierHealth(
                    tier_id,
                    name,
                    int(has.sum()),
                    float(health[has].mean()) if has.any() else math.nan,
                    {STATUS_BY_CODE[b].value: int((band == b).sum()) for b in BAND_CODES},
                )
            )
        return rows

    def accounts(self, period: int, tier: str | None = None) -> list[AccountHealth]:
        """The accounts with a health score in the period (of one tier), worst first."""
        p = self.panel
        tier_ids = p.card.tier_ids()
        rows = []
        for c in np.flatnonzero(np.isfinite(p.health[:, period])):
            t = tier_ids[p.tier[c]] if p.tier[c] >= 0 else ""
            if tier not in (None, "all") and t != tier:
                continue
            rows.append(
                AccountHealth(
                    p.keys[c],
                    t,
                    float(p.health[c, period]),
                    float(p.coverage[c, period]),
                    STATUS_BY_CODE[int(p.band[c, period])].value,
                    float(p.account_value[c, period]),
                )
            )
        rows.sort(key=lambda a: (a.health, a.key))
        return rows

    def at_risk(self, period: int, tier: str | None = None) -> list[AtRiskAccount]:
        found = at_risk(self.panel, period)
        return [a for a in found if tier in (None, "all") or a.tier == tier]

    # --- JSON ------------------------------------------------------------------------------

    def health_json(self, period: int, tier: str | None = None) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "scorecard": self.panel.card.name,
            "period": self.period_labels[period],
            "tiers": [
                {
                    "tier": r.tier,
                    "name": r.name,
                    "accounts": r.accounts,
                    "mean_health": _num(r.mean_health),
                    "bands": r.bands,
                }
                for r in self.health_by_tier(period)
            ],
            "calibration": _calibration_json(self.calibration),
        }
        if tier is not None:
            doc["accounts"] = [_plain(a) for a in self.accounts(period, tier)]
        return doc

    def at_risk_json(self, period: int, tier: str | None = None) -> dict[str, Any]:
        catch = self.catch
        return {
            "scorecard": self.panel.card.name,
            "period": self.period_labels[period],
            "accounts": [
                {
                    "key": a.key,
                    "tier": a.tier,
                    "health": _num(a.health),
                    "band": STATUS_BY_CODE[a.band].value,
                    "value_at_risk": _num(a.value_at_risk),
                    "reasons": [
                        {"rule": r.rule, "name": r.name, "text": r.text, "value": _num(r.value)}
                        for r in a.reasons
                    ],
                }
                for a in self.at_risk(period, tier)
            ],
            "catch_rate": None
            if catch is None
            else {
                "churned": catch.churned,
                "caught": catch.caught,
                "share": _num(catch.share),
                "precision": _num(catch.precision),
            },
        }

    def links_json(self) -> dict[str, Any]:
        return {
            "scorecard": self.panel.card.name,
            "links": [
                {
                    "cause": e.link.cause,
                    "effect": e.link.effect,
                    "sign": e.link.sign.value,
                    "verdict": e.verdict.value,
                    "best_lag": e.best_lag,
                    "lags": [{"lag": lag, **_corr(c)} for lag, c in e.by_lag],
                }
                for e in self.links
            ],
            "findings": [f.to_json_dict() for f in self.findings],
        }

    def redundant_json(self) -> dict[str, Any]:
        return {
            "scorecard": self.panel.card.name,
            "threshold": self.panel.card.analytics.redundancy_threshold,
            "pairs": [
                {
                    "first": r.first,
                    "second": r.second,
                    "same_definition": r.same_definition,
                    **_corr(r.correlation),
                    "suggestion": r.suggestion,
                }
                for r in self.redundant
            ],
        }


def _num(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _corr(c: Correlation | None) -> dict[str, Any]:
    if c is None:
        return {"r": None, "n": None, "low": None, "high": None}
    return {"r": _num(c.r), "n": c.n, "low": _num(c.low), "high": _num(c.high)}


def _plain(a: AccountHealth) -> dict[str, Any]:
    return {
        "key": a.key,
        "tier": a.tier,
        "health": _num(a.health),
        "coverage": _num(a.coverage),
        "band": a.band,
        "value_at_risk": _num(a.value_at_risk),
    }


def _calibration_json(c: Calibration | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {
        "horizon": c.horizon,
        "fit_periods": list(c.fit_periods),
        "eval_periods": list(c.eval_periods),
        "units": c.n_units,
        "renewed": c.n_renewed,
        "auc": _num(c.auc),
        "brier": _num(c.brier),
        "renewal_rate": [
            {"tier": r.tier, "band": r.band, "n": r.n, "renewed": r.renewed, "rate": _num(r.rate)}
            for r in c.rates
        ],
        "green_before_churn": [
            {
                "periods_before": g.lag,
                "churned": g.churned,
                "green": g.green,
                "share": _num(g.share),
            }
            for g in c.green_before_churn
        ],
        "reliability": [
            {
                "band": r.band,
                "n": r.n,
                "predicted": _num(r.predicted),
                "observed": _num(r.observed),
            }
            for r in c.reliability
        ],
    }
