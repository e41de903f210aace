"""The import wizard: file → sheet and preview → column roles → validation report.

Reading runs on the thread pool (inspection and the full typed import alike) with a
progress bar and Cancel on the page, so the window never freezes on a large workbook. An
encrypted workbook asks for its password on the page; a wrong one is said to be wrong.
Nothing is added to the scorecard until the user has seen the validation report and
pressed Finish; the import is then one undoable edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from scorecard_studio.domain import edits
from scorecard_studio.domain.column_roles import RoleGuess, guess_roles
from scorecard_studio.domain.model import DataSource, DateOrder, Layout, Scorecard
from scorecard_studio.domain.wording import count
from scorecard_studio.qt.dialogs.file_page import BusyRow, FilePage
from scorecard_studio.qt.dialogs.import_profile import ProfileBox
from scorecard_studio.qt.dialogs.import_sheet_page import SheetPage
from scorecard_studio.qt.dialogs.import_suggestions import SuggestedKpi, SuggestionList
from scorecard_studio.qt.tasks import BackgroundTask

if TYPE_CHECKING:
    import pandas as pd

NONE = "(none)"


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What the wizard hands to the window: the source definition and its typed table."""

    source: DataSource
    frame: pd.DataFrame
    report: Any
    #: KPIs the user accepted among the suggestions (an NPS KPI of a 0–10 question).
    kpis: tuple[SuggestedKpi, ...] = ()


class RolesPage(QWizardPage):
    """Which column is the customer key, the date or period, the tier; the layout."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Column roles")
        self.setSubTitle(
            "Tell the scorecard what the columns mean. Measure columns become KPIs later, by "
            "dragging them from the Data panel onto a perspective."
        )
        self.name = QLineEdit()
        self.name.setObjectName("sourceName")
        self.name.textChanged.connect(self.completeChanged)
        self.layout_choice = QComboBox()
        self.layout_choice.addItem("Wide: one column per measure", Layout.WIDE.value)
        self.layout_choice.addItem(
            "Long: a metric-name column and a value column", Layout.LONG.value
        )
        self.layout_choice.currentIndexChanged.connect(self._layout_changed)
        self.roles: dict[str, QComboBox] = {}
        form = QFormLayout(self)
        form.addRow("Source name", self.name)
        form.addRow("Layout", self.layout_choice)
        for role, label in (
            ("key_column", "Customer key"),
            ("name_column", "Customer name (shown, not scored)"),
            ("date_column", "Date"),
            ("period_column", "Period (instead of a date)"),
            ("tier_column", "Tier"),
            ("metric_column", "Metric name (long layout)"),
            ("value_column", "Value (long layout)"),
        ):
            box = QComboBox()
            box.setObjectName(f"role_{role}")
            self.roles[role] = box
            form.addRow(label, box)
        self.date_order = QComboBox()
        for order, label in (
            (DateOrder.AUTO, "Detect (warn when ambiguous)"),
            (DateOrder.DAY_FIRST, "Day first (31/12/2026)"),
            (DateOrder.MONTH_FIRST, "Month first (12/31/2026)"),
        ):
            self.date_order.addItem(label, order.value)
        form.addRow("Text dates", self.date_order)
        self.changes = QLabel()
        self.changes.setWordWrap(True)
        form.addRow(self.changes)
        self.suggestions = SuggestionList(self.roles)
        form.addRow("Suggestions", self.suggestions)
        self.profile = ProfileBox()
        form.addRow(self.profile)
        self.roles["tier_column"].currentIndexChanged.connect(
            lambda _i: self.profile.show_tier_values(self.roles["tier_column"].currentData())
        )

    def initializePage(self) -> None:
        info = self.wiz.sheet_page.inspection.to_json_dict()
        columns = [str(c["name"]) for c in info["columns"]]
        types = {str(c["name"]): str(c.get("type", "")) for c in info["columns"]}
        sheet = info.get("sheet")
        exporter = info.get("exporter")
        guess: RoleGuess = guess_roles(columns, types, str(exporter) if exporter else None)
        previous = self.wiz.existing_source(sheet)
        for role, box in self.roles.items():
            box.clear()
            box.addItem(NONE, None)
            for column in columns:
                box.addItem(column, column)
            # A source imported before keeps its roles; a new one starts from the guess.
            kept = getattr(previous, role) if previous is not None else None
            chosen = kept if kept in columns else getattr(guess, role, None)
            box.setCurrentIndex(max(box.findData(chosen), 0))
        long = previous.layout is Layout.LONG if previous is not None else guess.long
        self.layout_choice.setCurrentIndex(
            self.layout_choice.findData(Layout.LONG.value if long else Layout.WIDE.value)
        )
        if previous is not None:
            self.date_order.setCurrentIndex(self.date_order.findData(previous.date_order.value))
        stem = Path(self.wiz.path).stem
        self.name.setText(previous.name if previous else (str(sheet) if sheet else stem))
        self.changes.setText(self._refresh_text(previous, columns))
        from scorecard_studio.engines.refresh import suggest_pattern

        self.profile.load(
            suggest_pattern(self.wiz.path.name),
            self.wiz.sheet_page.inspection.columns,
            [t.name for t in self.wiz.card.tiers],
            previous,
        )
        self.profile.show_tier_values(self.roles["tier_column"].currentData())
        self.suggestions.offer(self.wiz.sheet_page.inspection.columns, exporter)
        self._layout_changed()

    def _refresh_text(self, previous: DataSource | None, columns: list[str]) -> str:
        if previous is None or not previous.columns:
            return ""
        from scorecard_studio.engines.importing import column_changes

        missing, new = column_changes(previous, columns)
        if not missing and not new:
            return f"Refreshes source “{previous.name}”: same columns as before."
        parts = [f"Refreshes source “{previous.name}”."]
        if missing:
            parts.append(f"<b>Missing now</b>: {', '.join(missing)}.")
        if new:
            parts.append(f"<b>New</b>: {', '.join(new)}.")
        return " ".join(parts)

    def _layout_changed(self) -> None:
        long = self.layout_choice.currentData() == Layout.LONG.value
        self.roles["metric_column"].setEnabled(long)
        self.roles["value_column"].setEnabled(long)

    def isComplete(self) -> bool:
        return bool(self.name.text().strip())

    def source(self) -> DataSource:
        info = self.wiz.sheet_page.inspection.to_json_dict()
        sheet = info.get("sheet")
        previous = self.wiz.existing_source(sheet)
        taken = edits.all_ids(self.wiz.card) | {s.id for s in self.wiz.card.sources}
        if previous is not None:
            source_id = previous.id
        else:
            source_id = edits.new_id(self.name.text().strip() or "source", taken)
        roles = {role: box.currentData() for role, box in self.roles.items()}
        return DataSource(
            id=source_id,
            name=self.name.text().strip(),
            file=Path(self.wiz.path).name,
            sheet=str(sheet) if sheet else None,
            layout=Layout(self.layout_choice.currentData()),
            date_order=DateOrder(self.date_order.currentData()),
            # The reader finds the header itself (a two-row merged header included); a fixed
            # row here would cut such a header to its last row.
            header_row=None,
            columns=tuple(str(c["name"]) for c in info["columns"]),
            **roles,
            **self.profile.profile(),
        )


class ValidationPage(QWizardPage):
    """Runs the full typed import and shows what was missing, invalid or dropped."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Validation report")
        self.setSubTitle("Nothing is dropped without being listed here with its reason.")
        self.busy = BusyRow()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.columns = QTableWidget()
        self.columns.setObjectName("validationColumns")
        self.columns.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.findings = QListWidget()
        self.findings.setObjectName("validationFindings")
        layout = QVBoxLayout(self)
        layout.addWidget(self.busy)
        layout.addWidget(self.summary)
        layout.addWidget(self.columns, 1)
        layout.addWidget(QLabel("Rows and values needing attention"))
        layout.addWidget(self.findings, 1)
        self.result: Any = None
        self.source: DataSource | None = None

    def initializePage(self) -> None:
        from scorecard_studio.engines.importing import import_table

        self.result = None
        self.source = self.wiz.roles_page.source()
        source, path = self.source, self.wiz.path
        password = self.wiz.sheet_page.password.text() or None

        def work(progress: Any, cancel: Any) -> Any:
            return import_table(path, source, password=password, progress=progress, cancel=cancel)

        task = BackgroundTask(work, self)
        task.succeeded.connect(self._show)
        task.failed.connect(
            lambda m: self.summary.setText(f"<span style='color:#c62828'>Import failed: {m}</span>")
        )
        task.cancelled.connect(lambda: self.summary.setText("Import cancelled."))
        self.busy.run("Importing…", task)
        self.completeChanged.emit()

    def _show(self, result: Any) -> None:
        self.result = result
        report = result.report.to_json_dict()
        frame = result.frame
        dropped = report.get("dropped_rows", [])
        self.summary.setText(
            f"<b>{count(len(frame), 'row')}</b> and {count(len(frame.columns), 'column')} "
            f"ready; {count(len(dropped), 'row')} left out"
            + (" (listed below)." if dropped else ".")
        )
        stats = report.get("columns", [])
        keys = ["missing", "unparseable", "out_of_scale", "duplicated", "future"]
        self.columns.clear()
        self.columns.setRowCount(len(stats))
        self.columns.setColumnCount(2 + len(keys))
        self.columns.setHorizontalHeaderLabels(
            ["Column", "Type", *(k.replace("_", " ") for k in keys)]
        )
        for r, col in enumerate(stats):
            values = [col.get("name", ""), col.get("type", "")] + [
                f"{int(col.get(k, 0) or 0):,}" for k in keys
            ]
            for c, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if c >= 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.columns.setItem(r, c, item)
        self.columns.resizeColumnsToContents()
        self.findings.clear()
        for row in dropped[:500]:
            self.findings.addItem(f"row {row.get('row')}: left out — {row.get('reason')}")
        for f in report.get("findings", [])[:500]:
            self.findings.addItem(f"{f['severity']}: {f['message']}")
        if not self.findings.count():
            self.findings.addItem("Every row and value was read.")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.result is not None

    def cleanupPage(self) -> None:
        self.busy.cancel()


class ImportWizard(QWizard):
    """Guides a file into a data source of the scorecard."""

    def __init__(self, card: Scorecard, parent: QWidget | None = None, path: str | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import spreadsheet")
        self.setObjectName("importWizard")
        self.resize(900, 640)
        self.card = card
        self.file_page = FilePage(path)
        self.sheet_page = SheetPage(self)
        self.roles_page = RolesPage(self)
        self.validation_page = ValidationPage(self)
        for page in (self.file_page, self.sheet_page, self.roles_page, self.validation_page):
            self.addPage(page)
        self.outcome: ImportOutcome | None = None
        if path:
            self.setStartId(1)

    @property
    def path(self) -> Path:
        return Path(self.file_page.path.text().strip())

    def existing_source(self, sheet: object) -> DataSource | None:
        """The design's source that reads this same file and sheet (a refresh)."""
        for s in self.card.sources:
            if Path(s.file).name == self.path.name and (s.sheet or None) == (sheet or None):
                return s
        return None

    def accept(self) -> None:
        page = self.validation_page
        if page.result is not None and page.source is not None:
            kpis = self.roles_page.suggestions.accepted_kpis(page.source.id)
            self.outcome = ImportOutcome(page.source, page.result.frame, page.result.report, kpis)
        super().accept()

    def reject(self) -> None:
        self.sheet_page.busy.cancel()
        self.validation_page.busy.cancel()
        super().reject()
