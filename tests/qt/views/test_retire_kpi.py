"""Retire KPI… in the Design workspace: undoable, and the charts keep the KPI's past.

Revenue 0 → 200 and orders 0 → 10, one tier, 2026-Q3: revenue 100 scores 0.5, orders 8
scores 0.8, so the headline is 0.65 with both and 0.5 once orders is retired; the preview
still holds orders, weightless, as "Orders (retired)" with its 0.8.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from pytestqt.qtbot import QtBot

from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    Frequency,
    Kpi,
    Measure,
    Perspective,
    Scorecard,
    Settings,
    TargetSet,
    TargetValues,
    Tier,
)
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.widgets.scorecard_editor import ScorecardEditor


def _kpi(kpi_id: str, name: str, target: float) -> Kpi:
    measure = Measure(Aggregation.SUM, source="sales", column=kpi_id)
    return Kpi(kpi_id, name, measure, TargetSet(TargetValues(baseline=0, target=target)))


def _card() -> Scorecard:
    return Scorecard(
        "Retiring",
        (
            Perspective("fin", "Financial", kpis=(_kpi("revenue", "Revenue", 200),)),
            Perspective("cust", "Customer", kpis=(_kpi("orders", "Orders", 10),)),
        ),
        tiers=(Tier("tier_1", "Tier 1"),),
        sources=(DataSource("sales", "Sales", date_column="date", tier_column="tier"),),
        settings=Settings(frequency=Frequency.QUARTER),
    )


def _tables() -> dict[str, pd.DataFrame]:
    return {
        "sales": pd.DataFrame(
            {
                "date": pd.to_datetime(["2026-02-01", "2026-08-01"]),
                "tier": pd.Series(["Tier 1", "Tier 1"], dtype="str"),
                "revenue": [300.0, 100.0],
                "orders": [10.0, 8.0],
            }
        )
    }


@pytest.fixture
def doc(qapp: object) -> ScorecardDocument:
    d = ScorecardDocument()
    d.load(_card(), _tables())
    return d


def _headline_q3(doc: ScorecardDocument) -> float:
    assert doc.result is not None
    return float(doc.result.to_json_dict("2026-Q3")["headline"]["score"])


def test_retire_kpi_is_one_undo_step_and_the_preview_keeps_its_past(
    qtbot: QtBot, doc: ScorecardDocument
) -> None:
    editor = ScorecardEditor(doc)
    qtbot.addWidget(editor)
    assert math.isclose(_headline_q3(doc), 0.65)
    editor.select_item("revenue")
    assert editor.retire_action.isEnabled()
    editor.select_item("fin")
    assert not editor.retire_action.isEnabled()
    assert not editor.retire_selected("anything")  # a perspective is not retired
    editor.select_item("orders")
    assert not editor.retire_selected("   ")  # no reason: refused, nothing changes
    assert doc.undo_stack.count() == 0
    assert editor.retire_selected("replaced by NRR")
    assert [k.id for k in doc.card.all_kpis()] == ["revenue"]
    assert [(r.kpi.id, r.reason) for r in doc.card.retired] == [("orders", "replaced by NRR")]
    assert doc.undo_stack.undoText() == "Retire KPI 'Orders'"
    assert math.isclose(_headline_q3(doc), 0.5)
    shown = doc.shown_result
    assert shown is not None
    assert shown is not doc.result
    q3 = shown.to_json_dict("2026-Q3")
    assert math.isclose(q3["headline"]["score"], 0.5)  # weightless: the headline is unchanged
    orders = next(k for k in q3["kpis"] if k["id"] == "orders")
    assert orders["name"] == "Orders (retired)"
    assert math.isclose(orders["by_tier"]["tier_1"]["score"], 0.8)
    assert [k.id for k in doc.result.kpis] == ["revenue"]  # type: ignore[union-attr]
    doc.undo_stack.undo()
    assert doc.card == _card()
    assert doc.shown_result is doc.result
    assert math.isclose(_headline_q3(doc), 0.65)
    doc.undo_stack.redo()
    assert doc.card.retired[0].kpi.id == "orders"


def test_a_kpi_added_after_retiring_gets_a_fresh_id(
    qtbot: QtBot, doc: ScorecardDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    from scorecard_studio.domain.checks import check_design

    editor = ScorecardEditor(doc)
    qtbot.addWidget(editor)
    editor.select_item("orders")
    assert editor.retire_selected("replaced by NRR")
    editor.select_item("cust")
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("Orders", True))
    editor.add_kpi()
    assert [k.id for k in doc.card.all_kpis()] == ["revenue", "orders_2"]
    assert doc.card.kpi("orders_2").name == "Orders"
    assert [f for f in check_design(doc.card) if f.code == "retired_id"] == []
