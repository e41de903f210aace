"""The store cannot be opened: say why, and offer the ways out.

A store file can be some other file (random bytes, another program's database), a store
whose file was cut short or overwritten, or a store from a newer release. An OK button
would leave the user stuck, every later save repeating the warning; this dialog offers
what can actually be done: open another store, move the file aside and start a new store
(the file is renamed, never deleted, so it can still be recovered or sent for help), or
quit. Escape or closing the dialog chooses nothing; the window stays without a store.
"""

from __future__ import annotations

import datetime as dt
import html
from enum import Enum
from pathlib import Path

from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

#: What the user is told for each kind of failure (``StoreOpenError.kind``).
EXPLANATIONS = {
    "not_a_store": (
        "This file is not a Scorecard Studio store: it holds something else, such as random "
        "bytes or another program's data."
    ),
    "damaged": (
        "The store file is damaged: it was cut short (a copy or a disk that did not finish) "
        "or partly overwritten. Versions exported as .scorecard files or kept in a backup "
        "can be imported into a new store."
    ),
    "newer": (
        "The store was written by a newer release of Scorecard Studio. Update the app to "
        "open it; this release leaves it untouched."
    ),
    "unreadable": (
        "The store file cannot be read or written (its permissions, or a fault of the disk)."
    ),
}


class StoreChoice(Enum):
    """What the user chose to do about a store that cannot be opened."""

    NONE = "none"
    OPEN_ANOTHER = "open_another"
    START_NEW = "start_new"
    QUIT = "quit"


class DamagedStoreDialog(QDialog):
    """Explains why the store at ``path`` cannot be opened and offers three ways out."""

    def __init__(self, parent: QWidget | None, path: Path, kind: str, detail: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("The version store cannot be opened")
        self.choice = StoreChoice.NONE
        layout = QVBoxLayout(self)
        explanation = EXPLANATIONS.get(kind, "The store file cannot be opened.")
        self.message = QLabel(
            f"<b>{html.escape(str(path))}</b><br><br>{html.escape(explanation)}"
            f"<br><br><small>{html.escape(detail)}</small>"
        )
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.buttons: dict[StoreChoice, QPushButton] = {}
        for choice, text in (
            (StoreChoice.OPEN_ANOTHER, "Open another store…"),
            (StoreChoice.START_NEW, "Move this file aside and start a new store"),
            (StoreChoice.QUIT, "Quit"),
        ):
            button = QPushButton(text, self)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, c=choice: self._choose(c))
            layout.addWidget(button)
            self.buttons[choice] = button
        self.buttons[StoreChoice.OPEN_ANOTHER].setDefault(True)

    def _choose(self, choice: StoreChoice) -> None:
        self.choice = choice
        self.accept()


def ask_about_store(parent: QWidget | None, path: Path, kind: str, detail: str) -> StoreChoice:
    """Show the dialog modally and return the choice (tests replace this function)."""
    dialog = DamagedStoreDialog(parent, path, kind, detail)
    dialog.exec()
    return dialog.choice


def move_aside(path: Path, now: dt.datetime | None = None) -> Path:
    """Rename a store file (and its journal files) to ``NAME.damaged-YYYYMMDD-HHMMSS``.

    Nothing is deleted: the renamed file can still be recovered or sent for help. The
    journal files move with it, since SQLite would otherwise replay them into a new store.
    """
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{counter}")
    path.rename(target)
    for suffix in ("-wal", "-shm", "-journal"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    return target
