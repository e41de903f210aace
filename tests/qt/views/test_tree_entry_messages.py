"""The scorecard tree says why it refuses a name or weight, and keeps what was typed."""

from __future__ import annotations

import pytest
from designer_fixtures import design, tables
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.widgets.scorecard_editor import ScorecardEditor


@pytest.fixture
def doc(qapp: object) -> ScorecardDocument:
    d = ScorecardDocument()
    d.load(design(), tables())
    return d


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def edit_cell(qtbot: QtBot, editor: ScorecardEditor, item_id: str, column: int) -> QLineEdit:
    qtbot.addWidget(editor)
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    index = editor.model.index_of(item_id).siblingAtColumn(column)
    editor.view.setFocus()
    editor.view.setCurrentIndex(index)
    editor.view.edit(index)
    line = focused()
    assert isinstance(line, QLineEdit)
    return line


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "'abc' is not a weight: type a number such as 1 or 2.5"),
        ("-2", "The weight of KPI 'Nps' cannot be -2: type 0 or more"),
    ],
)
def test_a_bad_weight_keeps_its_text_and_says_why(
    qtbot: QtBot, doc: ScorecardDocument, typed: str, message: str
) -> None:
    shown: list[str] = []
    doc.errorRaised.connect(shown.append)
    editor = ScorecardEditor(doc)
    line = edit_cell(qtbot, editor, "nps", 1)
    assert line.text() == "1"
    line.selectAll()
    QTest.keyClicks(line, typed)
    QTest.keyClick(line, Qt.Key.Key_Return)
    qtbot.wait(20)  # a commit would come on the next turn of the event loop
    assert focused() is line  # still editing
    assert line.text() == typed
    assert editor.message.isVisibleTo(editor)
    assert editor.message.text() == message
    assert shown == [message]
    assert doc.card.kpi("nps").weight == 1.0
    line.selectAll()
    QTest.keyClicks(line, "2.5")
    QTest.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: doc.card.kpi("nps").weight == 2.5)  # Qt commits on the next turn
    assert not editor.message.isVisibleTo(editor)


def test_an_empty_name_is_refused_with_a_message_until_esc(
    qtbot: QtBot, doc: ScorecardDocument
) -> None:
    editor = ScorecardEditor(doc)
    line = edit_cell(qtbot, editor, "revenue", 0)
    line.clear()
    QTest.keyClick(line, Qt.Key.Key_Return)
    qtbot.wait(20)
    assert focused() is line
    assert editor.message.text() == (
        "The name of KPI 'Revenue' cannot be empty: type a name, or Esc to keep it"
    )
    QTest.keyClick(line, Qt.Key.Key_Escape)
    assert not editor.message.isVisibleTo(editor)
    assert doc.card.kpi("revenue").name == "Revenue"
    assert doc.undo_stack.count() == 0
