"""Targets matrix and results table models, without views."""

from __future__ import annotations

import pytest
from designer_fixtures import design, tables
from PySide6.QtCore import Qt

from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.models.results_table import ResultsTableModel
from scorecard_studio.qt.models.targets_matrix import TargetsMatrixModel


@pytest.fixture
def doc(qapp: object) -> ScorecardDocument:
    d = ScorecardDocument()
    d.load(design(), tables())
    return d


def col(tier: int, field: str) -> int:
    return tier * 3 + ("baseline", "target", "stretch").index(field)


@pytest.mark.parametrize(
    ("text", "value"), [("1,200", 1200), ("45%", 0.45), ("$3.5", 3.5), ("", None)]
)
def test_typed_text_on_a_plain_kpi(doc: ScorecardDocument, text: str, value: float | None) -> None:
    m = TargetsMatrixModel(doc)
    assert m.parse(m.index(0, col(0, "target")), text) == value


def test_inherited_versus_explicit_and_override_edit(doc: ScorecardDocument) -> None:
    m = TargetsMatrixModel(doc)
    assert m.rowCount() == 4
    assert m.columnCount() == 9
    revenue_row = [m.headerData(r, Qt.Orientation.Vertical) for r in range(4)].index("Revenue")
    default_target = m.index(revenue_row, col(0, "target"))
    tier1_target = m.index(revenue_row, col(1, "target"))
    assert m.value(default_target) == (100.0, True)
    assert m.value(tier1_target) == (100.0, False)  # inherited from the default
    assert m.data(tier1_target, Qt.ItemDataRole.FontRole).italic()
    assert m.setData(tier1_target, "150")
    assert m.value(tier1_target) == (150.0, True)
    assert doc.card.kpi("revenue").targets.resolve("t1", None).target == 150
    assert doc.card.kpi("revenue").targets.resolve("t2", None).target == 100
    # Clearing the cell drops the override: the value is inherited again.
    assert m.setData(tier1_target, "")
    assert doc.card.kpi("revenue").targets.overrides == ()
    doc.undo_stack.undo()
    assert m.value(tier1_target) == (150.0, True)
    assert not m.setData(tier1_target, "lots")


def test_paste_block_and_fill_are_single_undo_steps(doc: ScorecardDocument) -> None:
    m = TargetsMatrixModel(doc)
    depth = doc.undo_stack.count()
    assert m.paste_block(0, col(1, "baseline"), "10\t20\t30\r\n1\t2\t3\r\n")
    assert doc.undo_stack.count() == depth + 1
    first = doc.card.all_kpis()[0].id
    assert doc.card.kpi(first).targets.resolve("t1", None).target == 20
    assert doc.card.kpi(doc.card.all_kpis()[1].id).targets.resolve("t1", None).stretch == 3
    cells = [m.index(r, col(1, "target")) for r in range(4)]
    assert m.fill(cells, "down")
    assert [doc.card.kpi(k.id).targets.resolve("t1", None).target for k in doc.card.all_kpis()] == [
        20
    ] * 4
    right = [m.index(0, c) for c in range(col(1, "baseline"), col(2, "stretch") + 1)]
    assert m.fill(right, "right")
    assert doc.card.kpi(first).targets.resolve("t2", None).baseline == 10
    assert doc.undo_stack.count() == depth + 3


def test_period_override_rows(doc: ScorecardDocument) -> None:
    m = TargetsMatrixModel(doc)
    assert m.add_period_override("nps", "2026-Q1")
    labels = [m.headerData(r, Qt.Orientation.Vertical) for r in range(m.rowCount())]
    assert labels[-1].strip() == "Nps · 2026-Q1"
    row = len(labels) - 1
    assert m.setData(m.index(row, col(2, "target")), "70")
    targets = doc.card.kpi("nps").targets
    assert targets.resolve("t2", "2026-Q1").target == 70
    assert targets.resolve("t2", "2026-Q2").target == 100


def test_results_table_follows_edits(doc: ScorecardDocument) -> None:
    results = ResultsTableModel()
    doc.resultChanged.connect(results.set_result)
    results.set_result(doc.result)
    assert results.columnCount() == 3  # two tiers and all customers
    row = [results.headerData(r, Qt.Orientation.Vertical) for r in range(results.rowCount())].index(
        "Revenue"
    )
    cell = results.cell(row, 0)
    assert (cell["actual"], cell["target"], cell["status"]) == (80.0, 100.0, "amber")
    assert results.data(results.index(row, 0)) == "▲ 80 / 100"
    doc.edit(
        "target",
        lambda c: __import__("scorecard_studio.domain.edits", fromlist=["x"]).set_target_field(
            c, "revenue", "target", 80.0
        ),
    )
    assert results.cell(row, 0)["status"] == "green"
    tier_row = results.rowCount() - 2
    assert results.headerData(tier_row, Qt.Orientation.Vertical) == "Tier score"
