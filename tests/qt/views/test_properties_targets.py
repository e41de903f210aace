"""The Properties form's targets: typed in the KPI's unit, findings shown at the field."""

from __future__ import annotations

import pytest
from designer_fixtures import design_with_rates
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.widgets.properties_panel import PropertiesPanel


@pytest.fixture
def panel(qtbot: QtBot) -> PropertiesPanel:
    doc = ScorecardDocument()
    doc.load(design_with_rates(), {})
    widget = PropertiesPanel(doc)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def retype(qtbot: QtBot, panel: PropertiesPanel, name: str, text: str) -> None:
    edit = panel.targets.fields[name].edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_a_churn_kpis_targets_read_and_take_percent(qtbot: QtBot, panel: PropertiesPanel) -> None:
    panel.show_item("kpi", "dso")  # churn: baseline 0.1, target 0.06
    fields = panel.targets.fields
    assert fields["target"].edit.text() == "6"
    assert fields["baseline"].edit.text() == "10"
    assert fields["target"].unit_label.text() == "%"
    assert fields["stretch"].edit.text() == ""
    retype(qtbot, panel, "target", "25")
    doc = panel.document
    assert doc.card.kpi("dso").targets.default.target == pytest.approx(0.25)
    assert doc.undo_stack.undoText() == "Change target of KPI 'Churn'"
    assert fields["target"].edit.text() == "25"


def test_letters_stay_in_the_field_with_the_reason(qtbot: QtBot, panel: PropertiesPanel) -> None:
    panel.show_item("kpi", "revenue")
    messages: list[str] = []
    panel.document.errorRaised.connect(messages.append)
    retype(qtbot, panel, "stretch", "lots")
    field = panel.targets.fields["stretch"]
    assert field.edit.text() == "lots"
    assert field.message.isVisibleTo(panel)
    assert field.message.text() == "Stretch: 'lots' is not a number"
    assert messages == ["Revenue: Stretch: 'lots' is not a number"]
    assert panel.document.card.kpi("revenue").targets.default.stretch is None
    qtbot.keyClick(field.edit, Qt.Key.Key_Escape)  # back to the stored value
    assert field.edit.text() == ""
    assert not field.message.isVisibleTo(panel)


def test_baseline_equal_to_target_is_said_at_the_fields(
    qtbot: QtBot, panel: PropertiesPanel
) -> None:
    panel.show_item("kpi", "revenue")  # baseline 0, target 100
    fields = panel.targets.fields
    assert not fields["baseline"].finding.isVisibleTo(panel)
    retype(qtbot, panel, "baseline", "100")
    assert panel.document.card.kpi("revenue").targets.default.baseline == 100
    for name in ("baseline", "target"):
        assert fields[name].finding.isVisibleTo(panel)
        assert fields[name].finding.text() == "⚠ default targets: baseline equals target"
    assert not fields["stretch"].finding.isVisibleTo(panel)
    retype(qtbot, panel, "baseline", "50")
    assert not fields["baseline"].finding.isVisibleTo(panel)


def test_a_share_above_100_percent_is_said_at_its_field(
    qtbot: QtBot, panel: PropertiesPanel
) -> None:
    panel.show_item("kpi", "margin")  # CSAT
    retype(qtbot, panel, "stretch", "120")
    finding = panel.targets.fields["stretch"].finding
    assert finding.isVisibleTo(panel)
    assert "stretch" in finding.text()
    assert "outside what CSAT can be (0% to 100%)" in finding.text()


def test_a_letter_in_a_weight_is_refused_with_a_message(
    qtbot: QtBot, panel: PropertiesPanel
) -> None:
    panel.show_item("kpi", "revenue")
    messages: list[str] = []
    panel.document.errorRaised.connect(messages.append)
    box = panel.kpi_weight
    box.setFocus()
    qtbot.keyClick(box, "x")
    qtbot.keyClick(box, "-")
    assert messages == [
        "'x' cannot be part of a weight: type a number such as 1 or 2.5",
        "A weight cannot be negative: type 0 or more",
    ]
    assert panel.document.card.kpi("revenue").weight == 3.0
