"""The cell writers' shortcuts leave the cells exactly as openpyxl's own calls leave them."""

from __future__ import annotations

import math

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from scorecard_studio.engines.export.cells import (
    _cell,
    put_number,
    put_numbers,
    put_text,
    restyle,
)

_SLOTS = ("parent", "_style", "row", "column", "_value", "data_type", "_hyperlink", "_comment")


def test_a_new_cell_has_the_slots_cell_init_gives_it() -> None:
    ws = openpyxl.Workbook().active
    assert ws is not None
    assert set(_SLOTS) == set(Cell.__slots__) | {"parent", "_style"}  # openpyxl has no others
    ours = _cell(ws, 7, 3)
    theirs = Cell(ws, row=7, column=3)
    for slot in _SLOTS:
        assert getattr(ours, slot) == getattr(theirs, slot), slot
    assert ws._current_row == 7  # type: ignore[attr-defined]  # ws.append goes after it
    assert ws.cell(row=7, column=3) is ours
    assert ws.max_row == 7


def test_put_numbers_writes_what_put_number_writes_cell_by_cell() -> None:
    values = [1.5, math.nan, -2.0, 0.0, 1234567.891]
    one, many = openpyxl.Workbook().active, openpyxl.Workbook().active
    assert one is not None
    assert many is not None
    for offset, value in enumerate(values):
        put_number(one, 4, 2 + offset, value, '"$"#,##0.00')
    put_numbers(many, 4, 2, values, '"$"#,##0.00')
    assert sorted(one._cells) == sorted(many._cells)  # type: ignore[attr-defined]
    for column in range(2, 7):
        a, b = one.cell(row=4, column=column), many.cell(row=4, column=column)
        assert (a.value, a.data_type, a.number_format) == (b.value, b.data_type, b.number_format)
    assert many.cell(row=4, column=3).value is None  # missing stays empty, never 0
    assert not many.cell(row=4, column=3).has_style
    assert many.cell(row=4, column=4).number_format == '"$"#,##0.00'


def test_restyle_gives_the_style_attribute_assignment_gives() -> None:
    side = Side(style="thin", color="B7C3D0")
    steps = [
        {"alignment": Alignment(wrap_text=True, vertical="top")},
        {"font": Font(bold=True), "fill": PatternFill("solid", fgColor="DCE3EC")},
        {"border": Border(left=side, right=side), "alignment": Alignment(horizontal="right")},
    ]
    ours, theirs = openpyxl.Workbook(), openpyxl.Workbook()
    ws_ours, ws_theirs = ours.active, theirs.active
    assert ws_ours is not None
    assert ws_theirs is not None
    for row in range(1, 5):  # from the second row on, restyle copies what it resolved
        for column, styles in enumerate(steps, start=1):
            text = "=not a formula" if column == 2 else "text"
            restyle(put_text(ws_ours, row, column, text), **styles)  # type: ignore[arg-type]
            cell = put_text(ws_theirs, row, column, text)
            for name, value in styles.items():
                setattr(cell, name, value)
    for row in range(1, 5):
        for column in range(1, 4):
            a = ws_ours.cell(row=row, column=column)
            b = ws_theirs.cell(row=row, column=column)
            assert a._style == b._style  # type: ignore[attr-defined]
            assert a._style is not b._style  # type: ignore[attr-defined]
    for registry in ("_fonts", "_fills", "_borders", "_alignments"):
        assert list(getattr(ours, registry)) == list(getattr(theirs, registry)), registry
    # each cell has its own style: changing one leaves the cells it was copied to alone
    ws_ours.cell(row=2, column=1).font = Font(italic=True)
    assert not ws_ours.cell(row=3, column=1).font.italic


def test_restyle_never_mistakes_a_new_object_for_an_old_one() -> None:
    """Objects made and dropped one after another often share an id; each one counts."""
    ws = openpyxl.Workbook().active
    assert ws is not None
    for row, horizontal in enumerate(["left", "right", "center", "left", "right"] * 20, 1):
        restyle(put_text(ws, row, 1, "x"), alignment=Alignment(horizontal=horizontal))
        assert ws.cell(row=row, column=1).alignment.horizontal == horizontal, row
