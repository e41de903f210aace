"""The whole journey of the issue: spreadsheet → wizard → scorecard by drops → tier targets →
save, diff, freeze → undo and redo, on a temporary store, checked against pandas."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from scorecard_studio.domain import edits
from scorecard_studio.domain.model import Aggregation
from scorecard_studio.qt.dialogs.import_wizard import ImportWizard
from scorecard_studio.qt.main_window import MainWindow
from scorecard_studio.qt.models.scorecard_tree import column_mime

SAMPLE = Path(__file__).resolve().parents[3] / "sample_workbooks" / "customer_data.xlsx"


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    w = MainWindow(store_path=str(tmp_path / "store.sqlite3"))
    qtbot.addWidget(w)
    w.show()
    return w


def _import_survey(window: MainWindow, qtbot: QtBot) -> None:
    wizard = ImportWizard(window.document.card, window, path=str(SAMPLE))
    qtbot.addWidget(wizard)
    wizard.show()
    sheet_page = wizard.sheet_page
    qtbot.waitUntil(sheet_page.isComplete, timeout=60000)
    sheets = [sheet_page.sheet.itemData(i) for i in range(sheet_page.sheet.count())]
    assert sheets == ["CRM", "Billing", "Survey", "Support", "Usage", "Renewals"]
    sheet_page.sheet.setCurrentIndex(sheets.index("Survey"))
    sheet_page.inspect()
    qtbot.waitUntil(
        lambda: (
            sheet_page.isComplete() and sheet_page.inspection.to_json_dict()["sheet"] == "Survey"
        ),
        timeout=60000,
    )
    columns = [c["name"] for c in sheet_page.inspection.to_json_dict()["columns"]]
    assert columns == ["response_id", "account_id", "responded_on", "tier", "nps", "csat", "ces"]
    wizard.next()
    roles = wizard.roles_page.roles
    assert roles["key_column"].currentData() == "account_id"
    assert roles["date_column"].currentData() == "responded_on"
    assert roles["tier_column"].currentData() == "tier"
    wizard.next()
    qtbot.waitUntil(wizard.validation_page.isComplete, timeout=60000)
    wizard.accept()
    outcome = wizard.outcome
    assert outcome is not None
    window.workspace.add_source(outcome.source, outcome.frame)


def test_spreadsheet_to_frozen_version_and_back(window: MainWindow, qtbot: QtBot) -> None:
    ws, doc = window.workspace, window.document
    ws.new_scorecard()
    assert [p.name for p in doc.card.perspectives] == [
        "Financial",
        "Customer",
        "Internal Process",
        "Learning & Growth",
    ]
    _import_survey(window, qtbot)
    (source,) = doc.card.sources
    frame = doc.tables[source.id]
    assert len(frame) > 3000
    assert str(frame["responded_on"].dtype).startswith("datetime64")

    # Build the scorecard by drops: NPS and CSAT columns onto the Customer perspective.
    model = window.editor.model
    for column in ("nps", "csat"):
        customer = model.index(1, 0, QModelIndex())  # indexes do not survive a model reset
        assert customer.data() == "Customer"
        mime = column_mime(source.id, column)
        assert model.canDropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, customer)
        model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, customer)
    nps_id, csat_id = (k.id for k in doc.card.perspectives[1].kpis)
    doc.edit("NPS", edits.update_measure, nps_id, aggregation=Aggregation.NPS)
    doc.edit("CSAT", edits.update_measure, csat_id, aggregation=Aggregation.CSAT)

    # Tier targets through the matrix: default baseline/target for NPS, a Tier 1 override.
    targets = window.targets.model
    row = [targets.headerData(r, Qt.Orientation.Vertical) for r in range(targets.rowCount())]
    nps_row = row.index("nps")
    assert targets.setData(targets.index(nps_row, 0), "0")
    assert targets.setData(targets.index(nps_row, 1), "40")
    assert targets.setData(targets.index(nps_row, 4), "50")  # Tier 1 target
    tv = doc.card.kpi(nps_id).targets
    assert (tv.default.baseline, tv.default.target) == (0.0, 40.0)
    assert tv.resolve("tier_1", None).target == 50.0

    # The scores shown are those of an independent computation.
    result = doc.result
    assert result is not None
    p = len(result.period_labels) - 1
    label = result.period_labels[p]
    year, quarter = int(label[:4]), int(label[-1])
    rows = frame[
        (frame["responded_on"].dt.year == year)
        & ((frame["responded_on"].dt.month - 1) // 3 + 1 == quarter)
        & (frame["tier"] == "Tier 2")
    ]
    expected = 100 * ((rows["nps"] >= 9).mean() - (rows["nps"] <= 6).mean())
    k, t = result.kpi_index(nps_id), result.tier_ids.index("tier_2")
    assert float(result.actuals.value[k, t, p]) == pytest.approx(expected)
    assert float(result.score[k, t, p]) == pytest.approx(expected / 40.0)

    # Save, change, save, diff, freeze.
    assert ws.commit_version("survey KPIs")
    doc.edit("weight", edits.set_weight, nps_id, 3.0)
    assert ws.commit_version("NPS counts triple")
    _title, diff = window.history.compare(1, 2)
    assert "weight" in diff.to_text()
    assert window.history.freeze(1, "QBR 2026 Q3")
    assert {v.number: v.frozen_label for v in ws.store().log(doc.store_name)} == {
        1: "QBR 2026 Q3",
        2: None,
    }

    # Undo and redo walk back through every edit, including the import and the drops.
    steps = doc.undo_stack.count()
    before = doc.card
    for _ in range(steps):
        doc.undo_stack.undo()
    assert doc.card.perspectives[1].kpis == ()
    assert doc.card.sources == ()
    for _ in range(steps):
        doc.undo_stack.redo()
    assert doc.card == before
    assert not doc.is_modified()
