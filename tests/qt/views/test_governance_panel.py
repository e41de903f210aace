"""The Governance workspace on a stored version: commentary, actions, review, impact.

Figures from the hand-worked table in ``tests/engines/store/governance_fixtures.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "engines" / "store"))

from governance_fixtures import governed_card, sales_table

from scorecard_studio.domain.governance import ActionStatus, ReviewState
from scorecard_studio.engines.store import open_store
from scorecard_studio.qt.main_window import MainWindow
from scorecard_studio.qt.widgets.governance_panel import GovernancePanel


def _read(qtbot: QtBot, panel: GovernancePanel) -> None:
    """Wait for the panel's store reads (they run off the UI thread)."""
    qtbot.waitUntil(lambda: not panel.reading.busy and not panel.impact_reading.busy)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    path = tmp_path / "store.sqlite3"
    with open_store(path) as store:
        store.save(governed_card(), {"sales": sales_table()}, "v1", author="ana")
        store.save(governed_card(revenue_target=125.0), None, "target 125", author="ana")
    w = MainWindow(store_path=str(path))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.workspace.open_from_store("Governed", 2)
    w.show_workspace("governance")
    _read(qtbot, w.governance)
    return w


def test_governance_is_a_registered_workspace(window: MainWindow) -> None:
    assert window.rooms.entries["governance"].widget.widget() is window.governance
    assert window.rooms.current_key == "governance"
    assert window.governance.state_label.text() == "v2: draft"


def test_commentary_on_the_selected_kpi_and_period(window: MainWindow, qtbot: QtBot) -> None:
    panel = window.governance
    window.editor.select_item("revenue")
    assert panel.kpi_box.currentData() == "revenue"
    assert panel.kpi_box.currentText() == "Revenue — Ana"
    panel.period_box.setCurrentText("2026-Q3")
    panel.analysis.setPlainText("Lost a renewal")
    assert panel.save_comment()
    _read(qtbot, panel)
    panel.analysis.setPlainText("Lost two renewals")
    assert panel.save_comment()  # v2 is not frozen: the edit replaces the comment
    _read(qtbot, panel)
    with open_store(window.workspace.store().path) as store:
        comments = store.governance("Governed", 2).comments_for("revenue", "2026-Q3")
    assert [c.analysis for c in comments] == ["Lost two renewals"]
    assert panel.analysis.toPlainText() == "Lost two renewals"


def test_actions_by_owner_and_status(window: MainWindow, qtbot: QtBot) -> None:
    panel = window.governance
    assert panel.add_action("Win back renewals", "Ana", "2026-09-30", ("revenue",))
    assert panel.add_action("Price review", "Ben")
    assert not panel.add_action("Bad date", "Ben", "soon")
    assert "not a date" in panel.message.text()
    _read(qtbot, panel)
    groups = [
        panel.actions_tree.topLevelItem(i).text(0)
        for i in range(panel.actions_tree.topLevelItemCount())
    ]
    assert groups == ["Ana", "Ben"]
    assert panel.set_status("A2", "done")
    _read(qtbot, panel)
    panel.group_box.setCurrentIndex(1)
    by_status = {
        panel.actions_tree.topLevelItem(i).text(0): panel.actions_tree.topLevelItem(i).childCount()
        for i in range(panel.actions_tree.topLevelItemCount())
    }
    assert by_status == {"open": 1, "done": 1, "dropped": 0}
    assert panel.view is not None
    assert panel.view.action("A2").status is ActionStatus.DONE


def test_review_buttons_and_impact(window: MainWindow, qtbot: QtBot) -> None:
    panel = window.governance
    assert not panel.review(ReviewState.APPROVED, "too early")
    assert "cannot become approved" in panel.message.text()
    assert panel.review(ReviewState.PROPOSED, "lower revenue target")
    assert panel.review(ReviewState.APPROVED, "agreed")
    _read(qtbot, panel)
    assert panel.state_label.text() == "v2: approved"
    panel.show_impact()
    assert panel.impact_text.toPlainText() == "Reading…"
    assert not panel.impact_button.isEnabled()
    _read(qtbot, panel)
    assert panel.impact_button.isEnabled()
    text = panel.impact_text.toPlainText()
    assert "against v1 (replaced)" in text
    assert "2026-Q3 headline: 0.65 → 0.80, Red → Amber" in text
