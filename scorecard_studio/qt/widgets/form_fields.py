"""Small form widgets the design panels share: choice boxes and validated text fields.

A text field says what is wrong as the user types and commits only a valid value when
editing finishes, so a half-typed name never becomes an undo step.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QVBoxLayout, QWidget

INVALID_STYLE = "border: 1px solid #c62828;"


def combo(values: list[tuple[str, str]]) -> QComboBox:
    box = QComboBox()
    for value, label in values:
        box.addItem(label, value)
    return box


def set_combo(box: QComboBox, value: str | None) -> None:
    index = box.findData(value)
    if index < 0 and value is not None and box.isEditable():
        box.setEditText(value)
        return
    box.setCurrentIndex(max(index, 0))


class TextField(QWidget):
    """A line edit with as-you-type validation and a message line under it."""

    def __init__(self, validate: Callable[[str], str | None], commit: Callable[[str], None]):
        super().__init__()
        self.edit = QLineEdit()
        self.message = QLabel()
        self.message.setObjectName("validationMessage")
        self.message.setStyleSheet("color: #c62828;")
        self.message.setWordWrap(True)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.message)
        self._validate = validate
        self._commit = commit
        self.edit.textEdited.connect(self._check)
        self.edit.editingFinished.connect(self._finish)

    def set_text(self, text: str) -> None:
        self.edit.setText(text)
        self._check(text)

    def _check(self, text: str) -> bool:
        problem = self._validate(text)
        self.edit.setStyleSheet(INVALID_STYLE if problem else "")
        self.message.setText(problem or "")
        self.message.setVisible(bool(problem))
        return problem is None

    def _finish(self) -> None:
        if self._check(self.edit.text()):
            self._commit(self.edit.text())
