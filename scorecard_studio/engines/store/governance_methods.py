"""The store façade's governance half: commentary, exceptions, actions, review, impact.

Mixed into :class:`~.api.Store`, which provides the units of work, version look-ups and the
witness written after each change; the rules themselves live in :mod:`.governance_store`
and :mod:`.governance_checks`. Kept apart so that the façade stays a readable size.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, cast

from scorecard_studio.engines.store import governance_store
from scorecard_studio.engines.store.records import VersionInfo
from scorecard_studio.engines.store.unit_of_work import SqlUnitOfWork

if TYPE_CHECKING:
    from scorecard_studio.domain.governance import (
        Action,
        Entry,
        GovernanceView,
        ReviewState,
    )
    from scorecard_studio.engines.governance import ImpactRun
    from scorecard_studio.engines.store.governance_checks import FreezeBlockers


class GovernanceMethods:
    """Governance of a scorecard's versions, on the store this is mixed into."""

    # --- provided by the store -----------------------------------------------------------

    def unit_of_work(self, *, write: bool = False) -> AbstractContextManager[SqlUnitOfWork]:
        raise NotImplementedError

    def checkout(self, name: str, number: int | None = None) -> Any:
        raise NotImplementedError

    def log(self, name: str) -> Sequence[VersionInfo]:
        raise NotImplementedError

    def _witness(self) -> None:
        raise NotImplementedError

    # --- governance ----------------------------------------------------------------------

    def governance(
        self, name: str, number: int | None = None, *, as_of: str | None = None
    ) -> GovernanceView:
        """Commentary, exceptions and actions version ``number`` sees, and its reviews
        (``as_of``: only entries written up to then)."""
        return governance_store.view(self, name, number, as_of)

    def governance_for_report(self, name: str, number: int | None = None) -> GovernanceView:
        """What a report of the version states: for a frozen version, only the entries
        written up to its freeze (later commentary belongs to later reports)."""
        info: VersionInfo = cast(Any, self).version_info(name, number)
        return governance_store.view(self, name, info.number, info.frozen_at)

    def governance_entries(self, name: str) -> list[Entry]:
        """Every governance entry of a scorecard, oldest first."""
        return governance_store.scorecard_entries(self, name)

    def comment(
        self,
        name: str,
        number: int | None,
        kpi: str,
        period: str,
        analysis: str = "",
        recommendation: str = "",
        author: str | None = None,
        replaces: str | None = None,
    ) -> Entry:
        """Commentary on a KPI in a period (``replaces``: edit one of an unfrozen version)."""
        entry = governance_store.comment(
            self, name, number, kpi, period, analysis, recommendation, author, replaces
        )
        self._witness()
        return entry

    def mark_exception(
        self,
        name: str,
        number: int | None,
        period: str,
        reason: str,
        kpi: str | None = None,
        tier: str | None = None,
        author: str | None = None,
    ) -> Entry:
        """Mark a period, or one KPI's value in it, exceptional."""
        entry = governance_store.mark_exception(
            self, name, number, period, reason, author, kpi, tier
        )
        self._witness()
        return entry

    def withdraw_exception(
        self, name: str, number: int | None, exception_id: str, author: str | None = None
    ) -> Entry:
        entry = governance_store.withdraw_exception(self, name, number, exception_id, author)
        self._witness()
        return entry

    def add_action(
        self,
        name: str,
        number: int | None,
        title: str,
        *,
        owner: str = "",
        due: str | None = None,
        kpis: tuple[str, ...] = (),
        tiers: tuple[str, ...] = (),
        notes: str = "",
        author: str | None = None,
    ) -> Action:
        """A new action item on the version (default: the head)."""
        fields = {
            "title": title,
            "owner": owner,
            "due": due,
            "kpis": kpis,
            "tiers": tiers,
            "notes": notes,
        }
        action = governance_store.add_action(self, name, number, fields, author)
        self._witness()
        return action

    def update_action(
        self,
        name: str,
        number: int | None,
        action_id: str,
        *,
        note: str = "",
        author: str | None = None,
        **fields: object,
    ) -> Action:
        """Change an action (status, owner, due, title, kpis, tiers, notes) with a note."""
        action = governance_store.update_action(self, name, number, action_id, fields, note, author)
        self._witness()
        return action

    def review(
        self,
        name: str,
        number: int,
        state: ReviewState,
        comment: str = "",
        author: str | None = None,
    ) -> Entry:
        """Propose, approve or reject a version (rules: ``domain.governance``)."""
        entry = governance_store.review(self, name, number, state, comment, author)
        self._witness()
        return entry

    def retire_kpi(
        self,
        name: str,
        kpi_id: str,
        reason: str,
        *,
        message: str = "",
        author: str | None = None,
        on: str | None = None,
    ) -> VersionInfo:
        """Save a new version of the latest design without ``kpi_id``, retired with
        ``reason`` on date ``on`` (default: today); the data stays the parent's."""
        from datetime import date

        from scorecard_studio.domain.retirement import retire_kpi

        head = self.checkout(name)
        kpi_name = head.design.kpi(kpi_id).name if _has_kpi(head.design, kpi_id) else kpi_id
        card = retire_kpi(head.design, kpi_id, reason, on or date.today().isoformat())
        text = message or f"Retire {kpi_name}: {reason.strip()}"
        saved: VersionInfo = cast(Any, self).save(card, None, text, author, head.number, name=name)
        return saved

    def freeze_blockers(self, name: str, number: int, label: str = "") -> FreezeBlockers:
        """What the scorecard's governance settings still require before a freeze."""
        from scorecard_studio.engines.store.governance_checks import freeze_blockers

        return freeze_blockers(self, name, number, label)

    def impact(
        self,
        name: str,
        number: int,
        *,
        against: int | None = None,
        periods: int = 4,
        frozen: bool = True,
    ) -> list[ImpactRun]:
        """Version ``number`` scored on the data of the version it replaces and of every
        frozen version, compared value by value with their own scores."""
        from scorecard_studio.engines.store.governance_checks import impact

        return impact(self, name, number, against=against, periods=periods, frozen=frozen)


def _has_kpi(card: Any, kpi_id: str) -> bool:
    return any(k.id == kpi_id for k in card.all_kpis())
