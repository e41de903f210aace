"""What the window remembers between runs: layout, recent scorecards, last folders.

QSettings keeps it in the platform's usual place; tests point it at a temporary folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

MAX_RECENT = 10


def settings() -> QSettings:
    return QSettings()


def recent_files() -> list[str]:
    """Recently opened files that still exist, newest first."""
    value = settings().value("recent/files", [])
    items: list[object] = [value] if isinstance(value, str) else list(value or [])  # type: ignore[call-overload]
    return [str(p) for p in items if Path(str(p)).exists()]


def add_recent_file(path: str | Path) -> None:
    text = str(Path(path).resolve())
    items = [p for p in recent_files() if p != text]
    settings().setValue("recent/files", [text, *items][:MAX_RECENT])


def last_folder(kind: str) -> str:
    return str(settings().value(f"folders/{kind}", str(Path.home())))


def remember_folder(kind: str, path: str | Path) -> None:
    settings().setValue(f"folders/{kind}", str(Path(path).parent))
