"""The analytics' one entry point: a design and its tables to their evidence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from scorecard_studio.domain.model import Scorecard
from scorecard_studio.engines.analytics.calibration import calibrate
from scorecard_studio.engines.analytics.evidence import Evidence
from scorecard_studio.engines.analytics.links import (
    SeriesSorter,
    link_evidence,
    link_findings,
    redundant_pairs,
)
from scorecard_studio.engines.analytics.panel import build_panel
from scorecard_studio.engines.analytics.risk import catch_rate


def analyze(
    card: Scorecard, tables: Mapping[str, pd.DataFrame], periods: Sequence[str] | None = None
) -> Evidence:
    """Account health, calibration, at-risk catch rate, link evidence and redundant KPIs.

    Pure computation over the tables (seconds on large data), so the window runs it off the
    UI thread; ``periods`` fixes the period axis as it does for scoring.
    """
    panel = build_panel(card, tables, periods)
    sorter = SeriesSorter(panel)  # links and redundant pairs share each series' one sort
    links = link_evidence(panel, sorter)
    return Evidence(
        panel=panel,
        calibration=calibrate(panel),
        links=links,
        redundant=redundant_pairs(panel, sorter),
        catch=catch_rate(panel),
        findings=[*panel.findings, *link_findings(panel, links)],
    )
