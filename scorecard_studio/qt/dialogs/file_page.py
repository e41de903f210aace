"""The import wizard's first page, and the inline progress row its later pages share.

:class:`FilePage` takes a path (typed or browsed to) and lets the wizard go on only for an
existing file with a suffix the importer reads. :class:`BusyRow` shows a page's background
read with a progress bar and Cancel, on the page itself rather than in a modal dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from scorecard_studio.qt.settings import last_folder, remember_folder
from scorecard_studio.qt.tasks import BackgroundTask

SUPPORTED = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt")


class BusyRow(QWidget):
    """An inline progress bar with Cancel, for work started by a wizard page."""

    def __init__(self) -> None:
        super().__init__()
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.cancel_button = QPushButton("Cancel")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.cancel_button)
        self.task: BackgroundTask | None = None
        self.hide()

    def run(self, label: str, task: BackgroundTask) -> None:
        self.cancel()
        self.task = task
        self.label.setText(label)
        self.bar.setValue(0)
        task.progress.connect(lambda f: self.bar.setValue(int(f * 1000)))
        task.finished.connect(self._finished)
        self.cancel_button.clicked.connect(task.cancel)
        self.show()
        task.start()

    def _finished(self) -> None:
        self.hide()
        self.task = None

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    @property
    def running(self) -> bool:
        return self.task is not None


class FilePage(QWizardPage):
    """The first page: a path typed or browsed to, checked to exist and to be readable."""

    def __init__(self, path: str | None) -> None:
        super().__init__()
        self.setTitle("Choose a spreadsheet")
        self.setSubTitle("Excel (xlsx, xlsm, xls), OpenDocument (ods) or text (csv, tsv, txt).")
        self.path = QLineEdit(path or "")
        self.path.setObjectName("importPath")
        self.path.textChanged.connect(self.completeChanged)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #c62828;")
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        layout.addStretch(1)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Import spreadsheet",
            last_folder("import"),
            "Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv *.tsv *.txt);;All files (*)",
        )
        if path:
            remember_folder("import", path)
            self.path.setText(path)

    def isComplete(self) -> bool:
        return bool(self.path.text().strip())

    def validatePage(self) -> bool:
        path = Path(self.path.text().strip())
        if not path.is_file():
            self.problem.setText(f"{path.name or path}: no such file")
            return False
        if path.suffix.lower() not in SUPPORTED:
            self.problem.setText(
                f"{path.name}: not a spreadsheet this app reads ({', '.join(SUPPORTED)})"
            )
            return False
        self.problem.clear()
        return True
