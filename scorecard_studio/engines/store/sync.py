"""Offline first: ``push`` and ``pull`` between a local store and the team store, by hash.

A consultant works offline in a local SQLite store and brings the versions back later.
Versions are matched by hash, never by number (numbers are each store's local names), and
no version is ever rewritten, so a history can be merged any number of times and in either
direction:

* **pull** (team → local) brings every version the local store lacks, as ``.scorecard``
  import does: under its own number when that is free locally, else under the next free
  one, its parent found by hash. The team's history is the reference, so it always comes in.
* **push** (local → team) only *extends* the team's history: a local version is added when
  its parent is the team's latest version at that moment (a fast-forward), so the team's
  head is never replaced by a branch it has not seen. A local version that builds on an
  older team version — someone else saved meanwhile — has *diverged*: it is not added as a
  version, its content (design and data) is kept in the team store as a conflict draft
  naming the team's latest version and its author, and the scorecard is reported as
  diverged. Nothing is lost and nothing is overwritten; after a pull the consultant can
  redo the change on top of the team's latest version.

Freezes travel with their versions; on a team store only an approver may add one, so a
freeze pushed by someone else is left out and reported. Before anything is merged, every
version read from the source is checked against its hash, as import checks a file.

Governance entries (commentary, exceptions, actions, reviews) travel by hash too, in both
directions, read and merged exactly as a ``.scorecard`` import does
(:mod:`.portable_governance`): every entry re-hashed and its chain checked first; an entry
the receiving store has is skipped; entries extending a version's chain there are appended
(entries are never rewritten). When both stores wrote different entries on the same
version, the receiving store's chain is kept and the source's remaining entries on it are
counted as not merged, as are the entries on a version that was not merged (diverged).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.engines.store.documents import DESIGN_CODEC, compress_design_text, design_text
from scorecard_studio.engines.store.hashing import freeze_seal, sha256_hex, version_hash
from scorecard_studio.engines.store.location import now_utc
from scorecard_studio.engines.store.lookups import find_scorecard
from scorecard_studio.engines.store.portable_governance import (
    PortableEntry,
    check_entries,
    entries_to_export,
    merge_entries,
)
from scorecard_studio.engines.store.records import VersionInfo
from scorecard_studio.engines.store.repository import SqlRepository
from scorecard_studio.engines.store.saving import add_conflict_draft
from scorecard_studio.engines.store.schema import VersionRow
from scorecard_studio.engines.store.snapshots import EncodedSnapshot
from scorecard_studio.engines.store.unit_of_work import Transactions


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What one push or pull did to one scorecard in the receiving store."""

    scorecard: str
    direction: str
    added: tuple[int, ...] = ()
    renumbered: dict[int, int] = field(default_factory=dict)
    already_present: int = 0
    #: Source version numbers not merged because they build on an older version.
    diverged: tuple[int, ...] = ()
    #: Conflict drafts made in the receiving store for the diverged versions.
    drafts: tuple[int, ...] = ()
    #: The receiving store's latest version the diverged work conflicts with, and its author.
    conflicts_with: str | None = None
    freezes_added: tuple[int, ...] = ()
    #: Freezes the receiving store did not take (the user may not freeze there).
    freezes_left_out: tuple[int, ...] = ()
    #: Governance entries added to the receiving store's versions.
    governance_added: int = 0
    #: Source entries not merged: the two stores wrote different entries on the version,
    #: or the version itself was not merged.
    governance_not_merged: int = 0

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "scorecard": self.scorecard,
            "direction": self.direction,
            "added": list(self.added),
            "renumbered": {str(k): v for k, v in sorted(self.renumbered.items())},
            "already_present": self.already_present,
            "diverged": list(self.diverged),
            "drafts": list(self.drafts),
            "conflicts_with": self.conflicts_with,
            "freezes_added": list(self.freezes_added),
            "freezes_left_out": list(self.freezes_left_out),
            "governance_added": self.governance_added,
            "governance_not_merged": self.governance_not_merged,
        }


@dataclass(frozen=True, slots=True)
class _Version:
    """A source version with everything needed to add it elsewhere, checked."""

    info: VersionInfo
    seal: str | None
    design: bytes
    snapshots: dict[str, EncodedSnapshot]


def scorecard_names(store: Transactions) -> list[str]:
    with store.unit_of_work() as uow:
        return uow.repo.scorecard_names()


def merge(
    source: Transactions,
    target: Transactions,
    names: Sequence[str],
    *,
    direction: str,
    source_name: str,
    author: str,
    may_freeze: bool,
) -> list[SyncReport]:
    """Merge each scorecard of ``names`` from ``source`` into ``target`` (see the module
    docstring); ``direction`` ``push`` extends only, ``pull`` takes everything."""
    reports = []
    for name in names:
        with target.unit_of_work() as uow:
            card = uow.repo.scorecard(name)
            known = set() if card is None else set(uow.repo.hashes(card.id))
        versions, entries = _read(source, name, known)
        reports.append(
            _merge_one(target, name, versions, entries, direction, source_name, author, may_freeze)
        )
    return reports


def _read(
    source: Transactions, name: str, known: set[str]
) -> tuple[list[_Version], tuple[PortableEntry, ...]]:
    """Every version of ``name`` in ``source``, with content for those ``known`` lacks, and
    every governance entry on them, checked as a file's entries are."""
    out: list[_Version] = []
    with source.unit_of_work() as uow:
        card = find_scorecard(uow.repo, name)
        stored = entries_to_export(uow.repo, card.id, card.name, doing="merged")
        for info in uow.repo.log(card.name, card.id):
            row = uow.repo.version(card.id, info.number)
            seal = None if row is None else row.freeze_seal
            _check(name, info, seal)
            if info.hash in known:
                out.append(_Version(info, seal, b"", {}))
                continue
            blob = uow.repo.design_blob(info.design_hash)
            if blob is None:
                raise StoreError(f"{name} v{info.number}: its design document is missing")
            text = design_text(blob.codec, blob.data)
            if sha256_hex(text) != info.design_hash:
                raise _altered(name, info.number)
            snapshots = {}
            for source_id, digest in info.snapshot_hashes.items():
                snap = uow.repo.snapshot_blob(digest)
                if snap is None or not isinstance(snap.data, bytes):
                    raise StoreError(f"{name} v{info.number}: data snapshot {digest[:12]} missing")
                if sha256_hex(snap.data) != digest:
                    raise _altered(name, info.number)
                snapshots[source_id] = EncodedSnapshot(
                    digest, snap.data, snap.rows, snap.columns, snap.format
                )
            out.append(_Version(info, seal, text, snapshots))
    entries = check_entries(stored, {v.info.hash for v in out}, name, source="store")
    return out, entries


def _check(name: str, info: VersionInfo, seal: str | None) -> None:
    content = version_hash(
        parent_hash=info.parent_hash,
        design_hash=info.design_hash,
        snapshots=info.snapshot_hashes,
        message=info.message,
        author=info.author,
        created_at=info.created_at,
    )
    if content != info.hash:
        raise _altered(name, info.number)
    if info.frozen_label is not None and seal != freeze_seal(
        version_hash=info.hash,
        label=info.frozen_label,
        frozen_at=info.frozen_at or "",
        frozen_by=info.frozen_by or "",
    ):
        raise _altered(name, info.number)


def _altered(name: str, number: int) -> StoreError:
    return StoreError(
        f"{name} v{number} does not match its hash (the store it comes from was altered): "
        "nothing was merged; run 'store verify' there"
    )


def _merge_one(
    target: Transactions,
    name: str,
    versions: list[_Version],
    entries: tuple[PortableEntry, ...],
    direction: str,
    source_name: str,
    author: str,
    may_freeze: bool,
) -> SyncReport:
    extend_only = direction == "push"
    with target.unit_of_work(write=True) as uow:
        repo = uow.repo
        now = now_utc()
        card = repo.scorecard(name) or repo.add_scorecard(name, now)
        local = repo.hashes(card.id)
        head = repo.head(card.id)
        head_hash = None if head is None else head.hash
        used = set(local.values())
        added: list[int] = []
        renumbered: dict[int, int] = {}
        diverged: list[_Version] = []
        freezes_added: list[int] = []
        left_out: list[int] = []
        present = 0
        for v in versions:
            info = v.info
            if info.hash in local:
                present += 1
                _merge_freeze(
                    repo, card.id, local[info.hash], v, may_freeze, freezes_added, left_out
                )
                continue
            attached = info.parent_hash is None or info.parent_hash in local
            if not attached or (extend_only and info.parent_hash != head_hash):
                diverged.append(v)
                continue
            number = info.number
            if number in used:
                number = max(card.last_number, *used) + 1
                renumbered[info.number] = number
            freeze = info.frozen_label is not None and may_freeze
            if info.frozen_label is not None and not may_freeze:
                left_out.append(info.number)
            repo.add_design(
                info.design_hash, DESIGN_CODEC, len(v.design), compress_design_text(v.design)
            )
            for snapshot in v.snapshots.values():
                repo.add_snapshot(snapshot)
            row = VersionRow(
                scorecard_id=card.id,
                number=number,
                parent_number=None if info.parent_hash is None else local[info.parent_hash],
                parent_hash=info.parent_hash,
                design_hash=info.design_hash,
                message=info.message,
                author=info.author,
                created_at=info.created_at,
                hash=info.hash,
            )
            if freeze:
                row.frozen_label = info.frozen_label
                row.frozen_at = info.frozen_at
                row.frozen_by = info.frozen_by
                row.freeze_seal = v.seal
            repo.add_version(row, info.snapshot_hashes)
            local[info.hash] = number
            used.add(number)
            card.last_number = max(card.last_number, number)
            added.append(number)
            if head is None or number > (head.number if head else 0):
                head, head_hash = row, info.hash
        # Entries on the versions this store now has; those on diverged work stay behind.
        here = [e for e in entries if e.version in local]
        merged = merge_entries(repo, card.id, here, local)
        conflicts_with = None
        drafts: list[int] = []
        if diverged:
            latest = repo.head(card.id)
            conflicts_with = None if latest is None else f"v{latest.number} by {latest.author}"
            drafts = _keep_diverged(repo, name, diverged, source_name, author, now, latest)
        report = SyncReport(
            scorecard=name,
            direction=direction,
            added=tuple(added),
            renumbered=renumbered,
            already_present=present,
            diverged=tuple(v.info.number for v in diverged),
            drafts=tuple(drafts),
            conflicts_with=conflicts_with,
            freezes_added=tuple(freezes_added),
            freezes_left_out=tuple(left_out),
            governance_added=len(merged.added),
            governance_not_merged=merged.not_merged + len(entries) - len(here),
        )
        if added or drafts or freezes_added or merged.added:
            latest = repo.head(card.id)
            repo.audit(
                at=now,
                author=author,
                operation=direction,
                scorecard=name,
                version=None if latest is None else latest.number,
                # The entries added are listed with their versions' hashes, so that verify
                # holds them to the audit log like entries written here.
                detail={
                    "from": source_name,
                    **report.to_json_dict(),
                    "governance": [list(pair) for pair in merged.added],
                },
            )
        uow.commit()
        return report


def _merge_freeze(
    repo: SqlRepository,
    scorecard_id: int,
    number: int,
    v: _Version,
    may_freeze: bool,
    added: list[int],
    left_out: list[int],
) -> None:
    info = v.info
    if info.frozen_label is None:
        return
    row = repo.version(scorecard_id, number)
    if row is None or row.frozen_label is not None:
        return  # a freeze already there is kept as it is
    if not may_freeze:
        left_out.append(info.number)
        return
    if repo.version_by_label(scorecard_id, info.frozen_label) is not None:
        left_out.append(info.number)  # the label is on another version here
        return
    row.frozen_label = info.frozen_label
    row.frozen_at = info.frozen_at
    row.frozen_by = info.frozen_by
    row.freeze_seal = v.seal
    repo.session.flush()
    added.append(number)


def _keep_diverged(
    repo: SqlRepository,
    name: str,
    diverged: Iterable[_Version],
    source_name: str,
    author: str,
    now: str,
    latest: VersionRow | None,
) -> list[int]:
    """One conflict draft per diverged branch tip (its newest work), made once only."""
    branch = list(diverged)
    parents = {v.info.parent_hash for v in branch}
    tips = [v for v in branch if v.info.hash not in parents]
    existing = {(d.design_hash, d.message) for d in repo.drafts(name) if d.kind == "conflict"}
    drafts = []
    for v in tips:
        info = v.info
        message = f"not merged from {source_name} v{info.number} ({info.hash[:12]}): {info.message}"
        if (info.design_hash, message) in existing:
            continue
        for snapshot in v.snapshots.values():
            repo.add_snapshot(snapshot)
        base = _base_number(repo, latest, info.parent_hash)
        draft_id = add_conflict_draft(
            repo,
            name=name,
            base=base,
            message=message,
            author=author,
            now=now,
            design_hash=info.design_hash,
            design=compress_design_text(v.design),
            refs={s: snap.hash for s, snap in v.snapshots.items()},
            head=(
                None if latest is None else latest.number,
                None if latest is None else latest.author,
                None if latest is None else latest.hash,
            ),
            detail={"from": source_name, "hash": info.hash},
        )
        drafts.append(draft_id)
    return drafts


def _base_number(
    repo: SqlRepository, latest: VersionRow | None, parent_hash: str | None
) -> int | None:
    """The receiving store's number of the version the diverged work started from."""
    if latest is None or parent_hash is None:
        return None
    return repo.hashes(latest.scorecard_id).get(parent_hash)
