"""The repository: the only code that knows how scorecards and versions map to tables.

Following the repository pattern, the operations in ``api.py`` speak of scorecards,
versions, blobs and drafts; this module turns that into SQLAlchemy statements on the
session of the current unit of work. It never commits: the unit of work decides.

Reads that return many rows (``log`` of thousands of versions) select plain columns rather
than ORM objects, which keeps them an order of magnitude cheaper.
"""

from __future__ import annotations

import gc
import json
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import and_, delete, exists, func, select
from sqlalchemy.orm import Session

from scorecard_studio.engines.store.records import AuditRecord, ScorecardInfo, VersionInfo
from scorecard_studio.engines.store.schema import (
    AuditEntry,
    DesignBlob,
    DraftRow,
    DraftSnapshot,
    GovernanceEntryRow,
    ScorecardRow,
    SnapshotBlob,
    VersionRow,
    VersionSnapshot,
)
from scorecard_studio.engines.store.snapshots import EncodedSnapshot

_VERSION_COLUMNS = (
    VersionRow.id,
    VersionRow.number,
    VersionRow.hash,
    VersionRow.parent_number,
    VersionRow.parent_hash,
    VersionRow.design_hash,
    VersionRow.message,
    VersionRow.author,
    VersionRow.created_at,
    VersionRow.frozen_label,
    VersionRow.frozen_at,
    VersionRow.frozen_by,
)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small records.

    Building 10,000 tuples that each hold a dict triggers dozens of collections that find
    nothing (records hold no cycles) and would cost more than the query itself.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class SqlRepository:
    """Scorecards, versions, blobs, drafts and the audit log on one SQLAlchemy session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # --- scorecards ---------------------------------------------------------------------

    def scorecard(self, name: str) -> ScorecardRow | None:
        return self.session.scalars(select(ScorecardRow).where(ScorecardRow.name == name)).first()

    def add_scorecard(self, name: str, created_at: str) -> ScorecardRow:
        row = ScorecardRow(name=name, created_at=created_at, last_number=0)
        self.session.add(row)
        self.session.flush()
        return row

    def scorecard_names(self) -> list[str]:
        return list(self.session.scalars(select(ScorecardRow.name).order_by(ScorecardRow.name)))

    def list_scorecards(self) -> list[ScorecardInfo]:
        """Every scorecard with its head, version and freeze counts, in two queries."""
        stats = (
            select(
                VersionRow.scorecard_id,
                func.count().label("versions"),
                func.count(VersionRow.frozen_label).label("frozen"),
                func.max(VersionRow.number).label("head"),
            )
            .group_by(VersionRow.scorecard_id)
            .subquery()
        )
        query = (
            select(
                ScorecardRow.name,
                ScorecardRow.created_at,
                stats.c.versions,
                stats.c.frozen,
                stats.c.head,
                VersionRow.hash,
                VersionRow.created_at,
            )
            .outerjoin(stats, stats.c.scorecard_id == ScorecardRow.id)
            .outerjoin(
                VersionRow,
                and_(VersionRow.scorecard_id == ScorecardRow.id, VersionRow.number == stats.c.head),
            )
            .order_by(ScorecardRow.name)
        )
        drafts: dict[str, int] = dict(
            self.session.execute(
                select(DraftRow.scorecard, func.count()).group_by(DraftRow.scorecard)
            ).all()
        )
        return [
            ScorecardInfo(
                name=name,
                created_at=created_at,
                versions=versions or 0,
                frozen=frozen or 0,
                head=head,
                head_hash=head_hash,
                updated_at=updated_at,
                drafts=drafts.get(name, 0),
            )
            for (
                name,
                created_at,
                versions,
                frozen,
                head,
                head_hash,
                updated_at,
            ) in self.session.execute(query)
        ]

    # --- versions -----------------------------------------------------------------------

    def head(self, scorecard_id: int) -> VersionRow | None:
        """The version with the highest number: what a new save builds on."""
        return self.session.scalars(
            select(VersionRow)
            .where(VersionRow.scorecard_id == scorecard_id)
            .order_by(VersionRow.number.desc())
            .limit(1)
        ).first()

    def version(self, scorecard_id: int, number: int) -> VersionRow | None:
        return self.session.scalars(
            select(VersionRow).where(
                VersionRow.scorecard_id == scorecard_id, VersionRow.number == number
            )
        ).first()

    def version_by_label(self, scorecard_id: int, label: str) -> VersionRow | None:
        return self.session.scalars(
            select(VersionRow)
            .where(VersionRow.scorecard_id == scorecard_id, VersionRow.frozen_label == label)
            .order_by(VersionRow.number.desc())
            .limit(1)
        ).first()

    def hashes(self, scorecard_id: int) -> dict[str, int]:
        """Hash -> local number of every version of a scorecard."""
        return dict(
            self.session.execute(
                select(VersionRow.hash, VersionRow.number).where(
                    VersionRow.scorecard_id == scorecard_id
                )
            ).all()
        )

    def has_children(self, scorecard_id: int, number: int) -> bool:
        return bool(
            self.session.scalar(
                select(
                    exists().where(
                        VersionRow.scorecard_id == scorecard_id,
                        VersionRow.parent_number == number,
                    )
                )
            )
        )

    def add_version(self, row: VersionRow, snapshots: Mapping[str, str]) -> VersionRow:
        self.session.add(row)
        self.session.flush()
        for source_id, digest in sorted(snapshots.items()):
            self.session.add(
                VersionSnapshot(version_id=row.id, source_id=source_id, snapshot_hash=digest)
            )
        self.session.flush()
        return row

    def delete_version(self, row: VersionRow) -> None:
        self.session.execute(
            delete(GovernanceEntryRow).where(GovernanceEntryRow.version_id == row.id)
        )
        self.session.execute(delete(VersionSnapshot).where(VersionSnapshot.version_id == row.id))
        self.session.execute(delete(VersionRow).where(VersionRow.id == row.id))

    def snapshot_refs(self, version_id: int) -> dict[str, str]:
        return dict(
            self.session.execute(
                select(VersionSnapshot.source_id, VersionSnapshot.snapshot_hash).where(
                    VersionSnapshot.version_id == version_id
                )
            ).all()
        )

    def log(self, scorecard_name: str, scorecard_id: int) -> list[VersionInfo]:
        """Every version of a scorecard, oldest first, with its snapshot hashes.

        Runs on the session's Core connection: the ORM's row loading would double the time
        of a 10,000-version history for nothing, as no ORM object is wanted here.
        """
        connection = self.session.connection()
        refs: dict[int, dict[str, str]] = defaultdict(dict)
        for version_id, source_id, digest in connection.execute(
            select(
                VersionSnapshot.version_id, VersionSnapshot.source_id, VersionSnapshot.snapshot_hash
            )
            .join(VersionRow, VersionRow.id == VersionSnapshot.version_id)
            .where(VersionRow.scorecard_id == scorecard_id)
        ):
            refs[version_id][source_id] = digest
        rows = connection.execute(
            select(*_VERSION_COLUMNS)
            .where(VersionRow.scorecard_id == scorecard_id)
            .order_by(VersionRow.number)
        ).all()
        make = VersionInfo._make
        with _collector_paused():
            return [
                make((scorecard_name, *_readable(row)[1:], refs.get(row[0]) or {})) for row in rows
            ]

    def all_versions(self) -> list[tuple[str, VersionRow, dict[str, str]]]:
        """Every version of every scorecard in chain order, for ``verify``."""
        refs: dict[int, dict[str, str]] = defaultdict(dict)
        for version_id, source_id, digest in self.session.execute(
            select(
                VersionSnapshot.version_id, VersionSnapshot.source_id, VersionSnapshot.snapshot_hash
            )
        ):
            refs[version_id][source_id] = digest
        rows = self.session.execute(
            select(ScorecardRow.name, VersionRow)
            .join(VersionRow, VersionRow.scorecard_id == ScorecardRow.id)
            .order_by(ScorecardRow.name, VersionRow.number)
        )
        return [(name, row, refs.get(row.id, {})) for name, row in rows]

    # --- content-addressed blobs --------------------------------------------------------

    def add_design(self, digest: str, codec: str, size: int, data: bytes) -> bool:
        """Store a design document unless one with this hash is there; True if added."""
        if self.session.get(DesignBlob, digest) is not None:
            return False
        self.session.add(DesignBlob(hash=digest, codec=codec, size=size, data=data))
        return True

    def design_blob(self, digest: str) -> DesignBlob | None:
        return self.session.get(DesignBlob, digest)

    def add_snapshot(self, snapshot: EncodedSnapshot) -> bool:
        """Store a data snapshot unless one with this hash is there; True if added."""
        if self.session.scalar(select(exists().where(SnapshotBlob.hash == snapshot.hash))):
            return False
        self.session.add(
            SnapshotBlob(
                hash=snapshot.hash,
                format=snapshot.format,
                rows=snapshot.rows,
                columns=snapshot.columns,
                size=len(snapshot.data),
                data=snapshot.data,
            )
        )
        return True

    def has_snapshot(self, digest: str) -> bool:
        return bool(self.session.scalar(select(exists().where(SnapshotBlob.hash == digest))))

    def snapshot_blob(self, digest: str) -> SnapshotBlob | None:
        return self.session.get(SnapshotBlob, digest)

    def snapshot_hashes(self) -> list[str]:
        return list(self.session.scalars(select(SnapshotBlob.hash)))

    def design_hashes(self) -> list[str]:
        return list(self.session.scalars(select(DesignBlob.hash)))

    def delete_orphans(self) -> None:
        """Remove designs and snapshots no version or draft refers to any more."""
        self.session.flush()
        self.session.execute(
            delete(DesignBlob).where(~exists().where(VersionRow.design_hash == DesignBlob.hash))
        )
        self.session.execute(
            delete(SnapshotBlob).where(
                ~exists().where(VersionSnapshot.snapshot_hash == SnapshotBlob.hash),
                ~exists().where(DraftSnapshot.snapshot_hash == SnapshotBlob.hash),
            )
        )

    # --- drafts -------------------------------------------------------------------------

    def autosave_draft(self, scorecard: str) -> DraftRow | None:
        return self.session.scalars(
            select(DraftRow).where(DraftRow.scorecard == scorecard, DraftRow.kind == "autosave")
        ).first()

    def draft(self, draft_id: int) -> DraftRow | None:
        return self.session.get(DraftRow, draft_id)

    def drafts(self, scorecard: str | None = None) -> list[DraftRow]:
        query = select(DraftRow).order_by(DraftRow.id)
        if scorecard is not None:
            query = query.where(DraftRow.scorecard == scorecard)
        return list(self.session.scalars(query))

    def add_draft(self, row: DraftRow, snapshots: Mapping[str, str]) -> DraftRow:
        self.session.add(row)
        self.session.flush()
        self.set_draft_snapshots(row, snapshots)
        return row

    def set_draft_snapshots(self, row: DraftRow, snapshots: Mapping[str, str]) -> None:
        self.session.execute(delete(DraftSnapshot).where(DraftSnapshot.draft_id == row.id))
        for source_id, digest in sorted(snapshots.items()):
            self.session.add(
                DraftSnapshot(draft_id=row.id, source_id=source_id, snapshot_hash=digest)
            )
        self.session.flush()

    def draft_snapshot_refs(self, draft_ids: Sequence[int]) -> dict[int, dict[str, str]]:
        out: dict[int, dict[str, str]] = defaultdict(dict)
        if not draft_ids:
            return out
        for draft_id, source_id, digest in self.session.execute(
            select(
                DraftSnapshot.draft_id, DraftSnapshot.source_id, DraftSnapshot.snapshot_hash
            ).where(DraftSnapshot.draft_id.in_(list(draft_ids)))
        ):
            out[draft_id][source_id] = digest
        return out

    def delete_draft(self, row: DraftRow) -> None:
        self.session.execute(delete(DraftSnapshot).where(DraftSnapshot.draft_id == row.id))
        self.session.execute(delete(DraftRow).where(DraftRow.id == row.id))

    # --- audit log ----------------------------------------------------------------------

    def audit(
        self,
        *,
        at: str,
        author: str,
        operation: str,
        scorecard: str | None = None,
        version: int | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        self.session.add(
            AuditEntry(
                at=at,
                author=author,
                operation=operation,
                scorecard=scorecard,
                version=version,
                detail=json.dumps(dict(detail or {}), sort_keys=True, ensure_ascii=False),
            )
        )

    def audit_entries(self, scorecard: str | None = None) -> list[AuditRecord]:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if scorecard is not None:
            query = query.where(AuditEntry.scorecard == scorecard)
        return [
            AuditRecord(
                e.id, e.at, e.author, e.operation, e.scorecard, e.version, _detail(e.detail)
            )
            for e in self.session.scalars(query)
        ]


def _readable(row: Sequence[Any]) -> Sequence[Any]:
    """A version row (``_VERSION_COLUMNS``) whose every value has its column's type.

    Only raw SQL puts bytes or numbers where text belongs; such a value is shown marked as
    damaged rather than breaking every listing (``verify`` reports it, and its hash no
    longer matches, so it can be neither exported nor trusted).
    """
    if all(type(v) is str or v is None for i, v in enumerate(row) if i not in (0, 1, 3)):
        return row
    return [
        v if i in (0, 1, 3) or v is None or type(v) is str else f"(damaged: {v!r:.40})"
        for i, v in enumerate(row)
    ]


def _detail(text: object) -> dict[str, Any]:
    """An audit entry's detail; a damaged one (raw SQL) is shown, not raised on."""
    try:
        value = json.loads(text)  # type: ignore[arg-type]
    except (TypeError, ValueError, RecursionError):
        return {"damaged": repr(text)[:80]}
    return value if isinstance(value, dict) else {"damaged": repr(value)[:80]}
