"""The PDF briefing's dashboard pages: the top movers, then each tier's leading and
lagging indicators side by side, actual against target.

What they show is what the Excel summary shows: both read
:func:`~scorecard_studio.engines.export.summary_data.top_movers` and
:func:`~scorecard_studio.engines.export.summary_data.dashboard`. The tiers' blocks are
laid out on as many pages as they need, never cut between two pages.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from scorecard_studio.domain.units import format_value, unit_of
from scorecard_studio.engines.export.context import ReportContext
from scorecard_studio.engines.export.summary_data import (
    DASHBOARD_KPIS,
    Indicator,
    Mover,
    TierIndicators,
    dashboard,
    top_movers,
)
from scorecard_studio.qt.briefing_paint import Page, Table, draw_text, score_text

#: Points per row: a little tighter than the other pages, so five tiers of four indicators
#: and the movers share one A4 page.
ROW = 12.0

TITLE_HEIGHT = 24.0
SECTION_HEIGHT = 18.0
GAP = 10.0
SIDE_GAP = 14.0
MOVER_WIDTHS = [190.0, 80.0, 80.0, 75.0, 70.0, 55.0, 70.0, 80.0]
MOVER_HEADER = ["KPI", "Previous", "Actual", "Change", "Prev. score", "Score", "Score change"]


def _movers_height(movers: list[Mover] | None) -> float:
    rows = 1 if not movers else 1 + len(movers)
    return SECTION_HEIGHT + rows * ROW + GAP


def _block_height(tier: TierIndicators) -> float:
    return (1 + max(len(tier.leading), len(tier.lagging))) * ROW + 4


def dashboard_pages(ctx: ReportContext, area_height: float) -> list[Page]:
    """The dashboard's pages for a printable area ``area_height`` points tall."""
    movers = top_movers(ctx)
    board = dashboard(ctx)
    notes = int(bool(board.hidden)) + int(not board.any_marked)
    first_room = area_height - TITLE_HEIGHT - _movers_height(movers) - SECTION_HEIGHT - ROW
    chunks: list[list[TierIndicators]] = [[]]
    room = first_room - notes * ROW
    for tier in board.tiers if board.any_marked else []:
        need = _block_height(tier)
        if need > room and chunks[-1]:
            chunks.append([])
            room = area_height - TITLE_HEIGHT - SECTION_HEIGHT - ROW - notes * ROW
        chunks[-1].append(tier)
        room -= need
    pages: list[Page] = []
    for n, chunk in enumerate(chunks):
        last = n == len(chunks) - 1

        def draw(
            p: QPainter,
            area: QRectF,
            chunk: list[TierIndicators] = chunk,
            first: bool = n == 0,
            last: bool = last,
        ) -> None:
            title = f"Dashboard — {ctx.period_label}" + ("" if first else " (continued)")
            draw_text(p, QRectF(area.left(), area.top(), area.width(), 18), title, 13, bold=True)
            y = area.top() + TITLE_HEIGHT
            if first:
                y = _draw_movers(p, ctx, movers, area, y)
            y = _draw_indicators(p, ctx, chunk, area, y)
            if last:
                _draw_notes(p, board.hidden, board.any_marked, area, y)

        pages.append(draw)
    return pages


def _draw_movers(
    p: QPainter, ctx: ReportContext, movers: list[Mover] | None, area: QRectF, y: float
) -> float:
    x = area.left()
    since = ctx.previous_label or "the previous period"
    draw_text(p, QRectF(x, y, area.width(), 16), f"Top movers since {since}", 11, bold=True)
    y += SECTION_HEIGHT
    if movers is None:
        draw_text(p, QRectF(x, y, area.width(), ROW), "The data has no earlier period.")
        return y + ROW + GAP
    if not movers:
        draw_text(p, QRectF(x, y, area.width(), ROW), "No KPI's score changed.")
        return y + ROW + GAP
    table = Table(MOVER_WIDTHS, right={1, 2, 3, 4, 5, 6}, row_height=ROW)
    y = table.header(p, x, y, [*MOVER_HEADER, "Status"])
    for m in movers:
        unit = unit_of(m.kpi)
        cells = [
            m.kpi.name,
            format_value(m.previous, unit),
            format_value(m.actual, unit),
            m.change,
            score_text(m.previous_score),
            score_text(m.score),
            f"{m.score_change:+.2f}".replace("-", "−"),
            m.status,
        ]
        y = table.row(p, x, y, cells, status=7)
    return y + GAP


def _side_table(width: float) -> Table:
    values = 68.0
    return Table([width - 3 * values, values, values, values], right={1, 2}, row_height=ROW)


def _draw_indicators(
    p: QPainter, ctx: ReportContext, tiers: list[TierIndicators], area: QRectF, y: float
) -> float:
    x = area.left()
    draw_text(
        p,
        QRectF(x, y, area.width(), 16),
        "Leading and lagging indicators by tier — actual against target",
        11,
        bold=True,
    )
    y += SECTION_HEIGHT
    half = (area.width() - SIDE_GAP) / 2
    table = _side_table(half)
    table.header(p, x, y, ["Leading indicator", "Actual", "Target", "Status"])
    y = table.header(p, x + half + SIDE_GAP, y, ["Lagging indicator", "Actual", "Target", "Status"])
    for tier in tiers:
        draw_text(p, QRectF(x + 3, y, area.width(), ROW), tier.tier, bold=True)
        y += ROW
        for side, left in ((tier.leading, x), (tier.lagging, x + half + SIDE_GAP)):
            row_y = y
            for shown in side:
                row_y = table.row(p, left, row_y, _indicator_cells(shown), status=3)
        y += max(len(tier.leading), len(tier.lagging)) * ROW + 4
    return y


def _indicator_cells(shown: Indicator) -> list[str]:
    unit = unit_of(shown.kpi)
    return [
        shown.kpi.name,
        format_value(shown.actual, unit),
        format_value(shown.target, unit),
        shown.status,
    ]


def _draw_notes(p: QPainter, hidden: int, any_marked: bool, area: QRectF, y: float) -> None:
    x, width = area.left(), area.width()
    if hidden:
        note = (
            f"The {DASHBOARD_KPIS} indicators of each kind with the largest share of the "
            f"headline; {hidden} more on the KPI pages."
        )
        draw_text(p, QRectF(x, y, width, ROW), note, 7.5)
        y += ROW
    if not any_marked:
        draw_text(
            p, QRectF(x, y, width, ROW), "No KPI is marked as a leading or lagging indicator."
        )
