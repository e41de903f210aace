"""The History dock: the saved versions of the open scorecard, their diff, restore, freeze.

Versions are listed newest first with message, author, time and frozen label. Selecting
two versions (Ctrl+click) and "Compare" shows their readable diff; a single version is
compared with the working design. Restore makes an old version the new head (a new
version, nothing is rewritten); Freeze labels a version as the one used for a QBR.

The store may be a team's PostgreSQL over a network, so the list and the diffs are read
off the UI thread ("Reading…" while the list is empty), the newest read winning; Restore
and Freeze are one short write each, made under a busy cursor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scorecard_studio.domain.errors import ScorecardError
from scorecard_studio.qt.icons import icon
from scorecard_studio.qt.store_reads import READING_TEXT, LatestRead, busy_cursor

if TYPE_CHECKING:
    from scorecard_studio.qt.document import ScorecardDocument


class HistoryHost(Protocol):
    """What the panel needs of the workspace that owns the store and the open document.

    The panel is given its host rather than importing the workspace (which the main window
    builds it beside), so neither module imports the other.
    """

    document: ScorecardDocument

    def store(self) -> Any:
        """The version store, opened on first use."""
        ...

    def confirm_discard(self, doing: str) -> bool:
        """True when unsaved edits may be dropped for ``doing`` (the user is asked)."""
        ...

    def open_from_store(self, name: str, number: int | None = None) -> None:
        """Open a stored version as the document."""
        ...

    def open_version(self, name: str, number: int | None = None, *, quietly: bool = False) -> Any:
        """Open a stored version as the document, reading the store in the background."""
        ...

    def status(self, message: str, ms: int = 6000) -> None:
        """Show ``message`` in the window's status bar."""
        ...


_NUMBER = Qt.ItemDataRole.UserRole


class DiffDialog(QDialog):
    """A read-only, monospaced rendering of a design diff."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(720, 520)
        self.text = QPlainTextEdit(text or "No differences.")
        self.text.setObjectName("diffText")
        self.text.setReadOnly(True)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.text.setFont(font)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)


class HistoryPanel(QWidget):
    """Lists and acts on the versions of the document's scorecard in the store."""

    def __init__(self, workspace: HistoryHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.tree = QTreeWidget()
        self.tree.setObjectName("historyTree")
        self.tree.setHeaderLabels(["Version", "Message", "Author", "Saved", "Frozen"])
        self.tree.setRootIsDecorated(False)
        # The message takes the room left by the others, so "Frozen", the last column,
        # stays on screen however long the messages are (whole in their tooltips).
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col in (0, 2, 3, 4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.itemSelectionChanged.connect(self._update_actions)
        self.tree.itemActivated.connect(lambda _i, _c: self.compare_selected())
        self.info = QLabel()
        self.info.setWordWrap(True)

        self.diff_action = QAction(icon("diff"), "Compare versions", self)
        self.diff_action.triggered.connect(self.compare_selected)
        self.restore_action = QAction(icon("restore"), "Restore version", self)
        self.restore_action.triggered.connect(self.restore_selected)
        self.freeze_action = QAction(icon("freeze"), "Freeze for a QBR…", self)
        self.freeze_action.triggered.connect(self.freeze_selected)
        self.open_action = QAction(icon("open"), "Open version", self)
        self.open_action.triggered.connect(self.open_selected)

        bar = QToolBar()
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.addActions(
            [self.diff_action, self.restore_action, self.freeze_action, self.open_action]
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.info)
        layout.addWidget(self.tree)
        layout.addWidget(bar)
        self.versions: list[Any] = []
        #: The scorecard whose versions are listed.
        self._listed: str | None = None
        #: The versions read, and the diff read (the newest request of each wins).
        self.reading = LatestRead(self)
        self.compare_reading = LatestRead(self)
        self.compare_reading.busyChanged.connect(lambda _busy: self._update_actions())
        self._update_actions()

    # --- data ---------------------------------------------------------------------------

    @property
    def name(self) -> str | None:
        return self.workspace.document.store_name

    def refresh(self) -> None:
        """Read the scorecard's versions again, in the background; listed when they arrive."""
        name = self.name
        if name is None:
            self.reading.cancel()
            self.tree.clear()
            self.versions = []
            self.info.setText("Not saved yet: File › Save version (Ctrl+S) starts its history.")
            self._update_actions()
            return
        if not self.versions or self._listed != name:
            self.tree.clear()  # another scorecard's versions are never shown as this one's
            self.versions = []
            self.info.setText(READING_TEXT)
            self._update_actions()
        store = self.workspace.store
        self.reading.request(
            lambda: list(store().log(name)),
            lambda versions: self._read(name, versions),
            lambda message: self._read_failed(name, message),
        )

    def _read(self, name: str, versions: list[Any]) -> None:
        if name != self.name:
            return  # read for a scorecard no longer open; its own read follows
        self.tree.clear()
        self.versions, self._listed = versions, name
        base = self.workspace.document.shown_version
        for v in reversed(self.versions):
            item = QTreeWidgetItem(
                [
                    f"v{v.number}",
                    v.message,
                    v.author or "",
                    _when(v.created_at),
                    v.frozen_label or "",
                ]
            )
            item.setData(0, _NUMBER, v.number)
            item.setToolTip(0, f"hash {v.hash}")
            item.setToolTip(1, v.message)
            if v.number == base:
                font = item.font(0)
                font.setBold(True)
                for col in range(5):
                    item.setFont(col, font)
            if v.frozen_label:
                item.setIcon(4, icon("freeze"))
            self.tree.addTopLevelItem(item)
        self.info.setText(
            f"{_versions(len(self.versions))} of “{self.name}”; bold: the one being edited"
        )
        self._update_actions()

    def _read_failed(self, name: str, message: str) -> None:
        if name == self.name:
            self.tree.clear()
            self.versions = []
            self.info.setText(message)
            self._update_actions()

    def selected_numbers(self) -> list[int]:
        return sorted(int(i.data(0, _NUMBER)) for i in self.tree.selectedItems())

    def _update_actions(self) -> None:
        chosen = self.selected_numbers()
        self.diff_action.setEnabled(len(chosen) in (1, 2) and not self.compare_reading.busy)
        self.restore_action.setEnabled(len(chosen) == 1)
        self.freeze_action.setEnabled(len(chosen) == 1)
        self.open_action.setEnabled(len(chosen) == 1)

    # --- actions ------------------------------------------------------------------------

    def compare_selected(self) -> None:
        """The selected versions' diff, read in the background (Compare waits meanwhile)."""
        chosen = self.selected_numbers()
        name = self.name
        if not chosen or name is None:
            return
        store, card = self.workspace.store, self.workspace.document.card
        self.info.setText(f"{READING_TEXT} (comparing versions)")
        self.compare_reading.request(
            lambda: _compare(store(), name, card, *chosen), self._compared, self._compare_failed
        )

    def _compared(self, outcome: tuple[str, Any]) -> None:
        self._restore_info()
        title, diff = outcome
        DiffDialog(title, diff.to_text(), self).exec()

    def _compare_failed(self, message: str) -> None:
        self._restore_info()
        QMessageBox.warning(self, "Compare versions", message)

    def _restore_info(self) -> None:
        if self.versions and self.name is not None:
            self.info.setText(
                f"{_versions(len(self.versions))} of “{self.name}”; bold: the one being edited"
            )

    def compare(self, a: int, b: int | None = None) -> tuple[str, Any]:
        """(title, diff) of two versions, or of one version and the working design.

        Reads the store where it is called; the Compare action calls it off the UI thread.
        """
        assert self.name is not None
        return _compare(self.workspace.store(), self.name, self.workspace.document.card, a, b)

    def restore_selected(self) -> None:
        chosen = self.selected_numbers()
        if len(chosen) != 1 or self.name is None:
            return
        answer = QMessageBox.question(
            self,
            "Restore version",
            f"Restore version {chosen[0]} as a new version and open it? The versions in "
            "between are kept, but the undo history of this window starts again.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        if not self.workspace.confirm_discard("restoring an older version"):
            return
        try:
            with busy_cursor():
                info = self.workspace.store().restore(self.name, chosen[0])
        except ScorecardError as exc:
            QMessageBox.warning(self, "Restore version", str(exc))
            return
        self.workspace.open_version(self.name, info.number)
        self.workspace.status(f"Version {chosen[0]} restored as version {info.number}")

    def freeze_selected(self) -> None:
        chosen = self.selected_numbers()
        if self.name is None:
            QMessageBox.information(self, "Freeze", "Save the scorecard as a version first.")
            return
        if len(chosen) != 1:
            chosen = [self.workspace.document.shown_version or 0]
        label, ok = QInputDialog.getText(
            self, "Freeze version", f"Label for version {chosen[0]} (e.g. “QBR 2026 Q3”):"
        )
        if ok and label.strip():
            self.freeze(chosen[0], label.strip())

    def freeze(self, number: int, label: str) -> bool:
        """Freeze a version under a label; frozen versions can never change again."""
        assert self.name is not None
        try:
            with busy_cursor():
                self.workspace.store().freeze(self.name, number, label)
        except ScorecardError as exc:
            QMessageBox.warning(self, "Freeze version", str(exc))
            return False
        self.refresh()
        self.workspace.status(f"Version {number} frozen as “{label}”")
        return True

    def open_selected(self) -> None:
        chosen = self.selected_numbers()
        if (
            len(chosen) == 1
            and self.name is not None
            and self.workspace.confirm_discard("opening another version")
        ):
            self.workspace.open_version(self.name, chosen[0])


def _compare(store: Any, name: str, card: Any, a: int, b: int | None = None) -> tuple[str, Any]:
    """(title, diff) of versions ``a`` and ``b`` of ``name``, or of ``a`` and ``card``."""
    from scorecard_studio.domain.design_diff import diff_designs

    if b is not None:
        return f"Changes from v{a} to v{b}", store.diff(name, a, b)
    old = store.checkout(name, a).design
    return f"Changes from v{a} to the working design", diff_designs(old, card)


def _when(value: Any) -> str:
    text = str(value)
    return text[:16].replace("T", " ")


def _versions(count: int) -> str:
    return f"{count} version" if count == 1 else f"{count} versions"
