"""Escalations in the Design workspace's findings list, naming the KPI.

Revenue 0 → 200 by quarter: 300, 100, 100 scores 1.0, 0.5, 0.5, so it is red in 2026-Q2
and 2026-Q3, two consecutive periods up to the reporting period (the latest, Q3).
"""

from __future__ import annotations

import pandas as pd
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from scorecard_studio.domain.governance import Action, ActionStatus, GovernanceView
from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    Frequency,
    Kpi,
    Measure,
    Perspective,
    Scorecard,
    Settings,
    TargetSet,
    TargetValues,
    Tier,
)
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.widgets.findings_panel import FindingsPanel


def _card() -> Scorecard:
    measure = Measure(Aggregation.SUM, source="sales", column="revenue")
    revenue = Kpi("revenue", "Net revenue", measure, TargetSet(TargetValues(0, 200)))
    return Scorecard(
        "Escalating",
        (Perspective("fin", "Financial", kpis=(revenue,)),),
        tiers=(Tier("tier_1", "Tier 1"),),
        sources=(DataSource("sales", "Sales", date_column="date", tier_column="tier"),),
        settings=Settings(frequency=Frequency.QUARTER),
    )


def _tables() -> dict[str, pd.DataFrame]:
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-02-01", "2026-05-01", "2026-08-01"]),
            "tier": pd.Series(["Tier 1"] * 3, dtype="str"),
            "revenue": [300.0, 100.0, 100.0],
        }
    )
    return {"sales": frame}


def _action(status: ActionStatus, due: str | None) -> Action:
    return Action("A1", "Win back", "Ana", due, status, ("revenue",), (), "", "ana", "t")


@pytest.fixture
def panel(qtbot: QtBot, qapp: object) -> FindingsPanel:
    doc = ScorecardDocument()
    doc.load(_card(), _tables())
    found = FindingsPanel(doc)
    qtbot.addWidget(found)
    return found


def _texts(panel: FindingsPanel) -> list[str]:
    return [panel.list.item(i).text() for i in range(panel.list.count())]


def test_red_with_no_open_action_is_listed_with_the_kpi_name(
    panel: FindingsPanel, qtbot: QtBot
) -> None:
    assert panel.escalations == []  # not stored: no actions to judge by
    panel.governance = lambda *_version: GovernanceView(version=1)
    panel.reload_governance()
    qtbot.waitUntil(lambda: not panel.reading.busy)  # read off the UI thread
    texts = _texts(panel)
    assert texts[-1] == (
        "Escalation: Net revenue has been red for 2 consecutive periods (2026-Q2 to 2026-Q3) "
        "with no open action"
    )
    assert panel.list.item(panel.list.count() - 1).data(Qt.ItemDataRole.UserRole) == "revenue"
    assert panel.title.text() == f"<b>Findings</b> ({panel.list.count()})"


def test_an_open_action_answers_the_streak_and_an_overdue_one_is_listed(
    panel: FindingsPanel, qtbot: QtBot
) -> None:
    panel.governance = lambda *_version: GovernanceView(
        version=1, actions=(_action(ActionStatus.OPEN, "2020-01-31"),)
    )
    panel.reload_governance()
    qtbot.waitUntil(lambda: not panel.reading.busy)  # read off the UI thread
    assert [f.code for f in panel.escalations] == ["escalation_overdue_action"]
    assert _texts(panel)[-1] == (
        "Escalation: action A1 'Win back' (Ana) on Net revenue was due 2020-01-31 and is still open"
    )
    panel.governance = lambda *_version: GovernanceView(
        version=1, actions=(_action(ActionStatus.DONE, "2020-01-31"),)
    )
    panel.reload_governance()
    qtbot.waitUntil(lambda: not panel.reading.busy)  # read off the UI thread
    assert [f.code for f in panel.escalations] == ["escalation_red_no_action"]
