"""How the report prints: column widths that fit their values, row heights that fit wrapped
text, and page setup that keeps every sheet readable on A4 and US Letter.

openpyxl writes no widths or heights of its own: a default column shows ``###`` for a
currency figure wider than 8 characters and a default row clips a 16 pt title or a wrapped
definition. The sizes here are estimates from character counts (an Excel width unit is the
width of a "0"), made generous enough for Calibri and its metric twin Carlito, which
LibreOffice uses. Wide sheets are never shrunk to one page width (that printed the KPI
detail at 40 %); they print at a fixed scale of at least 70 % and break across pages by
columns, with their key columns repeated on every page.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

#: Points per line of 11 pt text (Excel's default row is 15 pt for Calibri 11).
LINE_HEIGHT = 15.0
TITLE_HEIGHT = 26.0  # a 16 pt title with room for its descenders
MIN_SCALE = 70
PAPER_SIZES = {"a4": 9, "letter": 1}  # the OOXML paperSize codes
#: Column width units a landscape page holds at 100 %, margins taken off, with room for
#: LibreOffice's wider stand-in for Calibri (the Summary's 123 units fit Letter at 85 %).
PAGE_UNITS = {"a4": 111.0, "letter": 104.0}


def group_breaks(
    ws: Worksheet, paper: str, scale: int, fixed: int, groups: list[int]
) -> tuple[int, ...]:
    """Column breaks that keep groups of columns whole on the printed page.

    ``fixed`` columns (from A) repeat on every page; ``groups`` are the first columns of
    each group after them, in order. A group that would run past the page's right edge
    starts the next page, so a tier's actual, target and status are never split.
    """
    room = PAGE_UNITS[paper] * 100 / scale
    repeated = sum(column_width(ws, c) for c in range(1, fixed + 1))
    bounds = [*groups[1:], None]
    breaks: list[int] = []
    used = repeated
    for start, end in zip(groups, bounds, strict=True):
        stop = end if end is not None else ws.max_column + 1
        width = sum(column_width(ws, c) for c in range(start, stop))
        if used + width > room and used > repeated:
            breaks.append(start - 1)
            used = repeated
        used += width
    return tuple(breaks)


_QUOTED = re.compile(r'"([^"]*)"')


@functools.lru_cache(maxsize=256)
def _format_parts(number_format: str) -> tuple[int, bool, int, bool]:
    """(quoted literal characters, percent, decimals, thousands separator) of a format.

    A report measures tens of thousands of columns in a handful of formats: parsed once.
    """
    literals = sum(len(m) for m in _QUOTED.findall(number_format))
    core = _QUOTED.sub("", number_format).split(";")[0]
    match = re.search(r"\.([0#]+)", core)
    decimals = len(match.group(1)) if match else 0
    return literals, core.endswith("%"), decimals, "," in core


def number_text_width(value: float, number_format: str) -> int:
    """Characters ``value`` takes when shown with an Excel ``number_format``."""
    if not math.isfinite(value):
        return 0
    literals, percent, decimals, grouped = _format_parts(number_format)
    shown = abs(value) * (100 if percent else 1)
    text = f"{shown:,.{decimals}f}" if grouped else f"{shown:.{decimals}f}"
    return len(text) + literals + (1 if percent else 0) + (1 if value < 0 else 0)


def max_number_width(values: npt.NDArray[np.float64], number_format: str) -> int:
    """The widest of ``values`` (any shape, NaN ignored) in ``number_format``."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return 0
    high, low = float(finite.max()), float(finite.min())
    widest = high if abs(high) >= abs(low) else low
    return number_text_width(abs(widest), number_format) + (1 if low < 0 else 0)


def text_width(text: str) -> int:
    """The longest line of ``text``, in characters."""
    return max((len(line) for line in text.split("\n")), default=0)


def longest_word(text: str) -> int:
    """The longest word: a wrapped header's column must be at least this wide."""
    return max((len(word) for word in text.split()), default=0)


class ColumnWidths:
    """The widest content seen per column; applied once the sheet is written."""

    def __init__(self) -> None:
        self._widths: dict[int, float] = {}

    def note(self, column: int, characters: float) -> None:
        if characters > self._widths.get(column, 0.0):
            self._widths[column] = characters

    def note_texts(self, column: int, texts: Iterable[str]) -> None:
        self.note(column, max((text_width(t) for t in texts), default=0))

    def apply(
        self, ws: Worksheet, *, minimum: float = 6.0, maximum: float = 60.0, pad: float = 2.0
    ) -> None:
        for column, characters in self._widths.items():
            width = min(maximum, max(minimum, characters + pad))
            ws.column_dimensions[get_column_letter(column)].width = width


def wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` takes when wrapped at word boundaries in a column ``width`` wide."""
    capacity = max(1, int(width) - 1)  # a cell's padding eats about one character
    lines = 0
    for paragraph in text.split("\n"):
        line = 0
        lines += 1
        for word in paragraph.split(" "):
            size = len(word)
            if line and line + 1 + size > capacity:
                lines += 1
                line = 0
            if size > capacity:  # a word longer than the column breaks anywhere
                lines += (size - 1) // capacity
                size = size % capacity or capacity
            line = size if not line else line + 1 + size
    return lines


def fit_row_height(ws: Worksheet, row: int, cells: Sequence[tuple[str, float]]) -> None:
    """Give ``row`` the height its tallest wrapped text needs; cells are (text, width)."""
    lines = max((wrapped_lines(text, width) for text, width in cells if text), default=1)
    if lines > 1:
        ws.row_dimensions[row].height = lines * LINE_HEIGHT + 2


def column_width(ws: Worksheet, column: int) -> float:
    """The width set for a column (Excel's default 8.43 when none was)."""
    dim = ws.column_dimensions.get(get_column_letter(column))
    return float(dim.width) if dim is not None and dim.width else 8.43


def fit_wrapped_rows(ws: Worksheet, first_row: int, last_row: int, columns: Sequence[int]) -> None:
    """Row heights for the wrapped text in ``columns`` of rows ``first_row``..``last_row``."""
    widths = {c: column_width(ws, c) for c in columns}
    for row in range(first_row, last_row + 1):
        cells = []
        for c in columns:
            value = ws.cell(row=row, column=c).value
            if isinstance(value, str):
                cells.append((value, widths[c]))
        fit_row_height(ws, row, cells)


#: A 16 pt title's characters against the 11 pt text the widths are estimated for.
TITLE_SCALE = 16 / 11


def fit_heading_to_columns(ws: Worksheet, last_row: int, last_column: int) -> None:
    """Wrap the heading rows' texts (title, subtitle, settings) within columns A..``last_column``.

    A sheet printed across pages repeats only its key columns on the later pages; a text
    that runs on over the columns to their right (a subtitle in A2 across the whole sheet)
    is cut where the repeated columns end. Each such text is merged over the empty cells
    up to ``last_column`` and wrapped there, its row made tall enough for its lines.
    """
    merged = {
        (r, c)
        for rng in ws.merged_cells.ranges
        for r in range(rng.min_row, rng.max_row + 1)
        for c in range(rng.min_col, rng.max_col + 1)
    }
    for row in range(1, last_row + 1):
        for column in range(1, last_column + 1):
            cell = ws.cell(row=row, column=column)
            if not isinstance(cell.value, str) or (row, column) in merged:
                continue
            end = column
            while end < last_column and ws.cell(row=row, column=end + 1).value is None:
                end += 1
            room = sum(column_width(ws, c) for c in range(column, end + 1))
            scale = TITLE_SCALE if row == 1 else 1.0
            if text_width(cell.value) * scale <= room - 1:
                continue
            if end > column:
                ws.merge_cells(start_row=row, start_column=column, end_row=row, end_column=end)
                merged.update((row, c) for c in range(column, end + 1))
            cell.alignment = Alignment(
                horizontal=cell.alignment.horizontal, vertical="top", wrap_text=True
            )
            lines = wrapped_lines(cell.value, room / scale)
            line = TITLE_HEIGHT if row == 1 else LINE_HEIGHT
            dim = ws.row_dimensions[row]
            dim.height = max(float(dim.height or LINE_HEIGHT), lines * line + 2)
            for other in ws[row]:  # a label beside a wrapped value reads on its first line
                if other.value is not None and other is not cell:
                    other.alignment = Alignment(
                        horizontal=other.alignment.horizontal,
                        vertical="top",
                        wrap_text=other.alignment.wrap_text,
                        indent=other.alignment.indent,
                    )


@dataclass(frozen=True, slots=True)
class PrintPlan:
    """How one sheet prints: scale, repeated rows and columns, manual breaks."""

    scale: int = 85
    title_rows: tuple[int, int] | None = None
    title_columns: tuple[int, int] | None = None
    column_breaks: tuple[int, ...] = ()  # a break after each of these columns
    row_breaks: tuple[int, ...] = ()  # a break after each of these rows
    #: Print only the first columns (the rest stay on screen and in filters): for a wide
    #: sheet whose later columns are reference, not reading, a second page width per
    #: page is paper nobody reads.
    print_columns: int | None = None


def set_up_printing(ws: Worksheet, plan: PrintPlan, paper: str, footer_left: str = "") -> None:
    """Landscape on ``paper`` at a fixed readable scale, breaking by columns, never shrunk."""
    assert plan.scale >= MIN_SCALE, plan.scale
    setup = ws.page_setup
    setup.orientation = "landscape"
    setup.paperSize = PAPER_SIZES[paper]
    setup.scale = plan.scale
    setup.fitToWidth = None
    setup.fitToHeight = None
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    setup.pageOrder = "downThenOver"  # all rows of the first columns, then the next columns
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if plan.title_rows:
        ws.print_title_rows = f"{plan.title_rows[0]}:{plan.title_rows[1]}"
    if plan.title_columns:
        first, last = plan.title_columns
        ws.print_title_cols = f"{get_column_letter(first)}:{get_column_letter(last)}"
        heading_rows = plan.title_rows[0] - 1 if plan.title_rows else 2
        fit_heading_to_columns(ws, heading_rows, last)
    for column in plan.column_breaks:
        if plan.print_columns is None or column < plan.print_columns:
            ws.col_breaks.append(Break(id=column))
    if plan.print_columns is not None:
        ws.print_area = f"A1:{get_column_letter(plan.print_columns)}{max(ws.max_row, 1)}"
    for row in plan.row_breaks:
        ws.row_breaks.append(Break(id=row))
    footer = ws.oddFooter
    assert footer is not None
    assert footer.center is not None
    assert footer.left is not None
    footer.center.text = "&A — page &P of &N"
    footer.center.size = 8
    if footer_left:
        footer.left.text = footer_left.replace("&", "&&")
        footer.left.size = 7


__all__ = [
    "LINE_HEIGHT",
    "TITLE_HEIGHT",
    "ColumnWidths",
    "PrintPlan",
    "fit_heading_to_columns",
    "fit_row_height",
    "fit_wrapped_rows",
    "max_number_width",
    "number_text_width",
    "set_up_printing",
    "text_width",
    "wrapped_lines",
]
