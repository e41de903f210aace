"""Writing cells safely: imported text never becomes a formula, sheet names are legal.

openpyxl stores any string that starts with ``=`` as a formula. Text from imported data
(KPI names, owners, notes, source columns) is written through :func:`put_text`, which forces
the string type and sets Excel's quote prefix, so ``=HYPERLINK(...)``, ``+1``, ``-2``,
``@SUM`` or a leading tab stays inert text in Excel and LibreOffice, even after an edit.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Iterable
from math import isnan
from typing import Any, cast

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from scorecard_studio.domain.units import Unit, UnitKind

_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
_ILLEGAL_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
# Control characters that XML 1.0 cannot carry (openpyxl would refuse the whole cell).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

#: Excel's limit for the text of one cell, in UTF-16 code units (what Excel counts).
EXCEL_TEXT_LIMIT = 32_767
#: What ends a text cut at the limit, so a reader knows there was more.
CUT_MARKER = "…[cut]"


def clean_text(value: str) -> str:
    """Text without characters an xlsx file cannot hold.

    A bare carriage return would be folded into a line feed by every XML reader anyway, so
    line breaks are written as line feeds, the form Excel and LibreOffice use.
    """
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    return _ILLEGAL_XML.sub("\ufffd", text)


def utf16_units(text: str) -> int:
    """Length as Excel counts it: characters beyond the BMP (emoji, some CJK) count twice."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def fit_excel_limit(text: str, limit: int = EXCEL_TEXT_LIMIT) -> tuple[str, bool]:
    """``text`` cut to ``limit`` UTF-16 units with :data:`CUT_MARKER` at its end, if longer.

    A surrogate pair is never split; the marker counts towards the limit. Returns the text
    and whether it was cut, so the report can say so in its findings.
    """
    if len(text) <= limit // 2 or utf16_units(text) <= limit:
        return text, False
    budget = limit - utf16_units(CUT_MARKER)
    used = 0
    for index, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > budget:
            return text[:index] + CUT_MARKER, True
    return text, False  # unreachable: the text was longer than the limit


def cut_cells(ws: Worksheet) -> list[tuple[str, int]]:
    """(coordinate, original UTF-16 length) of every text :func:`put_text` cut on ``ws``."""
    cells: list[tuple[str, int]] = ws.__dict__.setdefault("_cut_cells", [])
    return cells


#: Excel's last row (openpyxl checks it on every lookup; here once per new cell).
_MAX_ROW = 1_048_576
_new_cell = Cell.__new__


def _cell(ws: Worksheet, row: int, column: int) -> Cell:
    """A writable cell (the report never writes into merged ranges).

    The worksheet's own ``cell()`` checks the coordinates and looks the cell up twice on
    every call; a large report asks for hundreds of thousands of cells, each once, so the
    cell is made here with the same checks, once, its slots set as ``Cell.__init__`` sets
    them for an empty cell (a test compares the two).
    """
    cells = ws._cells
    cell: Any = cells.get((row, column))
    if cell is None:
        if not (0 < row <= _MAX_ROW and column > 0):
            raise ValueError(f"no cell at row {row}, column {column}")
        cell = _new_cell(Cell)  # its private slots are openpyxl's, hence Any
        cell.parent = ws
        cell._style = None
        cell.row = row
        cell.column = column
        cell._value = None
        cell._hyperlink = None
        cell.data_type = "n"
        cell._comment = None
        cells[(row, column)] = cell
        if row > ws._current_row:  # type: ignore[attr-defined]  # noqa: PLR1730 (max() costs a call)
            ws._current_row = row  # type: ignore[attr-defined]
    return cast(Cell, cell)


def merge_new(ws: Worksheet, row: int, first_column: int, last_column: int) -> None:
    """Merge cells of one row that no merged range touches yet (rows the caller just wrote).

    openpyxl's ``merge_cells`` compares a new range with every range merged before it, so a
    sheet with a merge per row (a RACI table of a thousand KPIs) takes seconds; the caller
    here knows the range is new, so it is added as ``merge_cells`` would add it, unchecked.
    """
    span = f"{get_column_letter(first_column)}{row}:{get_column_letter(last_column)}{row}"
    merged = MergedCellRange(ws, span)
    ws.merged_cells.ranges.add(merged)
    ws._clean_merge_range(merged)  # type: ignore[attr-defined]


def put_text(ws: Worksheet, row: int, column: int, value: str) -> Cell:
    """Write ``value`` as a string cell that can never be read as a formula."""
    text, cut = fit_excel_limit(clean_text(value))
    cell = _cell(ws, row, column)
    if not text:
        return cell  # an empty cell, not an empty string
    if cut:
        cut_cells(ws).append((cell.coordinate, utf16_units(clean_text(value))))
    # Stored as openpyxl's value setter would after its checks, which clean_text and the
    # cut above have made (no XML-illegal characters, within Excel's length), and with the
    # string type forced: never a formula or an error code.
    cell._value = text  # type: ignore[attr-defined]
    cell.data_type = "s"
    if text.startswith(_FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell


def put_number(
    ws: Worksheet, row: int, column: int, value: float | None, number_format: str | None = None
) -> Cell:
    """Write a number; missing (None or NaN) stays an empty cell, never 0."""
    cell = _cell(ws, row, column)
    if value is not None and not (isinstance(value, float) and math.isnan(value)):
        _store_number(ws, cell, value, number_format)
    return cell


def _store_number(ws: Worksheet, cell: Cell, value: float, number_format: str | None) -> None:
    cell._value = float(value)  # type: ignore[attr-defined]  # a number: no type to infer
    cell.data_type = "n"
    if number_format:
        _apply_number_format(ws, cell, number_format)


def put_numbers(
    ws: Worksheet, row: int, column: int, values: Iterable[float], number_format: str
) -> None:
    """:func:`put_number` for consecutive cells of a row from ``column`` on (a table's row).

    The same cells, made in one loop: a trends table has a hundred thousand of them.
    """
    for offset, value in enumerate(values):
        cell = _cell(ws, row, column + offset)
        if not isnan(value):
            _store_number(ws, cell, value, number_format)


def copy_style(style: StyleArray) -> StyleArray:
    """A copy of a cell's style (each cell has its own: openpyxl changes styles in place).

    ``StyleArray(style)`` and its ``__copy__`` go through a Python ``__new__``; this is the
    same array made in one C call, for the hundreds of thousands of cells of a report.
    """
    return cast(StyleArray, _new_array(StyleArray, "i", style))


_new_array = array.__new__


def _apply_number_format(ws: Worksheet, cell: Cell, number_format: str) -> None:
    """Set a number format, reusing the style of an earlier cell with the same format.

    Assigning ``number_format`` looks the format up in the workbook's registries every time;
    a report sets it on hundreds of thousands of cells, so the resolved style is cached per
    worksheet and copied (the same thing openpyxl stores, without the lookups).
    """
    cache: dict[str, Any] = ws.__dict__.setdefault("_number_style_cache", {})
    template = cache.get(number_format)
    # ``_style is None`` (a new cell) answers has_style without the property call
    if template is not None and (cell._style is None or not cell.has_style):  # type: ignore[attr-defined]
        cell._style = copy_style(template)  # type: ignore[attr-defined]
        return
    cell.number_format = number_format
    if number_format not in cache and not _has_other_style(cell):
        cache[number_format] = StyleArray(cell._style)  # type: ignore[attr-defined]


def restyle(
    cell: Cell,
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    border: Border | None = None,
    alignment: Alignment | None = None,
) -> Cell:
    """Set a cell's font, fill, border or alignment as openpyxl's attributes set them.

    Each such assignment hashes the style object against the workbook's registry, which
    for a table of thousands of wrapped or filled cells is most of the time spent on it.
    The resulting style is the cell's earlier style with the new ids, so it is resolved
    once per (earlier style, objects) and copied after that. The cache keeps the objects
    alive, so an id it is keyed by cannot be reused by another object.
    """
    wb: Any = cell.parent.parent
    cache: dict[tuple[Any, ...], tuple[tuple[Any, ...], StyleArray]]
    cache = wb.__dict__.setdefault("_restyle_cache", {})
    style = cell._style  # type: ignore[attr-defined]
    objects = (font, fill, border, alignment)
    key = (None if style is None else style.tobytes(), *map(id, objects))
    found = cache.get(key)
    if found is not None:
        cell._style = copy_style(found[1])  # type: ignore[attr-defined]
        return cell
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if border is not None:
        cell.border = border
    if alignment is not None:
        cell.alignment = alignment
    cache[key] = (objects, StyleArray(cell._style))  # type: ignore[attr-defined]
    return cell


def _has_other_style(cell: Cell) -> bool:
    style = cell._style  # type: ignore[attr-defined]
    return bool(style.fontId or style.fillId or style.borderId or style.alignmentId)


def put_formula(
    ws: Worksheet, row: int, column: int, formula: str, number_format: str | None = None
) -> Cell:
    """Write a formula we built ourselves (never from imported text)."""
    assert formula.startswith("="), formula
    cell = _cell(ws, row, column)
    cell.value = formula
    if number_format:
        _apply_number_format(ws, cell, number_format)
    return cell


def sheet_title(name: str, taken: Iterable[str] = ()) -> str:
    """A legal, unique sheet title: no ``[]:*?/\\``, at most 31 characters, not 'History'."""
    title = _ILLEGAL_SHEET_CHARS.sub("_", clean_text(name)).strip("'").strip() or "Sheet"
    if title.casefold() == "history":
        title = "History_"
    title = title[:31]
    used = {t.casefold() for t in taken}
    candidate, n = title, 2
    while candidate.casefold() in used:
        suffix = f" ({n})"
        candidate = title[: 31 - len(suffix)] + suffix
        n += 1
    return candidate


def excel_number_format(kpi_format: str, unit: Unit) -> str:
    """The KPI's Excel number format: its own when it set one, else one its unit implies.

    A percentage KPI (rates and top-box shares are fractions) always gets a percent format,
    so a churn rate of 0.029 prints as 2.9% exactly as the window shows it; a currency gets
    its symbol.
    """
    if unit.is_percent:
        if kpi_format.endswith("%"):
            return kpi_format
        decimals = 1 if unit.decimals is None else unit.decimals
        return "0" + ("." + "0" * decimals if decimals else "") + "%"
    if kpi_format and kpi_format != "0.00":
        if unit.kind is UnitKind.CURRENCY and unit.symbol not in kpi_format:
            return f'"{unit.symbol}"{kpi_format}'
        return kpi_format
    if unit.kind is UnitKind.CURRENCY:
        return f'"{unit.symbol}"#,##0'
    if unit.kind is UnitKind.NUMBER and unit.symbol:  # days, tickets: the unit has a column
        return "#,##0.0"
    return "#,##0.00"
