"""What went wrong when the store file itself fails, said so a person knows what to do.

SQLite reports a full disk, a file that is not a database, and a database whose pages were
cut off with a handful of terse messages (and a full disk often as a plain "disk I/O
error", when the journal's side files cannot be created). Telling a full disk from a
damaged store matters: the first is harmless (nothing was written, the store is intact),
the second needs the user to act. This module looks at the free space and at the file's
first bytes to tell them apart.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

from scorecard_studio.domain.errors import StoreError, StoreOpenError

#: Free space below which a write failure is taken for a full disk.
LOW_SPACE_BYTES = 1024 * 1024

#: The first bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"


def free_bytes(path: Path) -> int | None:
    """Free space on the disk that holds ``path`` (None if it cannot be told)."""
    folder = path if path.is_dir() else path.parent
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def disk_is_full(path: Path) -> bool:
    free = free_bytes(path)
    return free is not None and free < LOW_SPACE_BYTES


def looks_like_sqlite(path: Path) -> bool:
    """Whether the file starts as an SQLite database does (so a failure means damage)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def disk_full_error(path: Path, *, writing: bool) -> StoreOpenError:
    done = "nothing was saved" if writing else "nothing was changed"
    return StoreOpenError(
        f"{path}: the disk is full: {done} and the store is intact; free some space and try again",
        kind="disk_full",
        path=str(path),
    )


def explain(path: Path, detail: str, *, writing: bool = False) -> StoreError:
    """The one-line error for a database failure ``detail`` on the store file ``path``."""
    text = detail.lower()
    if "full" in text or "i/o error" in text or "unable to open" in text:
        if disk_is_full(path):
            return disk_full_error(path, writing=writing)
        if "full" in text:
            return disk_full_error(path, writing=writing)
        return StoreOpenError(
            f"{path}: cannot read or write the store file ({detail}); it was not changed",
            kind="unreadable",
            path=str(path),
        )
    if "locked" in text or "busy" in text:
        return StoreError(
            "the store is busy: another window or process holds it; try again in a moment"
        )
    if looks_like_sqlite(path) or "malformed" in text or "corrupt" in text:
        return StoreOpenError(
            f"{path}: the store is damaged ({detail}): the file was cut short or overwritten",
            kind="damaged",
            path=str(path),
        )
    return StoreOpenError(
        f"{path}: not a Scorecard Studio store ({detail})", kind="not_a_store", path=str(path)
    )


def from_os_error(path: Path, exc: OSError, action: str) -> StoreError:
    """A one-line error for the operating system refusing ``action`` on ``path``."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StoreError(f"{path}: the disk is full; nothing was written (free some space)")
    return StoreError(f"{path}: cannot {action} ({exc.strerror or exc})")
