"""The what-if target controls show and take a percentage KPI's values in percent."""

from __future__ import annotations

import pytest
from designer_fixtures import design_with_rates, tables
from pytestqt.qtbot import QtBot

from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.preview import PreviewPanel


@pytest.fixture
def panel(qtbot: QtBot) -> PreviewPanel:
    doc = ScorecardDocument()
    doc.load(design_with_rates(), tables())
    widget = PreviewPanel(doc)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show_whatif(True)
    return widget


def test_a_churn_target_of_six_percent_reads_six(panel: PreviewPanel) -> None:
    whatif = panel.whatif
    panel.select_kpi("dso")  # the churn KPI: baseline 0.1, target 0.06
    assert whatif.current_kpi() == "dso"
    target = whatif.target_controls["target"]
    assert target.spin.value() == pytest.approx(6.0)
    assert target.spin.suffix() == "%"
    assert target.spin.text() == "6.00%"
    assert whatif.target_controls["baseline"].spin.value() == pytest.approx(10.0)
    target.spin.setValue(8.0)  # typed: 8%
    (change,) = panel.state.scenario.targets
    assert (change.kpi_id, change.field, change.tier) == ("dso", "target", None)
    assert change.value == pytest.approx(0.08)
    assert target.value() == pytest.approx(0.08)


def test_a_plain_kpi_keeps_its_numbers(panel: PreviewPanel) -> None:
    whatif = panel.whatif
    panel.select_kpi("dso")
    panel.select_kpi("revenue")
    target = whatif.target_controls["target"]
    assert target.spin.suffix() == ""
    assert target.spin.value() == pytest.approx(100.0)
    target.spin.setValue(120.0)
    assert target.value() == pytest.approx(120.0)
