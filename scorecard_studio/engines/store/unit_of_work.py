"""The unit of work: one transaction around one store operation.

Every operation runs as ``with SqlUnitOfWork(engine, write=True) as uow: ...;
uow.commit()``. Leaving the block without ``commit`` rolls everything back, so an exception
half-way through a save leaves no trace; a process killed half-way leaves none either,
because SQLite's journal undoes the open transaction on the next open.

A writing unit of work marks its connection so that, on SQLite, the transaction starts with
``BEGIN IMMEDIATE`` (see ``dialect.py``), and on PostgreSQL takes the team store's advisory
write lock first (``postgres.py``): the write lock is held from the first read, so what the
operation checked (the head of a scorecard) is still true when it writes.

Database errors are translated into one-line :class:`StoreError` messages here, once, so no
operation shows a driver's traceback: a guard trigger's refusal keeps its own message, a
busy store says so.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self

from sqlalchemy import Engine
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.engines.store import postgres
from scorecard_studio.engines.store.dialect import WRITE_OPTION
from scorecard_studio.engines.store.faults import explain
from scorecard_studio.engines.store.repository import SqlRepository


class Transactions(Protocol):
    """What the store's modules need of the façade: units of work on its database.

    :mod:`.autosave`, :mod:`.portable`, :mod:`.verify` and :mod:`.saving` take this
    instead of the :class:`~.api.Store` itself, so they never import the façade that calls
    them.
    """

    def unit_of_work(self, *, write: bool = False) -> AbstractContextManager[SqlUnitOfWork]:
        """A transaction on the store (writing ones take the write lock first)."""
        ...


class SqlUnitOfWork:
    """A session and repository on one connection, committed only on request."""

    session: Session
    repo: SqlRepository

    def __init__(self, engine: Engine, *, write: bool = False) -> None:
        self._engine = engine
        self._write = write
        self._connection: Connection | None = None
        self._committed = False

    def __enter__(self) -> Self:
        try:
            connection = self._engine.connect()
        except DBAPIError as exc:
            raise translate(exc, self._engine, writing=self._write) from None
        team = connection.dialect.name == "postgresql"
        if self._write:
            connection.execution_options(**{WRITE_OPTION: True})
        if team:
            postgres.begin(connection, write=self._write)
        self._connection = connection
        self.session = Session(bind=connection, expire_on_commit=False, autoflush=True)
        self.repo = SqlRepository(self.session)
        if team and self._write:
            try:
                postgres.take_write_lock(self.session.connection())
            except BaseException as exc:
                # Never leave the connection checked out with its transaction (and the
                # lock) open: nobody else could write until it was collected.
                self.session.close()
                connection.close()
                if isinstance(exc, DBAPIError):
                    raise translate(exc, self._engine, writing=True) from None
                raise
        return self

    def commit(self) -> None:
        try:
            self.session.commit()
        except DBAPIError as exc:
            raise translate(exc, self._engine, writing=self._write) from None
        self._committed = True

    def rollback(self) -> None:
        self.session.rollback()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                self.session.rollback()
        finally:
            self.session.close()
            if self._connection is not None:
                self._connection.close()
        if isinstance(exc, DBAPIError):
            raise translate(exc, self._engine, writing=self._write) from None


def translate(
    exc: DBAPIError, engine: Engine | None = None, *, writing: bool = False
) -> StoreError:
    """A one-line StoreError for a database error (trigger refusals keep their message).

    A full disk, an unreadable or damaged file are told apart by :mod:`.faults`, so a full
    disk never reads as a damaged store.
    """
    detail = " ".join(str(exc.orig).split()) if exc.orig is not None else str(exc)
    if engine is not None and engine.dialect.name == "postgresql":
        where = postgres.public_name(engine.url)
        explained = postgres.explain_error(
            exc.orig, detail, where, operational=isinstance(exc, OperationalError)
        )
        if explained is not None:
            return explained
        if isinstance(exc, IntegrityError):
            return StoreError(f"the store refused the change: {detail}")
        return StoreError(f"store error: {detail}")
    if isinstance(exc, OperationalError) and "locked" in detail:
        return StoreError(
            "the store is busy: another window or process holds it; try again in a moment"
        )
    if isinstance(exc, IntegrityError):
        return StoreError(f"the store refused the change: {detail}")
    if engine is not None and engine.url.database and _is_file_fault(detail):
        return explain(Path(engine.url.database), detail, writing=writing)
    return StoreError(f"store error: {detail}")


def _is_file_fault(detail: str) -> bool:
    text = detail.lower()
    return any(
        word in text for word in ("full", "i/o error", "malformed", "not a database", "corrupt")
    )
