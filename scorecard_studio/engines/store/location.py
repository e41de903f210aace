"""Where the store lives, who is writing, and what time it is — the store's three inputs
from the world outside, kept together so tests can see (and steer) all of them.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from pathlib import Path

#: Environment variable naming the store file; the ``--store-path`` option wins over it.
STORE_ENV = "SCORECARD_STUDIO_STORE"

#: Environment variable naming a team store (``postgresql://…``); ``--store-url`` wins over it,
#: and an explicit ``--store-path`` too.
STORE_URL_ENV = "SCORECARD_STUDIO_STORE_URL"

#: Environment variable naming the author recorded on saves (default: the login name).
AUTHOR_ENV = "SCORECARD_STUDIO_AUTHOR"

APP_NAME = "Scorecard Studio"
STORE_FILE = "store.sqlite3"


def default_store_path() -> Path:
    """The per-user store: ``user_data_dir("Scorecard Studio")/store.sqlite3``."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / STORE_FILE


def resolve_store_path(path: str | os.PathLike[str] | None = None) -> Path:
    """An explicit path, else ``$SCORECARD_STUDIO_STORE``, else the per-user default."""
    if path is not None and os.fspath(path):
        return Path(path).expanduser()
    env = os.environ.get(STORE_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    return default_store_path()


def default_author() -> str:
    """Who the audit log and new versions name when the caller does not say."""
    env = os.environ.get(AUTHOR_ENV, "").strip()
    if env:
        return env
    try:
        return getpass.getuser() or "unknown"
    except (OSError, KeyError):
        return "unknown"


def now_utc() -> str:
    """The current time as ISO 8601 UTC with microseconds (sorts as text)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
