"""The first rows found by the array scan, against values written out by hand."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

from xlsx_writer import write_workbook

from scorecard_studio.engines.importing.columns.cells import ExcelError
from scorecard_studio.engines.importing.readers.xlsx_stream import stream, xlsx_head
from scorecard_studio.engines.importing.readers.xlsx_stream.head_scan import head_grid

ROWS = [
    '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>1.5</v></c>'
    '<c r="C2"><v> 42 </v></c><c r="D2"><v>1e3</v></c></row>',
    # a reference, a line end, a non-ASCII digit and a word in number cells: not read as
    # bytes; each as the XML parser gives its text
    '<row r="3"><c r="A3"><v>&#49;2</v></c><c r="B3"><v>7\r</v></c>'
    '<c r="C3"><v>\u0663</v></c><c r="D3"><v>n.a.</v></c></row>',
    '<row r="4"><c r="A4" t="b"><v>1</v></c><c r="B4" t="e"><v>#N/A</v></c>'
    '<c r="C4" t="inlineStr"><is><t>x &amp; y</t></is></c><c r="D4"><v>-0.25</v></c></row>',
]


def _grids(path: Path) -> tuple[list[list[object]], int, list[list[object]], int]:
    with zipfile.ZipFile(path) as zf:
        _, shared = stream.workbook_parts(zf)
        strings = stream.shared_strings(zf, shared)
        part = next(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))
        grid, r0 = head_grid(zf, part, strings, 200)
        ref, ref0 = xlsx_head.head_rows(zf, part, 200)
    return grid, r0, ref, ref0


def test_first_rows_hold_the_values_written(tmp_path: Path) -> None:
    grid, r0, ref, ref0 = _grids(write_workbook(tmp_path / "head.xlsx", ROWS, ["<t>name</t>"]))
    assert r0 == 1
    assert grid[0] == ["name", 1.5, 42.0, 1000.0]
    assert grid[1][:2] == [12.0, 7.0]  # "&#49;2" is 12 once decoded
    assert math.isclose(grid[1][2], 3.0)  # an Arabic-Indic three, as float() reads it
    assert grid[1][3] == "n.a."
    assert grid[2][0] is True
    assert isinstance(grid[2][1], ExcelError)
    assert grid[2][2:] == ["x & y", -0.25]
    assert (grid, r0) == (ref, ref0)  # as the pull parser gives them
