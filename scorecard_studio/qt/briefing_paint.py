"""The drawing primitives of the PDF briefing: fonts, colours, one-line text, tables.

Shared by the briefing's pages (:mod:`scorecard_studio.qt.report_pdf`) and its dashboard
page (:mod:`scorecard_studio.qt.briefing_dashboard`). Units are points, as on the PDF.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter

from scorecard_studio.domain.model import STATUS_BY_CODE, STATUS_LABELS

BRAND = QColor("#1F3A5F")
RAG = {
    "green": QColor("#C6EFCE"),
    "amber": QColor("#FFEB9C"),
    "red": QColor("#FFC7CE"),
    "no_data": QColor("#EDEDED"),
    "insufficient_data": QColor("#EDEDED"),
}
RAG_INK = {"green": "#006100", "amber": "#7F6000", "red": "#9C0006"}
TIER_COLOURS = ["#4F81BD", "#C0504D", "#9BBB59", "#8064A2", "#4BACC6", "#F79646"]
ROW = 14.0  # points per table row
MARGIN = 36.0

Page = Callable[[QPainter, QRectF], None]


def status_of(code: int) -> str:
    return STATUS_BY_CODE[int(code)].value


def font(size: float, bold: bool = False, italic: bool = False) -> QFont:
    chosen = QFont("DejaVu Sans")
    chosen.setPointSizeF(size)
    chosen.setBold(bold)
    chosen.setItalic(italic)
    return chosen


def draw_text(
    p: QPainter, rect: QRectF, text: str, size: float = 8, *, bold: bool = False, align: int = 0
) -> None:
    p.setFont(font(size, bold))
    flags = align or int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    p.drawText(rect, flags | int(Qt.TextFlag.TextSingleLine), elide(p, text, rect.width()))


def elide(p: QPainter, text: str, width: float) -> str:
    return p.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, int(width))


RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
CENTRE = int(Qt.AlignmentFlag.AlignCenter)


class Table:
    """Rows of cells at fixed column widths (points), drawn from a top-left corner."""

    def __init__(
        self, widths: list[float], right: set[int] | None = None, row_height: float = ROW
    ) -> None:
        self.widths = widths
        self.right = right or set()
        self.row_height = row_height

    def header(self, p: QPainter, x: float, y: float, labels: list[str]) -> float:
        p.fillRect(QRectF(x, y, sum(self.widths), self.row_height), BRAND)
        p.setPen(QColor("white"))
        self._cells(p, x, y, labels, bold=True)
        p.setPen(QColor("black"))
        return y + self.row_height

    def row(self, p: QPainter, x: float, y: float, cells: list[str], status: int = -1) -> float:
        if status >= 0:
            left = x + sum(self.widths[:status])
            key = cells[status]
            rect = QRectF(left, y + 1, self.widths[status], self.row_height - 2)
            p.fillRect(rect, RAG.get(key, RAG["no_data"]))
            cells = [*cells]
            cells[status] = STATUS_LABELS.get(key, key)
        self._cells(p, x, y, cells)
        return y + self.row_height

    def _cells(self, p: QPainter, x: float, y: float, cells: list[str], bold: bool = False) -> None:
        for i, (text, width) in enumerate(zip(cells, self.widths, strict=False)):
            align = RIGHT if i in self.right else 0
            draw_text(p, QRectF(x + 3, y, width - 6, self.row_height), text, bold=bold, align=align)
            x += width


def score_text(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.2f}"
