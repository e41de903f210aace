"""The start page: recent scorecards, templates and "Import spreadsheet…".

It is what a user sees with nothing open; every entry is one click (or Enter) away.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from scorecard_studio.qt.icons import icon
from scorecard_studio.qt.settings import recent_files
from scorecard_studio.resources import resource

_PATH = Qt.ItemDataRole.UserRole


def template_entries() -> list[tuple[str, str, Path]]:
    """(name, description, path) of each bundled template."""
    out: list[tuple[str, str, Path]] = []
    for path in sorted(resource("templates").glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            out.append((str(doc.get("name", path.stem)), str(doc.get("description", "")), path))
        except (OSError, ValueError):
            continue
    return out


class StartPage(QWidget):
    """Entry points into the app; emits what the user chose."""

    openRequested = Signal(str)  # a design, portable file or recent path
    templateRequested = Signal(str)  # a template path
    importRequested = Signal()
    newRequested = Signal()
    openDialogRequested = Signal()
    sampleRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("startPage")
        title = QLabel("<h1>Scorecard Studio</h1>")
        subtitle = QLabel("Build weighted customer balanced scorecards and export QBR reports.")
        subtitle.setWordWrap(True)

        actions = QVBoxLayout()
        for text, icon_name, signal in (
            ("Import spreadsheet…", "import", self.importRequested),
            ("Open…", "open", self.openDialogRequested),
            ("New blank scorecard", "new", self.newRequested),
            ("Open the sample scorecard", "chart", self.sampleRequested),
        ):
            button = QPushButton(icon(icon_name), text)
            button.setMinimumHeight(34)
            button.clicked.connect(signal)
            actions.addWidget(button)
        actions.addStretch(1)

        self.recent = QListWidget()
        self.recent.setObjectName("recentList")
        self.recent.itemActivated.connect(lambda item: self.openRequested.emit(item.data(_PATH)))
        recent_box = QGroupBox("Recent scorecards")
        QVBoxLayout(recent_box).addWidget(self.recent)

        self.templates = QListWidget()
        self.templates.setObjectName("templateList")
        self.templates.setWordWrap(True)
        self.templates.itemActivated.connect(
            lambda item: self.templateRequested.emit(item.data(_PATH))
        )
        templates_box = QGroupBox("Start from a template")
        QVBoxLayout(templates_box).addWidget(self.templates)

        grid = QGridLayout(self)
        grid.setContentsMargins(40, 30, 40, 30)
        grid.setHorizontalSpacing(24)
        grid.addWidget(title, 0, 0, 1, 3)
        grid.addWidget(subtitle, 1, 0, 1, 3)
        grid.addLayout(actions, 2, 0)
        grid.addWidget(recent_box, 2, 1)
        grid.addWidget(templates_box, 2, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        self.refresh()

    def refresh(self) -> None:
        self.recent.clear()
        for recent in recent_files():
            item = QListWidgetItem(Path(recent).name)
            item.setToolTip(recent)
            item.setData(_PATH, recent)
            self.recent.addItem(item)
        if not self.recent.count():
            placeholder = QListWidgetItem("Scorecards you open appear here")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(placeholder)
        self.templates.clear()
        for name, description, path in template_entries():
            item = QListWidgetItem(f"{name}\n{description}" if description else name)
            item.setToolTip(str(path))
            item.setData(_PATH, str(path))
            self.templates.addItem(item)
