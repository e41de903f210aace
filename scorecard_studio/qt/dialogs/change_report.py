"""The change report of one refreshed source, accepted (or mapped) before its data is replaced.

It shows what :func:`scorecard_studio.engines.refresh.review` found between the table the
scorecard uses and the new file's: rows before and after, the date range, new, missing and
renamed columns, type changes, new tier values, role columns gone. A column the design uses
that is missing now can be mapped to one of the new columns (a rename the names alone did
not show); the report is reviewed again at once, without reading the file again. Nothing is
replaced unless the user presses "Replace the data".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from scorecard_studio.domain.model import DataSource

if TYPE_CHECKING:
    import pandas as pd

    from scorecard_studio.engines.refresh import SourceChanges

GONE = "(gone from the file)"


class ChangeReportDialog(QDialog):
    """One source's changes; :attr:`frame` is the table to use once accepted."""

    def __init__(
        self,
        source: DataSource,
        before: pd.DataFrame | None,
        after: pd.DataFrame,
        file: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("changeReport")
        self.setWindowTitle(f"Refresh “{source.name}” from {file}")
        self.resize(560, 420)
        self._source, self._before, self._after, self._file = source, before, after, file
        self._mapping: dict[str, str] = {}
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.lines = QListWidget()
        self.lines.setObjectName("changeLines")
        self.maps = QGroupBox("Columns the design uses that are missing: map them")
        self._map_form = QFormLayout(self.maps)
        self.boxes: dict[str, QComboBox] = {}
        buttons = QDialogButtonBox()
        self.replace_button = buttons.addButton(
            "Replace the data", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.replace_button.setObjectName("acceptChanges")
        skip = buttons.addButton("Skip this source", QDialogButtonBox.ButtonRole.RejectRole)
        skip.setObjectName("skipSource")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.lines, 1)
        layout.addWidget(self.maps)
        layout.addWidget(buttons)
        self.frame: pd.DataFrame = after
        self.changes: SourceChanges
        self._review()
        self._build_maps()

    def _review(self) -> None:
        from scorecard_studio.engines.refresh import review

        self.frame, self.changes = review(
            self._source, self._before, self._after, self._file, self._mapping
        )
        change = self.changes
        self.summary.setText(
            "<b>Check these changes before the data is replaced.</b>"
            if change.needs_review
            else "Only rows and dates changed."
        )
        self.lines.clear()
        for line in change.lines():
            self.lines.addItem(line.strip())

    def _build_maps(self) -> None:
        missing, new = self.changes.missing_columns, self.changes.new_columns
        self.maps.setVisible(bool(missing and new))
        for name in missing:
            box = QComboBox()
            box.setObjectName(f"map_{name}")
            box.addItem(GONE, None)
            for column in new:
                box.addItem(column, column)
            box.currentIndexChanged.connect(lambda _i, n=name: self._mapped(n))
            self.boxes[name] = box
            self._map_form.addRow(name, box)

    def _mapped(self, name: str) -> None:
        target = self.boxes[name].currentData()
        if target:
            self._mapping[name] = str(target)
        else:
            self._mapping.pop(name, None)
        self._review()

    def map_column(self, design_name: str, file_name: str | None) -> None:
        """Map a missing column to a new one (what choosing it in its list does)."""
        box = self.boxes[design_name]
        box.setCurrentIndex(max(box.findData(file_name), 0))

    def report_lines(self) -> list[str]:
        return [self.lines.item(i).text() for i in range(self.lines.count())]
