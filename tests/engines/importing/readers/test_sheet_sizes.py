"""Every sheet of a workbook is listed with its size, not only the one read."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl

from scorecard_studio.engines.importing import inspect_workbook


def _without_dimension(source: Path, target: Path) -> None:
    """A copy of ``source`` whose sheets declare no ``<dimension>`` (as some writers do)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb"<dimension [^>]*/>", b"", data)
                assert b"<dimension" not in data
            zout.writestr(info, data)


def test_sheets_without_a_dimension_are_measured(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    first = wb.active
    assert first is not None
    first.title = "Cover"
    first.append(["Quarterly export"])
    data = wb.create_sheet("Data")
    for row in (["Customer", "ARR", "Seats"], ["A", 1, 2], ["B", 3, 4], ["C", 5, 6]):
        data.append(row)
    other = wb.create_sheet("Notes")
    other["B7"] = "see above"
    written = tmp_path / "with.xlsx"
    wb.save(written)
    path = tmp_path / "without.xlsx"
    _without_dimension(written, path)
    inspection = inspect_workbook(path, sheet="Cover")
    sizes = {s.name: (s.rows, s.columns) for s in inspection.sheets}
    assert sizes == {"Cover": (1, 1), "Data": (4, 3), "Notes": (7, 2)}


def test_the_openpyxl_fallback_measures_every_sheet(tmp_path: Path) -> None:
    """When calamine refuses a workbook, openpyxl reads it: every sheet still has its size."""
    from scorecard_studio.engines.importing.readers.workbook import _read_openpyxl

    wb = openpyxl.Workbook()
    cover = wb.active
    assert cover is not None
    cover.title = "Cover"
    cover.append(["Quarterly export"])
    data = wb.create_sheet("Data")
    for row in (["Customer", "ARR", "Seats", "Tier"], ["A", 1, 2, "T1"], ["B", 3, 4, "T2"]):
        data.append(row)
    notes = wb.create_sheet("Notes")
    notes["B7"] = "see above"
    notes["A9"] = None  # a touched but empty cell after the last value is not a row
    notes.sheet_state = "hidden"
    path = tmp_path / "book.xlsx"
    wb.save(path)
    for chosen in ("Cover", "Data", "Notes"):
        raw = _read_openpyxl(path, chosen, None)
        sizes = [(s.name, s.visibility, s.rows, s.columns) for s in raw.sheets]
        assert sizes == [
            ("Cover", "visible", 1, 1),
            ("Data", "visible", 3, 4),
            ("Notes", "hidden", 7, 2),
        ]
        assert raw.sheet == chosen
    data_read = _read_openpyxl(path, "Data", None)
    assert data_read.spec.names == ["Customer", "ARR", "Seats", "Tier"]
