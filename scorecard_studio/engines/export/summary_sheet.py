"""The Summary sheet: page 1 of the pack, what an executive reads and nothing else.

Headline and its change since the previous period; the perspective × tier matrix; leading
and lagging indicators side by side per tier, actual against target; the top movers; every
red KPI with its accountable person, its latest commentary for the period (and the
exception, if its value is marked exceptional) and its open actions; a cell with nothing
recorded says so. Provenance is one compact line here and in the footer, in full on its own
sheet. The charts follow on pages of their own, so none is cut by a page break.

The grid is fixed: column A for names, eight 12-wide columns after it, 123 width units in
all, which prints within US Letter's (the narrower paper's) landscape width at 85 % even
where LibreOffice has no Calibri and sets the text in a wider font.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from openpyxl.worksheet.worksheet import Worksheet

from scorecard_studio.domain.model import STATUS_BY_CODE
from scorecard_studio.engines.export.actions_sheet import accountable_text, open_actions_text
from scorecard_studio.engines.export.cells import merge_new, put_number, put_text, restyle
from scorecard_studio.engines.export.context import ReportContext
from scorecard_studio.engines.export.layout import (
    TITLE_HEIGHT,
    PrintPlan,
    fit_row_height,
)
from scorecard_studio.engines.export.overview_sheets import (
    header_row,
    letter,
    rag_cell,
    score_cell,
)
from scorecard_studio.engines.export.styles import (
    BOLD,
    PERCENT_FORMAT,
    RAG_LABELS,
    RIGHT,
    SCORE_FORMAT,
    SECTION_FONT,
    SUBHEADER_FILL,
    SUBTITLE_FONT,
    TITLE_FONT,
    TOP,
    WRAP,
    WRAP_INDENTED,
)
from scorecard_studio.engines.export.summary_data import (
    DASHBOARD_KPIS,
    dashboard,
    red_kpis,
    top_movers,
)

NAME_WIDTH = 27
CELL_WIDTH = 12
GRID_COLUMNS = 9  # A and eight more
NONE_RECORDED = "— (none recorded)"
CHANGE_FORMAT = "+0.00;−0.00;0.00"
SUMMARY_SCALE = 85


@dataclass(frozen=True, slots=True)
class SummaryLayout:
    """Where the summary put its matrix (the bar chart reads it) and where it ended."""

    matrix_header_row: int
    last_perspective_row: int
    last_row: int


def _status(code: int) -> str:
    return STATUS_BY_CODE[int(code)].value


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def section(ws: Worksheet, row: int, title: str) -> None:
    """A band across the grid naming the block below it."""
    for col in range(1, GRID_COLUMNS + 1):
        ws.cell(row=row, column=col).fill = SUBHEADER_FILL
    restyle(put_text(ws, row, 1, title), font=SECTION_FONT)
    ws.row_dimensions[row].height = 20


def write_summary(ws: Worksheet, ctx: ReportContext) -> SummaryLayout:
    """Page 1; returns where the matrix is, for the chart pages."""
    restyle(put_text(ws, 1, 1, ctx.card.name), font=TITLE_FONT)
    ws.row_dimensions[1].height = TITLE_HEIGHT
    subtitle = f"Quarterly business review — {ctx.period_label}"
    if ctx.author:
        subtitle += f" · prepared by {ctx.author}"
    restyle(put_text(ws, 2, 1, subtitle), font=SUBTITLE_FONT)
    row = _headline(ws, ctx, 4)
    top, last_perspective, row = _matrix(ws, ctx, row + 1)
    row = _dashboard(ws, ctx, row + 1)
    row = _movers(ws, ctx, row + 1)
    row = _red_kpis(ws, ctx, row + 1)
    row += 1
    put_text(
        ws, row, 1, f"Provenance: {ctx.compact_provenance()}. In full on the Provenance sheet."
    )
    ws.cell(row=row, column=1).font = SUBTITLE_FONT
    ws.column_dimensions["A"].width = NAME_WIDTH
    for col in range(2, GRID_COLUMNS + 1):
        ws.column_dimensions[letter(col)].width = CELL_WIDTH
    return SummaryLayout(top, last_perspective, row)


def summary_plan(last_row: int, chart_breaks: tuple[int, ...]) -> PrintPlan:
    """Summary prints at 85 %: page 1 the summary, then a page per group of charts."""
    return PrintPlan(scale=SUMMARY_SCALE, row_breaks=(last_row, *chart_breaks))


def _headline(ws: Worksheet, ctx: ReportContext, row: int) -> int:
    r = ctx.result
    p, prev = ctx.period_index, ctx.previous_index
    status = _status(r.headline_status[p])
    restyle(put_text(ws, row, 1, "Headline score"), font=BOLD)
    score_cell(ws, row, 2, float(r.rollup.headline[p]), status)
    rag_cell(ws, row, 3, status)
    if prev is not None:
        restyle(put_text(ws, row, 4, f"Change since {ctx.previous_label}"), font=BOLD)
        ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=5)
        change = float(r.rollup.headline[p]) - float(r.rollup.headline[prev])
        restyle(put_number(ws, row, 6, _finite(change), CHANGE_FORMAT), font=BOLD)
        put_text(ws, row, 7, f"was {_status_label(r.headline_status[prev])}")
    restyle(put_text(ws, row + 1, 1, "Reporting period"), font=BOLD)
    put_text(ws, row + 1, 2, ctx.period_label)
    restyle(put_text(ws, row + 2, 1, "Headline coverage"), font=BOLD)
    put_number(ws, row + 2, 2, float(r.rollup.headline_coverage[p]), PERCENT_FORMAT)
    return row + 3


def _status_label(code: int) -> str:
    return RAG_LABELS[STATUS_BY_CODE[int(code)].value]


def _matrix(ws: Worksheet, ctx: ReportContext, row: int) -> tuple[int, int, int]:
    r = ctx.result
    p = ctx.period_index
    tiers = ctx.tiers()
    section(ws, row, "Scores by perspective and tier")
    row += 1
    top = row
    header_row(ws, row, ["Perspective", "Weight", *[name for _, _, name in tiers]])
    fit_row_height(ws, row, [(name, CELL_WIDTH) for _, _, name in tiers])
    for i, persp in enumerate(ctx.card.perspectives):
        row += 1
        restyle(put_text(ws, row, 1, persp.name), font=BOLD)
        put_number(ws, row, 2, persp.weight, "0.##")
        for col, (t, _, _) in enumerate(tiers, start=3):
            score = float(r.rollup.perspective_score[i, t, p])
            score_cell(ws, row, col, score, _status(r.perspective_status[i, t, p]))
    last_perspective = row
    row += 1
    restyle(put_text(ws, row, 1, "Tier score"), font=BOLD)
    for col, (t, _, _) in enumerate(tiers, start=3):
        score_cell(ws, row, col, float(r.rollup.tier_score[t, p]), _status(r.tier_status[t, p]))
    prev = ctx.previous_index
    if prev is not None:
        row += 1
        restyle(put_text(ws, row, 1, f"Change since {ctx.previous_label}"), font=BOLD)
        for col, (t, _, _) in enumerate(tiers, start=3):
            change = float(r.rollup.tier_score[t, p]) - float(r.rollup.tier_score[t, prev])
            put_number(ws, row, col, _finite(change), CHANGE_FORMAT)
    row += 1
    restyle(put_text(ws, row, 1, "Coverage"), font=BOLD)
    for col, (t, _, _) in enumerate(tiers, start=3):
        put_number(ws, row, col, float(r.rollup.tier_coverage[t, p]), PERCENT_FORMAT)
    row += 1
    restyle(put_text(ws, row, 1, "Tier weight in the headline"), font=BOLD)
    weights = r.actuals.tier_weights[:, p]
    total = float(weights.sum())
    for col, (t, _, _) in enumerate(tiers[:-1], start=3):
        put_number(ws, row, col, float(weights[t]) / total if total else None, PERCENT_FORMAT)
    row += 1
    restyle(put_text(ws, row, 1, f"Rows of data in {ctx.period_label}"), font=BOLD)
    rows = r.actuals.period_rows
    for col, (t, _, _) in enumerate(tiers, start=3):
        count = float(rows[t, p]) if rows is not None else float(r.actuals.tier_rows[t])
        put_number(ws, row, col, count, "#,##0")
    return top, last_perspective, row + 1


def _dashboard(ws: Worksheet, ctx: ReportContext, row: int) -> int:
    """Leading indicators left, lagging right, per tier: the customer dashboard."""
    board = dashboard(ctx)
    section(ws, row, "Leading and lagging indicators by tier — actual against target")
    row += 1
    header_row(
        ws, row, ["Leading indicator", "Actual", "Target", "Status", "Lagging indicator", ""]
    )
    header_row(ws, row, ["Actual", "Target", "Status"], start=7)
    ws.merge_cells(start_row=row, start_column=5, end_row=row, end_column=6)
    for tier in board.tiers:
        row += 1
        restyle(put_text(ws, row, 1, tier.tier), font=BOLD)
        for side, name_col, first_value_col, last_name_col in (
            (tier.leading, 1, 2, 1),
            (tier.lagging, 5, 7, 6),
        ):
            for n, shown in enumerate(side, start=1):
                at = row + n
                restyle(put_text(ws, at, name_col, shown.kpi.name), alignment=WRAP)
                if last_name_col != name_col:
                    merge_new(ws, at, name_col, last_name_col)
                fmt = ctx.value_format(shown.kpi)
                put_number(ws, at, first_value_col, shown.actual, fmt)
                put_number(ws, at, first_value_col + 1, shown.target, fmt)
                rag_cell(ws, at, first_value_col + 2, shown.status)
        depth = max(len(tier.leading), len(tier.lagging))
        for n in range(1, depth + 1):
            names = []
            if n <= len(tier.leading):
                names.append((tier.leading[n - 1].kpi.name, NAME_WIDTH))
            if n <= len(tier.lagging):
                names.append((tier.lagging[n - 1].kpi.name, 2 * CELL_WIDTH))
            fit_row_height(ws, row + n, names)
        row += depth
    if board.hidden:
        row += 1
        put_text(
            ws,
            row,
            1,
            f"The {DASHBOARD_KPIS} indicators of each kind with the largest share of the "
            f"headline; {board.hidden} more on the Tier matrix sheet.",
        ).font = SUBTITLE_FONT
    if not board.any_marked:
        row += 1
        put_text(ws, row, 1, "No KPI is marked as a leading or lagging indicator.")
    return row + 1


def _movers(ws: Worksheet, ctx: ReportContext, row: int) -> int:
    """The KPIs whose score moved most since the previous period (all customers)."""
    section(ws, row, f"Top movers since {ctx.previous_label or 'the previous period'}")
    movers = top_movers(ctx)
    if movers is None:
        put_text(ws, row + 1, 1, "The data has no earlier period to compare with.")
        return row + 2
    row += 1
    labels = ["KPI", "Previous", "Actual", "Change", "Previous score", "Score", "Score change"]
    header_row(ws, row, [*labels, "Status"])
    fit_row_height(ws, row, [(text, CELL_WIDTH) for text in labels])
    if not movers:
        put_text(ws, row + 1, 1, "No KPI's score changed.")
        return row + 2
    for mover in movers:
        row += 1
        fmt = ctx.value_format(mover.kpi)
        put_text(ws, row, 1, mover.kpi.name)
        put_number(ws, row, 2, mover.previous, fmt)
        put_number(ws, row, 3, mover.actual, fmt)
        restyle(put_text(ws, row, 4, mover.change), alignment=RIGHT)
        put_number(ws, row, 5, mover.previous_score, SCORE_FORMAT)
        put_number(ws, row, 6, mover.score, SCORE_FORMAT)
        restyle(put_number(ws, row, 7, mover.score_change, CHANGE_FORMAT), font=BOLD)
        rag_cell(ws, row, 8, mover.status)
    return row + 1


def _red_kpis(ws: Worksheet, ctx: ReportContext, row: int) -> int:
    """Every KPI red in any tier, its owner, and what is said and done about it."""
    r = ctx.result
    p = ctx.period_index
    red = red_kpis(ctx)
    section(ws, row, f"Red KPIs ({len(red)})")
    if not red:
        put_text(ws, row + 1, 1, "No KPI is red in any tier.")
        return row + 2
    row += 1
    labels = ["KPI", "Owner", "Actual (all)", "Target (all)", "Red in", "Commentary", "Action"]
    header_row(ws, row, labels)
    fit_row_height(ws, row, [(text, CELL_WIDTH) for text in labels[1:]])
    all_t = len(r.tier_ids) - 1
    view = ctx.governance
    for k, red_in in red:  # no merged cells: a merge checks every earlier one
        row += 1
        kpi = r.kpis[k]
        fmt = ctx.value_format(kpi)
        owner = accountable_text(kpi)
        commentary = commentary_text(ctx, kpi.id) or NONE_RECORDED
        action = open_actions_text(view, kpi.id) or NONE_RECORDED
        restyle(put_text(ws, row, 1, kpi.name), alignment=WRAP)
        restyle(put_text(ws, row, 2, owner), alignment=WRAP)
        restyle(put_number(ws, row, 3, float(r.actuals.value[k, all_t, p]), fmt), alignment=TOP)
        restyle(put_number(ws, row, 4, float(r.targets.target[k, all_t, p]), fmt), alignment=TOP)
        restyle(put_text(ws, row, 5, red_in), alignment=WRAP_INDENTED)
        for col, text in ((6, commentary), (7, action)):
            cell = put_text(ws, row, col, text)
            cell.alignment = WRAP
            if text == NONE_RECORDED:
                cell.font = SUBTITLE_FONT
        fit_row_height(
            ws,
            row,
            [
                (kpi.name, NAME_WIDTH),
                (owner, CELL_WIDTH),
                (red_in, CELL_WIDTH - 1),
                (commentary, CELL_WIDTH),
                (action, CELL_WIDTH),
            ],
        )
    return row + 1


def commentary_text(ctx: ReportContext, kpi: str) -> str:
    """The latest commentary on the KPI for the report's period, and its exception (the
    workbook's summary and the PDF briefing word it the same)."""
    view = ctx.governance
    if view is None:
        return ""
    parts = []
    comment = view.latest_comment(kpi, ctx.period_label)
    if comment is not None:
        text = comment.analysis
        if comment.recommendation:
            text += f" Recommendation: {comment.recommendation}"
        parts.append(f"{text.strip()} ({comment.author})")
    exception = view.exception_for(kpi, None, ctx.period_label)
    if exception is not None:
        parts.append(f"Exceptional: {exception.reason}")
    return " ".join(parts)
