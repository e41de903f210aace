"""A rename made the normal way (in the tree, one undo step) reaches every chart and table."""

from __future__ import annotations

import pytest
from designer_fixtures import design, tables
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.models.scorecard_tree import ScorecardTreeModel
from scorecard_studio.qt.preview import PreviewPanel
from scorecard_studio.qt.widgets.results_view import ResultsView

NEW_KPI = "Net promoter score"
NEW_PERSPECTIVE = "Clients"


@pytest.fixture
def doc(qtbot: QtBot) -> ScorecardDocument:
    document = ScorecardDocument()
    document.load(design(), tables())
    return document


def rename(tree: ScorecardTreeModel, item_id: str, name: str) -> None:
    """Type a new name into the tree's Name cell, as in-place editing does."""
    assert tree.setData(tree.index_of(item_id), name, Qt.ItemDataRole.EditRole)


def kpi_names_everywhere(panel: PreviewPanel, results: ResultsView) -> dict[str, tuple[str, ...]]:
    c = panel.charts
    bullets, heatmap, weights = c["bullets"], c["heatmap"], c["weights"]
    assert bullets.data is not None
    assert heatmap.data is not None
    assert weights.data is not None
    model = results.model
    return {
        "bullet labels": bullets.axis.labels,
        "bullet data": tuple(bullets.data.names),
        "heat-map labels": heatmap.axis.labels,
        "heat-map data": tuple(heatmap.data.kpi_names),
        "weight labels": weights.axis.labels,
        "weight data": tuple(weights.data.names),
        "results rows": tuple(
            str(model.headerData(r, Qt.Orientation.Vertical)) for r in range(model.rowCount())
        ),
        "what-if KPIs": tuple(
            panel.whatif.kpi_box.itemText(i) for i in range(panel.whatif.kpi_box.count())
        ),
    }


def test_a_rename_reaches_every_chart_and_undo_brings_the_old_name_back(
    qtbot: QtBot, doc: ScorecardDocument
) -> None:
    panel = PreviewPanel(doc)
    qtbot.addWidget(panel)
    panel.resize(1400, 900)
    panel.show_whatif(True)
    results = ResultsView(doc)
    qtbot.addWidget(results)
    tree = ScorecardTreeModel(doc)
    panel.select_kpi("nps")
    trends = panel.charts["trends"]

    before = kpi_names_everywhere(panel, results)
    for where, names in before.items():
        assert "Nps" in names, where
    assert trends.shown_title == "Trend — Nps"
    assert "Customer" in panel.charts["perspectives"].axis.labels

    rename(tree, "nps", NEW_KPI)
    rename(tree, "cust", NEW_PERSPECTIVE)
    assert doc.undo_stack.count() == 2

    after = kpi_names_everywhere(panel, results)
    for where, names in after.items():
        assert NEW_KPI in names, where
        assert "Nps" not in names, where
        # Nothing else moved: the other KPIs keep their names and places.
        kept = {"Nps", "▸ Customer", NEW_KPI, f"▸ {NEW_PERSPECTIVE}"}
        assert [n for n in names if n not in kept] == [n for n in before[where] if n not in kept]
    assert trends.shown_title == f"Trend — {NEW_KPI}"
    assert panel.charts["perspectives"].axis.labels == ("Financial", NEW_PERSPECTIVE)
    assert f"▸ {NEW_PERSPECTIVE}" in kpi_names_everywhere(panel, results)["results rows"]

    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert kpi_names_everywhere(panel, results) == before
    assert trends.shown_title == "Trend — Nps"
    assert panel.charts["perspectives"].axis.labels == ("Financial", "Customer")
