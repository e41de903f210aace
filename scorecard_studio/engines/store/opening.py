"""Opening a store: a local SQLite file, or a team store at a ``postgresql://`` URL.

The store is created and migrated on first use; the façade (:class:`~.api.Store`) gets an
engine that is ready. Kept beside the façade rather than in it: how a store is found and
opened is a question of location, not of versions.
"""

from __future__ import annotations

import os

from sqlalchemy import create_engine
from sqlalchemy.engine import URL

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.engines.store import migrate, postgres
from scorecard_studio.engines.store.api import Store
from scorecard_studio.engines.store.dialect import configure_sqlite_engine
from scorecard_studio.engines.store.location import STORE_URL_ENV, resolve_store_path


def open_store(path: str | os.PathLike[str] | None = None, *, url: str | None = None) -> Store:
    """Open (creating and migrating as needed) a store: a file, or a team store's URL.

    ``url`` (``postgresql://USER@HOST/DATABASE``) opens the team store on PostgreSQL; so does
    a ``path`` written as such a URL. Without either: ``$SCORECARD_STUDIO_STORE_URL``, else
    the file ``$SCORECARD_STUDIO_STORE``, else the per-user default file.
    """
    if url is not None and url.strip():
        return _open_team(url.strip())
    if path is None or not os.fspath(path):
        env = os.environ.get(STORE_URL_ENV, "").strip()
        if env:
            return _open_team(env)
    elif postgres.is_team_url(os.fspath(path)):
        return _open_team(str(os.fspath(path)))
    file = resolve_store_path(path)
    if file.is_dir():
        raise StoreError(f"{file}: is a folder, not a store file")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{file}: cannot create the store's folder ({exc.strerror})") from None
    engine = create_engine(URL.create("sqlite", database=str(file)))
    configure_sqlite_engine(engine)
    try:
        created = migrate.upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    if created:
        from scorecard_studio.engines.store import witness

        witness.forget(file)  # a new store at this path: an older witness is not about it
    return Store(engine, file)


def _open_team(location: str) -> Store:
    """The team store at a ``postgresql://`` URL, created and migrated as needed."""
    url = postgres.parse_team_url(location)
    name = postgres.public_name(url)
    try:
        engine = postgres.team_engine(url)
    except ModuleNotFoundError:
        raise StoreError(
            f"{name}: a team store needs the psycopg package (pip install 'psycopg[binary]')"
        ) from None
    try:
        created = migrate.upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    if created:
        from scorecard_studio.engines.store import witness

        witness.forget(name)
    return Store(engine, None, name=name)
