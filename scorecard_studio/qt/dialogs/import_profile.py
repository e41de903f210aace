"""The import profile settings of the wizard's roles page: file pattern, tier values, units.

These are saved with the data source and used by every refresh (``store refresh`` and the
window's "Refresh all sources"), so next month's file is found and read as this one was:
the file pattern finds it in a folder, the tier value map turns the source's own segment
names into the design's tiers, and the units say whether a column of plain numbers is a
percentage of 0–100 or of 0–1.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
)

from scorecard_studio.domain.model import ColumnScale, ColumnUnit, DataSource

AS_WRITTEN = "(as written)"
AS_READ = "as read"
SCALES = (
    (AS_READ, None),
    ("percent of 0–1", ColumnScale.PERCENT_FRACTION.value),
    ("percent of 0–100", ColumnScale.PERCENT_POINTS.value),
)


def _key(value: str) -> str:
    return " ".join(value.split()).casefold()


class ProfileBox(QGroupBox):
    """Edits the profile fields of one data source; :meth:`profile` gives them back."""

    def __init__(self) -> None:
        super().__init__("Import profile (how refreshes find and read the next file)")
        self.pattern = QLineEdit()
        self.pattern.setObjectName("filePattern")
        self.pattern.setPlaceholderText("e.g. stripe_payments_*.csv (newest match wins)")
        self.tiers = QTableWidget(0, 2)
        self.tiers.setObjectName("tierValues")
        self.tiers.setHorizontalHeaderLabels(["Value in the file", "Tier"])
        self.units = QTableWidget(0, 2)
        self.units.setObjectName("columnUnits")
        self.units.setHorizontalHeaderLabels(["Number column", "Read as"])
        for table in (self.tiers, self.units):
            table.verticalHeader().hide()
            table.setMaximumHeight(130)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        form = QFormLayout(self)
        form.addRow("File pattern", self.pattern)
        form.addRow("Tier values", self.tiers)
        form.addRow("Units", self.units)
        self._levels: dict[str, tuple[str, ...]] = {}
        self._tier_names: list[str] = []
        #: folded value → (value as written, tier name); kept across tier columns, and
        #: a previous profile's entries stay even when this file lacks their values.
        self._chosen: dict[str, tuple[str, str]] = {}
        self._chosen_under: dict[str, str | None] = {}
        self._column: str | None = None

    def load(
        self,
        pattern: str,
        columns: Sequence[Any],
        tier_names: Sequence[str],
        previous: DataSource | None,
    ) -> None:
        """Fill the fields from the inspected ``columns`` (ColumnInfo) and a previous
        profile of the same source, if any (its values win over the suggestions)."""
        self.pattern.setText(
            previous.file_pattern if previous and previous.file_pattern else pattern
        )
        self._levels = {str(c.name): tuple(c.levels) for c in columns}
        self._tier_names = list(tier_names)
        self._chosen = {_key(k): (k, v) for k, v in (previous.tier_values if previous else ())}
        # The tier column each value was mapped under in this wizard (the saved profile's
        # mappings carry over whatever the column): choices made under a column the user
        # then left are not saved.
        self._chosen_under = {}
        self._column = None
        scales = {u.column: u.scale.value for u in (previous.units if previous else ())}
        numeric = [str(c.name) for c in columns if c.type in ("number", "percent")]
        self.units.setRowCount(len(numeric))
        for row, name in enumerate(numeric):
            self.units.setItem(row, 0, QTableWidgetItem(name))
            box = QComboBox()
            for label, value in SCALES:
                box.addItem(label, value)
            box.setCurrentIndex(max(box.findData(scales.get(name)), 0))
            self.units.setCellWidget(row, 1, box)

    def _remember(self) -> None:
        for row in range(self.tiers.rowCount()):
            item, box = self.tiers.item(row, 0), self.tiers.cellWidget(row, 1)
            if item is not None and isinstance(box, QComboBox):
                key = _key(item.text())
                if box.currentData():
                    was = self._chosen.get(key)
                    self._chosen[key] = (item.text(), str(box.currentData()))
                    if was != self._chosen[key]:
                        self._chosen_under[key] = self._column
                else:
                    self._chosen.pop(key, None)
                    self._chosen_under.pop(key, None)

    def show_tier_values(self, column: str | None) -> None:
        """List the distinct values of the chosen tier column, each with its tier."""
        self._remember()
        self._column = column
        values = list(self._levels.get(column or "", ())) if column else []
        self.tiers.setRowCount(len(values))
        for row, value in enumerate(values):
            self.tiers.setItem(row, 0, QTableWidgetItem(value))
            box = QComboBox()
            box.addItem(AS_WRITTEN, None)
            for name in self._tier_names:
                box.addItem(name, name)
            chosen = self._chosen.get(_key(value))
            box.setCurrentIndex(max(box.findData(chosen[1] if chosen else None), 0))
            self.tiers.setCellWidget(row, 1, box)

    def set_tier(self, value: str, tier: str | None) -> None:
        """Choose the tier of one listed value (what a click in the table does)."""
        for row in range(self.tiers.rowCount()):
            item, box = self.tiers.item(row, 0), self.tiers.cellWidget(row, 1)
            if item is not None and item.text() == value and isinstance(box, QComboBox):
                box.setCurrentIndex(max(box.findData(tier), 0))

    def set_scale(self, column: str, scale: str | None) -> None:
        """Choose how one number column is read."""
        for row in range(self.units.rowCount()):
            item, box = self.units.item(row, 0), self.units.cellWidget(row, 1)
            if item is not None and item.text() == column and isinstance(box, QComboBox):
                box.setCurrentIndex(max(box.findData(scale), 0))

    def profile(self) -> dict[str, Any]:
        """The fields for the data source: ``file_pattern``, ``tier_values``, ``units``."""
        self._remember()
        tier_values = tuple(
            value
            for key, value in self._chosen.items()
            if self._chosen_under.get(key, self._column) == self._column
        )
        units = []
        for row in range(self.units.rowCount()):
            item, box = self.units.item(row, 0), self.units.cellWidget(row, 1)
            if item is not None and isinstance(box, QComboBox) and box.currentData():
                units.append(ColumnUnit(item.text(), ColumnScale(box.currentData())))
        return {
            "file_pattern": self.pattern.text().strip(),
            "tier_values": tier_values,
            "units": tuple(units),
        }
