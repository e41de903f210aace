"""merge_new merges as openpyxl's merge_cells does, without comparing every earlier range."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell

from scorecard_studio.engines.export.cells import merge_new, put_text


def test_merge_new_gives_the_same_ranges_and_cells_as_merge_cells() -> None:
    book = Workbook()
    ours, theirs = book.active, book.create_sheet("b")
    for ws in (ours, theirs):
        for row in range(1, 6):
            put_text(ws, row, 1, f"name {row}")
    for row in range(1, 6):
        merge_new(ours, row, 1, 3)
        theirs.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    assert sorted(str(r) for r in ours.merged_cells.ranges) == sorted(
        str(r) for r in theirs.merged_cells.ranges
    )
    assert sorted(str(r) for r in ours.merged_cells.ranges) == [f"A{r}:C{r}" for r in range(1, 6)]
    for row in range(1, 6):
        assert ours.cell(row, 1).value == f"name {row}"
        assert isinstance(ours.cell(row, 2), MergedCell)
        assert isinstance(ours.cell(row, 3), MergedCell)
