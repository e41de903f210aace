"""What the Recent list remembers: every file the user opened or saved, and every store.

One list, newest first, of designs, portable ``.scorecard`` files, version stores (local
SQLite files and team store URLs) and the data workbooks imported. The kind of an entry
follows from the location itself (its suffix, or a ``postgresql://`` scheme), so the list
is plain strings in the settings and an entry written by an older release still reads.
A file that has gone is kept, marked missing, until the user removes it: it may be on a
drive that is not plugged in. Team store URLs are remembered without their password.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from scorecard_studio.qt.settings import settings

KEY = "recent/files"
MAX_RECENT = 15
TEAM_SCHEMES = ("postgresql://", "postgres://")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt")
STORE_SUFFIXES = (".sqlite3", ".sqlite", ".db")


class RecentKind(Enum):
    """What an entry is, which decides how clicking it opens it."""

    DESIGN = "Design"
    PORTABLE = "Portable scorecard"
    STORE = "Version store"
    TEAM_STORE = "Team store"
    WORKBOOK = "Data workbook"


@dataclass(frozen=True)
class RecentEntry:
    location: str
    kind: RecentKind
    exists: bool

    @property
    def label(self) -> str:
        """The name shown in the list: a file's name, or the team store URL itself."""
        if self.kind is RecentKind.TEAM_STORE:
            return self.location
        return Path(self.location).name


def kind_of(location: str) -> RecentKind:
    lowered = location.lower()
    if lowered.startswith(TEAM_SCHEMES):
        return RecentKind.TEAM_STORE
    suffix = Path(lowered).suffix
    if suffix == ".scorecard":
        return RecentKind.PORTABLE
    if suffix in WORKBOOK_SUFFIXES:
        return RecentKind.WORKBOOK
    if suffix in STORE_SUFFIXES:
        return RecentKind.STORE
    return RecentKind.DESIGN


def _stored() -> list[str]:
    value = settings().value(KEY, [])
    items: list[object] = [value] if isinstance(value, str) else list(value or [])  # type: ignore[call-overload]
    return [str(p) for p in items if str(p)]


def _entry(location: str) -> RecentEntry:
    kind = kind_of(location)
    exists = kind is RecentKind.TEAM_STORE or Path(location).exists()
    return RecentEntry(location, kind, exists)


def recent_entries() -> list[RecentEntry]:
    """Every remembered entry, newest first, those whose file has gone marked missing."""
    return [_entry(location) for location in _stored()]


def _remember(location: str) -> None:
    items = [p for p in _stored() if p != location]
    settings().setValue(KEY, [location, *items][:MAX_RECENT])


def add_recent_file(path: str | Path) -> None:
    """A file opened or saved (design, portable file, store file or workbook)."""
    _remember(str(Path(path).resolve()))


def without_password(url: str) -> str:
    """A team store URL as it may be remembered: the store layer's public form of it."""
    from scorecard_studio.domain.errors import StoreError
    from scorecard_studio.engines.store.postgres import parse_team_url, public_name

    try:
        return public_name(parse_team_url(url))
    except StoreError:
        # Not a URL the store can read: drop anything between "//" and "@" that has a ":".
        scheme, _, rest = url.partition("://")
        user_host = rest.split("/", 1)
        credentials, at, host = user_host[0].rpartition("@")
        if at:
            user_host[0] = f"{credentials.split(':', 1)[0]}@{host}"
        return f"{scheme}://{'/'.join(user_host)}"


def add_recent_store(location: str) -> None:
    """A store the window opened: a local file, or a team store URL (kept password-free)."""
    if location.lower().startswith(TEAM_SCHEMES):
        _remember(without_password(location))
    else:
        add_recent_file(location)


def remove_recent(location: str) -> None:
    settings().setValue(KEY, [p for p in _stored() if p != location])


def open_recent(workspace: Any, location: str) -> None:
    """Open a Recent entry the way its kind opens: a design or portable file, a store (and a
    scorecard in it), or a workbook through the import wizard."""
    kind = kind_of(location)
    if kind in (RecentKind.DESIGN, RecentKind.PORTABLE):
        workspace.open_path(location)
    elif kind is RecentKind.WORKBOOK:
        workspace.import_spreadsheet(location)
    else:
        open_store_entry(workspace, location)


def open_store_entry(workspace: Any, location: str) -> None:
    """Switch to another store and open a scorecard of it: the one used last when the
    store has it, the only one, or the one the user picks."""
    from PySide6.QtWidgets import QInputDialog

    from scorecard_studio.domain.errors import ScorecardError, StoreOpenError

    if not workspace.confirm_discard("opening another store"):
        return
    try:
        store = workspace.open_store_at(location)
        names = [info.name for info in store.list_scorecards()]
    except StoreOpenError as exc:
        workspace.recovery.handle(exc)
        return
    except ScorecardError as exc:
        workspace.warn("Cannot open the store", str(exc))
        return
    workspace.status(f"Opened the store {_entry(location).label}")
    last = str(settings().value("last/store_name", "") or "")
    if not names:
        workspace.status(f"The store {_entry(location).label} has no scorecards yet")
        return
    if last in names:
        name = last
    elif len(names) == 1:
        name = names[0]
    else:
        name, ok = QInputDialog.getItem(
            workspace.window, "Open scorecard", "Scorecards in this store:", names, 0, False
        )
        if not ok:
            return
    workspace.open_version(name)
