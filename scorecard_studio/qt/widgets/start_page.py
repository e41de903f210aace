"""The start page: recent files and stores, templates and "Import spreadsheet…".

It is what a user sees with nothing open; every entry is one click (or Enter) away. The
Recent list holds everything the user opened or saved (designs, portable files, stores and
imported workbooks, see :mod:`scorecard_studio.qt.recent`), newest first; a file that has
gone is marked missing and can be removed (Delete, or the Remove button).
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from scorecard_studio.qt.icons import icon
from scorecard_studio.qt.recent import RecentEntry, RecentKind, recent_entries, remove_recent
from scorecard_studio.qt.widgets.two_line_delegate import SUBTITLE, TwoLineDelegate
from scorecard_studio.resources import resource

_PATH = Qt.ItemDataRole.UserRole
_MISSING = Qt.ItemDataRole.UserRole + 2


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


def recent_subtitle(entry: RecentEntry) -> str:
    """The second line of a Recent row: what it is and where, or that it has gone."""
    if entry.kind is RecentKind.TEAM_STORE:
        return str(entry.kind.value)
    folder = str(Path(entry.location).parent)
    if not entry.exists:
        return f"Missing: no longer in {folder}"
    return f"{entry.kind.value} · {folder}"


def _heading(text: str) -> QLabel:
    label = QLabel(f"<h3 style='margin:0'>{text}</h3>")
    label.setContentsMargins(0, 0, 0, 4)
    return label


def _entry_list(name: str) -> QListWidget:
    view = QListWidget()
    view.setObjectName(name)
    view.setItemDelegate(TwoLineDelegate(view))
    view.setWordWrap(True)
    view.setResizeMode(QListWidget.ResizeMode.Adjust)
    view.setSpacing(2)
    return view


class StartPage(QWidget):
    """Entry points into the app; emits what the user chose."""

    openRequested = Signal(str)  # a Recent entry: a file, store file or team store URL
    templateRequested = Signal(str)  # a template path
    importRequested = Signal()
    newRequested = Signal()
    openDialogRequested = Signal()
    sampleRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("startPage")
        title = QLabel("<h1 style='margin:0'>Scorecard Studio</h1>")
        subtitle = QLabel(
            "<p style='margin:0'>Build weighted customer balanced scorecards and export "
            "QBR reports.</p>"
        )
        subtitle.setWordWrap(True)

        actions = QVBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(_heading("Start"))
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

        self.recent = _entry_list("recentList")
        self.recent.itemActivated.connect(self._recent_activated)
        self.recent.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.recent.customContextMenuRequested.connect(self._recent_menu)
        self.recent.currentItemChanged.connect(lambda *_: self._update_remove())
        remove_key = QShortcut(QKeySequence.StandardKey.Delete, self.recent)
        remove_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove_key.activated.connect(self.remove_selected)
        self.remove_button = QPushButton("Remove from list")
        self.remove_button.setToolTip("Forget the selected entry (the file itself is kept)")
        self.remove_button.clicked.connect(self.remove_selected)
        self.recent_hint = QLabel()
        self.recent_hint.setWordWrap(True)
        recent_foot = QHBoxLayout()
        recent_foot.addWidget(self.recent_hint, 1)
        recent_foot.addWidget(self.remove_button)
        recent_box = QVBoxLayout()
        recent_box.setSpacing(6)
        recent_box.addWidget(_heading("Recent"))
        recent_box.addWidget(self.recent, 1)
        recent_box.addLayout(recent_foot)

        self.templates = _entry_list("templateList")
        self.templates.itemActivated.connect(
            lambda item: self.templateRequested.emit(item.data(_PATH))
        )
        templates_box = QVBoxLayout()
        templates_box.setSpacing(6)
        templates_box.addWidget(_heading("Start from a template"))
        templates_box.addWidget(self.templates, 1)

        grid = QGridLayout(self)
        grid.setContentsMargins(40, 30, 40, 30)
        grid.setHorizontalSpacing(28)
        grid.setVerticalSpacing(10)
        grid.addWidget(title, 0, 0, 1, 3)
        grid.addWidget(subtitle, 1, 0, 1, 3)
        grid.setRowMinimumHeight(2, 12)
        grid.addLayout(actions, 3, 0)
        grid.addLayout(recent_box, 3, 1)
        grid.addLayout(templates_box, 3, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(3, 1)
        self.refresh()

    def refresh(self) -> None:
        self.recent.clear()
        for entry in recent_entries():
            item = QListWidgetItem(entry.label if entry.exists else f"{entry.label} (missing)")
            item.setData(SUBTITLE, recent_subtitle(entry))
            item.setData(_PATH, entry.location)
            item.setData(_MISSING, not entry.exists)
            item.setToolTip(
                entry.location if entry.exists else f"{entry.location} is no longer there"
            )
            self.recent.addItem(item)
        if not self.recent.count():
            placeholder = QListWidgetItem("Nothing opened yet")
            placeholder.setData(
                SUBTITLE, "Designs, portable files, stores and workbooks you open appear here"
            )
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(placeholder)
        self.recent_hint.clear()
        self._update_remove()
        self.templates.clear()
        for name, description, path in template_entries():
            item = QListWidgetItem(name)
            item.setData(SUBTITLE, description)
            item.setToolTip(str(path))
            item.setData(_PATH, str(path))
            self.templates.addItem(item)

    def recent_locations(self) -> list[str]:
        """The locations the Recent list shows, top to bottom (missing ones included)."""
        items = (self.recent.item(i) for i in range(self.recent.count()))
        return [str(item.data(_PATH)) for item in items if item.data(_PATH)]

    def _recent_activated(self, item: QListWidgetItem) -> None:
        location = item.data(_PATH)
        if not location:
            return
        if item.data(_MISSING):
            self.recent_hint.setText(
                f"{location} is no longer there. Remove it from the list, or put the file "
                "back and try again."
            )
            return
        self.openRequested.emit(str(location))

    def _update_remove(self) -> None:
        item = self.recent.currentItem()
        self.remove_button.setEnabled(item is not None and bool(item.data(_PATH)))

    def remove_selected(self) -> None:
        """Forget the selected Recent entry (the file itself is left alone)."""
        item = self.recent.currentItem()
        if item is None or not item.data(_PATH):
            return
        row = self.recent.row(item)
        remove_recent(str(item.data(_PATH)))
        self.refresh()
        if self.recent.count() and self.recent.item(0).data(_PATH):
            self.recent.setCurrentRow(min(row, self.recent.count() - 1))

    def _recent_menu(self, pos: QPoint) -> None:
        item = self.recent.itemAt(pos)
        if item is None or not item.data(_PATH):
            return
        self.recent.setCurrentItem(item)
        menu = QMenu(self)
        if not item.data(_MISSING):
            menu.addAction("Open", lambda: self._recent_activated(item))
        menu.addAction("Remove from list", self.remove_selected)
        menu.exec(self.recent.viewport().mapToGlobal(pos))
