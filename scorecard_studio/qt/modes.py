"""Workspaces: one screen per job (design, data, targets, dashboard, history…), picked from a
mode bar on the left or with Ctrl+1…Ctrl+9.

Desktop data tools split their work into modes rather than showing every panel at once
(Lightroom's modules, Qt Creator's modes): each job gets the room it needs, and switching is
one click or keystroke. A workspace is any widget; :meth:`WorkspaceHost.register` adds one in
a single call, so a later screen (a report preview) plugs in without touching the others.

What follows the user across workspaces lives outside them: the document and its undo
stack, and the selected KPI (the window keeps one selection and hands it to each view).
Each workspace's splitters are remembered in QSettings under the workspace's key, as is the
workspace that was open last.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from scorecard_studio.qt.icons import icon
from scorecard_studio.qt.settings import settings

#: Bumped when a workspace's splitters change incompatibly, so old saved sizes are ignored.
LAYOUT_VERSION = 1


@dataclass
class WorkspaceEntry:
    """A registered workspace: its key, title, widget and the action that shows it."""

    key: str
    title: str
    widget: QWidget
    action: QAction
    on_show: list[Callable[[], None]] = field(default_factory=list)


class SharedSlot(QWidget):
    """A place in a workspace where a widget shared between workspaces is shown.

    The scorecard tree is needed in Design (to edit it) and in Data (to drop columns onto
    it); there is one tree, with one selection and one set of actions, moved into the slot
    of the workspace on screen. The slot itself never leaves its splitter, so the
    splitter's remembered sizes stay valid.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.content: QWidget | None = None

    def take(self, widget: QWidget) -> None:
        """Show ``widget`` here (it leaves whatever slot held it)."""
        if widget.parent() is self:
            return
        self._layout.addWidget(widget)
        widget.show()
        self.content = widget

    def minimumSizeHint(self) -> QSize:
        inner = self.content.minimumSizeHint() if self.content is not None else QSize(0, 0)
        return inner.expandedTo(super().minimumSizeHint())


def splitter(name: str, orientation: Qt.Orientation, *widgets: QWidget) -> QSplitter:
    """A splitter whose sizes are remembered by ``name``; panes never collapse to nothing."""
    out = QSplitter(orientation)
    out.setObjectName(name)
    out.setChildrenCollapsible(False)
    for w in widgets:
        out.addWidget(w)
    return out


class ModeBar(QToolBar):
    """The column of workspace buttons, icon above text, as in a desktop data tool."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Workspaces", parent)
        self.setObjectName("modeBar")
        self.setMovable(False)
        self.setFloatable(False)
        self.setOrientation(Qt.Orientation.Vertical)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        self.setIconSize(QSize(24, 24))
        self.group = QActionGroup(self)
        self.group.setExclusive(True)

    def add_mode(self, action: QAction) -> None:
        self.group.addAction(action)
        self.addAction(action)
        button = self.widgetForAction(action)
        if isinstance(button, QToolButton):
            button.setObjectName(f"mode_{action.data()}")
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)


class WorkspaceHost(QStackedWidget):
    """The stack of workspaces and the mode bar that switches between them."""

    #: The key of the workspace now on screen.
    workspaceChanged = Signal(str)
    #: A workspace was asked for (a mode button, its shortcut), even the one on screen:
    #: the window then leaves the start page.
    shown = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workspaces")
        self.bar = ModeBar(parent)
        self.entries: dict[str, WorkspaceEntry] = {}

    def register(
        self,
        title: str,
        widget: QWidget,
        shortcut: str | QKeySequence | None = None,
        icon_name: str = "",
        key: str = "",
    ) -> QAction:
        """Add a workspace with its mode button; the n-th one gets Ctrl+n unless told.

        Its splitters (those with an object name) get their remembered sizes back.
        """
        key = key or title.lower().replace(" ", "_")
        if key in self.entries:
            raise ValueError(f"a workspace named {title!r} is already registered")
        n = len(self.entries) + 1
        action = QAction(icon(icon_name), title, self)
        action.setCheckable(True)
        action.setData(key)
        chosen = shortcut if shortcut is not None else (f"Ctrl+{n}" if n <= 9 else None)
        if chosen is not None:
            action.setShortcut(QKeySequence(chosen))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setToolTip(f"{title} ({QKeySequence(chosen).toString()})")
        action.triggered.connect(lambda _checked=False, k=key: self.show_workspace(k))
        widget.setObjectName(widget.objectName() or f"workspace_{key}")
        self.addWidget(widget)
        self.entries[key] = WorkspaceEntry(key, title, widget, action)
        self.bar.add_mode(action)
        self.restore_layout(key)
        if len(self.entries) == 1:
            action.setChecked(True)
        return action

    def on_show(self, key: str, callback: Callable[[], None]) -> None:
        """Run ``callback`` every time workspace ``key`` comes on screen."""
        self.entries[key].on_show.append(callback)

    def replace_widget(self, key: str, widget: QWidget) -> None:
        """Put a new widget in place of a workspace's (a view built later, e.g. the charts)."""
        entry = self.entries[key]
        old = entry.widget
        showing = self.currentWidget() is old
        index = self.indexOf(old)
        self.insertWidget(index, widget)
        entry.widget = widget
        if showing:
            self.setCurrentWidget(widget)
        self.removeWidget(old)
        self.restore_layout(key)

    @property
    def current_key(self) -> str:
        current = self.currentWidget()
        return next((k for k, e in self.entries.items() if e.widget is current), "")

    def show_workspace(self, key: str) -> None:
        entry = self.entries.get(key)
        if entry is None:
            return
        entry.action.setChecked(True)
        for callback in entry.on_show:
            callback()
        if self.currentWidget() is not entry.widget:
            self.setCurrentWidget(entry.widget)
            self.workspaceChanged.emit(key)
        self.shown.emit(key)

    # --- remembered layout ----------------------------------------------------------------

    @staticmethod
    def _splitters(widget: QWidget) -> list[QSplitter]:
        found = [widget] if isinstance(widget, QSplitter) else []
        found += widget.findChildren(QSplitter)
        return [s for s in found if s.objectName()]

    def save_layout(self) -> None:
        s = settings()
        s.setValue("workspaces/version", LAYOUT_VERSION)
        s.setValue("workspaces/current", self.current_key)
        for key, entry in self.entries.items():
            for split in self._splitters(entry.widget):
                s.setValue(f"workspaces/{key}/{split.objectName()}", split.saveState())

    def restore_layout(self, key: str) -> None:
        s = settings()
        if s.value("workspaces/version") not in (LAYOUT_VERSION, str(LAYOUT_VERSION)):
            return
        for split in self._splitters(self.entries[key].widget):
            state = s.value(f"workspaces/{key}/{split.objectName()}")
            if isinstance(state, QByteArray):
                split.restoreState(state)

    def restore_current(self) -> None:
        """Show the workspace that was on screen when the window last closed."""
        key = settings().value("workspaces/current")
        if isinstance(key, str) and key in self.entries:
            self.show_workspace(key)
