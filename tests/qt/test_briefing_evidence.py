"""The PDF briefing's evidence page: the Evidence sheet's links and at-risk accounts.

Eight accounts, two quarters (the Evidence sheet test's data): loyalty is usage + 1, so
the link usage → loyalty is supported at lag 0 with r = 1; in 2026-Q2 usage (i + 2) % 6
is below 3 for A4 (0), A5 (1), A0 and A6 (2), whose ARR 100 × (i + 1) ranks them A6 (700),
A5 (600), A4 (500), A0 (100).
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

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
from scorecard_studio.engines.export.report import report_context
from scorecard_studio.engines.scoring import score

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler missing")

CARD = Scorecard(
    "Briefing evidence",
    (
        Perspective(
            "p",
            "P",
            kpis=tuple(
                Kpi(
                    kid,
                    name,
                    Measure(Aggregation.MEAN, source="src", column=kid),
                    TargetSet(TargetValues(baseline=0, target=10)),
                    indicator=ind,
                )
                for kid, name, ind in (
                    ("usage", "Product usage", IndicatorType.LEADING),
                    ("loyal", "Loyalty", IndicatorType.LAGGING),
                )
            ),
        ),
    ),
    tiers=(Tier("t1", "Tier 1"), Tier("t2", "Tier 2")),
    sources=(DataSource("src", "Usage", key_column="key", date_column="date", tier_column="tier"),),
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


def _pages(path: Path) -> list[str]:
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    # NFKC: the PDF's ligatures (ﬁ, ﬀ) read as their letters
    return unicodedata.normalize("NFKC", done.stdout).split("\f")[:-1]


@needs_poppler
def test_the_briefing_ends_with_the_evidence_page(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from scorecard_studio.qt.report_pdf import write_briefing_pdf

    result = score(CARD, TABLES)
    plain = write_briefing_pdf(report_context(result), tmp_path / "plain.pdf")
    evidence = analyze(CARD, TABLES)
    pages = write_briefing_pdf(report_context(result, evidence=evidence), tmp_path / "with.pdf")
    assert pages == plain + 1
    assert not any("Strategy-map links" in p for p in _pages(tmp_path / "plain.pdf"))
    last = _pages(tmp_path / "with.pdf")[-1]
    lines = [" ".join(line.split()) for line in last.splitlines() if line.strip()]
    assert lines[0] == "Evidence — 2026-Q2"
    (link,) = [line for line in lines if "→" in line]
    # loyalty = usage + 1: r = 1 at lag 0 over 8 accounts × 2 quarters
    assert link == "Product usage → Loyalty (positive) Supported 0 1.00 1.00 ... 1.00 16"
    assert "At-risk accounts (4), largest value at risk first" in lines
    # health: the mean of usage ÷ 10 and loyalty ÷ 10 (baseline 0, target 10)
    accounts = [line for line in lines if line[:1] == "A" and line[1:2].isdigit()]
    assert accounts == [
        "A6 Tier 2 0.25 Red 700 Product usage 2 is below 3",
        "A5 Tier 2 0.15 Red 600 Product usage 1 is below 3",
        "A4 Tier 2 0.05 Red 500 Product usage 0 is below 3",
        "A0 Tier 1 0.25 Red 100 Product usage 2 is below 3",
    ]
