"""What the strategy map draws: a band per perspective, boxes for objectives and KPIs, arrows.

The layout is computed from the design alone, so the map needs no positions saved in the
design file: perspectives are bands top to bottom in design order (Financial first, as on
a Kaplan–Norton map), an objective is a framed box around its KPIs, and a perspective's own
KPIs follow its objectives. Arrows are the design's links, cause to effect, coloured and
dashed by their evidence once it is computed (colour is never the only cue).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from scorecard_studio.domain.analytics import LinkSign, StrategyLink
from scorecard_studio.domain.model import IndicatorType, Scorecard

if TYPE_CHECKING:
    from scorecard_studio.engines.analytics.links import LinkEvidence

BOX_W, BOX_H = 118.0, 52.0  # room for a KPI name on two lines above "leading"
GAP, PAD = 14.0, 10.0
TITLE_H = 20.0
LABEL_W = 92.0
ARROW = 9.0

#: Verdict colours (colour-blind safe, as the charts' status colours) and line styles.
SUPPORTED, NOT_SUPPORTED, INSUFFICIENT = "#009e73", "#d55e00", "#8a8a8a"
_STYLE = {
    "supported": (SUPPORTED, Qt.PenStyle.SolidLine),
    "not_supported": (NOT_SUPPORTED, Qt.PenStyle.DashLine),
    "insufficient_data": (INSUFFICIENT, Qt.PenStyle.DotLine),
}
_LEADING, _LAGGING = "#0072b2", "#cc79a7"


@dataclass(frozen=True, slots=True)
class Node:
    """A box of the map: a KPI or an objective, where it sits, and its objective if any."""

    id: str
    kind: str  # "kpi" | "objective"
    name: str
    rect: QRectF
    indicator: IndicatorType | None = None
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class Band:
    perspective: str
    name: str
    rect: QRectF


def layout(
    card: Scorecard, title_width: Callable[[str], float] | None = None
) -> tuple[list[Band], list[Node]]:
    """Bands and boxes of the design, in scene coordinates (pure geometry).

    ``title_width`` measures an objective's title as drawn; the frame is made wide enough
    for it (a one-KPI objective such as "Collect cash on time" would cut it otherwise).
    """
    bands: list[Band] = []
    nodes: list[Node] = []
    band_h = TITLE_H + BOX_H + 4 * PAD
    kpi_y_in_band = 2 * PAD + TITLE_H
    right = LABEL_W + PAD + BOX_W
    for i, p in enumerate(card.perspectives):
        top = i * band_h
        x = LABEL_W + PAD
        for o in p.objectives:
            n = max(len(o.kpis), 1)
            width = n * BOX_W + (n - 1) * GAP + 2 * PAD
            if title_width is not None:
                width = max(width, math.ceil(title_width(o.name)) + 2 * PAD + 4)
            frame = QRectF(x, top + PAD, width, band_h - 2 * PAD)
            nodes.append(Node(o.id, "objective", o.name, frame))
            for j, k in enumerate(o.kpis):
                box = QRectF(x + PAD + j * (BOX_W + GAP), top + kpi_y_in_band, BOX_W, BOX_H)
                nodes.append(Node(k.id, "kpi", k.name, box, k.indicator, o.id))
            x += width + GAP
        for k in p.kpis:
            box = QRectF(x, top + kpi_y_in_band, BOX_W, BOX_H)
            nodes.append(Node(k.id, "kpi", k.name, box, k.indicator, None))
            x += BOX_W + GAP
        right = max(right, x - GAP)
        bands.append(Band(p.id, p.name, QRectF(0, top, 0, band_h)))
    width = right + PAD
    return [
        Band(b.perspective, b.name, QRectF(0, b.rect.y(), width, b.rect.height())) for b in bands
    ], nodes


def _palette() -> QPalette:
    return QApplication.palette()


class BandItem(QGraphicsRectItem):
    """A perspective's band: alternate shading and its name on the left."""

    def __init__(self, band: Band, shaded: bool) -> None:
        super().__init__(band.rect)
        self.band = band
        pal = _palette()
        base = pal.color(QPalette.ColorRole.AlternateBase if shaded else QPalette.ColorRole.Base)
        self.setBrush(QBrush(base))
        self.setPen(QPen(pal.color(QPalette.ColorRole.Mid), 0.5))
        self.setZValue(-10)
        self.setToolTip(f"Perspective: {band.name}")

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        super().paint(painter, option, widget)
        r = self.rect()
        font = QFont(painter.font())
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(_palette().color(QPalette.ColorRole.WindowText))
        text = QRectF(r.x() + PAD, r.y() + PAD, LABEL_W - PAD, r.height() - 2 * PAD)
        painter.drawText(
            text, Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap, self.band.name
        )


class NodeItem(QGraphicsRectItem):
    """A KPI box or an objective frame; the end of a link, and the start of a new one."""

    def __init__(self, node: Node) -> None:
        super().__init__(node.rect)
        self.node = node
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(1 if node.kind == "objective" else 2)
        role = node.indicator.value if node.indicator is not None else "objective"
        self.setToolTip(
            f"{node.name} ({role})\nDrag to another box to link them, or select it and press "
            "Ctrl+L."
        )
        self.highlighted = False

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        pal = _palette()
        r = self.rect()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = self.isSelected() or self.highlighted
        edge = (
            pal.color(QPalette.ColorRole.Highlight)
            if selected
            else pal.color(QPalette.ColorRole.Mid)
        )
        painter.setPen(QPen(edge, 2.0 if selected else 1.0))
        if self.node.kind == "objective":
            fill = QColor(pal.color(QPalette.ColorRole.Window))
            fill.setAlpha(160)
            painter.setBrush(fill)
            painter.drawRoundedRect(r, 8, 8)
            title = QRectF(r.x() + PAD, r.y() + 2, r.width() - 2 * PAD, TITLE_H + PAD - 2)
            self._text(painter, title, self.node.name, bold=True)
            return
        painter.setBrush(pal.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(r, 5, 5)
        leading = self.node.indicator is IndicatorType.LEADING
        stripe = QRectF(r.x() + 1, r.y() + 1, 5, r.height() - 2)
        painter.fillRect(stripe, QColor(_LEADING if leading else _LAGGING))
        inner = r.adjusted(10, 2, -4, -2)
        top = QRectF(inner.x(), inner.y(), inner.width(), inner.height() * 0.68)
        self._name(painter, top, self.node.name)
        small = QFont(painter.font())
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.8))
        painter.setFont(small)
        painter.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
        bottom = QRectF(inner.x(), top.bottom(), inner.width(), inner.height() - top.height())
        painter.drawText(
            bottom,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            "leading" if leading else "lagging",
        )

    @staticmethod
    def _name(painter: QPainter, rect: QRectF, text: str) -> None:
        """A KPI's name on up to two lines, broken between words, elided only past that."""
        font = QFont(painter.font())
        painter.setFont(font)
        painter.setPen(_palette().color(QPalette.ColorRole.Text))
        metrics = QFontMetrics(font)
        lines = two_lines(text, rect.width(), metrics.horizontalAdvance)
        lines[-1] = metrics.elidedText(lines[-1], Qt.TextElideMode.ElideRight, int(rect.width()))
        painter.drawText(
            rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, "\n".join(lines)
        )

    @staticmethod
    def _text(painter: QPainter, rect: QRectF, text: str, bold: bool = False) -> None:
        font = QFont(painter.font())
        font.setBold(bold)
        painter.setFont(font)
        painter.setPen(_palette().color(QPalette.ColorRole.Text))
        elided = QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width()))
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)


def two_lines(text: str, width: float, advance: Callable[[str], int]) -> list[str]:
    """The words of ``text`` on one line, or two when they do not fit on one (the second
    may still be too long: the caller elides it)."""
    words = text.split()
    if len(words) < 2 or advance(text) <= width:
        return [text]
    first = words[0]
    for n in range(2, len(words)):
        candidate = " ".join(words[:n])
        if advance(candidate) > width:
            break
        first = candidate
    return [first, text[len(first) :].strip()]


def _exit_point(rect: QRectF, toward: QPointF) -> QPointF:
    """Where the ray from the rectangle's centre toward a point leaves the rectangle."""
    c = rect.center()
    dx, dy = toward.x() - c.x(), toward.y() - c.y()
    if dx == 0 and dy == 0:
        return c
    tx = (rect.width() / 2) / abs(dx) if dx else math.inf
    ty = (rect.height() / 2) / abs(dy) if dy else math.inf
    t = min(tx, ty, 1.0)
    return QPointF(c.x() + dx * t, c.y() + dy * t)


def evidence_text(
    link: StrategyLink, evidence: LinkEvidence | None, state: str, names: tuple[str, str]
) -> str:
    """The link's tooltip: what it states (by the ends' names) and what the data says."""
    says = (
        "more cause, more effect" if link.sign is LinkSign.POSITIVE else "more cause, less effect"
    )
    head = f"{names[0]} → {names[1]} ({link.sign.value}: {says})"
    if evidence is None:
        return f"{head}\n{state}"
    from scorecard_studio.engines.analytics import VERDICT_LABELS

    lines = [head, VERDICT_LABELS[evidence.verdict]]
    best = evidence.best
    if best is not None:
        lines.append(
            f"best lag {evidence.best_lag}: Spearman r = {best.r:.2f}, "
            f"95% CI {best.low:.2f} … {best.high:.2f}, n = {best.n:,}"
        )
    return "\n".join(lines)


class LinkItem(QGraphicsPathItem):
    """An arrow cause → effect; selectable (Delete removes it), coloured by its evidence."""

    def __init__(self, link: StrategyLink, cause: NodeItem, effect: NodeItem, bend: float) -> None:
        super().__init__()
        self.link = link
        self.evidence: LinkEvidence | None = None
        self.verdict: str | None = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        # Over objective frames, under KPI boxes: an arrow crossing a box hides behind it.
        self.setZValue(1.5)
        self.names = (cause.node.name, effect.node.name)
        self._head = QPolygonF()
        self._route(cause.rect(), effect.rect(), bend)
        self.set_evidence(None, "Evidence not computed yet.")

    @property
    def key(self) -> tuple[str, str]:
        return self.link.cause, self.link.effect

    def _route(self, a: QRectF, b: QRectF, bend: float) -> None:
        start, end = _exit_point(a, b.center()), _exit_point(b, a.center())
        path = QPainterPath(start)
        mid = (start + end) / 2
        line = QLineF(start, end)
        if bend and line.length() > 0:
            normal = line.normalVector().unitVector()
            control = mid + QPointF(normal.dx(), normal.dy()) * bend
            path.quadTo(control, end)
            tangent = QLineF(control, end)
        else:
            path.lineTo(end)
            tangent = line
        self.setPath(path)
        angle = math.atan2(tangent.dy(), tangent.dx())
        left = end - QPointF(math.cos(angle - 0.45), math.sin(angle - 0.45)) * ARROW * 1.4
        right = end - QPointF(math.cos(angle + 0.45), math.sin(angle + 0.45)) * ARROW * 1.4
        self._head = QPolygonF([end, left, right])

    def set_evidence(self, evidence: LinkEvidence | None, state: str = "") -> None:
        self.evidence = evidence
        self.verdict = evidence.verdict.value if evidence is not None else None
        colour, style = _STYLE.get(self.verdict or "", (None, Qt.PenStyle.SolidLine))
        c = QColor(colour) if colour else _palette().color(QPalette.ColorRole.WindowText)
        self.setPen(QPen(c, 2.0, style, Qt.PenCapStyle.RoundCap))
        self.setToolTip(evidence_text(self.link, evidence, state, self.names))
        self.update()

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(12)
        out = stroker.createStroke(self.path())
        out.addPolygon(self._head)
        return out

    def boundingRect(self) -> QRectF:
        return super().boundingRect().united(self._head.boundingRect()).adjusted(-4, -4, 4, 4)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self.pen())
        if self.isSelected():
            glow = QPen(_palette().color(QPalette.ColorRole.Highlight), 7.0)
            glow.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(glow)
            painter.drawPath(self.path())
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())
        painter.setPen(QPen(pen.color(), 1.0))
        painter.setBrush(pen.color())
        painter.drawPolygon(self._head)
