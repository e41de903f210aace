"""The PDF briefing: the QBR pack drawn by the app itself with Qt's PDF writer.

No LibreOffice, no Excel: the summary, the charts and the KPI pages go straight from the
report's context (the same figures, period and provenance as the workbook) to a PDF with
QPdfWriter and QPainter, in points on a landscape A4 or US Letter page. Charts are simple
shapes drawn here: bars per perspective and tier, and a bullet per KPI (actual against
target on the KPI's own axis), so they print sharp at any size. When the report carries
evidence, an evidence page closes it (``briefing_evidence``). Every page ends with the
compact provenance line and "page X of Y".
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

import numpy as np
from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF
from PySide6.QtGui import (
    QColor,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from scorecard_studio.domain.errors import ScorecardError
from scorecard_studio.domain.model import STATUS_LABELS, IndicatorType
from scorecard_studio.domain.units import format_value, unit_of
from scorecard_studio.engines.export.actions_sheet import accountable_text, open_actions_text
from scorecard_studio.engines.export.context import ReportContext
from scorecard_studio.engines.export.report import current_umask
from scorecard_studio.engines.export.summary_data import red_kpis, signed_change
from scorecard_studio.engines.export.summary_sheet import NONE_RECORDED, commentary_text
from scorecard_studio.qt.briefing_dashboard import dashboard_pages
from scorecard_studio.qt.briefing_evidence import evidence_pages
from scorecard_studio.qt.briefing_paint import (
    CENTRE,
    MARGIN,
    RAG,
    RAG_INK,
    RIGHT,
    ROW,
    TIER_COLOURS,
    Page,
    Table,
    draw_text,
    score_text,
    status_of,
)
from scorecard_studio.qt.models.cell_texts import short_value

_PAGE_SIZES = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}


def _summary_page(ctx: ReportContext) -> Page:
    r = ctx.result
    pi, prev = ctx.period_index, ctx.previous_index

    def draw(p: QPainter, area: QRectF) -> None:
        x, y = area.left(), area.top()
        draw_text(p, QRectF(x, y, area.width(), 24), ctx.card.name, 18, bold=True)
        y += 26
        sub = f"Quarterly business review — {ctx.period_label}"
        if ctx.author:
            sub += f" · prepared by {ctx.author}"
        draw_text(p, QRectF(x, y, area.width(), 14), sub, 9)
        y += 24
        status = status_of(r.headline_status[pi])
        head = f"Headline score {float(r.rollup.headline[pi]):.2f} — {STATUS_LABELS[status]}"
        if prev is not None:
            change = float(r.rollup.headline[pi]) - float(r.rollup.headline[prev])
            if not math.isnan(change):
                head += f" ({change:+.2f} since {ctx.previous_label})"
        p.fillRect(QRectF(x, y, 8, 18), RAG[status])
        draw_text(p, QRectF(x + 14, y, area.width(), 18), head, 13, bold=True)
        y += 30
        tiers = ctx.tiers()
        table = Table([170.0] + [70.0] * len(tiers), right=set(range(1, len(tiers) + 1)))
        y = table.header(p, x, y, ["Perspective", *[name for _, _, name in tiers]])
        for i, persp in enumerate(ctx.card.perspectives):
            cells = [persp.name]
            for t, _, _ in tiers:
                cells.append(score_text(float(r.rollup.perspective_score[i, t, pi])))
            y = table.row(p, x, y, cells)
        cells = [
            "Tier score",
            *[score_text(float(r.rollup.tier_score[t, pi])) for t, _, _ in tiers],
        ]
        y = table.row(p, x, y, cells) + 12
        all_t = len(r.tier_ids) - 1
        red = red_kpis(ctx)
        draw_text(p, QRectF(x, y, area.width(), 16), f"Red KPIs ({len(red)})", 11, bold=True)
        y += 18
        red_table = Table([160, 110, 70, 70, 90, 140, 110], right={2, 3})
        labels = ["KPI", "Owner", "Actual (all)", "Target (all)", "Red in", "Commentary", "Action"]
        y = red_table.header(p, x, y, labels)
        room = int((area.bottom() - y) // ROW) - 1
        for k, red_in in red[: max(room, 0)]:
            kpi = r.kpis[k]
            unit = unit_of(kpi)
            y = red_table.row(
                p,
                x,
                y,
                [
                    kpi.name,
                    accountable_text(kpi),
                    format_value(float(r.actuals.value[k, all_t, pi]), unit),
                    format_value(float(r.targets.target[k, all_t, pi]), unit),
                    red_in,
                    commentary_text(ctx, kpi.id) or NONE_RECORDED,
                    open_actions_text(ctx.governance, kpi.id) or NONE_RECORDED,
                ],
            )
        if len(red) > room > 0:
            draw_text(p, QRectF(x, y, area.width(), ROW), f"… {len(red) - room} more in KPI pages")

    return draw


def _bar_chart_page(ctx: ReportContext) -> Page:
    """Perspective scores by tier as grouped bars, then a bullet per KPI (all customers)."""
    r = ctx.result
    pi = ctx.period_index

    def draw(p: QPainter, area: QRectF) -> None:
        x, y = area.left(), area.top()
        draw_text(
            p,
            QRectF(x, y, area.width(), 18),
            f"Perspective scores by tier — {ctx.period_label}",
            13,
            bold=True,
        )
        y += 24
        chart = QRectF(x + 30, y, area.width() * 0.55, area.height() * 0.42)
        tiers = ctx.tiers()[:-1]
        top = max(1.0, ctx.card.settings.cap)
        p.setPen(QPen(QColor("#999999"), 0.5))
        for tick in np.linspace(0, top, 5):
            ty = chart.bottom() - chart.height() * tick / top
            p.drawLine(QPointF(chart.left(), ty), QPointF(chart.right(), ty))
            draw_text(p, QRectF(x, ty - 6, 26, 12), f"{tick:.2f}", 7, align=RIGHT)
        groups = max(len(ctx.card.perspectives), 1)
        group_w = chart.width() / groups
        bar_w = group_w * 0.8 / max(len(tiers), 1)
        for i, persp in enumerate(ctx.card.perspectives):
            gx = chart.left() + i * group_w + group_w * 0.1
            for j, (t, _, _) in enumerate(tiers):
                score = float(r.rollup.perspective_score[i, t, pi])
                if math.isnan(score):
                    continue
                h = chart.height() * min(score, top) / top
                colour = QColor(TIER_COLOURS[j % len(TIER_COLOURS)])
                p.fillRect(QRectF(gx + j * bar_w, chart.bottom() - h, bar_w * 0.9, h), colour)
            p.setPen(QColor("black"))
            draw_text(
                p, QRectF(gx, chart.bottom() + 2, group_w * 0.8, 12), persp.name, 7, align=CENTRE
            )
        lx = chart.right() + 16
        for j, (_, _, name) in enumerate(tiers):
            p.fillRect(
                QRectF(lx, y + j * 14 + 3, 8, 8), QColor(TIER_COLOURS[j % len(TIER_COLOURS)])
            )
            draw_text(p, QRectF(lx + 12, y + j * 14, 120, 14), name, 8)
        y = chart.bottom() + 24
        _bullets(p, ctx, QRectF(x, y, area.width(), area.bottom() - y))

    return draw


def _bullets(p: QPainter, ctx: ReportContext, area: QRectF) -> None:
    """Actual (bar) against target (tick) for each KPI, all customers, as far as room goes."""
    r = ctx.result
    pi = ctx.period_index
    all_t = len(r.tier_ids) - 1
    draw_text(
        p,
        QRectF(area.left(), area.top(), area.width(), 16),
        "Actual against target (all customers)",
        11,
        bold=True,
    )
    y = area.top() + 20
    half = area.width() / 2
    per_column = int((area.bottom() - y) // 16)
    order = [int(k) for k in np.argsort(-r.effective_share, kind="stable")][: 2 * per_column]
    for n, k in enumerate(order):
        col, line = divmod(n, per_column)
        bx, by = area.left() + col * half, y + line * 16
        kpi = r.kpis[k]
        actual, target = float(r.actuals.value[k, all_t, pi]), float(r.targets.target[k, all_t, pi])
        status = status_of(r.status[k, all_t, pi])
        draw_text(p, QRectF(bx, by, 150, 14), kpi.name, 7)
        track = QRectF(bx + 155, by + 3, half - 240, 8)
        p.fillRect(track, QColor("#EEEEEE"))
        scale = (
            max(
                abs(actual) if not math.isnan(actual) else 0,
                abs(target) if not math.isnan(target) else 0,
            )
            * 1.2
            or 1
        )
        if not math.isnan(actual):
            p.fillRect(
                QRectF(track.left(), track.top(), track.width() * max(actual, 0) / scale, 8),
                QColor(RAG_INK.get(status, "#888888")),
            )
        if not math.isnan(target):
            tx = track.left() + track.width() * max(target, 0) / scale
            p.setPen(QPen(QColor("black"), 1.5))
            p.drawLine(QPointF(tx, track.top() - 2), QPointF(tx, track.bottom() + 2))
            p.setPen(QColor("black"))
        unit = unit_of(kpi)
        # Short forms ($64.5M / $66M): the exact values are on the KPI pages, and an
        # exact revenue pair would not fit beside the bar.
        label = f"{short_value(actual, unit)} / {short_value(target, unit)}"
        draw_text(p, QRectF(track.right() + 4, by, 80, 14), label, 7)


def _kpi_pages(ctx: ReportContext, rows_per_page: int) -> list[Page]:
    """Every KPI and tier: actual, target, status, previous, change, owner; leading first."""
    r = ctx.result
    pi, prev = ctx.period_index, ctx.previous_index
    lines: list[tuple[list[str], int]] = []
    for indicator in (IndicatorType.LEADING, IndicatorType.LAGGING):
        for k, kpi in enumerate(r.kpis):
            if kpi.indicator is not indicator:
                continue
            unit = unit_of(kpi)
            for t, _, tier_name in ctx.tiers():
                actual = float(r.actuals.value[k, t, pi])
                before = float(r.actuals.value[k, t, prev]) if prev is not None else math.nan
                lines.append(
                    (
                        [
                            kpi.name,
                            tier_name,
                            indicator.value,
                            format_value(actual, unit),
                            format_value(float(r.targets.target[k, t, pi]), unit),
                            status_of(r.status[k, t, pi]),
                            score_text(float(r.score[k, t, pi])),
                            format_value(before, unit),
                            signed_change(actual - before, kpi),
                            kpi.owner,
                        ],
                        5,
                    )
                )
    table = Table([170, 90, 55, 70, 70, 70, 45, 70, 70, 100], right={3, 4, 6, 7, 8})
    header = ["KPI", "Tier", "Indicator", "Actual", "Target", "Status", "Score", "Previous"]
    header += ["Change", "Owner"]
    pages: list[Page] = []
    for start in range(0, len(lines), rows_per_page):
        chunk = lines[start : start + rows_per_page]

        def draw(p: QPainter, area: QRectF, chunk: list[tuple[list[str], int]] = chunk) -> None:
            title = f"KPIs — {ctx.period_label}"
            draw_text(p, QRectF(area.left(), area.top(), area.width(), 18), title, 13, bold=True)
            y = table.header(p, area.left(), area.top() + 24, header)
            for cells, status in chunk:
                y = table.row(p, area.left(), y, cells, status)

        pages.append(draw)
    return pages


def write_briefing_pdf(ctx: ReportContext, path: str | os.PathLike[str]) -> int:
    """Write the PDF briefing to ``path`` (atomically, mode per umask); returns its pages."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".pdf", dir=target.parent)
    os.close(fd)
    try:
        pages = _draw(ctx, tmp)
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return pages


class BriefingPages:
    """The briefing's pages laid out on its paper, ready to paint on any device.

    The PDF writer and the window's report preview paint the same pages, so what the
    preview shows is what the PDF will hold. Painter units are points: a device that is
    not a 72 dpi PDF page scales the painter (see :func:`render_page`).
    """

    def __init__(self, ctx: ReportContext) -> None:
        self.layout = QPageLayout(
            QPageSize(_PAGE_SIZES[ctx.paper]),
            QPageLayout.Orientation.Landscape,
            QMarginsF(MARGIN, MARGIN, MARGIN, MARGIN),
            QPageLayout.Unit.Point,
        )
        self._rect = self.layout.paintRect(QPageLayout.Unit.Point)
        self._area = QRectF(0, 0, self._rect.width(), self._rect.height() - 18)
        rows = int((self._area.height() - 24 - ROW) // ROW)
        self._pages = [
            _summary_page(ctx),
            *dashboard_pages(ctx, self._area.height()),
            _bar_chart_page(ctx),
            *_kpi_pages(ctx, rows),
            *evidence_pages(ctx),
        ]
        self._footer = ctx.compact_provenance()
        #: The document's title, as PDF readers show it.
        self.title = f"{ctx.card.name} — QBR {ctx.period_label}"

    def __len__(self) -> int:
        return len(self._pages)

    def page_size(self) -> QSizeF:
        """The whole page, margins included, in points."""
        return self.layout.fullRect(QPageLayout.Unit.Point).size()

    def paint(self, painter: QPainter, index: int) -> None:
        """Draw page ``index`` (from 0) with its footer, origin at the printable area."""
        rect = self._rect
        painter.setPen(QColor("black"))
        self._pages[index](painter, self._area)
        bottom = QRectF(0, rect.height() - 14, rect.width(), 12)
        draw_text(painter, bottom, self._footer, 6.5)
        draw_text(painter, bottom, f"page {index + 1} of {len(self._pages)}", 7, align=RIGHT)


#: Dots per metre of a 72 dpi device: a point font is then one painter unit, as on the PDF.
_POINTS_PER_METRE = round(72 / 0.0254)


def render_page(pages: BriefingPages, index: int, width: int) -> QImage:
    """Page ``index`` as a white image ``width`` pixels wide, margins included."""
    size = pages.page_size()
    scale = width / size.width()
    image = QImage(width, max(1, round(size.height() * scale)), QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(_POINTS_PER_METRE)
    image.setDotsPerMeterY(_POINTS_PER_METRE)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.scale(scale, scale)
        painter.translate(MARGIN, MARGIN)
        pages.paint(painter, index)
    finally:
        painter.end()
    return image


def _draw(ctx: ReportContext, file: str) -> int:
    pages = BriefingPages(ctx)
    writer = QPdfWriter(file)
    writer.setResolution(72)  # painter units are points
    writer.setTitle(pages.title)
    writer.setCreator(ctx.author or "Scorecard Studio")
    writer.setPageLayout(pages.layout)
    painter = QPainter()
    if not painter.begin(writer):
        raise ScorecardError(f"{file}: cannot write a PDF there")
    try:
        for n in range(len(pages)):
            if n > 0:
                writer.newPage()
            pages.paint(painter, n)
    finally:
        painter.end()
    return len(pages)
