"""List rows of a title over a quieter second line, with room between rows.

A plain list item with "title\\ndescription" reads as one run of text: every line has the
same weight and no gap separates one entry from the next. This delegate draws the title
in bold and the second line (``SUBTITLE``) in the palette's placeholder colour, with
padding around each row, so a list of templates or recent files reads as separate entries.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

SUBTITLE = Qt.ItemDataRole.UserRole + 1
PADDING = 8
LINE_GAP = 2

Index = QModelIndex | QPersistentModelIndex


class TwoLineDelegate(QStyledItemDelegate):
    """Bold title over a wrapped, muted subtitle; rows padded so entries stand apart."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    @staticmethod
    def _fonts(option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        title.setBold(True)
        subtitle = QFont(option.font)
        return title, subtitle

    def _text_width(self, option: QStyleOptionViewItem) -> int:
        # The view's width, not the option's rect: a row's height is asked before it is laid
        # out, and a stale rect would leave wrapped text too much or too little room.
        widget = option.widget
        if widget is not None and hasattr(widget, "viewport"):
            spacing = int(widget.spacing()) if hasattr(widget, "spacing") else 0
            width = int(widget.viewport().width()) - 2 * spacing
        else:
            width = option.rect.width()
        return max(80, width - 2 * PADDING)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        title_font, sub_font = self._fonts(option)
        width = self._text_width(option)
        flags = int(Qt.TextFlag.TextWordWrap)
        title = QFontMetrics(title_font).boundingRect(
            QRect(0, 0, width, 10000), flags, str(index.data() or "")
        )
        height = title.height()
        subtitle = str(index.data(SUBTITLE) or "")
        if subtitle:
            sub = QFontMetrics(sub_font).boundingRect(QRect(0, 0, width, 10000), flags, subtitle)
            height += LINE_GAP + sub.height()
        return QSize(width + 2 * PADDING, height + 2 * PADDING + 1)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        opt = QStyleOptionViewItem(option)
        opt.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        title_font, sub_font = self._fonts(option)
        rect = option.rect.adjusted(PADDING, PADDING, -PADDING, -PADDING)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        enabled = bool(index.flags() & Qt.ItemFlag.ItemIsEnabled)
        palette: QPalette = option.palette
        group = QPalette.ColorGroup.Normal if enabled else QPalette.ColorGroup.Disabled
        main = palette.color(
            group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = main if selected else palette.color(QPalette.ColorRole.PlaceholderText)
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
        painter.save()
        painter.setFont(title_font)
        painter.setPen(main)
        used = painter.boundingRect(rect, flags, str(index.data() or ""))
        painter.drawText(rect, flags, str(index.data() or ""))
        subtitle = str(index.data(SUBTITLE) or "")
        if subtitle:
            painter.setFont(sub_font)
            painter.setPen(muted)
            painter.drawText(rect.adjusted(0, used.height() + LINE_GAP, 0, 0), flags, subtitle)
        painter.restore()
