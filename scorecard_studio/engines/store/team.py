"""Administering a team store: its roles and who holds them.

The rights themselves are database grants (``postgres.role_statements``), so they hold for
raw SQL as much as for the app. These functions are what the store's owner runs once, from
``scorecard-studio store roles`` and ``store grant LOGIN ROLE``; an upgrade that adds
tables grants them again itself (:mod:`.migrate`).
"""

from __future__ import annotations

from sqlalchemy import func, select, text

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.engines.store import postgres
from scorecard_studio.engines.store.location import now_utc
from scorecard_studio.engines.store.unit_of_work import Transactions

#: The role names people use, and the database roles they stand for.
ROLE_NAMES = {"viewer": postgres.VIEWER, "editor": postgres.EDITOR, "approver": postgres.APPROVER}


def setup_roles(store: Transactions) -> tuple[str, ...]:
    """Create the three roles if missing and grant their rights on the store's schema."""
    with store.unit_of_work(write=True) as uow:
        connection = uow.session.connection()
        _require_team(connection.dialect.name)
        schema = connection.execute(select(func.current_schema())).scalar_one()
        for statement in postgres.role_statements(str(schema)):
            connection.execute(text(statement))
        uow.repo.audit(
            at=now_utc(),
            author=postgres.identity(connection),
            operation="roles",
            detail={"schema": schema, "roles": list(postgres.ROLES)},
        )
        uow.commit()
    return postgres.ROLES


def grant_role(store: Transactions, login: str, role: str) -> str:
    """Give ``login`` the role ``viewer``, ``editor`` or ``approver``; the database role."""
    database_role = ROLE_NAMES.get(role.strip().lower())
    if database_role is None:
        raise StoreError(f"unknown role {role!r}: one of {', '.join(ROLE_NAMES)}")
    login = login.strip()
    if not login:
        raise StoreError("name the database login to grant the role to")
    with store.unit_of_work(write=True) as uow:
        connection = uow.session.connection()
        _require_team(connection.dialect.name)
        exists = connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :login"), {"login": login}
        ).first()
        if exists is None:
            raise StoreError(f"there is no database login {login!r}: create it first")
        connection.execute(text(postgres.grant_role(database_role, login)))
        uow.repo.audit(
            at=now_utc(),
            author=postgres.identity(connection),
            operation="grant",
            detail={"login": login, "role": role},
        )
        uow.commit()
    return database_role


def _require_team(dialect: str) -> None:
    if dialect != "postgresql":
        raise StoreError("roles belong to a team store (--store-url postgresql://…)")
