"""A read-out label for text that changes on every slider step.

A ``QLabel`` asks its layout to be recomputed on every ``setText``: Qt cannot know the new
text fits. In the preview that means the whole panel's layout (charts, controls, the
marginal-effects table) is redone for each step of a drag, for read-outs whose size almost
never changes. :class:`LiveLabel` asks for a new layout only when a wrapped text needs a
different height; a one-line text is elided (whole in its tooltip) and only repainted.
Right-click copies the text.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QAction, QGuiApplication, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

_WRAP = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
_LINE = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class LiveLabel(QWidget):
    """Plain text, one line (elided when short of room) or word-wrapped."""

    def __init__(
        self, text: str = "", wrap: bool = False, bold: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._text = text
        self._wrap = wrap
        if bold:
            font = self.font()
            font.setBold(True)
            self.setFont(font)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(wrap)
        if not wrap:
            policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
            policy.setVerticalPolicy(QSizePolicy.Policy.Fixed)
        self.setSizePolicy(policy)
        self.setAccessibleName(text)
        copy = QAction("Copy", self)
        copy.triggered.connect(self._copy)
        self.addAction(copy)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self._text)

    # --- text ---------------------------------------------------------------------------

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        if text == self._text:
            return
        before, self._text = self._text, text
        self.setAccessibleName(text)
        if not self._wrap:
            self.setToolTip(text)  # the whole text when it is elided
        elif self._needs_layout(before, text):
            self.updateGeometry()
        self.update()

    def _needs_layout(self, before: str, after: str) -> bool:
        """Whether the wrapped text needs a different height at the width it has."""
        width = self.contentsRect().width()
        return width <= 0 or self._height_for(before, width) != self._height_for(after, width)

    def _height_for(self, text: str, width: int) -> int:
        if not text:
            return self.fontMetrics().height()
        rect = self.fontMetrics().boundingRect(QRect(0, 0, max(width, 1), 100_000), _WRAP, text)
        return max(rect.height(), self.fontMetrics().height())

    # --- size -----------------------------------------------------------------------------

    def hasHeightForWidth(self) -> bool:
        return self._wrap

    def heightForWidth(self, width: int) -> int:
        m = self.contentsMargins()
        inner = width - m.left() - m.right()
        return self._height_for(self._text, inner) + m.top() + m.bottom()

    def sizeHint(self) -> QSize:
        fm = self.fontMetrics()
        if self._wrap:
            width = 40 * fm.averageCharWidth()  # not the text's: a new text keeps the layout
            return QSize(width, self.heightForWidth(width))
        return QSize(fm.horizontalAdvance(self._text) + 1, fm.height())

    def minimumSizeHint(self) -> QSize:
        fm = self.fontMetrics()
        return QSize(4 * fm.averageCharWidth(), fm.height())

    # --- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().windowText().color())
        rect = self.contentsRect()
        if self._wrap:
            painter.drawText(rect, _WRAP, self._text)
        else:
            elide = Qt.TextElideMode.ElideRight
            shown = self.fontMetrics().elidedText(self._text, elide, rect.width())
            painter.drawText(rect, _LINE, shown)
        painter.end()
