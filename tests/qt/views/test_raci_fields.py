"""RACI in Properties: typed as a user would, one undoable edit, one accountable person."""

from __future__ import annotations

from pathlib import Path

import pytest
from designer_fixtures import design, design_with_rates, tables
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from scorecard_studio.domain import edits
from scorecard_studio.domain.model import Raci
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.main_window import MainWindow
from scorecard_studio.qt.widgets.ownership_view import NOBODY, by_accountable
from scorecard_studio.qt.widgets.properties_panel import PropertiesPanel
from scorecard_studio.qt.widgets.raci_fields import ONE_ACCOUNTABLE, names


@pytest.fixture
def panel(qtbot: QtBot) -> PropertiesPanel:
    doc = ScorecardDocument()
    doc.load(design_with_rates(), {})
    widget = PropertiesPanel(doc)
    qtbot.addWidget(widget)
    widget.show()
    widget.show_item("kpi", "dso")
    return widget


def type_into(qtbot: QtBot, panel: PropertiesPanel, key: str, text: str) -> None:
    edit = panel.raci.fields[key]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_names_are_split_trimmed_and_kept_once() -> None:
    assert names(" Ana ,Support  team; Bo,, Ana ") == ("Ana", "Support team", "Bo")
    assert names("") == ()


def test_typed_raci_is_one_undoable_edit_and_the_accountable_is_named(
    qtbot: QtBot, panel: PropertiesPanel
) -> None:
    doc = panel.document
    type_into(qtbot, panel, "responsible", "Ana, Support team")
    type_into(qtbot, panel, "accountable", "Bo Chen")
    kpi = doc.card.kpi("dso")
    assert kpi.raci == Raci(responsible=("Ana", "Support team"), accountable="Bo Chen")
    assert kpi.accountable == "Bo Chen"
    assert doc.undo_stack.undoText() == "Change ownership of KPI 'Churn'"
    doc.undo_stack.undo()
    assert doc.card.kpi("dso").raci == Raci(responsible=("Ana", "Support team"))
    assert panel.raci.fields["accountable"].text() == ""


def test_two_accountable_people_are_refused_with_the_reason(
    qtbot: QtBot, panel: PropertiesPanel
) -> None:
    doc = panel.document
    before = doc.undo_stack.count()
    type_into(qtbot, panel, "accountable", "Bo, Cy")
    assert doc.card.kpi("dso").raci == Raci()
    assert doc.undo_stack.count() == before
    assert panel.raci.message.isVisible()
    assert panel.raci.message.text() == ONE_ACCOUNTABLE


def test_kpis_by_owner_groups_by_the_accountable_person_and_follows_edits(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = MainWindow(store_path=str(tmp_path / "store.sqlite3"))
    qtbot.addWidget(window)
    window.workspace.open_card(design(), tables())
    card = window.document.card
    ids = [k.id for k in card.all_kpis()]
    doc = window.document
    doc.edit("owner", edits.update_kpi, ids[0], raci=Raci(accountable="Zoe"))
    doc.edit("owner", edits.update_kpi, ids[1], owner="ana")  # the owner, when no RACI
    groups = by_accountable(doc.card)
    assert [(p, [k.id for k in ks]) for p, ks in groups][:2] == [
        ("ana", [ids[1]]),
        ("Zoe", [ids[0]]),
    ]
    assert groups[-1][0] == NOBODY
    tree = window.governance.ownership
    tops = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert tops[:2] == ["ana (1)", "Zoe (1)"]
    assert tops[-1] == f"{NOBODY} ({len(ids) - 2})"
