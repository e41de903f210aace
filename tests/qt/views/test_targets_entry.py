"""Typing into the targets matrix: values in the KPI's unit, bad text kept and explained."""

from __future__ import annotations

import pytest
from designer_fixtures import design_with_rates
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.widgets.targets_view import TargetsView

CHURN, REVENUE, CSAT = 0, 1, 2
TARGET, STRETCH = 1, 2


@pytest.fixture
def doc(qapp: object) -> ScorecardDocument:
    d = ScorecardDocument()
    d.load(design_with_rates(), {})
    return d


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def type_text(text: str) -> None:
    for char in text:
        QTest.keyClick(focused(), char)


def open_view(qtbot: QtBot, doc: ScorecardDocument, row: int, column: int) -> TargetsView:
    view = TargetsView(doc)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(row, column))
    return view


def test_typing_25_on_churn_stores_a_quarter_and_shows_25_percent(
    qtbot: QtBot, doc: ScorecardDocument
) -> None:
    view = open_view(qtbot, doc, CHURN, TARGET)
    QTest.keyClick(view.table, Qt.Key.Key_F2)
    editor = focused()
    assert isinstance(editor, QLineEdit)
    assert editor.text() == "6"  # 0.06 starts as the percent figure
    editor.selectAll()
    type_text("25")
    QTest.keyClick(focused(), Qt.Key.Key_Return)
    assert doc.card.kpi("dso").targets.default.target == pytest.approx(0.25)
    assert view.model.data(view.model.index(CHURN, TARGET)) == "25%"
    assert view.model.data(view.model.index(CSAT, TARGET)) == "80%"


def test_letters_keep_the_editor_open_with_a_message_until_esc(
    qtbot: QtBot, doc: ScorecardDocument
) -> None:
    messages: list[str] = []
    doc.errorRaised.connect(messages.append)
    view = open_view(qtbot, doc, REVENUE, STRETCH)
    type_text("12x")
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    editor = focused()
    assert isinstance(editor, QLineEdit)  # still editing the same cell
    assert editor.text() == "12x"  # the user's text is kept
    assert view.table.currentIndex().column() == STRETCH
    expected = "stretch of KPI 'Revenue': '12x' is not a number"
    assert view.message.isVisibleTo(view)
    assert view.message.text() == expected
    assert messages == [expected]
    assert doc.card.kpi("revenue").targets.default.stretch is None
    # Corrected, it commits and the message goes.
    QTest.keyClick(editor, Qt.Key.Key_Backspace)
    QTest.keyClick(editor, Qt.Key.Key_Tab)
    assert doc.card.kpi("revenue").targets.default.stretch == 12.0
    assert not view.message.isVisibleTo(view)
    # Esc drops a bad entry and its message.
    type_text("zz")
    QTest.keyClick(focused(), Qt.Key.Key_Return)
    assert view.message.isVisibleTo(view)
    QTest.keyClick(focused(), Qt.Key.Key_Escape)
    assert not view.message.isVisibleTo(view)
    assert focused() is view.table
