"""Table cells that always fit on one line: the longest of their texts that fits is drawn.

A results cell reads "▲ $28,656,156 / $29,000,000"; at 1024 pixels the Dashboard's leading
and lagging tables have some 60 pixels a column, and wrapped text in a fixed-height row
is cut in half. The model offers each cell's texts from the fullest to the shortest under
``FIT_TEXTS`` (:mod:`scorecard_studio.qt.models.cell_texts`: the exact pair, then
"▲ $28.7M / $29M", then "▲ $28.7M"…); this delegate draws the first that fits the
column and elides the last one if none does. The full values are always in the cell's
tooltip, so nothing is lost by shortening.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from scorecard_studio.qt.models.cell_texts import FIT_TEXTS

Index = QModelIndex | QPersistentModelIndex


def fitting_text(texts: list[str], metrics: QFontMetrics, width: int) -> str:
    """The first of ``texts`` no wider than ``width`` pixels, else the last one elided."""
    for text in texts:
        if metrics.horizontalAdvance(text) <= width:
            return text
    return metrics.elidedText(texts[-1], Qt.TextElideMode.ElideRight, width)


class FittingDelegate(QStyledItemDelegate):
    """Draws a cell's longest text that fits (see the module's docstring); never wraps."""

    def text_room(self, option: QStyleOptionViewItem) -> int:
        """Pixels for text in a cell of ``option.rect``: the style's margins taken off."""
        widget = option.widget
        style = widget.style() if widget is not None else None
        margin = (
            style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
            if style is not None
            else 3
        )
        return int(option.rect.width()) - 2 * margin - 2

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        texts = index.data(FIT_TEXTS)
        if texts:
            metrics = QFontMetrics(option.font)
            option.text = fitting_text(list(texts), metrics, self.text_room(option))
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText
