"""The evidence's findings in the window's findings panel, and one evidence for every view.

Twelve accounts over three quarters (the strategy-map test's data): usage drives loyalty
loosely, tickets go their own way, and visits are 2 × usage + 1, so Spearman's r of usage
and visits is exactly 1 (redundant) while every other pair is below 0.9 (0.81 at most).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from scipy import stats

from scorecard_studio.domain.analytics import Analytics, StrategyLink
from scorecard_studio.domain.link_edits import remove_links
from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    IndicatorType,
    Kpi,
    Measure,
    Objective,
    Perspective,
    Scorecard,
    TargetSet,
    TargetValues,
    Tier,
)
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.evidence_source import EvidenceSource
from scorecard_studio.qt.widgets.evidence_view import EvidenceView
from scorecard_studio.qt.widgets.findings_panel import FindingsPanel

LAG, LEAD = IndicatorType.LAGGING, IndicatorType.LEADING


def _kpi(kid: str, name: str, indicator: IndicatorType) -> Kpi:
    return Kpi(
        kid,
        name,
        Measure(Aggregation.MEAN, source="src", column=kid),
        TargetSet(TargetValues(baseline=0, target=10)),
        indicator=indicator,
    )


CARD = Scorecard(
    "Evidence findings",
    (
        Perspective(
            "cust",
            "Customer",
            objectives=(
                Objective(
                    "keep",
                    "Keep customers",
                    1,
                    (_kpi("loyalty", "Loyalty", LAG), _kpi("visits", "Site visits", LAG)),
                ),
            ),
        ),
        Perspective(
            "proc",
            "Process",
            kpis=(_kpi("usage", "Product usage", LEAD), _kpi("tickets", "Support tickets", LEAD)),
        ),
    ),
    tiers=(Tier("t1", "Tier 1"),),
    sources=(DataSource("src", "Usage", key_column="key", date_column="date", tier_column="tier"),),
    analytics=Analytics(
        links=(StrategyLink("usage", "loyalty"), StrategyLink("usage", "tickets")),
        minimum_pairs=4,
    ),
)


def _tables() -> dict[str, pd.DataFrame]:
    rows = []
    for i in range(12):
        for q, date in enumerate(("2026-01-15", "2026-04-15", "2026-07-15")):
            usage = float((i * 5 + q * 3) % 11)
            loyalty = usage + ((i * 7 + q) % 5) * 1.5
            tickets = float((i * 3 + q * 7) % 6)
            rows.append((f"A{i:02d}", date, "t1", usage, loyalty, tickets, 2 * usage + 1))
    columns = ["key", "date", "tier", "usage", "loyalty", "tickets", "visits"]
    return {"src": pd.DataFrame(rows, columns=columns)}


def _best_positive(x: str, y: str) -> tuple[int, float, float, float, int]:
    """Best lag (strongest positive r), r, 95 % CI and n of x → y, straight from scipy."""
    f = _tables()["src"].pivot(index="key", columns="date")
    a_all, b_all = f[x].to_numpy(), f[y].to_numpy()
    best = None
    for lag in range(3):
        a, b = a_all[:, : a_all.shape[1] - lag].ravel(), b_all[:, lag:].ravel()
        r = float(stats.spearmanr(a, b).statistic)
        if best is None or r > best[1]:
            half = 1.959963984540054 / math.sqrt(a.size - 3)
            lo, hi = math.tanh(math.atanh(r) - half), math.tanh(math.atanh(r) + half)
            best = (lag, r, lo, hi, a.size)
    assert best is not None
    return best


@pytest.fixture
def wired(qtbot: QtBot) -> tuple[ScorecardDocument, EvidenceSource, FindingsPanel]:
    doc = ScorecardDocument()
    source = EvidenceSource(doc)
    panel = FindingsPanel(doc, source)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(source.evidenceReady, timeout=20_000):
        doc.load(CARD, _tables())
    qtbot.waitUntil(lambda: bool(panel.evidence_findings), timeout=5_000)
    return doc, source, panel


def _texts(panel: FindingsPanel) -> list[str]:
    return [panel.list.item(i).text() for i in range(panel.list.count())]


def test_the_panel_lists_the_evidence_findings_by_name(
    wired: tuple[ScorecardDocument, EvidenceSource, FindingsPanel],
) -> None:
    _doc, _source, panel = wired
    lag, r, low, high, n = _best_positive("usage", "tickets")
    assert high > 0 > low  # so the link is not supported: its interval holds 0
    got = {f.code: f for f in panel.evidence_findings}
    assert sorted(got) == ["leading_without_support", "link_not_supported", "redundant_kpis"]
    texts = [t for t in _texts(panel) if t.startswith("Evidence: ")]
    assert texts == [
        "Evidence: the data does not support the link 'Product usage' → 'Support tickets': "
        f"best lag {lag}, r = {r:.2f} (95% CI {low:.2f} to {high:.2f}, n = {n:,})",
        "Evidence: leading KPI 'Support tickets' has no supported link to a lagging item",
        "Evidence: 'Site visits' and 'Product usage' move together (r = 1.00): consider "
        "dropping one or merging their weights",
    ]
    assert panel.title.text() == f"<b>Findings</b> ({panel.list.count()})"
    # choosing a finding selects the KPI it is about
    entries = [panel.list.item(i) for i in range(panel.list.count())]
    entry = next(e for e in entries if "link 'Product usage'" in e.text())
    assert entry.data(Qt.ItemDataRole.UserRole) == "usage"


def test_an_edit_drops_the_finding_it_resolves(
    wired: tuple[ScorecardDocument, EvidenceSource, FindingsPanel], qtbot: QtBot
) -> None:
    doc, source, panel = wired
    doc.edit("Remove link", remove_links, [("usage", "tickets")])
    panel.refresh()  # at once: the evidence is of the old design now, so none is shown
    assert panel.evidence_findings == []
    qtbot.waitUntil(lambda: source.current() is not None and bool(panel.evidence_findings))
    assert sorted(f.code for f in panel.evidence_findings) == [
        "leading_without_support",
        "redundant_kpis",
    ]


def test_the_evidence_view_shows_the_shared_evidence_without_computing_it_again(
    wired: tuple[ScorecardDocument, EvidenceSource, FindingsPanel], qtbot: QtBot
) -> None:
    doc, source, _panel = wired
    view = EvidenceView(doc, source=source)
    qtbot.addWidget(view)
    assert view.evidence is source.evidence  # current: taken as it is
    assert view.computed == 0
    doc.edit("Remove link", remove_links, [("usage", "tickets")])
    qtbot.waitUntil(lambda: source.current() is not None, timeout=20_000)
    qtbot.waitUntil(lambda: view.evidence is source.evidence, timeout=5_000)
    qtbot.wait(600)  # past the view's own recompute delay
    assert view.computed == 0
    assert view.link_table.rowCount() == 1
