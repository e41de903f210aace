"""The strategy map in the Design workspace: links drawn, added and removed by hand.

Drag from one box (a KPI or an objective) to another to state the link cause → effect
(or select the box and press Ctrl+L, *Link to…*, to choose the effect from a list);
select an arrow and press Delete, or right-click it, to remove it or flip its sign. Every
change is a design edit through the document, so it is one undo step, saved, versioned and
diffed with the rest of the design. Once the evidence is computed (off the UI thread, by
the window's :class:`~scorecard_studio.qt.evidence_source.EvidenceSource`) each arrow shows
its verdict as colour and line style, and its best lag, r, interval and n as a tooltip.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsLineItem,
    QGraphicsScene,
    QGraphicsView,
    QLabel,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from scorecard_studio.domain.analytics import LinkSign
from scorecard_studio.domain.link_edits import remove_links, set_link_sign
from scorecard_studio.domain.model import Scorecard
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.widgets.link_to import (
    LINK_TO_SHORTCUT,
    LINK_TO_TEXT,
    add_map_link,
    ask_and_link,
)
from scorecard_studio.qt.widgets.map_items import (
    BandItem,
    LinkItem,
    NodeItem,
    layout,
)

if TYPE_CHECKING:
    from scorecard_studio.engines.analytics import Evidence
    from scorecard_studio.qt.evidence_source import EvidenceSource

#: The map shrinks to fit its pane down to this scale, then scrolls.
MIN_SCALE = 0.55
HINT = (
    "Drag from one box to another to link them (or select a box, Ctrl+L); "
    "select an arrow and press Delete to remove it."
)


class MapView(QGraphicsView):
    """The scene of bands, boxes and arrows, with the drag-to-link gesture."""

    #: A box was clicked (not dragged): the window selects that item in the tree.
    itemChosen = Signal(str)

    def __init__(self, document: ScorecardDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("strategyMapView")
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.nodes: dict[str, NodeItem] = {}
        self.links: dict[tuple[str, str], LinkItem] = {}
        self._drag_from: NodeItem | None = None
        self._press_at = QPoint()
        self._rubber: QGraphicsLineItem | None = None
        self._hover: NodeItem | None = None
        self.evidence: Evidence | None = None
        self.evidence_state = "Evidence not computed yet."

    # --- drawing --------------------------------------------------------------------------

    def rebuild(self, card: Scorecard) -> None:
        """Draw the design afresh, keeping the selected arrows selected."""
        selected = {k for k, item in self.links.items() if item.isSelected()}
        self._end_drag()
        scene = self.scene()
        scene.clear()
        self.nodes, self.links = {}, {}
        bold = QFont(scene.font())
        bold.setBold(True)  # as NodeItem draws an objective's title
        bands, nodes = layout(card, QFontMetrics(bold).horizontalAdvance)
        for i, band in enumerate(bands):
            scene.addItem(BandItem(band, shaded=i % 2 == 1))
        for node in nodes:
            box = NodeItem(node)
            scene.addItem(box)
            self.nodes[node.id] = box
        pairs = {(k.cause, k.effect) for k in card.analytics.links}
        for link in card.analytics.links:
            cause, effect = self.nodes.get(link.cause), self.nodes.get(link.effect)
            if cause is None or effect is None or (link.cause, link.effect) in self.links:
                continue  # the design checks report unknown ends and duplicates
            same_row = abs(cause.rect().center().y() - effect.rect().center().y()) < 1
            reverse = (link.effect, link.cause) in pairs
            bend = -34.0 if same_row else (16.0 if reverse else 0.0)
            arrow = LinkItem(link, cause, effect, bend)
            scene.addItem(arrow)
            self.links[arrow.key] = arrow
            arrow.setSelected(arrow.key in selected)
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-4, -4, 4, 4))
        self.show_evidence(self.evidence, self.evidence_state)
        self._fit()

    def show_evidence(self, evidence: Evidence | None, state: str) -> None:
        """Colour each arrow by the evidence computed for the same link and sign."""
        self.evidence, self.evidence_state = evidence, state
        found = {}
        if evidence is not None:
            found = {(e.link.cause, e.link.effect, e.link.sign): e for e in evidence.links}
        for item in self.links.values():
            e = found.get((item.link.cause, item.link.effect, item.link.sign))
            item.set_evidence(e, state)

    def _fit(self) -> None:
        rect = self.sceneRect()
        if rect.isEmpty():
            return
        room = self.viewport().width() - 4
        scale = max(MIN_SCALE, min(1.0, room / rect.width()))
        self.resetTransform()
        self.scale(scale, scale)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    # --- the drag-to-link gesture -----------------------------------------------------------

    def node_at(self, pos: QPoint) -> NodeItem | None:
        """The topmost box under a viewport position (a KPI before its objective's frame)."""
        return next((i for i in self.items(pos) if isinstance(i, NodeItem)), None)

    def link_at(self, pos: QPoint) -> LinkItem | None:
        """The arrow under a viewport position, unless a box lies over it there."""
        top = next((i for i in self.items(pos) if isinstance(i, NodeItem | LinkItem)), None)
        return top if isinstance(top, LinkItem) else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        node = self.node_at(pos) if self.link_at(pos) is None else None
        super().mousePressEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and node is not None:
            self._drag_from = node
            self._press_at = pos

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        source = self._drag_from
        if source is None:
            super().mouseMoveEvent(event)
            return
        pos = event.position().toPoint()
        if self._rubber is None:
            if (pos - self._press_at).manhattanLength() < QApplication.startDragDistance():
                return
            pen = QPen(self.palette().highlight().color(), 2.0, Qt.PenStyle.DashLine)
            self._rubber = self.scene().addLine(0, 0, 0, 0, pen)
            self._rubber.setZValue(10)
        start = source.rect().center()
        self._rubber.setLine(start.x(), start.y(), *_xy(self.mapToScene(pos)))
        target = self.node_at(pos)
        self._set_hover(target if target is not source else None)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        source = self._drag_from
        if source is None or event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        pos = event.position().toPoint()
        dragged = (pos - self._press_at).manhattanLength() >= QApplication.startDragDistance()
        target = self.node_at(pos)
        self._end_drag()
        super().mouseReleaseEvent(event)
        if dragged and target is not None and target is not source:
            self.add_link(source.node.id, target.node.id)
        elif not dragged:
            self.itemChosen.emit(source.node.id)

    def _set_hover(self, node: NodeItem | None) -> None:
        if self._hover is node:
            return
        for item in (self._hover, node):
            if item is not None:
                item.highlighted = item is node
                item.update()
        self._hover = node

    def _end_drag(self) -> None:
        self._set_hover(None)
        if self._rubber is not None:
            self.scene().removeItem(self._rubber)
            self._rubber = None
        self._drag_from = None

    # --- edits ---------------------------------------------------------------------------

    def add_link(self, cause: str, effect: str) -> bool:
        """State cause → effect (positive; the context menu flips it) as one undo step."""
        return add_map_link(self.document, cause, effect)

    def selected_node(self) -> str | None:
        """The id of the one selected box, if one is."""
        chosen = [i for i, node in self.nodes.items() if node.isSelected()]
        return chosen[0] if len(chosen) == 1 else None

    def link_selected_to(self) -> bool:
        """*Link to…* on the selected box: ask for the effect, add the link."""
        cause = self.selected_node()
        if cause is None:
            self.document.errorRaised.emit("Select a box on the map to link it to another.")
            return False
        return ask_and_link(self, self.document, cause)

    def selected_links(self) -> list[tuple[str, str]]:
        return [k for k, item in self.links.items() if item.isSelected()]

    def remove_selected(self) -> bool:
        keys = self.selected_links()
        if not keys:
            return False
        text = (
            f"Remove link {keys[0][0]} → {keys[0][1]}"
            if len(keys) == 1
            else (f"Remove {len(keys)} links")
        )
        return self.document.edit(text, remove_links, keys)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.selected_links():
            self.remove_selected()
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        item = self.link_at(event.pos())
        node = self.node_at(event.pos()) if item is None else None
        if node is not None:
            self.scene().clearSelection()
            node.setSelected(True)
            menu = QMenu(self)
            menu.addAction(LINK_TO_TEXT, self.link_selected_to)
            menu.exec(event.globalPos())
            return
        if item is None:
            super().contextMenuEvent(event)
            return
        if not item.isSelected():
            self.scene().clearSelection()
            item.setSelected(True)
        cause, effect = item.key
        menu = QMenu(self)
        menu.addAction("Remove link", self.remove_selected)
        flip = LinkSign.NEGATIVE if item.link.sign is LinkSign.POSITIVE else LinkSign.POSITIVE
        label = (
            "more cause, less effect" if flip is LinkSign.NEGATIVE else "more cause, more effect"
        )
        menu.addAction(
            f"Make it {flip.value} ({label})",
            lambda: self.document.edit(
                f"Make link {cause} → {effect} {flip.value}",
                set_link_sign,
                cause,
                effect,
                flip,
            ),
        )
        menu.exec(event.globalPos())

    def select_item(self, item_id: str) -> None:
        """Show the tree's selection on the map (a KPI or objective box)."""
        self.scene().clearSelection()
        node = self.nodes.get(item_id)
        if node is not None:
            node.setSelected(True)
            self.ensureVisible(node, 20, 20)


def _xy(point: QPointF) -> tuple[float, float]:
    return point.x(), point.y()


class StrategyMap(QWidget):
    """The map with a line of help and the state of its evidence above it."""

    def __init__(
        self,
        document: ScorecardDocument,
        evidence: EvidenceSource | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("strategyMap")
        self.document = document
        self.source = evidence
        self.view = MapView(document)
        self.itemChosen = self.view.itemChosen
        self.hint = QLabel(HINT)
        self.hint.setWordWrap(True)
        self.state = QLabel()
        self.state.setObjectName("strategyMapEvidence")
        self.state.setWordWrap(True)
        title = QLabel("<b>Strategy map</b> — cause → effect, leading to lagging")
        title.setWordWrap(True)
        # The map scrolls and its labels wrap: the pane must not widen the window past a
        # small screen (the splitter honours an explicit minimum over the labels' hints).
        self.view.setMinimumSize(40, 120)
        # Keyboard linking: Ctrl+L on the selected box asks for the effect from a list.
        self.link_to_action = QAction(LINK_TO_TEXT, self)
        self.link_to_action.setShortcut(LINK_TO_SHORTCUT)
        self.link_to_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.link_to_action.triggered.connect(self.view.link_selected_to)
        self.addAction(self.link_to_action)
        self.setMinimumWidth(40)
        layout_ = QVBoxLayout(self)
        layout_.setContentsMargins(4, 4, 4, 4)
        layout_.addWidget(title)
        layout_.addWidget(self.hint)
        layout_.addWidget(self.view, 1)
        layout_.addWidget(self.state)
        document.designChanged.connect(self._design_changed)
        document.tablesChanged.connect(self._update_state)
        if evidence is not None:
            evidence.evidenceReady.connect(self._evidence_ready)
            evidence.busyChanged.connect(self._update_state)
            evidence.failed.connect(self._failed)
        self.view.rebuild(document.card)
        self._update_state()

    def _design_changed(self, card: Scorecard) -> None:
        self.view.rebuild(card)
        self._update_state()

    def _evidence_ready(self, _evidence: object) -> None:
        self._update_state()

    def _failed(self, message: str) -> None:
        self.state.setText(f"Could not compute the evidence: {message}")

    def _update_state(self, *_args: object) -> None:
        card, source = self.document.card, self.source
        evidence = source.evidence if source is not None else None
        if not card.analytics.links:
            text = "No links yet."
        elif not self.document.tables:
            text = "Import data with a customer key to test the links against it."
        elif source is not None and source.busy:
            text = "Computing the links' evidence…"
        elif evidence is None:
            text = "No source has a customer key: the links cannot be tested."
        else:
            verdicts = [e.verdict.value for e in evidence.links]
            text = (
                f"Evidence: {verdicts.count('supported')} of {len(verdicts)} links supported, "
                f"{verdicts.count('not_supported')} not supported, "
                f"{verdicts.count('insufficient_data')} with too little data. "
                "Green solid: supported; orange dashed: not; grey dotted: too little data."
            )
        state = "Computing evidence…" if source is not None and source.busy else text
        self.view.show_evidence(evidence, state)
        self.state.setText(text)
