"""Writing a version, and keeping a save that lost the race as a draft.

:func:`save_version` is the one place a version row is made (a save, a restore): it checks
the head the caller's edits started from, stores the design and snapshots once by hash,
chains the version hash to its parent and writes the audit entry. :func:`keep_conflict`
keeps the content of a refused save so that nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Final, Literal

from sqlalchemy.exc import IntegrityError

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.engines.store.documents import EncodedDesign
from scorecard_studio.engines.store.hashing import version_hash
from scorecard_studio.engines.store.location import now_utc
from scorecard_studio.engines.store.lookups import version_info
from scorecard_studio.engines.store.records import VersionInfo
from scorecard_studio.engines.store.schema import DraftRow, VersionRow
from scorecard_studio.engines.store.snapshots import EncodedSnapshot
from scorecard_studio.engines.store.unit_of_work import SqlUnitOfWork, Transactions


class _Latest(Enum):
    LATEST = "latest"


#: ``parent`` value meaning "on top of whatever the head is" (no conflict check).
LATEST: Final = _Latest.LATEST

Parent = int | None | Literal[_Latest.LATEST]

#: Highest version number the store gives: every reader of a number (SQLite's 64-bit
#: integers, JSON readers that use doubles) holds it exactly.
MAX_VERSION_NUMBER = 2**53


@dataclass(frozen=True, slots=True)
class KeptConflict:
    """A refused save kept as a draft, and the change it conflicts with (the head now)."""

    draft_id: int
    head: int | None
    head_author: str | None


class StaleHeadError(Exception):
    """The head moved since the caller's edits started; ``head`` is the number it has now."""

    def __init__(self, head: int | None) -> None:
        self.head = head


def save_version(
    uow: SqlUnitOfWork,
    name: str,
    design: EncodedDesign,
    snapshots: Mapping[str, EncodedSnapshot],
    message: str,
    author: str,
    parent: Parent,
    *,
    inherit_for: frozenset[str] = frozenset(),
    fixed_refs: Mapping[str, str] | None = None,
    operation: str = "save",
    detail: Mapping[str, Any] | None = None,
) -> VersionInfo:
    """Add a version on top of ``parent`` inside ``uow`` (the caller commits).

    Raises :class:`StaleHeadError` when the head is no longer ``parent`` (or another
    writer took the number first); ``inherit_for`` names the sources that keep the head's
    snapshot when ``snapshots`` has none for them, ``fixed_refs`` gives every reference
    outright (a restore).
    """
    repo = uow.repo
    now = now_utc()
    card = repo.scorecard(name)
    head = repo.head(card.id) if card is not None else None
    head_number = None if head is None else head.number
    if parent is not LATEST and parent != head_number:
        raise StaleHeadError(head_number)
    if card is None:
        card = repo.add_scorecard(name, now)
    if card.last_number >= MAX_VERSION_NUMBER:
        raise StoreError(
            f"{name!r} has used every version number up to {MAX_VERSION_NUMBER:,}; save it "
            "under another name"
        )
    refs: dict[str, str] = dict(fixed_refs or {})
    if head is not None and inherit_for:
        refs = {s: h for s, h in repo.snapshot_refs(head.id).items() if s in inherit_for}
    for source_id, snapshot in snapshots.items():
        repo.add_snapshot(snapshot)
        refs[source_id] = snapshot.hash
    repo.add_design(design.hash, design.codec, len(design.text), design.stored)
    row = VersionRow(
        scorecard_id=card.id,
        number=card.last_number + 1,
        parent_number=head_number,
        parent_hash=None if head is None else head.hash,
        design_hash=design.hash,
        message=message,
        author=author,
        created_at=now,
    )
    row.hash = version_hash(
        parent_hash=row.parent_hash,
        design_hash=design.hash,
        snapshots=refs,
        message=message,
        author=author,
        created_at=now,
    )
    card.last_number = row.number
    try:
        repo.add_version(row, refs)
    except IntegrityError:
        # Another writer took this number first (dialects without a write lock).
        raise StaleHeadError(head_number) from None
    autosave = repo.autosave_draft(name)
    if autosave is not None and autosave.design_hash == design.hash:
        repo.delete_draft(autosave)
    repo.audit(
        at=now,
        author=author,
        operation=operation,
        scorecard=name,
        version=row.number,
        detail={"hash": row.hash, "message": message, **(detail or {})},
    )
    return version_info(name, row, refs)


def keep_conflict(
    store: Transactions,
    name: str,
    design: EncodedDesign,
    snapshots: Mapping[str, EncodedSnapshot],
    sources: frozenset[str],
    message: str,
    author: str,
    base: int | None,
    head: int | None,
) -> KeptConflict:
    """Keep a refused save as a conflict draft in its own transaction.

    The head is read again here, so the draft names the change it conflicts with as it is
    now (the save that won, or a later one), with its author.
    """
    with store.unit_of_work(write=True) as uow:
        repo = uow.repo
        now = now_utc()
        refs: dict[str, str] = {}
        card = repo.scorecard(name)
        head_row = repo.head(card.id) if card is not None else None
        head = head_row.number if head_row is not None else head
        head_author = head_row.author if head_row is not None else None
        if card is not None and base is not None:
            base_row = repo.version(card.id, base)
            if base_row is not None:
                refs = {s: h for s, h in repo.snapshot_refs(base_row.id).items() if s in sources}
        for source_id, snapshot in snapshots.items():
            repo.add_snapshot(snapshot)
            refs[source_id] = snapshot.hash
        draft_id = add_conflict_draft(
            repo,
            name=name,
            base=base,
            message=message,
            author=author,
            now=now,
            design_hash=design.hash,
            design=design.stored,
            refs=refs,
            head=(head, head_author, None if head_row is None else head_row.hash),
        )
        uow.commit()
        return KeptConflict(draft_id, head, head_author)


def add_conflict_draft(
    repo: Any,
    *,
    name: str,
    base: int | None,
    message: str,
    author: str,
    now: str,
    design_hash: str,
    design: bytes,
    refs: Mapping[str, str],
    head: tuple[int | None, str | None, str | None],
    detail: Mapping[str, Any] | None = None,
) -> int:
    """Keep work that could not become a version as a conflict draft, and audit it.

    Used for a save on a stale head and for work a sync could not merge; ``head`` is the
    (number, author, hash) of the version it conflicts with. Returns the draft's id.
    """
    draft = repo.add_draft(
        DraftRow(
            scorecard=name,
            kind="conflict",
            base_number=base,
            message=message,
            author=author,
            created_at=now,
            updated_at=now,
            design_hash=design_hash,
            design=design,
        ),
        dict(refs),
    )
    number, head_author, head_hash = head
    repo.audit(
        at=now,
        author=author,
        operation="conflict",
        scorecard=name,
        version=base,
        detail={
            "draft": draft.id,
            "head": number,
            "head_author": head_author,
            "head_hash": head_hash,
            "message": message,
            **(detail or {}),
        },
    )
    return int(draft.id)
