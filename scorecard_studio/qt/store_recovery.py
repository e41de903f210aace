"""What the window does when the version store cannot be opened.

A full disk is transient and harmless (the store is intact): it is a warning. A file that
is not a store, a damaged store or one from a newer release will not get better by
retrying, so the user is asked what to do (:mod:`.dialogs.damaged_store`): open another
store, move the file aside and start a new one, or quit. Whatever they choose, the window
never deletes the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMainWindow

from scorecard_studio.domain.errors import ScorecardError, StoreOpenError
from scorecard_studio.qt.dialogs import damaged_store
from scorecard_studio.qt.dialogs.damaged_store import StoreChoice


class StoreRecovery:
    """Offers the ways out of a store that cannot be opened, on behalf of the workspace.

    ``reopen(path)`` points the workspace at a store file (None: the default location)
    and opens it, raising the StoreError of a failure; ``warn`` and ``status`` show
    messages.
    """

    def __init__(
        self,
        window: QMainWindow,
        reopen: Callable[[str | None], object],
        warn: Callable[[str, str], None],
        status: Callable[[str], None],
    ) -> None:
        self.window = window
        self._reopen = reopen
        self._warn = warn
        self._status = status

    def handle(self, error: StoreOpenError) -> bool:
        """Resolve ``error`` with the user; True when a store is open afterwards."""
        while True:
            if error.kind == "disk_full":
                self._warn("The disk is full", str(error))
                return False
            path = Path(error.path) if error.path else Path("store")
            choice = damaged_store.ask_about_store(self.window, path, error.kind, str(error))
            try:
                if choice is StoreChoice.OPEN_ANOTHER:
                    chosen, _ = QFileDialog.getOpenFileName(
                        self.window,
                        "Open another store",
                        str(path.parent),
                        "Scorecard Studio stores (*.sqlite3);;All files (*)",
                    )
                    if not chosen:
                        continue
                    self._reopen(chosen)
                    self._status(f"Opened the store {Path(chosen).name}")
                    return True
                if choice is StoreChoice.START_NEW:
                    try:
                        moved = damaged_store.move_aside(path)
                    except OSError as exc:
                        self._warn("Cannot move the file aside", f"{path}: {exc.strerror}")
                        return False
                    self._reopen(str(path))
                    self._status(f"Started a new store; the old file is kept as {moved.name}")
                    return True
                if choice is StoreChoice.QUIT:
                    self.window.close()
                return False
            except StoreOpenError as again:
                error = again
            except ScorecardError as exc:
                self._warn("The version store cannot be opened", str(exc))
                return False
