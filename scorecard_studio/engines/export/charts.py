"""The chart pages after the summary: perspective scores by tier, then KPI trends.

Charts float over rows, and a page break cuts through a chart that straddles it; so the
charts get pages of their own, laid out in rows of known height with a manual break after
each page. The sizes keep two trend charts side by side within US Letter's landscape width
at the Summary's 90 % scale, and a page's charts within its height.
"""

from __future__ import annotations

import numpy as np
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.worksheet.worksheet import Worksheet

from scorecard_studio.engines.export.context import ReportContext
from scorecard_studio.engines.export.layout import LINE_HEIGHT
from scorecard_studio.engines.export.summary_sheet import SummaryLayout, section

#: Trend charts are drawn for the KPIs with the largest share of the headline.
MAX_TREND_CHARTS = 8
_CM_PER_ROW = LINE_HEIGHT / 72 * 2.54  # a 15 pt row
BAR_ROWS = 17  # rows the bar chart's slot takes (8 cm chart)
TREND_ROWS = 15  # rows a pair of trend charts takes (7 cm charts)
PAGE_ROWS = 34  # rows one page holds at 90 % on A4 or Letter, with room to spare


def add_chart_pages(
    ws: Worksheet,
    ctx: ReportContext,
    layout: SummaryLayout,
    trends: Worksheet | None,
    trend_rows: dict[int, int],
) -> tuple[int, ...]:
    """Charts below the summary, each page ending in a break; returns the break rows."""
    if not ctx.card.perspectives:
        return ()
    breaks: list[int] = []
    row = layout.last_row + 1
    page_start = row
    section(ws, row, f"Charts — {ctx.period_label}")
    row += 1
    _bar_chart(ws, ctx, layout, row)
    row += BAR_ROWS
    if trends is not None and trend_rows:
        order = np.argsort(-ctx.result.effective_share, kind="stable")[:MAX_TREND_CHARTS]
        for pair_start in range(0, len(order), 2):
            if row + TREND_ROWS - page_start > PAGE_ROWS:
                breaks.append(row - 1)
                page_start = row
            for side, k in enumerate(order[pair_start : pair_start + 2]):
                chart = _trend_chart(ctx, trends, trend_rows[int(k)], int(k))
                ws.add_chart(chart, f"{'A' if side == 0 else 'E'}{row}")
            row += TREND_ROWS
    for r in range(layout.last_row + 2, row + 1):
        ws.row_dimensions[r].height = LINE_HEIGHT
    return tuple(breaks)


def _bar_chart(ws: Worksheet, ctx: ReportContext, layout: SummaryLayout, row: int) -> None:
    tiers = ctx.tiers()
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = f"Perspective scores by tier — {ctx.period_label}"
    chart.y_axis.title = "Score"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = max(1.0, ctx.card.settings.cap)
    top, bottom = layout.matrix_header_row, layout.last_perspective_row
    data = Reference(ws, min_col=3, max_col=2 + len(tiers) - 1, min_row=top, max_row=bottom)
    cats = Reference(ws, min_col=1, min_row=top + 1, max_row=bottom)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.height, chart.width = (BAR_ROWS - 1) * _CM_PER_ROW, 22
    ws.add_chart(chart, f"A{row}")


def _trend_chart(ctx: ReportContext, trends: Worksheet, first: int, k: int) -> LineChart:
    """Actuals of every tier by period, with the all-customers target."""
    n_periods = ctx.period_index - ctx.trend_start + 1
    kpi = ctx.result.kpis[k]
    chart = LineChart()
    chart.title = kpi.name
    chart.y_axis.title = kpi.unit or "Actual"
    chart.height, chart.width = (TREND_ROWS - 1) * _CM_PER_ROW, 12.5  # type: ignore[assignment]
    tiers = ctx.tiers()
    for i in range(len(tiers)):
        ref = Reference(trends, min_col=3, max_col=3 + n_periods, min_row=first + 2 * i)
        chart.add_data(ref, titles_from_data=True, from_rows=True)
    target_row = first + 2 * (len(tiers) - 1) + 1
    ref = Reference(trends, min_col=3, max_col=3 + n_periods, min_row=target_row)
    chart.add_data(ref, titles_from_data=True, from_rows=True)
    for i, series in enumerate(chart.series):
        name = tiers[i][2] if i < len(tiers) else "Target (all customers)"
        series.tx = SeriesLabel(v=name)
        series.smooth = False  # a smoothed line invents values between the periods
    chart.set_categories(Reference(trends, min_col=4, max_col=3 + n_periods, min_row=3))
    # The period axis crosses the value axis at zero: a KPI that goes negative (an NPS of
    # -11) drew its period names over its lines. Its labels sit below the plot instead,
    # and the value axis scales to the data, negatives included.
    chart.x_axis.tickLblPos = "low"
    chart.y_axis.scaling.min = None
    return chart
