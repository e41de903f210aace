"""The report's Evidence sheet holds the same numbers as the evidence it was given."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from scorecard_studio.domain.analytics import (
    AccountValue,
    Analytics,
    RiskRule,
    RuleKind,
    StrategyLink,
)
from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    IndicatorType,
    Kpi,
    Measure,
    Perspective,
    Scorecard,
    TargetSet,
    TargetValues,
    Tier,
)
from scorecard_studio.engines.analytics import analyze
from scorecard_studio.engines.export import export_report
from scorecard_studio.engines.scoring import score

SRC = DataSource("src", "Usage", key_column="key", date_column="date", tier_column="tier")
CARD = Scorecard(
    "Sheet test",
    (
        Perspective(
            "p",
            "P",
            kpis=tuple(
                Kpi(
                    kid,
                    kid.title(),
                    Measure(Aggregation.MEAN, source="src", column=kid),
                    TargetSet(TargetValues(baseline=0, target=10)),
                    indicator=ind,
                )
                for kid, ind in (("usage", IndicatorType.LEADING), ("loyal", IndicatorType.LAGGING))
            ),
        ),
    ),
    tiers=(Tier("t1", "Tier 1"), Tier("t2", "Tier 2")),
    sources=(SRC,),
    analytics=Analytics(
        links=(StrategyLink("usage", "loyal"),),
        risk_rules=(RiskRule("low", "Low usage", RuleKind.BELOW, 3, "usage"),),
        value=AccountValue("src", "arr"),
        minimum_pairs=4,
    ),
)
ROWS = [
    (f"A{i}", date, "t1" if i < 3 else "t2", (i + s) % 6, (i + s) % 6 + 1, 100.0 * (i + 1))
    for i in range(8)
    for date, s in (("2026-01-10", 0), ("2026-04-10", 2))
]
TABLES = {"src": pd.DataFrame(ROWS, columns=["key", "date", "tier", "usage", "loyal", "arr"])}


def _rows(ws) -> list[list[object]]:  # type: ignore[no-untyped-def]
    return [list(row) for row in ws.iter_rows(values_only=True)]


def test_the_evidence_sheet_lists_health_at_risk_and_links(tmp_path: Path) -> None:
    evidence = analyze(CARD, TABLES)
    summary = export_report(score(CARD, TABLES), tmp_path / "r.xlsx", evidence=evidence)
    assert summary.sheets[-1] == "Evidence"
    rows = _rows(load_workbook(tmp_path / "r.xlsx")["Evidence"])
    assert rows[0][0] == "Evidence — 2026-Q2"
    by_first = {r[0]: r for r in rows if r[0] is not None}
    health = {t.name: t for t in evidence.health_by_tier(1)}
    assert by_first["Tier 1"][1:3] == pytest.approx(
        [health["Tier 1"].accounts, health["Tier 1"].mean_health], abs=1e-12
    )
    assert by_first["All customers"][1] == 8
    # Q2 usage (i + 2) % 6 is below 3 for A4 (0), A5 (1), A0 and A6 (2); ARR 100 × (i + 1)
    risky = [r[0] for r in rows if isinstance(r[0], str) and r[0][1:].isdigit() and r[5]]
    assert risky == ["A6", "A5", "A4", "A0"]
    assert by_first["A5"][4] == 600
    link = by_first["Usage → Loyal (positive)"]  # by name, as the PDF briefing lists it
    best = evidence.links[0].best
    assert best is not None
    assert link[1:3] == ["Supported", 0]
    assert link[3:7] == pytest.approx([best.r, best.low, best.high, best.n], abs=1e-12)


def test_without_evidence_the_report_has_no_evidence_sheet(tmp_path: Path) -> None:
    summary = export_report(score(CARD, TABLES), tmp_path / "r.xlsx")
    assert "Evidence" not in summary.sheets
