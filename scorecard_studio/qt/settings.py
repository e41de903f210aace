"""What the window remembers between runs: layout and last folders (the Recent list is
:mod:`scorecard_studio.qt.recent`).

QSettings keeps it in the platform's usual place; tests point it at a temporary folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings


def settings() -> QSettings:
    return QSettings()


def last_folder(kind: str) -> str:
    return str(settings().value(f"folders/{kind}", str(Path.home())))


def remember_folder(kind: str, path: str | Path) -> None:
    settings().setValue(f"folders/{kind}", str(Path(path).parent))
