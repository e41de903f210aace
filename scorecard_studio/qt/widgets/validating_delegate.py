"""Cell editors that refuse a text the cell cannot take, and say why, without losing it.

Qt's own delegate commits whatever was typed and, when the model refuses it, closes the
editor as if nothing had happened: "12x" in a targets cell or "-2" as a weight would
silently snap back. This delegate asks the model first (its ``problem(index, text)``
method, which returns the reason or None). A refused text keeps its editor open, red, with
the reason as a tooltip and in ``invalidEntry``; the user corrects it or drops it with Esc
(``validEntry`` then, as after every good commit).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

COMMIT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
INVALID_STYLE = "border: 1px solid #c62828; background: #fdecea;"


class ValidatingDelegate(QStyledItemDelegate):
    """A delegate whose editors commit only what the model's ``problem`` accepts."""

    invalidEntry = Signal(str)  # the reason, as the user is told it
    validEntry = Signal()  # committed, or dropped with Esc

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._index = QPersistentModelIndex()

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        self._index = QPersistentModelIndex(index)
        return super().createEditor(parent, option, index)

    def problem(self, editor: QWidget) -> str | None:
        """Why the editor's text cannot be committed to its cell (None: it can)."""
        model = self._index.model()
        check = getattr(model, "problem", None)
        if not isinstance(editor, QLineEdit) or check is None or not self._index.isValid():
            return None
        problem: str | None = check(self._index, editor.text())
        return problem

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        problem = self.problem(editor)
        if problem is not None:  # the editor lost the focus with a text the cell cannot take
            self.invalidEntry.emit(problem)
            return
        super().setModelData(editor, model, index)
        self.validEntry.emit()

    def refused(self, editor: QObject, event: QEvent) -> bool:
        """Whether a key that would commit is held back because the text is not valid."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() == Qt.Key.Key_Escape:
            self.validEntry.emit()  # the entry is dropped: nothing is wrong any more
            return False
        if event.key() not in COMMIT_KEYS or not isinstance(editor, QWidget):
            return False
        problem = self.problem(editor)
        if problem is None:
            return False
        editor.setStyleSheet(INVALID_STYLE)
        editor.setToolTip(problem)
        QToolTip.showText(editor.mapToGlobal(editor.rect().bottomLeft()), problem, editor)
        self.invalidEntry.emit(problem)
        return True

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if self.refused(editor, event):
            return True  # the editor keeps the text until it is corrected or Esc
        return super().eventFilter(editor, event)
