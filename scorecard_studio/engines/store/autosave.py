"""Autosave of the working draft, and recovery after a crash.

The window calls ``autosave`` every few seconds while the design has unsaved edits. Each
call replaces the scorecard's one autosave draft in a single transaction, so after a crash
(or a killed process) the store holds the last complete autosave, never half of one. At the
next start ``recover`` lists what was left: autosaves and the content of saves refused by a
conflict. Saving a version whose design equals the autosave removes the autosave.

Autosaves are working state, not store operations: they are not written to the audit log
(that would add a line every few seconds). Discarding or deleting a draft is.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.domain.model import Scorecard
from scorecard_studio.engines.store.documents import (
    DESIGN_CODEC,
    design_from_text,
    design_text,
    encode_design,
)
from scorecard_studio.engines.store.location import default_author, now_utc
from scorecard_studio.engines.store.lookups import snapshot_blobs
from scorecard_studio.engines.store.names import check_name
from scorecard_studio.engines.store.records import DraftInfo
from scorecard_studio.engines.store.repository import SqlRepository
from scorecard_studio.engines.store.schema import DraftRow
from scorecard_studio.engines.store.snapshots import decode_table, encode_tables
from scorecard_studio.engines.store.unit_of_work import Transactions

if TYPE_CHECKING:
    import pandas as pd


AUTOSAVE = "autosave"
CONFLICT = "conflict"


def autosave(
    store: Transactions,
    name: str,
    card: Scorecard,
    tables: Mapping[str, pd.DataFrame] | None,
    base: int | None,
    author: str | None,
) -> DraftInfo:
    """Replace the autosave draft of ``name`` with ``card`` (and ``tables`` if given)."""
    key = check_name(name)
    who = author or default_author()
    design = encode_design(card)
    snapshots = encode_tables(card, tables)
    with store.unit_of_work(write=True) as uow:
        repo = uow.repo
        now = now_utc()
        for snapshot in snapshots.values():
            repo.add_snapshot(snapshot)
        refs = {source_id: s.hash for source_id, s in snapshots.items()}
        row = repo.autosave_draft(key)
        if row is None:
            row = repo.add_draft(
                DraftRow(
                    scorecard=key,
                    kind=AUTOSAVE,
                    base_number=base,
                    message="",
                    author=who,
                    created_at=now,
                    updated_at=now,
                    design_hash=design.hash,
                    design=design.stored,
                ),
                refs,
            )
        else:
            row.base_number = base
            row.author = who
            row.updated_at = now
            row.design_hash = design.hash
            row.design = design.stored
            repo.set_draft_snapshots(row, refs)
            repo.delete_orphans()
        info = _draft_info(row, card, refs)
        uow.commit()
        return info


def recover(store: Transactions, name: str | None = None) -> list[DraftInfo]:
    """Every draft left in the store (of one scorecard when ``name`` is given), oldest first.

    A draft whose design cannot be read any more is skipped rather than blocking start-up.
    """
    out: list[DraftInfo] = []
    with store.unit_of_work() as uow:
        rows = uow.repo.drafts(name)
        refs = uow.repo.draft_snapshot_refs([r.id for r in rows])
        conflicts = _conflicts(uow.repo, name) if any(r.kind == CONFLICT for r in rows) else {}
        for row in rows:
            try:
                card = design_from_text(design_text(DESIGN_CODEC, row.design), f"draft {row.id}")
            except StoreError:
                continue
            info = _draft_info(row, card, refs.get(row.id, {}))
            if row.id in conflicts:
                info = dataclasses.replace(info, conflicts_with=conflicts[row.id])
            out.append(info)
    return out


def _conflicts(repo: SqlRepository, name: str | None) -> dict[int, str]:
    """Draft id -> the change a kept conflict conflicts with (``v5 by ana``), from the
    audit entry written when it was kept."""
    out: dict[int, str] = {}
    for entry in repo.audit_entries(name):
        if entry.operation != CONFLICT:
            continue
        draft, head = entry.detail.get("draft"), entry.detail.get("head")
        if not isinstance(draft, int) or not isinstance(head, int):
            continue
        who = entry.detail.get("head_author")
        out[draft] = f"v{head} by {who}" if isinstance(who, str) else f"v{head}"
    return out


def discard(store: Transactions, name: str, author: str | None = None) -> bool:
    """Drop the autosave draft of ``name``; False when there was none."""
    with store.unit_of_work(write=True) as uow:
        row = uow.repo.autosave_draft(name)
        if row is None:
            return False
        _delete(uow.repo, row, author)
        uow.commit()
        return True


def delete(store: Transactions, draft_id: int, author: str | None = None) -> None:
    """Delete one draft (an autosave or a kept conflict) by its id."""
    with store.unit_of_work(write=True) as uow:
        row = uow.repo.draft(draft_id)
        if row is None:
            raise StoreError(f"there is no draft {draft_id}")
        _delete(uow.repo, row, author)
        uow.commit()


def tables(store: Transactions, draft_id: int) -> dict[str, pd.DataFrame]:
    """The data tables kept with a draft."""
    with store.unit_of_work() as uow:
        if uow.repo.draft(draft_id) is None:
            raise StoreError(f"there is no draft {draft_id}")
        refs = uow.repo.draft_snapshot_refs([draft_id]).get(draft_id, {})
        blobs = snapshot_blobs(uow.repo, refs)
    return {source_id: decode_table(data) for source_id, data in sorted(blobs.items())}


def _delete(repo: SqlRepository, row: DraftRow, author: str | None) -> None:
    repo.delete_draft(row)
    repo.delete_orphans()
    repo.audit(
        at=now_utc(),
        author=author or default_author(),
        operation="discard_draft",
        scorecard=row.scorecard,
        version=row.base_number,
        detail={"draft": row.id, "kind": row.kind},
    )


def _draft_info(row: DraftRow, card: Scorecard, refs: Mapping[str, str]) -> DraftInfo:
    return DraftInfo(
        id=row.id,
        scorecard=row.scorecard,
        kind=row.kind,
        base_number=row.base_number,
        message=row.message,
        author=row.author,
        created_at=row.created_at,
        updated_at=row.updated_at,
        design=card,
        design_hash=row.design_hash,
        snapshot_hashes=dict(refs),
    )
