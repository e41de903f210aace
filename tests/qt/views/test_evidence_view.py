"""The Evidence view: health by tier, drill-down to accounts, at-risk list, links."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from pytestqt.qtbot import QtBot

from scorecard_studio.domain.analytics import (
    AccountValue,
    Analytics,
    LinkSign,
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
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.widgets.evidence_view import EvidenceView

SRC = DataSource("src", "Usage", key_column="key", date_column="date", tier_column="tier")


def _kpi(kid: str, indicator: IndicatorType) -> Kpi:
    return Kpi(
        kid,
        kid.title(),
        Measure(Aggregation.MEAN, source="src", column=kid),
        TargetSet(TargetValues(baseline=0, target=10)),
        indicator=indicator,
    )


CARD = Scorecard(
    "Evidence test",
    (
        Perspective(
            "p",
            "P",
            kpis=(_kpi("usage", IndicatorType.LEADING), _kpi("loyalty", IndicatorType.LAGGING)),
        ),
    ),
    tiers=(Tier("t1", "Tier 1"), Tier("t2", "Tier 2")),
    sources=(SRC,),
    analytics=Analytics(
        links=(StrategyLink("usage", "loyalty", LinkSign.POSITIVE),),
        risk_rules=(RiskRule("low", "Low usage", RuleKind.BELOW, 3, "usage"),),
        value=AccountValue("src", "arr"),
        minimum_pairs=4,
    ),
)


def _tables() -> dict[str, pd.DataFrame]:
    rows = []
    for i in range(12):  # twelve accounts over two quarters; usage drives loyalty
        tier = "t1" if i < 4 else "t2"
        for date, shift in (("2026-01-15", 0), ("2026-04-15", 1)):
            usage = (i + shift) % 10
            rows.append((f"A{i:02d}", date, tier, usage, usage + 0.5, 1000.0 * (i + 1)))
    return {"src": pd.DataFrame(rows, columns=["key", "date", "tier", "usage", "loyalty", "arr"])}


@pytest.fixture
def view(qtbot: QtBot) -> EvidenceView:
    doc = ScorecardDocument()
    doc.load(CARD, _tables())
    v = EvidenceView(doc)
    qtbot.addWidget(v)
    qtbot.waitUntil(lambda: v.evidence is not None, timeout=20_000)
    return v


def _column(table, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [table.item(r, column).text() for r in range(table.rowCount())]


def test_health_by_tier_and_drill_down_to_a_tiers_accounts(view: EvidenceView) -> None:
    assert view.period_box.currentText() == "2026-Q2"  # the latest period with health
    assert _column(view.tier_table, 0) == ["Tier 1", "Tier 2", "All customers"]
    assert _column(view.tier_table, 1) == ["4", "8", "12"]
    view.tier_table.cellClicked.emit(0, 1)  # the Tier 1 row
    keys = _column(view.account_table, 0)
    assert sorted(keys) == ["A00", "A01", "A02", "A03"]
    # Q2 usage of A00…A03 is 1, 2, 3, 4: health = (usage/10 + (usage+0.5)/10) / 2, worst first
    assert keys == ["A00", "A01", "A02", "A03"]
    assert view.evidence is not None
    assert view.evidence.accounts(1, "t1")[0].health == pytest.approx((0.1 + 0.15) / 2)
    assert _column(view.account_table, 1)[0] == f"{0.125:.2f}"


def test_at_risk_list_ranked_by_value_with_reasons(view: EvidenceView) -> None:
    # Q2 usage (i + 1) % 10 is below 3 for A00 (1), A01 (2), A09 (0), A10 (1), A11 (2);
    # ARR is 1,000 × (i + 1)
    assert _column(view.risk_table, 0) == ["A11", "A10", "A09", "A01", "A00"]
    assert _column(view.risk_table, 2) == ["12,000", "11,000", "10,000", "2,000", "1,000"]
    assert "is below 3" in _column(view.risk_table, 4)[0]


def test_links_show_the_verdict_and_best_lag(view: EvidenceView) -> None:
    assert _column(view.link_table, 0) == ["usage → loyalty (positive)"]
    assert _column(view.link_table, 1) == ["Supported"]
    assert _column(view.link_table, 2) == ["0"]
    assert _column(view.link_table, 3) == ["1.00"]
    assert _column(view.redundant_table, 0) == ["usage / loyalty"]  # r = 1 across accounts


def test_changing_the_design_recomputes(view: EvidenceView, qtbot: QtBot) -> None:
    before = view.evidence
    card = dataclasses.replace(CARD, analytics=dataclasses.replace(CARD.analytics, links=()))
    view.document.set_card(card)
    qtbot.waitUntil(lambda: view.evidence is not before, timeout=20_000)
    assert view.link_table.rowCount() == 0


def test_without_data_it_says_what_to_do(qtbot: QtBot) -> None:
    v = EvidenceView(ScorecardDocument())
    qtbot.addWidget(v)
    assert v.evidence is None
    assert "Import data" in v.status.text()


def test_the_main_window_opens_the_view_from_the_scorecard_menu(qtbot: QtBot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from scorecard_studio.qt.main_window import MainWindow

    w = MainWindow(store_path=str(tmp_path / "store.sqlite3"))
    qtbot.addWidget(w)
    menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Scorecard")
    action = next(a for a in menu.actions() if a.text().startswith("&Evidence"))
    w.workspace.open_card(CARD, _tables())
    action.trigger()
    view = w.findChild(EvidenceView)
    assert view is not None
    assert view.document is w.document
    qtbot.waitUntil(lambda: view.evidence is not None, timeout=20_000)
    assert view.tier_table.rowCount() == 3
