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


#: Where the user's own name is kept (versions and reports name them by it).
AUTHOR_KEY = "identity/author"


def author_name() -> str:
    """The name the user gave for versions and reports ("" until they give one)."""
    return str(settings().value(AUTHOR_KEY, "") or "").strip()


def set_author_name(name: str) -> None:
    settings().setValue(AUTHOR_KEY, " ".join(name.split()))


def suggested_author() -> str:
    """A first guess at the user's name: the full name of their account, else its login.

    Offered in the "Your name" dialog; never recorded unless the user confirms it.
    """
    import getpass
    import os

    try:
        import pwd

        full = pwd.getpwuid(os.getuid()).pw_gecos.split(",")[0].strip()
    except (ImportError, KeyError, OSError):
        full = ""
    if full:
        return full
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""
