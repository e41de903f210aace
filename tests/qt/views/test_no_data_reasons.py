"""A KPI that shows "no data" says why in its findings."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from designer_fixtures import design, tables
from pytestqt.qtbot import QtBot

from scorecard_studio.domain import edits
from scorecard_studio.domain.model import Scorecard
from scorecard_studio.engines.scoring import compute_actuals
from scorecard_studio.engines.scoring.no_data import explain_no_data
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.widgets.properties_panel import PropertiesPanel


def without_dates() -> Scorecard:
    card = design()
    return replace(card, sources=(replace(card.sources[0], date_column=None),))


def findings_of(panel: PropertiesPanel) -> list[str]:
    return [panel.findings.item(i).text() for i in range(panel.findings.count())]


def test_no_date_column_mapped_is_the_reason(qtbot: QtBot) -> None:
    doc = ScorecardDocument()
    doc.load(without_dates(), tables())
    assert doc.result is None  # no period at all: every KPI is "no data"
    panel = PropertiesPanel(doc)
    qtbot.addWidget(panel)
    panel.show_item("kpi", "revenue")
    texts = findings_of(panel)
    assert "No findings" not in texts
    assert texts[0] == (
        "No data: source “Source” has no date or period column mapped, so its rows fall "
        "in no period (map one with Import… → Column roles)"
    )
    # Mapping the date column ends it.
    doc.edit("map date", lambda c: design())
    assert findings_of(panel) == ["No findings"]


def test_rows_without_a_usable_date_and_unmatched_tiers_are_named() -> None:
    data = tables()
    frame = data["src"].copy()
    frame["date"] = ["not a date", "2026-02-01"]
    frame["tier"] = ["Platinum", "Tier 2"]
    card = design()
    actuals = compute_actuals(card, {"src": frame})
    reasons = explain_no_data(card, actuals, "revenue")
    assert "Source: 1 row has no usable date in 'date' and count in no period" in reasons
    assert any("tier values Platinum match no tier" in r for r in reasons)


def test_a_period_without_rows_is_named() -> None:
    frame = pd.concat([tables()["src"]] * 2, ignore_index=True)
    frame["date"] = ["2026-01-15", "2026-01-20", "2026-07-01", "2026-07-02"]
    frame.loc[2:, "revenue"] = float("nan")  # Q3 has rows, but none with a revenue
    card = design()
    actuals = compute_actuals(card, {"src": frame})
    assert actuals.period_labels == ("2026-Q1", "2026-Q2", "2026-Q3")
    assert explain_no_data(card, actuals, "revenue") == [
        "No value in 2026-Q2, 2026-Q3: no row of “Source” gives one there"
    ]
    # Margin has values in Q1 and Q3; Q2 has no row at all.
    assert explain_no_data(card, actuals, "margin") == [
        "No value in 2026-Q2: no row of “Source” gives one there"
    ]
    assert explain_no_data(design(), compute_actuals(card, tables()), "margin") == []


def test_periods_before_a_source_starts_are_said_once() -> None:
    """A second source from 2019 gives the scorecard periods long before "Source" starts."""
    card = design()
    early = replace(card.sources[0], id="old", name="Old CRM")
    card = replace(card, sources=(*card.sources, early))
    old_kpi = replace(card.kpi("nps"), id="old_nps", name="Old NPS")
    old_kpi = replace(old_kpi, measure=replace(old_kpi.measure, source="old"))
    card = edits.insert_kpi(card, old_kpi, "cust")
    old_frame = tables()["src"].copy()
    old_frame["date"] = ["2019-02-01", "2019-05-01"]
    frame = pd.concat([tables()["src"]] * 2, ignore_index=True)
    frame["date"] = ["2026-01-15", "2026-01-20", "2026-07-01", "2026-07-02"]
    actuals = compute_actuals(card, {"src": frame, "old": old_frame})
    labels = actuals.period_labels
    assert labels[0] == "2019-Q1"
    assert labels[-1] == "2026-Q3"
    # 2019-Q1 … 2025-Q4 are before "Source" starts: one line; 2026-Q2 is a gap after it.
    assert explain_no_data(card, actuals, "revenue") == [
        "No data before 2026-Q1: source “Source” starts then",
        "No value in 2026-Q2: no row of “Source” gives one there",
    ]
