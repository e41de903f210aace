"""Governance entries in the store: written once, chained, audited, folded into a view.

Each operation here is one unit of work and one audit-log entry, like every store
operation. An entry is written on one version (the head by default), hashed over that
version's hash, the entry before it on the same version and its own content; a version
sees its own entries and those of its ancestors (:func:`view`), so commentary and actions
carry forward to later versions while reviews stay with the version they judged.

The rules (which review step may follow which, what a frozen version allows) are the
domain's (:mod:`scorecard_studio.domain.governance`); this module checks the references
(a KPI, tier and period the design knows) and stores.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select

from scorecard_studio.domain.errors import DesignError, StoreError
from scorecard_studio.domain.governance import (
    ACTION_FIELDS,
    EVERY,
    Action,
    Entry,
    EntryKind,
    GovernanceError,
    GovernanceView,
    ReviewState,
    check_action_status,
    check_review_step,
    fold,
    next_action_id,
)
from scorecard_studio.domain.model import Scorecard
from scorecard_studio.domain.periods import calendar_of
from scorecard_studio.engines.store.hashing import canonical_text, governance_hash
from scorecard_studio.engines.store.location import default_author, now_utc
from scorecard_studio.engines.store.lookups import find_scorecard, find_version, load_design
from scorecard_studio.engines.store.schema import GovernanceEntryRow, ScorecardRow, VersionRow
from scorecard_studio.engines.store.unit_of_work import SqlUnitOfWork, Transactions

#: Longest text of a comment field, an action title or notes, a reason.
MAX_TEXT = 20_000


def view(
    store: Transactions, name: str, number: int | None = None, as_of: str | None = None
) -> GovernanceView:
    """What version ``number`` (default: the head) sees of its and its ancestors' entries
    (``as_of``: only those written up to that time, e.g. the version's freeze)."""
    with store.unit_of_work() as uow:
        card, row = find_version(uow.repo, name, number)
        return fold(_entries(uow, card, _lineage(uow, card, row)), row.number, as_of)


def scorecard_entries(store: Transactions, name: str) -> list[Entry]:
    """Every governance entry of a scorecard, oldest first (for the version diff)."""
    with store.unit_of_work() as uow:
        card = find_scorecard(uow.repo, name)
        rows = uow.session.scalars(
            select(VersionRow).where(VersionRow.scorecard_id == card.id)
        ).all()
        return _entries(uow, card, list(rows))


def comment(
    store: Transactions,
    name: str,
    number: int | None,
    kpi: str,
    period: str,
    analysis: str,
    recommendation: str,
    author: str | None,
    replaces: str | None = None,
) -> Entry:
    """Commentary on (KPI, period); ``replaces`` edits an earlier comment of an unfrozen
    version (on a frozen one commentary is append-only: add a new comment instead)."""
    analysis, recommendation = analysis.strip(), recommendation.strip()
    if not analysis and not recommendation:
        raise GovernanceError("a comment needs an analysis or a recommendation")
    _check_length(analysis, "the analysis")
    _check_length(recommendation, "the recommendation")
    with store.unit_of_work(write=True) as uow:
        card, row = find_version(uow.repo, name, number)
        design = load_design(uow.repo, row.design_hash, f"{name} v{row.number}")
        _check_kpi(design, kpi)
        period = _check_period(design, period)
        body: dict[str, Any] = {"analysis": analysis, "recommendation": recommendation}
        if replaces:
            seen = fold(_entries(uow, card, _lineage(uow, card, row)), row.number)
            old = _find_comment(seen, replaces)
            old_row = _version_of(uow, card, old.version)
            if old_row is not None and old_row.frozen_label is not None:
                raise GovernanceError(
                    f"the comment was written on v{old.version}, frozen as "
                    f"{old_row.frozen_label!r}: commentary on a frozen version is "
                    "append-only; add a new comment instead"
                )
            if (old.kpi, old.period) != (kpi, period):
                raise GovernanceError("a comment can only be replaced by one on the same KPI")
            body["replaces"] = old.id
        entry = _append(uow, card, row, EntryKind.COMMENT, f"{kpi}@{period}", body, author)
        uow.commit()
        return entry


def mark_exception(
    store: Transactions,
    name: str,
    number: int | None,
    period: str,
    reason: str,
    author: str | None,
    kpi: str | None = None,
    tier: str | None = None,
) -> Entry:
    """Mark a period (or one KPI's value in it, optionally in one tier) exceptional."""
    reason = reason.strip()
    if not reason:
        raise GovernanceError("an exception needs a reason (e.g. 'one-off contract')")
    _check_length(reason, "the reason")
    with store.unit_of_work(write=True) as uow:
        card, row = find_version(uow.repo, name, number)
        design = load_design(uow.repo, row.design_hash, f"{name} v{row.number}")
        if kpi:
            _check_kpi(design, kpi)
        if tier and tier not in design.tier_ids():
            raise GovernanceError(
                f"no tier {tier!r} in the design (tiers: {', '.join(design.tier_ids())})"
            )
        period = _check_period(design, period)
        body = {"period": period, "kpi": kpi or None, "tier": tier or None, "reason": reason}
        subject = f"{kpi or EVERY}@{tier or EVERY}@{period}"
        entry = _append(uow, card, row, EntryKind.EXCEPTION, subject, body, author)
        uow.commit()
        return entry


def withdraw_exception(
    store: Transactions, name: str, number: int | None, exception_id: str, author: str | None
) -> Entry:
    """Withdraw an exception in force (a new entry; the old one stays in the history)."""
    with store.unit_of_work(write=True) as uow:
        card, row = find_version(uow.repo, name, number)
        seen = fold(_entries(uow, card, _lineage(uow, card, row)), row.number)
        matches = [e for e in seen.exceptions if e.id.startswith(exception_id.lower())]
        if len(matches) != 1:
            raise GovernanceError(
                f"no exception {exception_id!r} in force"
                if not matches
                else f"{exception_id!r} names {len(matches)} exceptions; give more of its id"
            )
        entry = _append(uow, card, row, EntryKind.EXCEPTION_WITHDRAWN, matches[0].id, {}, author)
        uow.commit()
        return entry


def add_action(
    store: Transactions,
    name: str,
    number: int | None,
    fields: Mapping[str, Any],
    author: str | None,
) -> Action:
    """A new action item (``fields``: title, owner, due, status, kpis, tiers, notes)."""
    with store.unit_of_work(write=True) as uow:
        card, row = find_version(uow.repo, name, number)
        design = load_design(uow.repo, row.design_hash, f"{name} v{row.number}")
        body = _action_fields(design, fields)
        if not body.get("title"):
            raise GovernanceError("an action needs a title")
        body.setdefault("status", "open")
        all_entries = _entries(uow, card, _all_versions(uow, card))
        action_id = next_action_id(all_entries)
        _append(uow, card, row, EntryKind.ACTION, action_id, body, author)
        seen = fold(_entries(uow, card, _lineage(uow, card, row)), row.number)
        uow.commit()
        return seen.action(action_id)


def update_action(
    store: Transactions,
    name: str,
    number: int | None,
    action_id: str,
    fields: Mapping[str, Any],
    note: str,
    author: str | None,
) -> Action:
    """Change an action's status, owner, due date… (a new entry: the history is kept)."""
    with store.unit_of_work(write=True) as uow:
        card, row = find_version(uow.repo, name, number)
        design = load_design(uow.repo, row.design_hash, f"{name} v{row.number}")
        seen = fold(_entries(uow, card, _lineage(uow, card, row)), row.number)
        action = seen.action(action_id)
        body = _action_fields(design, fields)
        if "title" in body and not body["title"]:
            raise GovernanceError("an action needs a title")
        _check_length(note, "the note")
        if note.strip():
            body["note"] = note.strip()
        if not body:
            raise GovernanceError("nothing to change: give a status, owner, due date or note")
        _append(uow, card, row, EntryKind.ACTION_UPDATE, action.id, body, author)
        seen = fold(_entries(uow, card, _lineage(uow, card, row)), row.number)
        uow.commit()
        return seen.action(action.id)


def review(
    store: Transactions,
    name: str,
    number: int,
    state: ReviewState,
    comment_text: str,
    author: str | None,
) -> Entry:
    """One review step: propose, approve or reject (with a comment) a version."""
    _check_length(comment_text, "the comment")
    if state is ReviewState.REJECTED and not comment_text.strip():
        raise GovernanceError("a rejection needs a comment saying why")
    with store.unit_of_work(write=True) as uow:
        card, row = find_version(uow.repo, name, number)
        seen = fold(_entries(uow, card, [row]), row.number)
        check_review_step(seen.review_state, state, frozen=row.frozen_label is not None)
        body = {"state": state.value, "comment": comment_text.strip()}
        entry = _append(uow, card, row, EntryKind.REVIEW, state.value, body, author)
        uow.commit()
        return entry


# --- inside a unit of work ----------------------------------------------------------------


def view_in(uow: SqlUnitOfWork, card: ScorecardRow, row: VersionRow) -> GovernanceView:
    """:func:`view` inside the caller's unit of work (the freeze check)."""
    return fold(_entries(uow, card, _lineage(uow, card, row)), row.number)


def head_hash(uow: SqlUnitOfWork, row: VersionRow) -> str | None:
    """Hash of the last entry written on a version (None: it has none)."""
    return uow.session.scalar(
        select(GovernanceEntryRow.hash)
        .where(GovernanceEntryRow.version_id == row.id)
        .order_by(GovernanceEntryRow.seq.desc())
        .limit(1)
    )


def _lineage(uow: SqlUnitOfWork, card: ScorecardRow, row: VersionRow) -> list[VersionRow]:
    """The version and its ancestors, oldest first."""
    rows = {
        r.number: r
        for r in uow.session.scalars(select(VersionRow).where(VersionRow.scorecard_id == card.id))
    }
    chain: list[VersionRow] = []
    current: VersionRow | None = row
    while current is not None and len(chain) <= len(rows):
        chain.append(current)
        current = rows.get(current.parent_number) if current.parent_number else None
    return list(reversed(chain))


def _all_versions(uow: SqlUnitOfWork, card: ScorecardRow) -> list[VersionRow]:
    return list(uow.session.scalars(select(VersionRow).where(VersionRow.scorecard_id == card.id)))


def _version_of(uow: SqlUnitOfWork, card: ScorecardRow, number: int) -> VersionRow | None:
    return uow.repo.version(card.id, number)


def _entries(uow: SqlUnitOfWork, card: ScorecardRow, rows: Sequence[VersionRow]) -> list[Entry]:
    numbers = {r.id: r.number for r in rows}
    if not numbers:
        return []
    query = (
        select(GovernanceEntryRow)
        .where(
            GovernanceEntryRow.scorecard_id == card.id,
            GovernanceEntryRow.version_id.in_(list(numbers)),
        )
        .order_by(GovernanceEntryRow.id)
    )
    out: list[Entry] = []
    for e in uow.session.scalars(query):
        try:
            body = json.loads(e.body)
            kind = EntryKind(e.kind)
        except (TypeError, ValueError):
            continue  # a damaged entry: verify reports it
        if isinstance(body, dict):
            out.append(
                Entry(e.hash, numbers[e.version_id], kind, e.subject, body, e.author, e.created_at)
            )
    return out


def _append(
    uow: SqlUnitOfWork,
    card: ScorecardRow,
    row: VersionRow,
    kind: EntryKind,
    subject: str,
    body: Mapping[str, Any],
    author: str | None,
) -> Entry:
    who = author or default_author()
    now = now_utc()
    last = uow.session.execute(
        select(func.max(GovernanceEntryRow.seq)).where(GovernanceEntryRow.version_id == row.id)
    ).scalar()
    prev = head_hash(uow, row)
    digest = governance_hash(
        version_hash=row.hash,
        prev_hash=prev,
        kind=kind.value,
        subject=subject,
        body=body,
        author=who,
        created_at=now,
    )
    uow.session.add(
        GovernanceEntryRow(
            scorecard_id=card.id,
            version_id=row.id,
            seq=(last or 0) + 1,
            kind=kind.value,
            subject=subject,
            body=canonical_text(body),
            author=who,
            created_at=now,
            prev_hash=prev,
            hash=digest,
        )
    )
    uow.session.flush()
    uow.repo.audit(
        at=now,
        author=who,
        operation=kind.value,
        scorecard=card.name,
        version=row.number,
        detail={"hash": digest, "subject": subject, "version_hash": row.hash},
    )
    return Entry(digest, row.number, kind, subject, dict(body), who, now)


def _find_comment(seen: GovernanceView, comment_id: str) -> Any:
    matches = [c for c in seen.comments if c.id.startswith(comment_id.lower())]
    if len(matches) != 1:
        raise GovernanceError(
            f"no current comment {comment_id!r}"
            if not matches
            else f"{comment_id!r} names {len(matches)} comments; give more of its id"
        )
    return matches[0]


def _check_kpi(design: Scorecard, kpi: str) -> None:
    ids = [k.id for k in design.all_kpis()]
    if kpi not in ids:
        hint = ", ".join(ids[:8]) + (" …" if len(ids) > 8 else "")
        raise GovernanceError(f"no KPI {kpi!r} in the design (KPIs: {hint or 'none'})")


def _check_period(design: Scorecard, period: str) -> str:
    """The period in the calendar's own spelling, or the calendar's message."""
    calendar = calendar_of(design)
    try:
        return calendar.label(calendar.parse(period))
    except DesignError as exc:
        raise GovernanceError(exc.detail) from None


def _check_length(text: str, what: str) -> None:
    if len(text) > MAX_TEXT:
        raise GovernanceError(f"{what} is at most {MAX_TEXT:,} characters")


def _action_fields(design: Scorecard, fields: Mapping[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for key, value in fields.items():
        if key not in ACTION_FIELDS or value is None:
            continue
        if key == "status":
            body[key] = check_action_status(str(value)).value
        elif key == "kpis":
            for kpi in value:
                _check_kpi(design, kpi)
            body[key] = list(value)
        elif key == "tiers":
            unknown = [t for t in value if t not in design.tier_ids()]
            if unknown:
                raise GovernanceError(
                    f"no tier {unknown[0]!r} in the design (tiers: {', '.join(design.tier_ids())})"
                )
            body[key] = list(value)
        elif key == "due":
            body[key] = _check_date(str(value)) if value else None
        else:
            text = str(value).strip()
            _check_length(text, key)
            body[key] = text
    return body


def _check_date(text: str) -> str:
    from datetime import date

    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise GovernanceError(f"{text!r} is not a date (write it as YYYY-MM-DD)") from None


__all__ = [
    "StoreError",
    "add_action",
    "comment",
    "head_hash",
    "mark_exception",
    "review",
    "scorecard_entries",
    "update_action",
    "view",
    "view_in",
    "withdraw_exception",
]
