"""A sheet printed across pages repeats its key columns; the heading above its table
(title, subtitle, settings) must read whole within them, or the later pages cut it."""

from __future__ import annotations

import re

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.worksheet import Worksheet
from report_fixtures import build_card, build_data

from scorecard_studio.engines.export import export_report
from scorecard_studio.engines.scoring import score


def _width(ws: Worksheet, column: int) -> float:
    dim = ws.column_dimensions.get(openpyxl.utils.get_column_letter(column))
    return float(dim.width) if dim is not None and dim.width else 8.43


def _lines(text: str, width: float) -> int:
    """Greedy word wrap, written out here rather than borrowed from the code under test."""
    capacity, lines, line = max(1, int(width) - 1), 1, 0
    for word in text.split(" "):
        if line and line + 1 + len(word) > capacity:
            lines, line = lines + 1, 0
        line = len(word) if not line else line + 1 + len(word)
    return lines


@pytest.fixture(scope="module", params=["a4", "letter"])
def book(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> object:
    out = tmp_path_factory.mktemp("heading") / "report.xlsx"
    export_report(score(build_card(), {"data": build_data()}), out, paper=request.param)
    return openpyxl.load_workbook(out)


def test_heading_rows_fit_the_repeated_columns(book: openpyxl.Workbook) -> None:
    checked = set()
    for ws in book.worksheets:
        if not ws.print_title_cols:
            continue
        last = column_index_from_string(re.findall(r"[A-Z]+", ws.print_title_cols)[-1])
        rows = re.findall(r"\d+", ws.print_title_rows or "")
        heading = int(rows[0]) - 1 if rows else 2
        spans = {(m.min_row, m.min_col): m.max_col for m in ws.merged_cells.ranges}
        for row in range(1, heading + 1):
            for column in range(1, last + 1):
                value = ws.cell(row=row, column=column).value
                if not isinstance(value, str):
                    continue
                end = spans.get((row, column), column)
                assert end <= last, (ws.title, row, value)
                while end < last and ws.cell(row=row, column=end + 1).value is None:
                    end += 1  # a text runs on over empty cells (merged or not)
                room = sum(_width(ws, c) for c in range(column, end + 1))
                scale, line = (16 / 11, 26.0) if row == 1 else (1.0, 15.0)
                if len(value) * scale <= room - 1:
                    continue  # fits on one line: nothing runs on past the columns
                cell = ws.cell(row=row, column=column)
                assert cell.alignment.wrap_text, (ws.title, row, value)
                height = ws.row_dimensions[row].height or 15.0
                assert height >= _lines(value, room / scale) * line, (ws.title, row, value)
                checked.add(ws.title)
    # The two sheets whose subtitles ran past their repeated columns are among them.
    assert {"What-if", "Definitions"} <= checked
