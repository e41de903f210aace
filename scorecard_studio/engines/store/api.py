"""The ``Store`` facade: every operation the window and the CLI perform on the store.

Each public method is one unit of work (one transaction) and one audit-log entry, and
returns plain frozen records (``records.py``). The facade holds the SQLAlchemy engine and
nothing else, so several ``Store`` objects (two windows, two processes) on one file see
each other's commits immediately.

No lost update: ``save`` takes the version the caller's edits started from (``parent``).
If someone else saved meanwhile, the head has moved, the save is refused with a
:class:`SaveConflictError` and its content is kept as a draft, never discarded. Passing
``parent=LATEST`` (what the CLI does) saves on top of whatever the head is.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from scorecard_studio.domain.design_diff import DesignDiff, diff_designs
from scorecard_studio.domain.errors import ConflictError, StoreError
from scorecard_studio.domain.model import Scorecard
from scorecard_studio.engines.store import governance_store, postgres
from scorecard_studio.engines.store.documents import EncodedDesign, design_text, encode_design
from scorecard_studio.engines.store.governance_methods import GovernanceMethods
from scorecard_studio.engines.store.hashing import freeze_seal
from scorecard_studio.engines.store.identity_methods import IdentityMethods
from scorecard_studio.engines.store.location import (
    now_utc,
)
from scorecard_studio.engines.store.lookups import (
    find_scorecard,
    find_version,
    load_design,
    snapshot_blobs,
    version_info,
    version_name,
)
from scorecard_studio.engines.store.names import MAX_NAME, check_name
from scorecard_studio.engines.store.records import (
    AuditRecord,
    DraftInfo,
    ImportSummary,
    Problem,
    ScorecardInfo,
    VersionInfo,
)
from scorecard_studio.engines.store.saving import (
    LATEST,
    Parent,
    StaleHeadError,
    keep_conflict,
    save_version,
)
from scorecard_studio.engines.store.snapshots import decode_table, encode_tables
from scorecard_studio.engines.store.stored_version import StoredVersion
from scorecard_studio.engines.store.unit_of_work import SqlUnitOfWork
from scorecard_studio.engines.store.writes import FreezeRefusedError, SaveConflictError, retrying

if TYPE_CHECKING:
    import pandas as pd

    from scorecard_studio.engines.store.sync import SyncReport


class Store(IdentityMethods, GovernanceMethods):
    """The versioned scorecard store (see the module docstring)."""

    def __init__(self, engine: Engine, path: Path | None = None, *, name: str = "") -> None:
        self.engine = engine
        #: The store file (None for a team store).
        self.path = path
        #: True for a team store on PostgreSQL.
        self.team = engine.dialect.name == "postgresql"
        #: Where the store is, as it may be shown (a team store's URL without its password).
        self.name = name or (str(path) if path is not None else "")
        self._identity: str | None = None

    @property
    def witness_key(self) -> Path | str | None:
        """What the witness outside the store is filed under: its file, or its URL."""
        return self.path if self.path is not None else (self.name or None)

    # --- life cycle ---------------------------------------------------------------------

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def unit_of_work(self, *, write: bool = False) -> Iterator[SqlUnitOfWork]:
        with SqlUnitOfWork(self.engine, write=write) as uow:
            yield uow

    # --- reading ------------------------------------------------------------------------

    def list_scorecards(self) -> list[ScorecardInfo]:
        with self.unit_of_work() as uow:
            return uow.repo.list_scorecards()

    def log(self, name: str) -> list[VersionInfo]:
        """Every version of a scorecard, oldest first (the last one is the head)."""
        with self.unit_of_work() as uow:
            card = find_scorecard(uow.repo, name)
            return uow.repo.log(card.name, card.id)

    def head(self, name: str) -> int | None:
        """The newest version number of a scorecard, None when it has none (or is unknown)."""
        with self.unit_of_work() as uow:
            card = uow.repo.scorecard(name)
            if card is None:
                return None
            row = uow.repo.head(card.id)
            return None if row is None else row.number

    def version_info(self, name: str, number: int | None = None) -> VersionInfo:
        with self.unit_of_work() as uow:
            card, row = find_version(uow.repo, name, number)
            return version_info(card.name, row, uow.repo.snapshot_refs(row.id))

    def checkout(self, name: str, number: int | None = None) -> StoredVersion:
        """A version's design and record (the head when ``number`` is None)."""
        with self.unit_of_work() as uow:
            card, row = find_version(uow.repo, name, number)
            info = version_info(card.name, row, uow.repo.snapshot_refs(row.id))
            design = load_design(uow.repo, row.design_hash, f"{name} v{row.number}")
            head = uow.repo.head(card.id)
            latest = None if head is None else (head.number, head.hash)
        return StoredVersion(info, design, self, latest)

    def checkout_label(self, name: str, label: str) -> StoredVersion:
        """The version frozen with ``label``."""
        with self.unit_of_work() as uow:
            card = find_scorecard(uow.repo, name)
            row = uow.repo.version_by_label(card.id, label)
            if row is None:
                raise StoreError(f"{name!r} has no version frozen as {label!r}")
            number = row.number
        return self.checkout(name, number)

    def load_snapshots(self, refs: Mapping[str, str]) -> dict[str, pd.DataFrame]:
        """Decode the snapshots ``refs`` names (source id -> hash)."""
        with self.unit_of_work() as uow:
            blobs = snapshot_blobs(uow.repo, refs)
        return {source_id: decode_table(data) for source_id, data in sorted(blobs.items())}

    def diff(self, name: str, a: int, b: int) -> DesignDiff:
        """What changed in the design from version ``a`` to version ``b``."""
        old = self.checkout(name, a).design
        new = self.checkout(name, b).design
        return diff_designs(old, new, old_label=f"version {a}", new_label=f"version {b}")

    def audit(self, name: str | None = None) -> list[AuditRecord]:
        """The audit log, oldest first (of one scorecard when ``name`` is given)."""
        with self.unit_of_work() as uow:
            return uow.repo.audit_entries(name)

    # --- writing versions ---------------------------------------------------------------

    @retrying
    def save(
        self,
        card: Scorecard,
        tables: Mapping[str, pd.DataFrame] | None = None,
        message: str = "",
        author: str | None = None,
        parent: Parent = LATEST,
        *,
        name: str | None = None,
    ) -> VersionInfo:
        """Save ``card`` as a new version on top of ``parent``.

        ``tables`` maps source ids to their data; a source it leaves out keeps the snapshot
        of the parent version. ``name`` defaults to the design's own name. Raises
        :class:`SaveConflictError` when ``parent`` is no longer the head; the content is then
        kept as a draft.
        """
        key = check_name(name if name is not None else card.name)
        who = self.author(author)
        design = encode_design(card)
        snapshots = encode_tables(card, tables)
        try:
            with self.unit_of_work(write=True) as uow:
                info = save_version(
                    uow,
                    key,
                    design,
                    snapshots,
                    message,
                    who,
                    parent,
                    inherit_for=frozenset(s.id for s in card.sources),
                )
                uow.commit()
            self._witness()
            return info
        except StaleHeadError as stale:
            base = None if parent is LATEST else parent
            sources = frozenset(s.id for s in card.sources)
            kept = keep_conflict(
                self, key, design, snapshots, sources, message, who, base, stale.head
            )
            raise SaveConflictError(
                f"{key!r} was saved meanwhile by {kept.head_author or 'someone else'}: the "
                f"latest version is {version_name(kept.head)}, this save was based on "
                f"{version_name(base)}; your changes are kept as draft {kept.draft_id}",
                scorecard=key,
                head=kept.head,
                base=base,
                draft_id=kept.draft_id,
                head_author=kept.head_author,
            ) from None

    @retrying
    def restore(
        self,
        name: str,
        number: int,
        message: str | None = None,
        author: str | None = None,
        parent: Parent = LATEST,
    ) -> VersionInfo:
        """Save an old version's design and data again, as a new version on the head."""
        who = self.author(author)
        with self.unit_of_work(write=True) as uow:
            card, old = find_version(uow.repo, name, number)
            blob = uow.repo.design_blob(old.design_hash)
            if blob is None:
                raise StoreError(f"{name} v{number}: its design document is missing")
            text = design_text(blob.codec, blob.data)
            design = EncodedDesign(old.design_hash, text, blob.data, blob.codec)
            try:
                info = save_version(
                    uow,
                    card.name,
                    design,
                    {},
                    message if message is not None else f"Restore version {number}",
                    who,
                    parent,
                    fixed_refs=uow.repo.snapshot_refs(old.id),
                    operation="restore",
                    detail={"restored": number},
                )
            except StaleHeadError as stale:
                raise ConflictError(
                    f"{name!r} was saved meanwhile: the latest version is "
                    f"{version_name(stale.head)}; nothing was restored"
                ) from None
            uow.commit()
        self._witness()
        return info

    @retrying
    def freeze(self, name: str, number: int, label: str, author: str | None = None) -> VersionInfo:
        """Freeze a version under ``label``: from now on it cannot change or be deleted."""
        who = self.author(author)
        label = label.strip()
        if not label:
            raise StoreError("a freeze needs a label, e.g. 'FY26 Q3 QBR'")
        if len(label) > MAX_NAME:
            raise StoreError(f"a freeze label is at most {MAX_NAME} characters")
        if self.version_info(name, number).frozen_label is None:
            from scorecard_studio.engines.store.governance_checks import freeze_blockers

            blockers = freeze_blockers(self, name, number, label)
            if blockers:
                raise FreezeRefusedError(blockers.message(name, number), blockers)
        with self.unit_of_work(write=True) as uow:
            if self.team and not postgres.can_freeze(uow.session.connection()):
                raise StoreError(
                    f"only an approver may freeze versions on the team store, and {who} is not "
                    "one; ask the store's administrator for the approver role"
                )
            card, row = find_version(uow.repo, name, number)
            if row.frozen_label is not None:
                raise StoreError(f"{name} v{number} is already frozen as {row.frozen_label!r}")
            other = uow.repo.version_by_label(card.id, label)
            if other is not None:
                raise StoreError(f"{name!r}: the label {label!r} is already on v{other.number}")
            now = now_utc()
            row.frozen_label = label
            row.frozen_at = now
            row.frozen_by = who
            row.freeze_seal = freeze_seal(
                version_hash=row.hash, label=label, frozen_at=now, frozen_by=who
            )
            uow.session.flush()
            uow.repo.audit(
                at=now,
                author=who,
                operation="freeze",
                scorecard=card.name,
                version=number,
                detail={
                    "label": label,
                    "hash": row.hash,
                    "governance": governance_store.head_hash(uow, row),
                },
            )
            info = version_info(card.name, row, uow.repo.snapshot_refs(row.id))
            uow.commit()
        self._witness()
        return info

    @retrying
    def delete_version(self, name: str, number: int, author: str | None = None) -> None:
        """Delete an unfrozen version that no later version builds on (normally the head)."""
        who = self.author(author)
        with self.unit_of_work(write=True) as uow:
            card, row = find_version(uow.repo, name, number)
            if row.frozen_label is not None:
                raise StoreError(
                    f"{name} v{number} is frozen as {row.frozen_label!r}: it cannot be deleted"
                )
            if uow.repo.has_children(card.id, number):
                raise StoreError(
                    f"{name} v{number} has later versions built on it; only an unfrozen version "
                    "without later versions can be deleted"
                )
            digest = row.hash
            uow.repo.delete_version(row)
            uow.repo.delete_orphans()
            uow.repo.audit(
                at=now_utc(),
                author=who,
                operation="delete",
                scorecard=card.name,
                version=number,
                detail={"hash": digest},
            )
            uow.commit()
        self._witness()

    # --- drafts, verification and portable files (in their own modules) ----------------

    @retrying
    def autosave_draft(
        self,
        name: str,
        card: Scorecard,
        tables: Mapping[str, pd.DataFrame] | None = None,
        base_version: int | None = None,
        author: str | None = None,
    ) -> DraftInfo:
        """Keep the working design as the scorecard's autosave draft (one per name)."""
        from scorecard_studio.engines.store import autosave

        return autosave.autosave(self, name, card, tables, base_version, self.author(author))

    def recover_drafts(self, name: str | None = None) -> list[DraftInfo]:
        from scorecard_studio.engines.store import autosave

        return autosave.recover(self, name)

    @retrying
    def discard_draft(self, name: str, author: str | None = None) -> bool:
        from scorecard_studio.engines.store import autosave

        return autosave.discard(self, name, self.author(author))

    @retrying
    def delete_draft(self, draft_id: int, author: str | None = None) -> None:
        from scorecard_studio.engines.store import autosave

        autosave.delete(self, draft_id, self.author(author))

    def draft_tables(self, draft_id: int) -> dict[str, pd.DataFrame]:
        from scorecard_studio.engines.store import autosave

        return autosave.tables(self, draft_id)

    def verify(self) -> list[Problem]:
        from scorecard_studio.engines.store import verify

        return verify.verify(self, self.witness_key)

    def verify_against(self, path: str | os.PathLike[str]) -> list[Problem]:
        """Whether the versions a report or ``.scorecard`` file names are still here, unchanged."""
        from scorecard_studio.engines.store import against

        return against.verify_against(self, Path(path))

    def _witness(self) -> None:
        """Record the heads and audit digest outside the store file (never fails the caller)."""
        key = self.witness_key
        if key is None:
            return
        from scorecard_studio.engines.store import witness

        try:
            with self.unit_of_work() as uow:
                witness.update(uow, key)
        except (OSError, StoreError):
            pass

    # --- offline work: push and pull by hash (sync.py) ---------------------------------

    @retrying
    def push(self, team: Store, names: Sequence[str] | None = None) -> list[SyncReport]:
        """Bring this store's versions of ``names`` (default: all) into ``team``, extending its
        histories only; work built on an older team version is kept there as a draft."""
        from scorecard_studio.engines.store import sync

        chosen = list(names) if names else sync.scorecard_names(self)
        reports = sync.merge(
            self,
            team,
            chosen,
            direction="push",
            source_name=f"{self.identity()}'s {'team' if self.team else 'local'} store",
            author=team.author(),
            may_freeze=team.can_freeze(),
        )
        team._witness()
        return reports

    @retrying
    def pull(self, team: Store, names: Sequence[str] | None = None) -> list[SyncReport]:
        """Bring every version of ``names`` (default: all) that ``team`` has and this store
        lacks; no version here is changed."""
        from scorecard_studio.engines.store import sync

        chosen = list(names) if names else sync.scorecard_names(team)
        reports = sync.merge(
            team,
            self,
            chosen,
            direction="pull",
            source_name=team.name,
            author=self.author(),
            may_freeze=self.can_freeze(),
        )
        self._witness()
        return reports

    @retrying
    def export_scorecard(
        self, name: str, out_path: str | os.PathLike[str], author: str | None = None
    ) -> Path:
        from scorecard_studio.engines.store import portable

        out = portable.export_scorecard(
            self, name, Path(out_path), self.author(author), audit=self.can_write()
        )
        self._witness()
        return out

    @retrying
    def import_scorecard(
        self, path: str | os.PathLike[str], author: str | None = None
    ) -> ImportSummary:
        from scorecard_studio.engines.store import portable

        summary = portable.import_scorecard(self, Path(path), self.author(author))
        self._witness()
        return summary


__all__ = ["FreezeRefusedError", "SaveConflictError", "Store", "StoredVersion"]
