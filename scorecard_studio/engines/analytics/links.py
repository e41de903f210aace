"""Evidence for the strategy map: lagged correlations of each link, and redundant KPIs.

A link X → Y is measured by the Spearman correlation of X at t with Y at t+L over every
(customer, period) pair that has both values, for each lag L in 0 … 4. The best lag is the
one whose correlation is strongest in the direction the link states; the link is
*supported* when that correlation has the stated sign and its 95 % Fisher-z interval
excludes 0 (specification section 6).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from scorecard_studio.domain.analytics import LINK_LAGS, LinkSign, StrategyLink
from scorecard_studio.domain.edits import item_kind_and_name
from scorecard_studio.domain.errors import DesignError
from scorecard_studio.domain.findings import Finding, Severity
from scorecard_studio.domain.model import Aggregation, IndicatorType, Scorecard
from scorecard_studio.engines.analytics.panel import CustomerPanel
from scorecard_studio.engines.analytics.stats import (
    Correlation,
    SortedSeries,
    lagged_correlation,
)

FloatArray = npt.NDArray[np.float64]


class Verdict(StrEnum):
    SUPPORTED = "supported"
    NOT_SUPPORTED = "not_supported"
    INSUFFICIENT = "insufficient_data"


VERDICT_LABELS = {
    Verdict.SUPPORTED: "Supported",
    Verdict.NOT_SUPPORTED: "Not supported",
    Verdict.INSUFFICIENT: "Insufficient data",
}


@dataclass(frozen=True, slots=True)
class LinkEvidence:
    link: StrategyLink
    by_lag: tuple[tuple[int, Correlation | None], ...]
    best_lag: int | None
    verdict: Verdict

    @property
    def best(self) -> Correlation | None:
        return dict(self.by_lag).get(self.best_lag) if self.best_lag is not None else None


@dataclass(frozen=True, slots=True)
class RedundantPair:
    first: str
    second: str
    correlation: Correlation | None  # None when the definitions are identical
    same_definition: bool
    suggestion: str


class SeriesSorter:
    """Each item's series sorted once, on first use, for all the correlations that read it
    (every lag of every link, and every redundant pair)."""

    def __init__(self, panel: CustomerPanel) -> None:
        self._panel = panel
        self._done: dict[str, SortedSeries | None] = {}

    def __call__(self, item_id: str) -> SortedSeries | None:
        if item_id not in self._done:
            x = self._panel.series(item_id)
            self._done[item_id] = None if x is None else SortedSeries(x)
        return self._done[item_id]


def link_evidence(panel: CustomerPanel, sorter: SeriesSorter | None = None) -> list[LinkEvidence]:
    """Every link of the design, measured at every lag."""
    minimum = panel.card.analytics.minimum_pairs
    sorted_series = sorter or SeriesSorter(panel)
    out = []
    for link in panel.card.analytics.links:
        x, y = sorted_series(link.cause), sorted_series(link.effect)
        by_lag: list[tuple[int, Correlation | None]] = []
        for lag in LINK_LAGS:
            c = None if x is None or y is None else lagged_correlation(x, y, lag, minimum)
            by_lag.append((lag, c))
        out.append(_judge(link, tuple(by_lag)))
    return out


def _judge(link: StrategyLink, by_lag: tuple[tuple[int, Correlation | None], ...]) -> LinkEvidence:
    sign = 1.0 if link.sign is LinkSign.POSITIVE else -1.0
    measured = [(lag, c) for lag, c in by_lag if c is not None]
    if not measured:
        return LinkEvidence(link, by_lag, None, Verdict.INSUFFICIENT)
    best_lag, best = max(measured, key=lambda lc: (sign * lc[1].r, -lc[0]))
    holds = (best.low > 0.0) if sign > 0 else (best.high < 0.0)
    return LinkEvidence(
        link, by_lag, best_lag, Verdict.SUPPORTED if holds else Verdict.NOT_SUPPORTED
    )


def item_name(card: Scorecard, item_id: str) -> str:
    """A link end's name (users never see ids); an unknown end keeps its id."""
    try:
        return item_kind_and_name(card, item_id)[1]
    except DesignError:
        return item_id  # the design checks report it


def link_words(card: Scorecard, link: StrategyLink) -> str:
    """A link as a message names it, by its ends' names ('Usage' → 'Keep customers')."""
    return f"{item_name(card, link.cause)!r} → {item_name(card, link.effect)!r}"


def link_findings(panel: CustomerPanel, evidence: list[LinkEvidence]) -> list[Finding]:
    """Unsupported links, and leading KPIs with no supported link to a lagging item."""
    out = []
    for e in evidence:
        where = link_words(panel.card, e.link)
        if e.verdict is Verdict.NOT_SUPPORTED and e.best is not None:
            out.append(
                Finding(
                    Severity.WARNING,
                    "link_not_supported",
                    e.link.cause,
                    f"the data does not support the link {where}: best lag {e.best_lag}, "
                    f"r = {e.best.r:.2f} (95% CI {e.best.low:.2f} to {e.best.high:.2f}, "
                    f"n = {e.best.n:,})",
                )
            )
        elif e.verdict is Verdict.INSUFFICIENT:
            out.append(
                Finding(
                    Severity.INFO,
                    "link_insufficient_data",
                    e.link.cause,
                    f"too few (customer, period) pairs to test the link {where}",
                )
            )
    lagging = {k.id for k in panel.card.all_kpis() if k.indicator is IndicatorType.LAGGING}
    lagging |= set(panel.objective_ids)
    supported = {
        e.link.cause
        for e in evidence
        if e.verdict is Verdict.SUPPORTED and e.link.effect in lagging
    }
    for kpi in panel.card.all_kpis():
        if kpi.indicator is IndicatorType.LEADING and kpi.id not in supported:
            out.append(
                Finding(
                    Severity.WARNING,
                    "leading_without_support",
                    kpi.id,
                    f"leading KPI {kpi.name!r} has no supported link to a lagging item",
                )
            )
    return out


def redundant_pairs(
    panel: CustomerPanel, sorter: SeriesSorter | None = None
) -> list[RedundantPair]:
    """KPI pairs with the same definition, or correlated at |r| ≥ the threshold (lag 0)."""
    card = panel.card
    kpis = card.all_kpis()
    threshold = card.analytics.redundancy_threshold
    minimum = card.analytics.minimum_pairs
    sort = sorter or SeriesSorter(panel)
    out = []
    for i, a in enumerate(kpis):
        for b in kpis[i + 1 :]:
            same = a.measure == b.measure and a.measure.aggregation is not Aggregation.FORMULA
            if same:
                out.append(
                    RedundantPair(
                        a.id,
                        b.id,
                        None,
                        True,
                        f"{a.name!r} and {b.name!r} are computed the same way: keep one, "
                        "or give them different targets on purpose",
                    )
                )
                continue
            x, y = sort(a.id), sort(b.id)
            c = None if x is None or y is None else lagged_correlation(x, y, 0, minimum)
            if c is not None and math.isfinite(c.r) and abs(c.r) >= threshold:
                out.append(
                    RedundantPair(
                        a.id,
                        b.id,
                        c,
                        False,
                        f"{a.name!r} and {b.name!r} move together (r = {c.r:.2f}): consider "
                        "dropping one or merging their weights",
                    )
                )
    return out
