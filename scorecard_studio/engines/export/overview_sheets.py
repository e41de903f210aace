"""The Tier matrix sheet, and the cell helpers every sheet shares (headers, RAG cells)."""

from __future__ import annotations

import math
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scorecard_studio.domain.model import STATUS_BY_CODE, IndicatorType
from scorecard_studio.engines.export.cells import copy_style, put_number, put_text, restyle
from scorecard_studio.engines.export.context import ReportContext
from scorecard_studio.engines.export.layout import (
    TITLE_HEIGHT,
    ColumnWidths,
    PrintPlan,
    fit_wrapped_rows,
    group_breaks,
    max_number_width,
)
from scorecard_studio.engines.export.styles import (
    BOLD,
    BOX,
    CENTER,
    HEADER_ALIGN,
    HEADER_FILL,
    HEADER_FONT,
    RAG_FILLS,
    RAG_FONTS,
    RAG_LABELS,
    SCORE_FORMAT,
    SUBHEADER_FILL,
    SUBTITLE_FONT,
    TITLE_FONT,
    WRAP,
)

#: The tier matrix's header rows (tier names, then actual/target/status), repeated in print.
MATRIX_HEADER_ROWS = (4, 5)


def letter(col: int) -> str:
    return get_column_letter(col)


def header_row(ws: Worksheet, row: int, labels: list[str], start: int = 1) -> None:
    """Column titles: white on the brand colour, wrapped (row heights are set to fit)."""
    for i, label in enumerate(labels):
        cell = put_text(ws, row, start + i, label)
        restyle(cell, fill=HEADER_FILL, font=HEADER_FONT, alignment=HEADER_ALIGN, border=BOX)


def _rag_style(ws: Worksheet, cell: Cell, key: tuple[str, str]) -> None:
    """Fill, font, alignment and border of a status, copied from the first cell styled so.

    Setting the four one by one hashes each style object against the workbook's registry;
    a 1,000-KPI report has ten thousand status cells, so the resolved style is reused.
    """
    cache: dict[tuple[str, str], Any] = ws.__dict__.setdefault("_rag_style_cache", {})
    template = cache.get(key)
    if template is not None:
        cell._style = copy_style(template)  # type: ignore[attr-defined]
        return
    status = key[1]
    cell.fill = RAG_FILLS[status]
    cell.font = RAG_FONTS[status]
    cell.alignment = CENTER
    cell.border = BOX
    cache[key] = StyleArray(cell._style)  # type: ignore[attr-defined]


def rag_cell(ws: Worksheet, row: int, column: int, status: str, suffix: str = "") -> None:
    cell = put_text(ws, row, column, RAG_LABELS[status] + suffix)
    _rag_style(ws, cell, ("label", status))


def score_cell(ws: Worksheet, row: int, column: int, score: float, status: str) -> None:
    cell = put_number(ws, row, column, score, SCORE_FORMAT)
    _rag_style(ws, cell, ("score", status))


def title(ws: Worksheet, text: str, subtitle: str = "") -> None:
    """Row 1 a 16 pt title in a row tall enough for it; row 2 an optional subtitle."""
    restyle(put_text(ws, 1, 1, text), font=TITLE_FONT)
    ws.row_dimensions[1].height = TITLE_HEIGHT
    if subtitle:
        restyle(put_text(ws, 2, 1, subtitle), font=SUBTITLE_FONT)


def _status(code: int) -> str:
    return STATUS_BY_CODE[int(code)].value


def write_tier_matrix(ws: Worksheet, ctx: ReportContext) -> PrintPlan:
    """KPIs down, tiers across, actual beside target with RAG colour; leading then lagging.

    The header (tier names over actual, target, status) is the same for both blocks, so it
    can repeat on every printed page; the block titles are rows of the table itself.
    """
    r = ctx.result
    p = ctx.period_index
    tiers = ctx.tiers()
    title(
        ws,
        f"Tier matrix — {ctx.period_label}",
        "Actual beside target per tier; * marks a low survey sample.",
    )
    names_row, labels_row = MATRIX_HEADER_ROWS
    header_row(ws, names_row, ["KPI", "Unit"])
    header_row(ws, labels_row, ["", ""])
    ws.merge_cells(start_row=names_row, start_column=1, end_row=labels_row, end_column=1)
    ws.merge_cells(start_row=names_row, start_column=2, end_row=labels_row, end_column=2)
    for i, (_, _, name) in enumerate(tiers):
        col = 3 + 3 * i
        header_row(ws, names_row, [name, "", ""], start=col)
        ws.merge_cells(start_row=names_row, start_column=col, end_row=names_row, end_column=col + 2)
        header_row(ws, labels_row, ["Actual", "Target", "Status"], start=col)
    widths = ColumnWidths()
    widths.note_texts(1, ["KPI"])
    widths.note_texts(2, ["Unit"])
    row = labels_row
    last_col = 2 + 3 * len(tiers)
    for indicator, block_title in (
        (IndicatorType.LEADING, "Leading indicators"),
        (IndicatorType.LAGGING, "Lagging indicators"),
    ):
        block = [k for k, kpi in enumerate(r.kpis) if kpi.indicator is indicator]
        row += 1
        for col in range(1, last_col + 1):
            ws.cell(row=row, column=col).fill = SUBHEADER_FILL
        restyle(put_text(ws, row, 1, f"{block_title} ({len(block)})"), font=BOLD)
        for k in block:
            kpi = r.kpis[k]
            row += 1
            restyle(put_text(ws, row, 1, kpi.name), alignment=WRAP)
            put_text(ws, row, 2, kpi.unit)
            widths.note_texts(1, [kpi.name])
            widths.note_texts(2, [kpi.unit])
            fmt = ctx.value_format(kpi)
            for i, (t, _, _) in enumerate(tiers):
                col = 3 + 3 * i
                put_number(ws, row, col, float(r.actuals.value[k, t, p]), fmt)
                put_number(ws, row, col + 1, float(r.targets.target[k, t, p]), fmt)
                status = _status(r.status[k, t, p])
                rag_cell(ws, row, col + 2, status, " *" if r.low_sample[k, t, p] else "")
                widths.note(col, max_number_width(r.actuals.value[k, t, p : p + 1], fmt))
                widths.note(col + 1, max_number_width(r.targets.target[k, t, p : p + 1], fmt))
                widths.note(col + 2, len(RAG_LABELS[status]) + 2)
        row += 1
    for i in range(len(tiers)):
        for offset in range(3):
            widths.note(3 + 3 * i + offset, 7)
    widths.apply(ws, maximum=40)
    fit_wrapped_rows(ws, labels_row + 1, row, [1])
    ws.freeze_panes = f"C{labels_row + 1}"
    # Page by page whole tiers: on Letter four tiers' columns do not fit beside the names.
    breaks = group_breaks(ws, ctx.paper, 80, 2, [3 + 3 * i for i in range(len(tiers))])
    return PrintPlan(
        scale=80, title_rows=MATRIX_HEADER_ROWS, title_columns=(1, 2), column_breaks=breaks
    )


def finite(value: float) -> float | None:
    return None if math.isnan(value) else value
