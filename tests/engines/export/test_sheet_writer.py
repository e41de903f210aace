"""The report's faster save writes the very file openpyxl's own save writes, and the export
leaves the cycle collector as it found it."""

from __future__ import annotations

import gc
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from report_fixtures import HOSTILE, build_card, build_data

from scorecard_studio.domain.errors import ScorecardError
from scorecard_studio.engines.export import export_report, report
from scorecard_studio.engines.export.cells import put_formula, put_number, put_text
from scorecard_studio.engines.export.sheet_writer import Workbook
from scorecard_studio.engines.scoring import score

#: The one part that differs between two saves: the time each was saved at.
_SAVE_TIME = "docProps/core.xml"


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != _SAVE_TIME}


def _every_kind_of_cell(wb: openpyxl.Workbook) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = "Cells"
    numbers = [0, -0.0, 1.5, -2.25, 0.1 + 0.2, 1e-300, 123456789012345678, 2**70, 7]
    for column, number in enumerate(numbers, start=1):
        put_number(ws, 1, column, number, "#,##0.00" if column % 2 else None)
    texts = ["plain", " lead", "trail ", "a&b<c>d\"e'", "two\nlines", "tab\tx", "— ▁ 😀", ""]
    for column, text in enumerate([*texts, *HOSTILE], start=1):
        put_text(ws, 2, column, text)
    ws.cell(row=3, column=1).value = "carriage\rreturn"  # openpyxl's setter keeps a CR
    put_formula(ws, 3, 2, "=A1+B1", "0.0%")
    ws.cell(row=3, column=3).value = '=IF(A1>0,"a&b","<none>")'
    ws.cell(row=4, column=2).font = Font(bold=True)  # a styled cell without a value
    ws.cell(row=4, column=3).alignment = Alignment(wrap_text=True)
    ws.cell(row=4, column=4)  # a cell that was looked at, never written: not in the file
    ws.row_dimensions[4].height = 30
    ws.row_dimensions[6].height = 45  # a row with a height and no cells
    ws.merge_cells("A7:C8")
    ws["A7"] = "merged"
    ws["D7"] = True  # rows openpyxl's own writer writes: a boolean, a date, a comment,
    ws["A9"] = datetime(2026, 3, 31, 12, 30)  # a hyperlink, a non-finite number
    ws["B10"] = "noted"
    ws["B10"].comment = Comment("a reviewer's note", "Ana")
    ws["C11"] = "link"
    ws["C11"].hyperlink = "https://example.com/?a=1&b=2"
    ws["D12"] = float("nan")
    put_number(ws, 13, 1, 5.0)  # ordinary rows after them keep their order
    put_text(ws, 13, 30, "far right")
    ws.column_dimensions["A"].width = 20
    ws.freeze_panes = "B2"
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=1, max_col=4, min_row=1, max_row=1), from_rows=True)
    ws.add_chart(chart, "F15")
    wb.create_sheet("Empty")


def test_the_fast_save_writes_openpyxls_bytes(tmp_path: Path) -> None:
    ours, theirs = Workbook(), openpyxl.Workbook()
    _every_kind_of_cell(ours)
    _every_kind_of_cell(theirs)
    ours.save(tmp_path / "ours.xlsx")
    theirs.save(tmp_path / "theirs.xlsx")
    mine, reference = _parts(tmp_path / "ours.xlsx"), _parts(tmp_path / "theirs.xlsx")
    assert sorted(mine) == sorted(reference)
    for name in reference:
        assert mine[name] == reference[name], name
    back = openpyxl.load_workbook(tmp_path / "ours.xlsx")["Cells"]
    assert back["B3"].value == "=A1+B1"  # a live formula
    assert back["A2"].value == "plain"
    assert back["G2"].value == "— ▁ 😀"
    assert back["I2"].value == HOSTILE[0]
    assert back["I2"].data_type == "s"  # never a formula
    assert back["I2"].quotePrefix
    assert back.row_dimensions[6].height == 45


def test_a_report_saved_either_way_is_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")  # the same "generated at" in both
    result = score(build_card(), {"data": build_data()})
    export_report(result, tmp_path / "ours.xlsx", author="Ana Author")
    monkeypatch.setattr(report, "Workbook", openpyxl.Workbook)
    export_report(result, tmp_path / "theirs.xlsx", author="Ana Author")
    mine, reference = _parts(tmp_path / "ours.xlsx"), _parts(tmp_path / "theirs.xlsx")
    assert sorted(mine) == sorted(reference)
    for name in reference:
        assert mine[name] == reference[name], name


def test_a_read_only_workbook_is_refused_as_openpyxl_refuses_it(tmp_path: Path) -> None:
    wb = Workbook()
    wb._read_only = True  # what load_workbook(read_only=True) sets
    with pytest.raises(TypeError):
        wb.save(tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_an_export_leaves_the_cycle_collector_as_it_found_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    save = Workbook.save

    def watched(wb: Workbook, filename: object) -> None:
        seen.append(gc.isenabled())
        save(wb, filename)

    monkeypatch.setattr(Workbook, "save", watched)
    result = score(build_card(), {"data": build_data()})
    assert gc.isenabled()
    export_report(result, tmp_path / "on.xlsx")
    assert gc.isenabled()
    gc.disable()
    try:
        export_report(result, tmp_path / "off.xlsx")
        assert not gc.isenabled()  # a caller that turned it off keeps it off
    finally:
        gc.enable()

    def full(_wb: Workbook, _filename: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", full)
    with pytest.raises(ScorecardError):
        export_report(result, tmp_path / "full.xlsx")
    assert gc.isenabled()  # back on after a failed save too
    assert seen == [False, False]  # paused while saving
