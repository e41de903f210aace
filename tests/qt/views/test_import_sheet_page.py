"""The wizard's preview: values as the source showed them, and nothing left of a failed file."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from pytestqt.qtbot import QtBot

from scorecard_studio.domain.model import Scorecard
from scorecard_studio.qt.dialogs.import_wizard import ImportWizard


def _cells(wizard: ImportWizard) -> list[list[str]]:
    table = wizard.sheet_page.preview
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_preview_shows_values_as_the_file_did(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text(
        'account,share,arr,seats,usage\nA1,87%,"$905,200",10,3586.1783646399995\n'
        'A2,12.5%,"$1,000",3,2.5\n'
    )
    wizard = ImportWizard(Scorecard("Card"), path=str(path))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(wizard.sheet_page.isComplete, timeout=30000)
    assert _cells(wizard) == [
        ["A1", "87%", "$905,200", "10", "3,586.18"],
        ["A2", "12.5%", "$1,000", "3", "2.50"],
    ]


def test_a_failed_file_clears_the_previous_preview(qtbot: QtBot, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text("account,arr\nA1,100\nA2,200\n")
    bad = tmp_path / "bad.xlsx"
    bad.write_text("this is not a workbook\n")
    wizard = ImportWizard(Scorecard("Card"))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(good))
    wizard.next()
    page = wizard.sheet_page
    qtbot.waitUntil(page.isComplete, timeout=30000)
    assert page.preview.columnCount() == 2
    assert page.findings.count() > 0
    wizard.back()
    wizard.file_page.path.setText(str(bad))
    wizard.next()
    qtbot.waitUntil(lambda: "Cannot read the file" in page.summary.text(), timeout=30000)
    assert (page.preview.rowCount(), page.preview.columnCount()) == (0, 0)
    assert page.findings.count() == 1
    assert page.findings.item(0).text().startswith("error: not a spreadsheet")
    assert not page.isComplete()


def test_preview_of_a_formatted_workbook(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "formats.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["account", "share", "arr", "seats", "usage"])
    ws.append(["A1", 0.87, 905200, 10, 3586.1783646399995])
    ws.append(["A2", 0.125, 1000, 3, 2.5])
    for row in ws.iter_rows(min_row=2):
        row[1].number_format = "0%"
        row[2].number_format = '"$"#,##0'
    wb.save(path)
    wizard = ImportWizard(Scorecard("Card"), path=str(path))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(wizard.sheet_page.isComplete, timeout=30000)
    assert _cells(wizard) == [
        ["A1", "87%", "$905,200", "10", "3,586.18"],
        ["A2", "12.5%", "$1,000", "3", "2.50"],
    ]
