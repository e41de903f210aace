"""The targets matrix driven by real key events, as a user types into a spreadsheet.

Keys go to whichever widget has the focus (the table, or the cell editor it opened), so
each test follows the focus exactly as the keyboard would.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from designer_fixtures import design, kpi, tables
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from scorecard_studio.domain import edits
from scorecard_studio.domain.model import Perspective, Scorecard, TargetSet, TargetValues
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.widgets.scorecard_editor import ScorecardEditor
from scorecard_studio.qt.widgets.targets_view import TargetsView

# Rows of design(): Dso, Revenue, Margin, Nps. Columns: Default baseline/target/stretch,
# then Tier 1 and Tier 2 likewise.
DSO, REVENUE, MARGIN, NPS = range(4)
BASELINE, TARGET, STRETCH = range(3)
LAST_COLUMN = 8


def design_with_dso_baseline() -> Scorecard:
    """design() with the top-left cell (Dso's default baseline) at 55."""
    card = design()
    dso = card.kpi("dso")
    return edits.replace_kpi(card, replace(dso, targets=TargetSet(TargetValues(55, 100.0))))


@pytest.fixture
def doc(qapp: object) -> ScorecardDocument:
    d = ScorecardDocument()
    d.load(design_with_dso_baseline(), tables())
    return d


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def type_text(text: str) -> None:
    for char in text:
        QTest.keyClick(focused(), char)


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), key, modifier)


def show_active(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


def cell(view: TargetsView) -> tuple[int, int]:
    current = view.table.currentIndex()
    return current.row(), current.column()


def default_targets(doc: ScorecardDocument, kpi_id: str) -> tuple[float | None, ...]:
    values = doc.card.kpi(kpi_id).targets.default
    return values.baseline, values.target, values.stretch


def start_at(view: TargetsView, row: int, column: int) -> None:
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(row, column))
    assert focused() is view.table


def commit_warnings(qtlog: object) -> list[str]:
    return [r.message for r in qtlog.records if "commitData" in r.message]  # type: ignore[attr-defined]


def test_type_tab_type_enter_edits_one_kpi_and_moves_like_a_spreadsheet(
    qtbot: QtBot, doc: ScorecardDocument, qtlog: object
) -> None:
    view = TargetsView(doc)
    show_active(qtbot, view)
    start_at(view, REVENUE, BASELINE)

    type_text("60")
    assert isinstance(focused(), QLineEdit)  # the first key opened the cell editor
    press(Qt.Key.Key_Tab)
    assert cell(view) == (REVENUE, TARGET)
    assert isinstance(focused(), QLineEdit)  # Tab opened the next cell of the same KPI
    type_text("75")
    press(Qt.Key.Key_Return)

    assert default_targets(doc, "revenue") == (60.0, 75.0, None)
    assert default_targets(doc, "dso") == (55, 100.0, None)  # the top-left KPI untouched
    assert cell(view) == (MARGIN, TARGET)  # Enter committed and moved down
    assert focused() is view.table
    assert commit_warnings(qtlog) == []

    # Each commit is one undo step; undo and redo keep the cursor where it is.
    doc.undo_stack.undo()
    assert default_targets(doc, "revenue") == (60.0, 100.0, None)
    doc.undo_stack.undo()
    assert default_targets(doc, "revenue") == (0, 100.0, None)
    doc.undo_stack.redo()
    doc.undo_stack.redo()
    assert default_targets(doc, "revenue") == (60.0, 75.0, None)
    assert cell(view) == (MARGIN, TARGET)
    assert view.model.data(view.model.index(REVENUE, TARGET)) == "75"


def test_tab_wraps_to_the_next_row_and_shift_tab_back(
    qtbot: QtBot, doc: ScorecardDocument, qtlog: object
) -> None:
    view = TargetsView(doc)
    show_active(qtbot, view)
    start_at(view, DSO, LAST_COLUMN)  # Dso, Tier 2 stretch
    type_text("140")
    press(Qt.Key.Key_Tab)
    assert cell(view) == (REVENUE, BASELINE)
    type_text("5")
    press(Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert cell(view) == (DSO, LAST_COLUMN)
    press(Qt.Key.Key_Escape)  # leave the editor Shift+Tab opened without a change

    assert doc.card.kpi("dso").targets.resolve("t2", None).stretch == 140.0
    assert doc.card.kpi("dso").targets.resolve("t1", None).stretch is None
    assert default_targets(doc, "revenue") == (5.0, 100.0, None)
    assert default_targets(doc, "dso") == (55, 100.0, None)
    assert commit_warnings(qtlog) == []


def test_arrows_move_between_cells_and_shift_enter_moves_up(
    qtbot: QtBot, doc: ScorecardDocument
) -> None:
    view = TargetsView(doc)
    show_active(qtbot, view)
    start_at(view, DSO, BASELINE)
    press(Qt.Key.Key_Right)
    press(Qt.Key.Key_Down)
    assert cell(view) == (REVENUE, TARGET)
    type_text("90")
    press(Qt.Key.Key_Down)  # commits, as leaving a spreadsheet cell does
    assert cell(view) == (MARGIN, TARGET)
    assert default_targets(doc, "revenue") == (0, 90.0, None)
    type_text("30")
    press(Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert cell(view) == (REVENUE, TARGET)
    assert default_targets(doc, "margin") == (0, 30.0, None)
    press(Qt.Key.Key_Return)  # Enter without an editor moves down too
    assert cell(view) == (MARGIN, TARGET)


def test_an_edit_keeps_the_scroll_position(qtbot: QtBot, qtlog: object) -> None:
    many = tuple(kpi(f"k{i:02d}", "revenue") for i in range(40))
    doc = ScorecardDocument()
    doc.load(Scorecard("Many", (Perspective("p", "P", kpis=many),)), {})
    view = TargetsView(doc)
    view.resize(520, 260)
    show_active(qtbot, view)
    bar = view.table.verticalScrollBar()
    bar.setValue(bar.maximum())
    scrolled = bar.value()
    assert scrolled > 0
    row = view.table.rowAt(view.table.viewport().height() // 2)
    assert row > 0
    start_at(view, row, BASELINE)
    type_text("7")
    press(Qt.Key.Key_Tab)
    type_text("8")
    press(Qt.Key.Key_Return)
    assert bar.value() == scrolled
    assert cell(view) == (row + 1, TARGET)
    assert default_targets(doc, f"k{row:02d}") == (7.0, 8.0, None)
    assert default_targets(doc, f"k{row - 1:02d}") == (0, 100.0, None)
    doc.undo_stack.undo()
    assert bar.value() == scrolled
    assert commit_warnings(qtlog) == []


def test_matrix_edits_keep_the_tree_selection(qtbot: QtBot, doc: ScorecardDocument) -> None:
    editor = ScorecardEditor(doc)
    qtbot.addWidget(editor)
    editor.show()
    editor.select_item("nps")
    tree_current = editor.view.currentIndex()
    view = TargetsView(doc)
    show_active(qtbot, view)
    start_at(view, MARGIN, BASELINE)
    type_text("12")
    press(Qt.Key.Key_Tab)
    type_text("34")
    press(Qt.Key.Key_Return)
    assert default_targets(doc, "margin") == (12.0, 34.0, None)
    assert editor.selected == ("kpi", "nps")
    current: QModelIndex = editor.view.currentIndex()
    assert current == tree_current
    assert current.data(Qt.ItemDataRole.UserRole) == ("kpi", "nps")
    doc.undo_stack.undo()
    assert editor.selected == ("kpi", "nps")
    assert editor.view.currentIndex() == tree_current


def test_in_the_window_a_matrix_edit_keeps_tree_properties_and_charts_on_the_kpi(
    qtbot: QtBot, tmp_path: Path, qtlog: object
) -> None:
    from scorecard_studio.qt.main_window import MainWindow

    window = MainWindow(store_path=str(tmp_path / "store.sqlite3"))
    show_active(qtbot, window)
    window.workspace.open_card(design_with_dso_baseline(), tables())
    qtbot.waitUntil(lambda: hasattr(window.preview, "charts"), timeout=30000)
    window.editor.select_item("nps")
    view = window.targets
    start_at(view, REVENUE, BASELINE)
    type_text("60")
    press(Qt.Key.Key_Tab)
    type_text("75")
    press(Qt.Key.Key_Return)
    assert default_targets(window.document, "revenue") == (60.0, 75.0, None)
    assert default_targets(window.document, "dso") == (55, 100.0, None)
    assert cell(view) == (MARGIN, TARGET)
    assert window.editor.selected == ("kpi", "nps")
    assert (window.properties.kind, window.properties.item_id) == ("kpi", "nps")
    assert window.preview.state.kpi_id == "nps"  # type: ignore[attr-defined]
    assert commit_warnings(qtlog) == []


def test_structure_changes_keep_the_current_cell_by_kpi(
    qtbot: QtBot, doc: ScorecardDocument
) -> None:
    """A period row added above the cursor moves the cursor with its KPI, not its number."""
    view = TargetsView(doc)
    show_active(qtbot, view)
    start_at(view, MARGIN, TARGET)
    assert view.model.add_period_override("revenue", "2026-Q1")
    names = [view.model.headerData(r, Qt.Orientation.Vertical) for r in range(5)]
    assert names == ["Dso", "Revenue", "   Revenue · 2026-Q1", "Margin", "Nps"]
    assert cell(view) == (MARGIN + 1, TARGET)
    doc.edit("Rename", edits.update_kpi, "margin", name="Gross margin")
    assert view.model.headerData(MARGIN + 1, Qt.Orientation.Vertical) == "Gross margin"
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert cell(view) == (MARGIN, TARGET)
    assert view.model.rowCount() == 4
