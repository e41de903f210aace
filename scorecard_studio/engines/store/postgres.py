"""The team store on PostgreSQL: connecting, the write lock, who is writing, what they may do.

The local store is one SQLite file; a team shares one PostgreSQL database instead, reached
with ``--store-url postgresql://user@host/db`` through SQLAlchemy and psycopg 3. The store's
tables, queries and migrations are the same on both; what differs is here.

* **One writer at a time, like SQLite's** ``BEGIN IMMEDIATE``: every writing unit of work
  first takes a transaction-scoped advisory lock, so what a save checked (the head of a
  scorecard) is still true when it writes, and version numbers and audit-log ids are given
  in commit order. Writes run at READ COMMITTED *after* the lock, so each statement sees
  every earlier writer's commit. Reads run at REPEATABLE READ: ``verify`` or a listing sees
  one consistent state even while others save, and never waits for a writer.
* **Contention is never an error a person sees**: a wait for the lock longer than
  :data:`LOCK_TIMEOUT_MS`, a serialization failure or a deadlock becomes a
  :class:`StoreBusyError`, which the façade retries a few times before saying, in one line,
  that the store is busy.
* **The author is the database login** (``session_user``), or the display name an
  administrator gave that login with ``COMMENT ON ROLE login IS 'Display Name'``, so a
  version's author cannot be typed in.
* **Rights are database roles** (:func:`role_statements`): ``scorecard_viewer`` reads,
  ``scorecard_editor`` also saves, restores, deletes unfrozen versions and keeps drafts, and
  ``scorecard_approver`` also freezes. The grants are column-level where it matters (only an
  approver may write the freeze columns of ``versions``), so raw SQL gets the same refusal.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError

from scorecard_studio.domain.errors import StoreError, StoreOpenError

#: URL schemes that name a team store (``postgresql+psycopg`` is what SQLAlchemy uses).
TEAM_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")

#: Milliseconds a writer waits for another writer's lock before the attempt counts as busy.
LOCK_TIMEOUT_MS = 30_000

#: The advisory lock every writer takes (a fixed 64-bit key derived from the app's name).
WRITE_LOCK_KEY = int.from_bytes(
    hashlib.sha256(b"scorecard-studio/write-lock/1").digest()[:8], "big", signed=True
)

#: The three team roles, weakest first.
VIEWER, EDITOR, APPROVER = "scorecard_viewer", "scorecard_editor", "scorecard_approver"
ROLES = (VIEWER, EDITOR, APPROVER)

#: The columns of ``versions`` only an approver may write (a freeze).
FREEZE_COLUMNS = ("frozen_label", "frozen_at", "frozen_by", "freeze_seal")

#: SQLSTATE codes of contention: worth another attempt, never worth a traceback.
RETRYABLE_STATES = frozenset({"40001", "40P01", "55P03"})


class StoreBusyError(StoreError):
    """Another writer held the team store too long, or the database chose this transaction
    to fail a serialization or deadlock check: trying again is the cure."""


def is_team_url(location: object) -> bool:
    """Whether ``location`` (a ``--store-url`` or ``--store-path`` value) names a team store."""
    if not isinstance(location, str):
        return False
    scheme, sep, _rest = location.partition("://")
    return bool(sep) and scheme.lower() in TEAM_SCHEMES


def parse_team_url(location: str) -> URL:
    """The SQLAlchemy URL (driver psycopg 3) of a ``postgresql://…`` store URL."""
    try:
        url = make_url(location)
    except (ArgumentError, ValueError) as exc:
        raise StoreError(
            f"not a store URL ({exc}); expected postgresql://USER@HOST/DATABASE"
        ) from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.drivername != "postgresql+psycopg":
        raise StoreError(
            f"{url.drivername}: a team store is reached with postgresql://USER@HOST/DATABASE"
        )
    if not url.database:
        raise StoreError("the store URL names no database: postgresql://USER@HOST/DATABASE")
    return url


def public_name(url: URL) -> str:
    """The store URL as it may be shown and remembered: never with its password."""
    bare = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )  # URL.set(password=None) would keep the password
    return bare.render_as_string(hide_password=False)


def team_engine(url: URL) -> Engine:
    """An engine on the team database; connections are checked before each use."""
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=2,
        connect_args={"connect_timeout": 10, "application_name": "scorecard-studio"},
    )


def begin(connection: Connection, *, write: bool) -> None:
    """Set a unit of work's isolation level, before its transaction begins."""
    connection.execution_options(isolation_level="READ COMMITTED" if write else "REPEATABLE READ")


def take_write_lock(connection: Connection) -> None:
    """Wait (at most :data:`LOCK_TIMEOUT_MS`) for the store's one write lock, in this
    transaction: it is released by the commit or rollback that ends it."""
    connection.execute(text(f"SET LOCAL lock_timeout = {LOCK_TIMEOUT_MS}"))
    connection.execute(select(func.pg_advisory_xact_lock(WRITE_LOCK_KEY)))


def identity(connection: Connection) -> str:
    """Who is connected: the login's display name (its role comment), else the login."""
    login = connection.execute(select(func.session_user())).scalar_one()
    comment = connection.execute(
        text("SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = :login"),
        {"login": login},
    ).scalar()
    name = " ".join(str(comment).split()) if comment else ""
    return name[:200] if name else str(login)


def can_freeze(connection: Connection) -> bool:
    """Whether the connected login may freeze (write the freeze columns of ``versions``)."""
    return bool(
        connection.execute(
            select(func.has_column_privilege("versions", "frozen_label", "UPDATE"))
        ).scalar()
    )


def can_write(connection: Connection) -> bool:
    """Whether the connected login may save (insert versions)."""
    return bool(connection.execute(select(func.has_table_privilege("versions", "INSERT"))).scalar())


def role_statements(schema: str) -> list[str]:
    """DDL creating the three team roles (if missing) and granting them their rights on the
    store in ``schema``. Run by the database owner; running it again changes nothing."""
    s = _quoted(schema)
    tables = (
        "scorecards, designs, snapshots, versions, version_snapshots, audit_log, governance_entries"
    )
    drafts = "drafts, draft_snapshots"
    content = ", ".join(
        c
        for c in (
            "id",
            "scorecard_id",
            "number",
            "parent_number",
            "parent_hash",
            "design_hash",
            "message",
            "author",
            "created_at",
            "hash",
        )
    )
    freeze = ", ".join(FREEZE_COLUMNS)
    out = [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') "
        f"THEN CREATE ROLE {role} NOLOGIN; END IF; END $$"
        for role in ROLES
    ]
    out += [
        f"GRANT {VIEWER} TO {EDITOR}",
        f"GRANT {EDITOR} TO {APPROVER}",
        f"GRANT USAGE ON SCHEMA {s} TO {VIEWER}",
        f"GRANT SELECT ON {_each(s, tables + ', ' + drafts + ', alembic_version')} TO {VIEWER}",
        f"GRANT INSERT ON {_each(s, 'scorecards, designs, snapshots, version_snapshots')},"
        f" {_each(s, 'audit_log, governance_entries, ' + drafts)} TO {EDITOR}",
        f"GRANT INSERT ({content}) ON {s}.versions TO {EDITOR}",
        f"GRANT UPDATE (last_number) ON {s}.scorecards TO {EDITOR}",
        f"GRANT UPDATE ON {_each(s, drafts)} TO {EDITOR}",
        f"GRANT DELETE ON {_each(s, 'versions, version_snapshots, designs, snapshots, ' + drafts)}"
        f" TO {EDITOR}",
        # Commentary, exceptions, actions and reviews: the guard triggers keep the entries of
        # a frozen version, and every entry, from being changed whoever asks.
        f"GRANT DELETE ON {s}.governance_entries TO {EDITOR}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {EDITOR}",
        f"GRANT INSERT ({freeze}) ON {s}.versions TO {APPROVER}",
        f"GRANT UPDATE ({freeze}) ON {s}.versions TO {APPROVER}",
    ]
    return out


def grant_role(role: str, login: str) -> str:
    """The statement giving ``login`` one of the team roles."""
    if role not in ROLES:
        raise StoreError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
    return f"GRANT {role} TO {_quoted(login)}"


def _each(schema: str, names: str) -> str:
    return ", ".join(f"{schema}.{n.strip()}" for n in names.split(","))


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def explain_error(orig: Any, detail: str, where: str, *, operational: bool) -> StoreError | None:
    """A one-line error for a PostgreSQL failure (None: not one of these).

    ``operational`` says the driver classed it as operational, which is how a server that
    cannot be reached shows (with no SQLSTATE).
    """
    state = getattr(orig, "sqlstate", None)
    diag = getattr(orig, "diag", None)
    primary = getattr(diag, "message_primary", None) or detail
    if state in RETRYABLE_STATES:
        return StoreBusyError(
            "the team store is busy: other users are saving; try again in a moment"
        )
    if state == "42501":
        return StoreError(
            f"the team store refused this: your database role does not allow it ({primary}); "
            "ask the store's administrator for the role you need (viewer, editor or approver)"
        )
    if state == "P0001":
        return StoreError(f"the store refused the change: {primary}")
    if state in ("28P01", "28000"):
        return StoreOpenError(
            f"{where}: the team store refused the login ({primary})", kind="unreadable", path=where
        )
    if state == "3D000":
        return StoreOpenError(f"{where}: {primary}", kind="unreadable", path=where)
    if (state is None and operational) or str(state).startswith("08"):
        return StoreOpenError(
            f"{where}: cannot reach the team store ({primary})", kind="unreadable", path=where
        )
    return None
