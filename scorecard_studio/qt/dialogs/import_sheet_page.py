"""The wizard's sheet page: the file inspected off the UI thread, its table previewed.

The preview shows values as the source displayed them (87% for a percent-formatted 0.87,
$905,200 for a currency's 905200), and after a file that cannot be read it shows only the
reason: the previous file's preview and findings are cleared, never left to be mistaken
for this one's.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from scorecard_studio.domain.units import PLAIN, Unit, UnitKind, currency_unit, format_value
from scorecard_studio.domain.wording import count
from scorecard_studio.qt.dialogs.file_page import BusyRow
from scorecard_studio.qt.tasks import BackgroundTask


class _Wizard(Protocol):
    """What the page needs of its wizard: the file chosen on the first page."""

    @property
    def path(self) -> Path: ...


def preview_text(value: Any, column: dict[str, Any]) -> str:
    """A sample as the source showed it: 87% for a percent column's 0.87, $905,200 for a
    currency's 905200.0, 3,586.18 for 3586.1783646399995 — not the float's full repr."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, float):
        return str(value)
    kind = column.get("type", "")
    if kind == "percent":
        return format_value(value, Unit(UnitKind.PERCENT, "%"))
    if kind == "currency":
        unit = currency_unit(str(column.get("symbol", "")))
        return format_value(value, replace(unit, decimals=None if value == int(value) else 2))
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.2f}" if abs(value) >= 1 else format_value(value, PLAIN)


class SheetPage(QWizardPage):
    """Inspects the file off the UI thread and previews the detected table."""

    def __init__(self, wizard: _Wizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Sheet and preview")
        self.setSubTitle("Check the detected header row and the type of each column.")
        self.sheet = QComboBox()
        self.sheet.setObjectName("sheetChoice")
        self.sheet.activated.connect(lambda _i: self.inspect())
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("Password of the encrypted workbook")
        self.password.returnPressed.connect(self.inspect)
        self.password_row = QWidget()
        prow = QHBoxLayout(self.password_row)
        prow.setContentsMargins(0, 0, 0, 0)
        prow.addWidget(QLabel("Password"))
        prow.addWidget(self.password, 1)
        retry = QPushButton("Open")
        retry.clicked.connect(self.inspect)
        prow.addWidget(retry)
        self.password_row.hide()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.preview = QTableWidget()
        self.preview.setObjectName("importPreview")
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.findings = QListWidget()
        self.findings.setMaximumHeight(110)
        self.busy = BusyRow()
        form = QFormLayout()
        form.addRow("Sheet", self.sheet)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.password_row)
        layout.addWidget(self.busy)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview, 1)
        layout.addWidget(QLabel("Findings"))
        layout.addWidget(self.findings)
        self.inspection: Any = None

    def initializePage(self) -> None:
        self.sheet.clear()
        self.inspection = None
        self.clear_preview()
        self.inspect()

    def inspect(self) -> None:
        from scorecard_studio.engines.importing import inspect_workbook

        path = self.wiz.path
        sheet = self.sheet.currentData() if self.sheet.count() else None
        password = self.password.text() or None
        self.inspection = None
        self.completeChanged.emit()

        def work(progress: Any, cancel: Any) -> Any:
            return inspect_workbook(
                path, sheet=sheet, password=password, progress=progress, cancel=cancel
            )

        task = BackgroundTask(work, self)
        task.succeeded.connect(self._show)
        task.failed.connect(self._failed)
        task.cancelled.connect(self._cancelled)
        self.summary.setText("")
        self.busy.run(f"Reading {path.name}…", task)

    def _cancelled(self) -> None:
        self.clear_preview()
        self.summary.setText("Reading cancelled.")

    def clear_preview(self) -> None:
        """Empty the preview and the findings, so no earlier file's table is left showing."""
        self.preview.clear()
        self.preview.setRowCount(0)
        self.preview.setColumnCount(0)
        self.findings.clear()

    def _failed(self, message: str) -> None:
        encrypted = message.startswith("encrypted")
        self.password_row.setVisible(encrypted)
        if encrypted:
            self.password.setFocus()
        self.clear_preview()
        self.findings.addItem(f"error: {message}")
        self.summary.setText(f"<span style='color:#c62828'>Cannot read the file: {message}</span>")

    def _show(self, inspection: Any) -> None:
        self.inspection = inspection
        self.password_row.setVisible(bool(self.password.text()))
        info = inspection.to_json_dict()
        if not self.sheet.count():
            for sheet in info["sheets"]:
                hidden = sheet.get("visibility", "visible") != "visible"
                label = f"{sheet['name']}{' (hidden)' if hidden else ''}"
                self.sheet.addItem(f"{label} — {count(int(sheet['rows']), 'row')}", sheet["name"])
            chosen = self.sheet.findData(info.get("sheet"))
            self.sheet.setCurrentIndex(max(chosen, 0))
        columns = info["columns"]
        header_row = info.get("header_row")
        others = info.get("tables_found") or []
        text = f"Header found on row {header_row + 1}." if header_row is not None else ""
        if others:
            text += f" {count(len(others), 'other table')} on this sheet (not imported)."
        self.summary.setText(text)
        self._fill_preview(columns)
        self.findings.clear()
        for f in info.get("findings", []):
            self.findings.addItem(f"{f['severity']}: {f['message']}")
        if not self.findings.count():
            self.findings.addItem("No findings")
        self.completeChanged.emit()

    def _fill_preview(self, columns: list[dict[str, Any]]) -> None:
        samples = [list(c.get("samples", [])) for c in columns]
        rows = max((len(s) for s in samples), default=0)
        self.preview.clear()
        self.preview.setColumnCount(len(columns))
        self.preview.setRowCount(rows)
        self.preview.setHorizontalHeaderLabels(
            [f"{c['name']}\n{c.get('type', '')}" for c in columns]
        )
        for c, values in enumerate(samples):
            for r, value in enumerate(values):
                item = QTableWidgetItem(preview_text(value, columns[c]))
                if isinstance(value, float):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                    item.setToolTip(repr(value))  # the value as stored, in full
                self.preview.setItem(r, c, item)
            missing = columns[c].get("missing", 0)
            invalid = columns[c].get("invalid", 0)
            header = self.preview.horizontalHeaderItem(c)
            if header is not None:
                header.setToolTip(f"missing: {missing:,}, invalid: {invalid:,}")
        self.preview.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )

    def isComplete(self) -> bool:
        return self.inspection is not None

    def cleanupPage(self) -> None:
        self.busy.cancel()
