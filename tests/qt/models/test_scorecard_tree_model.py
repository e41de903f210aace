"""The scorecard tree model without a view: structure, editing, and every drag kind."""

from __future__ import annotations

import json

import pytest
from designer_fixtures import design, tables
from PySide6.QtCore import QMimeData, QModelIndex, Qt

from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.models.scorecard_tree import ITEM_MIME, ScorecardTreeModel, column_mime


@pytest.fixture
def model(qapp: object) -> ScorecardTreeModel:
    doc = ScorecardDocument()
    doc.load(design(), tables())
    return ScorecardTreeModel(doc)


def names(model: ScorecardTreeModel, parent: QModelIndex = QModelIndex()) -> list[str]:
    return [model.index(r, 0, parent).data() for r in range(model.rowCount(parent))]


def ids(model: ScorecardTreeModel) -> list[str]:
    return [k.id for k in model.document.card.all_kpis()]


def test_structure_and_shares(model: ScorecardTreeModel) -> None:
    assert names(model) == ["Financial", "Customer"]
    fin = model.index(0, 0)
    assert names(model, fin) == ["Dso", "Grow"]  # direct KPIs first, then objectives
    grow = model.index(1, 0, fin)
    assert names(model, grow) == ["Revenue", "Margin"]
    revenue = model.index(0, 0, grow)
    assert model.parent(revenue) == grow
    # Revenue: 3/4 of Grow, Grow 1/2 of Financial, Financial 2/3 of the headline = 25%.
    assert model.index(0, 2, grow).data() == "75%"
    assert model.index(0, 3, grow).data() == "25.0%"


def test_rename_and_weight_edits_are_undoable(model: ScorecardTreeModel) -> None:
    doc = model.document
    assert model.setData(model.index(1, 0), "Clients")
    assert names(model) == ["Financial", "Clients"]
    fin = model.index(0, 0)
    assert model.setData(model.index(0, 1, fin), "4")
    assert model.setData(model.index(0, 1, model.index(0, 0)), "5")  # merges with the step before
    assert doc.card.kpi("dso").weight == 5
    doc.undo_stack.undo()
    assert doc.card.kpi("dso").weight == 1
    doc.undo_stack.undo()
    assert names(model) == ["Financial", "Customer"]
    assert not model.setData(model.index(0, 1, model.index(0, 0)), "heavy")
    assert not model.setData(model.index(0, 1, model.index(0, 0)), "-1")  # refused, reported


def drag(model: ScorecardTreeModel, index: QModelIndex) -> QMimeData:
    mime = model.mimeData([index])
    payload = json.loads(bytes(mime.data(ITEM_MIME).data()).decode())
    assert payload["id"]
    return mime


def test_drag_perspective_reorders(model: ScorecardTreeModel) -> None:
    mime = drag(model, model.index(1, 0))
    assert model.canDropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert not model.canDropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, model.index(0, 0))
    model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert names(model) == ["Customer", "Financial"]
    model.document.undo_stack.undo()
    assert names(model) == ["Financial", "Customer"]


def test_drag_objective_to_another_perspective(model: ScorecardTreeModel) -> None:
    grow = model.index(1, 0, model.index(0, 0))
    mime = drag(model, grow)
    cust = model.index(1, 0)
    assert not model.canDropMimeData(mime, Qt.DropAction.MoveAction, -1, 0, QModelIndex())
    model.dropMimeData(mime, Qt.DropAction.MoveAction, -1, 0, cust)
    card = model.document.card
    assert [o.id for o in card.perspectives[1].objectives] == ["grow"]
    assert card.perspectives[0].objectives == ()


def test_drag_kpi_between_objective_and_perspective(model: ScorecardTreeModel) -> None:
    fin = model.index(0, 0)
    grow = model.index(1, 0, fin)
    margin = model.index(1, 0, grow)
    mime = drag(model, margin)
    cust = model.index(1, 0)
    model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, cust)
    assert ids(model) == [*["dso", "revenue", "margin", "nps"][:2], "margin", "nps"]
    assert [k.id for k in model.document.card.perspectives[1].kpis] == ["margin", "nps"]
    # A KPI cannot be dropped onto a KPI.
    nps = model.index(1, 0, model.index(1, 0))
    assert not model.canDropMimeData(
        drag(model, model.index(0, 0, model.index(0, 0))), Qt.DropAction.MoveAction, -1, 0, nps
    )


def test_reorder_kpis_inside_an_objective(model: ScorecardTreeModel) -> None:
    grow = model.index(1, 0, model.index(0, 0))
    mime = drag(model, model.index(0, 0, grow))  # revenue
    model.dropMimeData(mime, Qt.DropAction.MoveAction, 2, 0, grow)  # after margin
    assert [k.id for k in model.document.card.perspectives[0].objectives[0].kpis] == [
        "margin",
        "revenue",
    ]


def test_drop_data_column_creates_bound_kpi(model: ScorecardTreeModel) -> None:
    mime = column_mime("src", "logins")
    cust = model.index(1, 0)
    assert model.canDropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, cust)
    assert not model.canDropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, QModelIndex())
    model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, cust)
    new = model.document.card.perspectives[1].kpis[-1]
    assert (new.name, new.measure.source, new.measure.column) == ("logins", "src", "logins")
    assert model.document.result is not None


def test_garbage_mime_is_refused(model: ScorecardTreeModel) -> None:
    mime = QMimeData()
    mime.setData(ITEM_MIME, b"not json")
    assert not model.canDropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    text_only = QMimeData()
    text_only.setText("hello")
    assert not model.dropMimeData(text_only, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
