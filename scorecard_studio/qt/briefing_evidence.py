"""The PDF briefing's evidence page: the strategy map's links and the top at-risk accounts.

One compact page after the KPI pages, when the report carries evidence
(``ReportContext.evidence``): each link with its verdict, best lag, Spearman r, 95 %
interval and n, then the accounts with the largest value at risk and why they are flagged.
It prints the rows of :mod:`scorecard_studio.engines.export.evidence_rows`, the very rows
the Excel Evidence sheet writes, so the two never disagree and nothing is computed here.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter

from scorecard_studio.engines.analytics import Verdict
from scorecard_studio.engines.export.context import ReportContext
from scorecard_studio.engines.export.evidence_rows import (
    LinkRow,
    at_risk_rows,
    evidence_period,
    link_rows,
)
from scorecard_studio.qt.briefing_paint import RAG, ROW, Page, Table, draw_text

#: The verdict cell's fill: supported green, not supported red, too little data grey.
VERDICT_FILL = {
    Verdict.SUPPORTED: RAG["green"],
    Verdict.NOT_SUPPORTED: RAG["red"],
    Verdict.INSUFFICIENT: RAG["no_data"],
}
#: At least this many account rows stay for the at-risk table however many links there are.
MIN_ACCOUNT_ROWS = 5


def _number(value: float | None, digits: int = 2) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    return f"{value:,.{digits}f}"


def _link_cells(row: LinkRow) -> list[str]:
    interval = "—" if row.low is None else f"{_number(row.low)} … {_number(row.high)}"
    return [
        row.text,
        row.verdict_label,
        "—" if row.best_lag is None else str(row.best_lag),
        _number(row.r),
        interval,
        "—" if row.n is None else f"{row.n:,}",
    ]


def evidence_pages(ctx: ReportContext) -> list[Page]:
    """The evidence page, or none when the report has no evidence (or no accounts)."""
    evidence = ctx.evidence
    if evidence is None or not evidence.panel.n_customers:
        return []
    try:
        period = evidence_period(evidence, ctx.period_label)
    except ValueError:  # no account has a health score: nothing per account to show
        return []
    links = link_rows(evidence)
    accounts = at_risk_rows(evidence, period)
    label = evidence.period_labels[period]
    currency = ctx.card.settings.currency

    def draw(p: QPainter, area: QRectF) -> None:
        x, y, width = area.left(), area.top(), area.width()
        draw_text(p, QRectF(x, y, width, 18), f"Evidence — {label}", 13, bold=True)
        y += 24
        title = "Strategy-map links: Spearman r of cause at t with effect at t + lag"
        draw_text(p, QRectF(x, y, width, 16), title, 11, bold=True)
        y += 18
        table = Table([330, 90, 55, 60, 120, 60], right={2, 3, 4, 5})
        y = table.header(p, x, y, ["Link", "Verdict", "Best lag", "r", "95% CI", "n"])
        # The links first, but leave room for the at-risk heading and a few accounts.
        reserved = 3 * ROW + 40 + MIN_ACCOUNT_ROWS * ROW
        room = max(1, int((area.bottom() - reserved - y) // ROW))
        shown = links if len(links) <= room else links[: room - 1]
        for row in shown:
            verdict = QRectF(x + table.widths[0], y + 1, table.widths[1], ROW - 2)
            p.fillRect(verdict, VERDICT_FILL[row.verdict])
            y = table.row(p, x, y, _link_cells(row))
        if not links:
            y = table.row(p, x, y, ["No links on the strategy map."])
        elif len(shown) < len(links):
            more = f"… {len(links) - len(shown)} more links in the Excel report's Evidence sheet"
            draw_text(p, QRectF(x, y, width, ROW), more, 7)
            y += ROW
        y += 14
        heading = f"At-risk accounts ({len(accounts):,}), largest value at risk first"
        draw_text(p, QRectF(x, y, width, 16), heading, 11, bold=True)
        y += 18
        if evidence.catch is not None:
            catch = evidence.catch
            note = (
                f"Over all periods, {catch.caught} of {catch.churned} accounts that churned "
                "were flagged before they did."
            )
            draw_text(p, QRectF(x, y, width, ROW), note, 8)
            y += ROW + 2
        risk = Table([80, 70, 45, 95, 100, width - 390], right={2, 4})
        header = ["Account", "Tier", "Health", "Band", f"Value at risk ({currency})", "Reasons"]
        y = risk.header(p, x, y, header)
        room = max(0, int((area.bottom() - y) // ROW) - 1)
        for a in accounts[:room]:
            value = _number(a.value_at_risk, 0)
            cells = [a.account, a.tier, _number(a.health), a.band, value]
            y = risk.row(p, x, y, [*cells, a.reasons])
        if not accounts:
            risk.row(p, x, y, ["No account is flagged in this period."])
        elif len(accounts) > room:
            more = f"… {len(accounts) - room:,} more in the Excel report's Evidence sheet"
            draw_text(p, QRectF(x, y, width, ROW), more, 7)
        p.setPen(QColor("black"))

    return [draw]
