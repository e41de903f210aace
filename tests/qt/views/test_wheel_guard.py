"""The wheel over an input the user has not clicked into scrolls the form, not the value."""

from __future__ import annotations

import pytest
from designer_fixtures import design, tables
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.widgets.properties_panel import PropertiesPanel

UP = 120  # one notch of a mouse wheel, away from the user


@pytest.fixture
def doc(qapp: object) -> ScorecardDocument:
    d = ScorecardDocument()
    d.load(design(), tables())
    return d


def wheel(widget: QWidget, notches: int = 1) -> None:
    """One wheel turn over the middle of ``widget``, delivered as the window system would."""
    centre = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre)),
        QPoint(0, 0),
        QPoint(0, UP * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def small_panel(qtbot: QtBot, doc: ScorecardDocument) -> tuple[PropertiesPanel, QScrollArea]:
    panel = PropertiesPanel(doc)
    panel.resize(320, 260)  # the KPI form is taller: it scrolls
    qtbot.addWidget(panel)
    panel.show()
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    panel.show_item("kpi", "nps")
    scroll = panel.findChild(QScrollArea)
    assert scroll is not None
    return panel, scroll


def test_wheel_over_an_unfocused_source_box_scrolls_the_form(
    qtbot: QtBot, doc: ScorecardDocument
) -> None:
    panel, scroll = small_panel(qtbot, doc)
    bar = scroll.verticalScrollBar()
    bar.setValue(bar.maximum())  # the Measure group, with the source box, in view
    scroll.ensureWidgetVisible(panel.measure_form.source)
    start = bar.value()
    assert start > 0
    assert (
        panel.measure_form.source.currentText() == "Source"
    )  # index 1; a notch up would pick "(none)"
    panel.kpi_name.edit.setFocus()
    assert not panel.measure_form.source.hasFocus()

    wheel(panel.measure_form.source)

    assert doc.card.kpi("nps").measure.source == "src"
    assert panel.measure_form.source.currentText() == "Source"
    assert bar.value() < start  # the notch scrolled the form up instead
    assert not panel.measure_form.source.hasFocus()  # and the wheel did not give the box the focus
    assert doc.undo_stack.count() == 0


def test_every_choice_and_number_in_the_form_is_guarded(
    qtbot: QtBot, doc: ScorecardDocument
) -> None:
    panel, _scroll = small_panel(qtbot, doc)
    before = doc.card
    panel.kpi_name.edit.setFocus()
    for box in (
        panel.kpi_weight,
        panel.kpi_direction,
        panel.kpi_indicator,
        panel.kpi_method,
        panel.kpi_status_rule,
        panel.measure_form.aggregation,
        panel.measure_form.column,
        panel.measure_form.denominator_aggregation,
    ):
        assert box.focusPolicy() == Qt.FocusPolicy.StrongFocus
        wheel(box, notches=-1)
        wheel(box, notches=2)
    assert doc.card == before


def test_a_focused_box_still_follows_the_wheel(qtbot: QtBot, doc: ScorecardDocument) -> None:
    panel, _scroll = small_panel(qtbot, doc)
    panel.measure_form.source.setFocus()
    assert panel.measure_form.source.hasFocus()
    wheel(panel.measure_form.source)
    assert panel.measure_form.source.currentText() == "(none)"
    assert doc.card.kpi("nps").measure.source is None


def test_what_if_controls_ignore_the_wheel_until_focused(qtbot: QtBot) -> None:
    from scorecard_studio.qt.preview.whatif import ValueControl

    control = ValueControl()
    control.set_range(0.0, 10.0)
    control.set_value(4.0)
    seen: list[object] = []
    control.valueChanged.connect(seen.append)
    scroll = QScrollArea()
    scroll.setWidget(control)
    qtbot.addWidget(scroll)
    scroll.show()
    wheel(control.spin)
    wheel(control.slider)
    assert (control.value(), seen) == (4.0, [])
