"""The window's "Refresh all sources": files found by profile, each change accepted first."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from pytestqt.qtbot import QtBot

from scorecard_studio.domain.model import DataSource, Scorecard
from scorecard_studio.qt import source_refresh
from scorecard_studio.qt.dialogs.change_report import ChangeReportDialog
from scorecard_studio.qt.main_window import MainWindow

JUNE = pd.DataFrame(
    {
        "account": ["A1", "A2"],
        "month": pd.to_datetime(["2025-06-01", "2025-06-01"]),
        "tier": ["Tier 1", "Tier 2"],
        "arr": [100.0, 200.0],
    }
)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    w = MainWindow(store_path=str(tmp_path / "store.sqlite3"))
    qtbot.addWidget(w)
    source = DataSource(
        "crm", "CRM", file="accounts_2025-06.csv", key_column="account", date_column="month",
        tier_column="tier", file_pattern="accounts_*.csv", tier_values=(("ent", "Tier 1"),),
        columns=("account", "month", "tier", "arr"),
    )  # fmt: skip
    w.document.load(Scorecard("Card", sources=(source,)), {"crm": JUNE.copy()})
    return w


def _july(folder: Path) -> Path:
    folder.mkdir()
    (folder / "accounts_2025-07.csv").write_text(
        "account,month,tier,annual_revenue\n"
        "A1,2025-07-01,ENT,110\n"
        "A2,2025-07-01,Tier 2,210\n"
        "A3,2025-07-03,Strategic,30\n"
    )
    (folder / "notes.csv").write_text("x\n1\n")
    return folder


def test_a_mapped_and_accepted_refresh_replaces_the_data_and_undoes(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    doc = window.document
    reports: list[list[str]] = []

    def answer(dialog: ChangeReportDialog) -> bool:
        reports.append(dialog.report_lines())
        dialog.map_column("arr", "annual_revenue")
        reports.append(dialog.report_lines())
        return True

    window.source_refresher.confirm = answer
    task = window.source_refresher.refresh_from(_july(tmp_path / "july"))
    assert task is not None
    qtbot.waitUntil(lambda: len(doc.tables["crm"]) == 3, timeout=30000)
    first, mapped = reports
    assert first[0] == "CRM (accounts_2025-07.csv): 2 → 3 rows"  # the name, not the id
    assert "dates: 2025-06-01 to 2025-06-01 → 2025-07-01 to 2025-07-03" in first
    assert "missing column: 'arr'" in first
    assert "new column: 'annual_revenue'" in first
    assert "new tier values: 'Strategic'" in first  # 'ENT' maps to Tier 1, a known tier
    assert "renamed: 'arr' → 'annual_revenue'" in mapped
    assert "missing column: 'arr'" not in mapped
    table = doc.tables["crm"]
    assert list(table.columns) == ["account", "month", "tier", "arr"]
    assert table["arr"].tolist() == [110.0, 210.0, 30.0]
    assert table["tier"].tolist() == ["Tier 1", "Tier 2", "Strategic"]
    assert doc.undo_stack.undoText() == "Refresh CRM"
    doc.undo_stack.undo()
    assert doc.tables["crm"].equals(JUNE)


def test_a_skipped_source_keeps_its_data(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    doc = window.document
    asked: list[str] = []

    def skip(dialog: ChangeReportDialog) -> bool:
        asked.append(dialog.windowTitle())
        return False

    window.source_refresher.confirm = skip
    window.source_refresher.refresh_from(_july(tmp_path / "july"))
    qtbot.waitUntil(lambda: bool(asked), timeout=30000)
    assert asked == ["Refresh “CRM” from accounts_2025-07.csv"]
    assert doc.tables["crm"].equals(JUNE)
    assert doc.undo_stack.count() == 0


def test_the_command_is_in_the_menu_and_the_data_panel(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    action = window.refresh_sources_action
    file_menu = window.menuBar().actions()[0].menu()
    assert action in file_menu.actions()
    assert window.data_panel.refresh_button.isEnabled()
    triggered: list[bool] = []
    action.triggered.connect(lambda *_: triggered.append(True))
    asked: list[str] = []

    def no_folder(_parent: object, title: str, *_args: object) -> str:
        asked.append(title)
        return ""  # the user cancels the folder dialog: nothing happens

    monkeypatch.setattr(source_refresh.QFileDialog, "getExistingDirectory", no_folder)
    window.data_panel.refresh_button.click()
    assert triggered == [True]
    assert asked == ["Folder of the new files"]
