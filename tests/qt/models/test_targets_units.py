"""The targets matrix shows and takes each KPI's values in the KPI's unit."""

from __future__ import annotations

import pytest
from designer_fixtures import design_with_rates
from PySide6.QtCore import Qt

from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.models.targets_matrix import TargetsMatrixModel

# Rows of design(): Dso, Revenue, Margin, Nps; Dso becomes churn, Margin becomes CSAT.
CHURN, REVENUE, CSAT = 0, 1, 2
BASELINE, TARGET, STRETCH = 0, 1, 2
TIER1_TARGET = 3 + TARGET


@pytest.fixture
def doc(qapp: object) -> ScorecardDocument:
    d = ScorecardDocument()
    d.load(design_with_rates(), {})
    return d


def test_rates_show_as_percentages(doc: ScorecardDocument) -> None:
    m = TargetsMatrixModel(doc)
    assert m.headerData(CHURN, Qt.Orientation.Vertical) == "Churn"
    assert m.data(m.index(CHURN, TARGET)) == "6%"
    assert m.data(m.index(CSAT, TARGET)) == "80%"
    assert m.data(m.index(CSAT, BASELINE)) == "70%"
    assert m.data(m.index(REVENUE, TARGET)) == "100"  # a plain KPI keeps its number
    # The editor starts with the figure the user would type, not the fraction.
    assert m.data(m.index(CHURN, TARGET), Qt.ItemDataRole.EditRole) == "6"
    assert m.data(m.index(CSAT, TARGET), Qt.ItemDataRole.EditRole) == "80"


@pytest.mark.parametrize("typed", ["25", "25%", " 25 % "])
def test_typing_25_on_churn_stores_a_quarter(doc: ScorecardDocument, typed: str) -> None:
    m = TargetsMatrixModel(doc)
    assert m.setData(m.index(CHURN, TARGET), typed)
    assert doc.card.kpi("dso").targets.default.target == pytest.approx(0.25)
    assert m.data(m.index(CHURN, TARGET)) == "25%"


def test_an_invalid_entry_is_reported_not_stored(doc: ScorecardDocument) -> None:
    m = TargetsMatrixModel(doc)
    messages: list[str] = []
    doc.errorRaised.connect(messages.append)
    assert not m.setData(m.index(CHURN, TARGET), "a lot")
    assert doc.card.kpi("dso").targets.default.target == pytest.approx(0.06)
    assert messages == ["target of KPI 'Churn': 'a lot' is not a percentage such as 25 or 25%"]


def test_paste_reads_each_row_in_its_kpis_unit(doc: ScorecardDocument) -> None:
    m = TargetsMatrixModel(doc)
    assert m.paste_block(CHURN, TIER1_TARGET, "5\r\n1,250\r\n85%\r\n")
    card = doc.card
    assert card.kpi("dso").targets.resolve("t1", None).target == pytest.approx(0.05)
    assert card.kpi("revenue").targets.resolve("t1", None).target == 1250
    assert card.kpi("margin").targets.resolve("t1", None).target == pytest.approx(0.85)
    messages: list[str] = []
    doc.errorRaised.connect(messages.append)
    depth = doc.undo_stack.count()
    assert not m.paste_block(CHURN, TARGET, "5\r\nabc\r\n")
    assert doc.undo_stack.count() == depth  # nothing pasted, not even the good first cell
    assert messages == ["Nothing pasted. target of KPI 'Revenue': 'abc' is not a number"]


def test_fill_copies_the_figure_shown(doc: ScorecardDocument) -> None:
    m = TargetsMatrixModel(doc)
    # Churn's target (6%) down into Revenue (a plain number) and CSAT (a percentage).
    assert m.fill([m.index(r, TARGET) for r in (CHURN, REVENUE, CSAT)], "down")
    card = doc.card
    assert card.kpi("revenue").targets.default.target == pytest.approx(6.0)
    assert card.kpi("margin").targets.default.target == pytest.approx(0.06)
    assert m.data(m.index(CSAT, TARGET)) == "6%"
    # Fill right within one KPI copies the value itself.
    assert m.fill([m.index(CHURN, c) for c in (TARGET, TIER1_TARGET)], "right")
    override = doc.card.kpi("dso").targets.override_for("t1", None)
    assert override is not None
    assert override.values.target == pytest.approx(0.06)
