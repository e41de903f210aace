"""Who writes to a store and what they may do: the author, and a team store's roles.

Mixed into :class:`~.api.Store`. On a local store the author is the author setting or the
login name and every right is the user's; on a team store (PostgreSQL) the author is the
database login, so nobody saves in someone else's name, and rights are database roles.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.engines.store import postgres
from scorecard_studio.engines.store.location import default_author
from scorecard_studio.engines.store.unit_of_work import SqlUnitOfWork


class IdentityMethods:
    """The author of an operation and the user's rights, on the store this is mixed into."""

    #: True for a team store on PostgreSQL (set by the store).
    team: bool = False
    _identity: str | None = None

    def unit_of_work(self, *, write: bool = False) -> AbstractContextManager[SqlUnitOfWork]:
        raise NotImplementedError  # provided by the store

    def identity(self) -> str:
        """Who writes: on a team store the database login (or its display name), else the
        ``SCORECARD_STUDIO_AUTHOR`` or login name."""
        if not self.team:
            return default_author()
        if self._identity is None:
            with self.unit_of_work() as uow:
                self._identity = postgres.identity(uow.session.connection())
        return self._identity

    def author(self, requested: str | None = None) -> str:
        """The author recorded for an operation. On a team store that is always the database
        login, so nobody can save in someone else's name; naming another is refused."""
        if not self.team:
            return requested or default_author()
        who = self.identity()
        if requested and requested.strip() and requested.strip() != who:
            raise StoreError(
                f"on the team store the author is your database login ({who}); "
                f"it cannot be given as {requested.strip()!r}"
            )
        return who

    def can_freeze(self) -> bool:
        """Whether this user may freeze versions (on a team store: the approver role)."""
        if not self.team:
            return True
        with self.unit_of_work() as uow:
            return postgres.can_freeze(uow.session.connection())

    def can_write(self) -> bool:
        """Whether this user may save (on a team store: the editor or approver role)."""
        if not self.team:
            return True
        with self.unit_of_work() as uow:
            return postgres.can_write(uow.session.connection())

    def setup_roles(self) -> tuple[str, ...]:
        """Create the team roles and grant them their rights on this team store (run by its
        owner, again after an upgrade adds tables); the roles' names."""
        from scorecard_studio.engines.store import team

        return team.setup_roles(self)

    def grant_role(self, login: str, role: str) -> str:
        """Give a database login one of the roles ``viewer``, ``editor``, ``approver``."""
        from scorecard_studio.engines.store import team

        return team.grant_role(self, login, role)
