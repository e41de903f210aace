"""The undo history names each change in words: the kind of item and its name, never an id."""

from __future__ import annotations

import re

import pytest
from designer_fixtures import design, tables
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.models.scorecard_tree import column_mime
from scorecard_studio.qt.widgets.properties_panel import PropertiesPanel
from scorecard_studio.qt.widgets.scorecard_editor import ScorecardEditor
from scorecard_studio.qt.widgets.targets_view import TargetsView

# Internal ids of design(): items, tiers and the source. Names are capitalised, ids are not.
IDS = ("fin", "cust", "grow", "revenue", "margin", "dso", "nps", "t1", "t2", "src", "kpi")


@pytest.fixture
def doc(qapp: object) -> ScorecardDocument:
    d = ScorecardDocument()
    d.load(design(), tables())
    return d


def last_text(doc: ScorecardDocument) -> str:
    return doc.undo_stack.undoText()


def test_undo_texts_of_the_tree_name_kind_and_item(qtbot: QtBot, doc: ScorecardDocument) -> None:
    editor = ScorecardEditor(doc)
    qtbot.addWidget(editor)
    undo = doc.undo_stack.createUndoAction(editor, "Undo")

    editor.select_item("nps")
    editor.delete_action.trigger()
    assert undo.text() == "Undo Delete KPI 'Nps'"
    doc.undo_stack.undo()

    editor.select_item("margin")
    editor.move_up_action.trigger()
    assert last_text(doc) == "Move KPI 'Margin' up"
    editor.move_selected_to("cust")
    assert last_text(doc) == "Move KPI 'Margin' to perspective 'Customer'"
    editor.select_item("revenue")
    editor.balance_action.trigger()
    assert last_text(doc) == "Balance KPI 'Revenue' and its siblings"
    editor.select_item("grow")
    editor.move_selected_to("cust")
    assert last_text(doc) == "Move objective 'Grow' to perspective 'Customer'"
    editor.select_item("fin")
    editor.delete_action.trigger()
    assert undo.text() == "Undo Delete perspective 'Financial'"
    doc.undo_stack.undo()

    tree = editor.model
    tree.setData(tree.index_of("nps"), "Net promoter score", Qt.ItemDataRole.EditRole)
    assert last_text(doc) == "Rename KPI 'Nps' to 'Net promoter score'"
    tree.setData(tree.index_of("nps").siblingAtColumn(1), 2.5, Qt.ItemDataRole.EditRole)
    assert last_text(doc) == "Weight of KPI 'Net promoter score'"
    tree.dropMimeData(
        column_mime("src", "logins"), Qt.DropAction.CopyAction, -1, 0, tree.index_of("cust")
    )
    assert last_text(doc) == "Add KPI 'logins'"
    editor.add_kpi_from_column("src", "logins")
    assert last_text(doc) == "Add KPI 'logins'"  # the keyboard twin of the drop
    assert (
        tree.index_of("nps")
        .data(Qt.ItemDataRole.ToolTipRole)
        .startswith("KPI 'Net promoter score': weight 2.5")
    )
    assert_no_ids(doc)


def test_undo_texts_of_properties_and_targets(qtbot: QtBot, doc: ScorecardDocument) -> None:
    panel = PropertiesPanel(doc)
    qtbot.addWidget(panel)
    panel.show_item("kpi", "nps")
    panel.kpi_direction.setCurrentIndex(1)
    assert last_text(doc) == "Change direction of KPI 'Nps'"
    panel.kpi_method.setCurrentIndex(panel.kpi_method.count() - 1)
    assert last_text(doc) == "Change scoring method of KPI 'Nps'"
    panel.kpi_weight.setValue(4.0)
    assert last_text(doc) == "Change weight of KPI 'Nps'"
    panel.show_item("objective", "grow")
    panel.group_weight.setValue(3.0)
    assert last_text(doc) == "Change weight of objective 'Grow'"

    view = TargetsView(doc)
    qtbot.addWidget(view)
    model = view.model
    assert model.setData(model.index(1, 4), "120")  # Revenue, Tier 1 target
    assert last_text(doc) == "Edit Tier 1 target of KPI 'Revenue'"
    assert model.setData(model.index(1, 0), "5")  # Revenue, default baseline
    assert last_text(doc) == "Edit baseline of KPI 'Revenue'"
    assert model.add_period_override("revenue", "2026-Q1")
    assert last_text(doc) == "Targets of KPI 'Revenue' for 2026-Q1"
    assert model.setData(model.index(2, 8), "150")  # the 2026-Q1 row, Tier 2 stretch
    assert last_text(doc) == "Edit Tier 2 stretch of KPI 'Revenue' for 2026-Q1"
    assert_no_ids(doc)


def assert_no_ids(doc: ScorecardDocument) -> None:
    stack = doc.undo_stack
    texts = [stack.text(i) for i in range(stack.count())]
    assert texts
    for text in texts:
        words = set(re.findall(r"[A-Za-z0-9_]+", text))
        assert not words & set(IDS), text
