"""The preview panel and what-if controls on a real document: the design stays untouched
until a scenario is applied, applying is one undoable step, and every chart follows."""

from __future__ import annotations

import pytest
from designer_fixtures import design, tables
from pytestqt.qtbot import QtBot

from scorecard_studio.domain import edits
from scorecard_studio.domain.scenario import Scenario, apply
from scorecard_studio.engines.scoring.whatif import ScenarioScorer
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.preview import PreviewPanel, WhatIfPanel

# Design headline (hand-computed in the engine tests): (1.625/3 + 1.35/3) / 2.
DESIGN_HEADLINE = (1.625 / 3 + 1.35 / 3) / 2


@pytest.fixture
def doc(qtbot: QtBot) -> ScorecardDocument:
    document = ScorecardDocument()
    document.load(design(), tables())
    return document


@pytest.fixture
def panel(qtbot: QtBot, doc: ScorecardDocument) -> PreviewPanel:
    widget = PreviewPanel(doc)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show_whatif(True)
    return widget


def _headlines(panel: PreviewPanel) -> set[float]:
    """The headline as every place that shows it has it."""
    bars = panel.charts["perspectives"].data
    assert bars is not None
    frame = panel.state.frame
    assert frame is not None
    return {round(bars.headline, 12), round(float(frame.result.rollup.headline[0]), 12)}


def test_the_panel_draws_the_documents_result(panel: PreviewPanel) -> None:
    assert set(panel.charts) == {"perspectives", "weights", "bullets", "heatmap", "trends"}
    assert _headlines(panel) == {round(DESIGN_HEADLINE, 12)}
    assert panel.headline.text().startswith("Headline 0.496 ■ red")
    assert [panel.period_box.itemText(i) for i in range(panel.period_box.count())] == ["2026-Q1"]
    assert [panel.tier_box.itemText(i) for i in range(panel.tier_box.count())] == [
        "All tiers",
        "Tier 1",
        "Tier 2",
        "All customers",
    ]


def test_a_what_if_change_moves_every_chart_but_never_the_saved_design(
    panel: PreviewPanel, doc: ScorecardDocument
) -> None:
    saved = doc.card
    whatif = panel.whatif
    whatif.perspective_controls()["cust"].spin.setValue(2.0)  # typed into the spin box
    expected = ScenarioScorer(doc.result).score(Scenario().with_weight("cust", 2.0))  # type: ignore[arg-type]
    # Customer now weighs as much as Financial: tiers (0.5125 + 0.6)/2 and (0.625 + 0.1)/2.
    assert float(expected.rollup.headline[0]) == pytest.approx((1.1125 / 2 + 0.725 / 2) / 2)
    assert _headlines(panel) == {round(float(expected.rollup.headline[0]), 12)}
    assert panel.headline.text().startswith("What-if: Headline 0.459")
    assert "saved design 0.496" in panel.headline.text()
    for chart in panel.charts.values():
        assert chart.input is not None
        assert chart.input.result.card.perspectives[1].weight == 2.0
    # The document has not changed at all.
    assert doc.card is saved
    assert doc.undo_stack.count() == 0
    assert not doc.is_modified()
    assert doc.result is not None
    assert float(doc.result.rollup.headline[0]) == pytest.approx(DESIGN_HEADLINE)
    assert whatif.changes.text() == "Weight of Customer: 1 → 2"


def test_apply_scenario_is_one_undoable_edit(panel: PreviewPanel, doc: ScorecardDocument) -> None:
    saved = doc.card
    whatif = panel.whatif
    panel.select_kpi("nps")
    whatif.target_controls["target"].spin.setValue(80.0)
    whatif.kpi_weight.spin.setValue(2.5)
    scenario = Scenario().with_target("nps", "target", 80.0).with_weight("nps", 2.5)
    assert panel.state.scenario.weights == scenario.weights
    assert panel.state.scenario.targets == scenario.targets
    assert doc.undo_stack.count() == 0

    whatif.apply_button.click()
    assert doc.card == apply(saved, scenario)
    assert doc.undo_stack.count() == 1
    assert doc.undo_stack.undoText() == "Apply what-if scenario"
    assert panel.state.scenario.is_empty()
    assert not whatif.apply_button.isEnabled()
    applied_headline = _headlines(panel)

    doc.undo_stack.undo()
    assert doc.card == saved
    assert _headlines(panel) == {round(DESIGN_HEADLINE, 12)}
    doc.undo_stack.redo()
    assert doc.card == apply(saved, scenario)
    assert _headlines(panel) == applied_headline


def test_reset_drops_the_scenario(panel: PreviewPanel, doc: ScorecardDocument) -> None:
    panel.whatif.perspective_controls()["fin"].slider.setValue(0)  # dragged to weight 0
    assert panel.state.scenario.weight_of("fin") == 0.0
    assert _headlines(panel) != {round(DESIGN_HEADLINE, 12)}
    panel.whatif.reset_button.click()
    assert panel.state.scenario.is_empty()
    assert _headlines(panel) == {round(DESIGN_HEADLINE, 12)}
    assert panel.whatif.perspective_controls()["fin"].value() == 2.0
    assert doc.undo_stack.count() == 0


def test_a_scenario_survives_an_edit_but_not_the_deletion_of_what_it_changes(
    panel: PreviewPanel, doc: ScorecardDocument
) -> None:
    state = panel.state
    state.set_scenario(Scenario().with_weight("nps", 3.0).with_weight("dso", 2.0))
    doc.edit("Remove KPI", edits.remove_item, "nps")
    assert state.scenario == Scenario(weights=(("dso", 2.0),))
    frame = state.frame
    assert frame is not None
    assert frame.result.card.kpi("dso").weight == 2.0
    assert "nps" not in frame.result.actuals.kpi_ids


def test_clicking_a_kpi_in_a_chart_selects_it_everywhere_and_tells_the_window(
    qtbot: QtBot, panel: PreviewPanel
) -> None:
    with qtbot.waitSignal(panel.kpiActivated) as blocker:
        panel.charts["heatmap"].kpiClicked.emit("margin")
    assert blocker.args == ["margin"]
    assert panel.state.kpi_id == "margin"
    trend = panel.charts["trends"].data
    assert trend is not None
    assert trend.kpi_id == "margin"
    assert panel.whatif.current_kpi() == "margin"
    assert "Margin's score moves the headline 0.083" in panel.whatif.kpi_effect.text()


def test_select_kpi_highlights_without_echoing_back(qtbot: QtBot, panel: PreviewPanel) -> None:
    with qtbot.assertNotEmitted(panel.kpiActivated):
        panel.select_kpi("nps")
    for chart in panel.charts.values():
        assert chart.input is not None
        assert chart.input.kpi_id == "nps"
    trend = panel.charts["trends"].data
    assert trend is not None
    assert trend.kpi_id == "nps"


def test_the_tier_filter_is_shared_by_every_chart(panel: PreviewPanel) -> None:
    panel.tier_box.setCurrentIndex(2)  # Tier 2
    assert panel.state.tier_id == "t2"
    for chart in panel.charts.values():
        assert chart.input is not None
        assert chart.input.tier_id == "t2"
    bars = panel.charts["perspectives"].data
    assert bars is not None
    assert bars.tier_rows == (1,)
    heat = panel.charts["heatmap"].data
    assert heat is not None
    assert heat.tier_names == ("Tier 2",)
    bullets = panel.charts["bullets"].data
    assert bullets is not None
    assert bullets.tier_row == 1


def test_the_marginal_table_lists_every_kpi_largest_effect_first(panel: PreviewPanel) -> None:
    model = panel.whatif.model
    rows = [[model.data(model.index(r, c)) for c in range(3)] for r in range(model.rowCount())]
    assert rows == [
        ["Dso", "33.3%", "0.333"],
        ["Nps", "33.3%", "0.333"],
        ["Revenue", "25.0%", "0.250"],
        ["Margin", "8.3%", "0.083"],
    ]


def test_an_empty_document_shows_the_empty_page(qtbot: QtBot) -> None:
    document = ScorecardDocument()
    widget = PreviewPanel(document)
    qtbot.addWidget(widget)
    assert widget.stack.currentWidget() is widget.empty
    assert widget.charts == {}  # pyqtgraph charts are built on the first result
    document.load(design(), tables())
    assert widget.stack.currentWidget() is widget.grid
    assert widget.headline.text().startswith("Headline 0.496")


def test_a_standalone_what_if_panel_shares_the_preview_state(
    qtbot: QtBot, panel: PreviewPanel, doc: ScorecardDocument
) -> None:
    other = WhatIfPanel(doc, panel.state)
    qtbot.addWidget(other)
    other.perspective_controls()["cust"].spin.setValue(3.0)
    assert panel.whatif.perspective_controls()["cust"].value() == 3.0
    assert panel.state.scenario.weight_of("cust") == 3.0


def test_the_what_if_button_and_show_whatif_agree_and_announce_it(
    qtbot: QtBot, doc: ScorecardDocument
) -> None:
    widget = PreviewPanel(doc)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.whatifToggled) as blocker:
        widget.whatif_button.click()
    assert blocker.args == [True]
    assert not widget.whatif.isHidden()
    with qtbot.waitSignal(widget.whatifToggled) as blocker:
        widget.show_whatif(False)
    assert blocker.args == [False]
    assert widget.whatif.isHidden()
    assert not widget.whatif_button.isChecked()
