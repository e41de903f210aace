"""Governance entries in a portable ``.scorecard`` file: written out, checked, merged.

Commentary, exceptions, actions and reviews are part of what a client receives with a
scorecard's history, so the file carries every entry with the fields its hash covers
(:func:`~.hashing.governance_hash`): the hash of the version it was written on, its place
in that version's chain (``seq``, ``prev``), its kind, subject, body, author and time.

Import trusts none of it: each entry must hang from a version in the same file, the
entries of a version must run 1, 2, 3 … each naming the one before it, every hash must
match its content, and every body must have the shape its kind reads (so a crafted entry
with a recomputed hash still cannot break the window or the report). A file with no
``governance`` list (written by a release before governance travelled) imports as before.

``store push`` and ``store pull`` carry entries the same way: the source store's entries
are read as an export reads them and put through the same checks before anything merges.

Merging is by hash, like versions: an entry the store has is skipped; the file's entries
that extend a version's local chain are added under the next sequence numbers. When the two
stores wrote different entries on the same version, the chains diverge: the local chain is
kept and the file's remaining entries on that version are counted as not merged (they
cannot be re-chained without changing their hashes, which are their identity).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.domain.governance import ActionStatus, EntryKind, ReviewState
from scorecard_studio.engines.store.hashing import canonical_text, governance_hash, is_hex_digest

if TYPE_CHECKING:
    from scorecard_studio.engines.store.repository import SqlRepository

# Reading and checking a file's entries needs no SQL (the first start reads the bundled
# sample's file without SQLAlchemy); exporting and merging import it when they run.

#: Longest subject the store keeps (the column's width).
MAX_SUBJECT = 400
#: Longest text in an entry's body; generous beside the store's own 20,000-character limit.
MAX_BODY_TEXT = 100_000

_KINDS = frozenset(k.value for k in EntryKind)
_STATUSES = frozenset(s.value for s in ActionStatus)
_STATES = frozenset(s.value for s in ReviewState)


@dataclass(frozen=True, slots=True)
class PortableEntry:
    """One governance entry as a file records it (checked, not yet merged)."""

    version: str  # hash of the version it was written on
    seq: int
    kind: str
    subject: str
    body: dict[str, Any]
    author: str
    created_at: str
    prev: str | None
    hash: str

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "seq": self.seq,
            "kind": self.kind,
            "subject": self.subject,
            "body": self.body,
            "author": self.author,
            "created_at": self.created_at,
            "prev": self.prev,
            "hash": self.hash,
        }


# --- export -------------------------------------------------------------------------------


def entries_to_export(
    repo: SqlRepository, scorecard_id: int, name: str, doing: str = "exported"
) -> list[PortableEntry]:
    """Every entry of a scorecard, by version number then sequence, each re-hashed first.

    An entry that no longer matches its hash stops the export (or the sync, ``doing``
    "merged"), as an altered version does: neither a file nor another store may launder a
    tampered store into a clean-looking history.
    """
    from sqlalchemy import select

    from scorecard_studio.engines.store.schema import GovernanceEntryRow, VersionRow

    rows = repo.session.execute(
        select(GovernanceEntryRow, VersionRow.number, VersionRow.hash)
        .join(VersionRow, VersionRow.id == GovernanceEntryRow.version_id)
        .where(GovernanceEntryRow.scorecard_id == scorecard_id)
        .order_by(VersionRow.number, GovernanceEntryRow.seq)
    ).all()
    out: list[PortableEntry] = []
    for row, number, version_digest in rows:
        entry = PortableEntry(
            version=version_digest,
            seq=row.seq,
            kind=row.kind,
            subject=row.subject,
            body=_stored_body(row.body),
            author=row.author,
            created_at=row.created_at,
            prev=row.prev_hash,
            hash=row.hash,
        )
        if _recomputed(entry) != entry.hash:
            raise StoreError(
                f"{name} v{number}: governance entry {row.seq} does not match its hash (the "
                f"store was altered): nothing was {doing}; run 'store verify'"
            )
        out.append(entry)
    return out


def _stored_body(text: str) -> dict[str, Any]:
    try:
        body = json.loads(text)
    except (TypeError, ValueError):
        body = None
    return body if isinstance(body, dict) else {"damaged": True}


def _recomputed(entry: PortableEntry) -> str:
    return governance_hash(
        version_hash=entry.version,
        prev_hash=entry.prev,
        kind=entry.kind,
        subject=entry.subject,
        body=entry.body,
        author=entry.author,
        created_at=entry.created_at,
    )


# --- reading and checking -----------------------------------------------------------------


def read_entries(raw: object, version_hashes: set[str], where: str) -> tuple[PortableEntry, ...]:
    """The manifest's ``governance`` list, every entry checked; StoreError on the first fault.

    ``raw`` None (an older file) gives no entries.
    """
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise StoreError(f"{where}: damaged .scorecard file (manifest: 'governance' is not a list)")
    parsed = [_parse(item, i, where) for i, item in enumerate(raw)]
    return check_entries(parsed, version_hashes, where)


def check_entries(
    entries: Iterable[PortableEntry], version_hashes: set[str], where: str, source: str = "file"
) -> tuple[PortableEntry, ...]:
    """The entries, once each hangs from one of ``version_hashes``, has a body of its kind's
    shape and its version's chain runs unbroken with every hash matching; StoreError on the
    first fault. A file's entries and another store's (push, pull) pass the same checks."""
    checked = tuple(entries)
    chains: dict[str, list[PortableEntry]] = defaultdict(list)
    for entry in checked:
        if entry.version not in version_hashes:
            raise StoreError(
                f"{where}: governance entry {entry.hash[:12]} is on a version the {source} does "
                "not have (broken history)"
            )
        problem = body_problem(entry.kind, entry.body)
        if problem:
            raise StoreError(f"{where}: governance entry {entry.hash[:12]}: {problem}")
        chains[entry.version].append(entry)
    for chain in chains.values():
        _check_chain(chain, where)
    return checked


def _parse(item: object, index: int, where: str) -> PortableEntry:
    def bad(why: str) -> StoreError:
        return StoreError(
            f"{where}: damaged .scorecard file (manifest: governance entry {index + 1}: {why})"
        )

    if not isinstance(item, dict):
        raise bad("expected an object")
    texts = {}
    for key in ("version", "kind", "subject", "author", "created_at", "hash"):
        value = item.get(key)
        if not isinstance(value, str):
            raise bad(f"{key!r} is missing or of the wrong type")
        texts[key] = value
    for key in ("version", "hash"):
        if not is_hex_digest(texts[key]):
            raise bad(f"{key!r} is not a hash")
    prev = item.get("prev")
    if prev is not None and not is_hex_digest(prev):
        raise bad("'prev' is not a hash")
    seq = item.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise bad("'seq' must be a whole number from 1")
    if texts["kind"] not in _KINDS:
        raise bad(f"unknown kind {texts['kind'][:40]!r}")
    if len(texts["subject"]) > MAX_SUBJECT or len(texts["author"]) > MAX_SUBJECT:
        raise bad("its subject or author is too long")
    body = item.get("body")
    if not isinstance(body, dict):
        raise bad("'body' is not an object")
    problem = body_problem(texts["kind"], body)
    if problem:
        raise bad(problem)
    return PortableEntry(
        version=texts["version"],
        seq=seq,
        kind=texts["kind"],
        subject=texts["subject"],
        body=body,
        author=texts["author"],
        created_at=texts["created_at"],
        prev=prev,
        hash=texts["hash"],
    )


def body_problem(kind: str, body: Mapping[str, Any]) -> str | None:
    """What is wrong with an entry body for the way its kind is read, or None."""
    for key, value in body.items():
        if key in ("kpis", "tiers"):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return f"{key!r} must be a list of names"
        elif value is not None and not isinstance(value, str):
            return f"{key!r} must be text"
        elif isinstance(value, str) and len(value) > MAX_BODY_TEXT:
            return f"{key!r} is too long"
    status = body.get("status")
    actionable = kind in (EntryKind.ACTION, EntryKind.ACTION_UPDATE)
    if actionable and status is not None and status not in _STATUSES:
        return f"{status[:20]!r} is not an action status"
    if kind == EntryKind.REVIEW and body.get("state") not in _STATES:
        return "a review entry needs a review state"
    return None


def _check_chain(chain: list[PortableEntry], where: str) -> None:
    chain.sort(key=lambda e: e.seq)
    prev: str | None = None
    for expected, entry in enumerate(chain, start=1):
        label = f"{where}: governance entry {entry.seq} of version {entry.version[:12]}"
        if entry.seq != expected:
            raise StoreError(f"{label}: entries before it are missing or repeated")
        if entry.prev != prev:
            raise StoreError(f"{label} does not follow the entry before it")
        if _recomputed(entry) != entry.hash:
            raise StoreError(
                f"{label} does not match its hash: the commentary, exception, action or "
                "review was altered"
            )
        prev = entry.hash


# --- merging ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MergedEntries:
    """What merging a file's entries added: (entry hash, version hash) pairs, and how many
    of the file's entries were left out because the version's local chain had diverged."""

    added: tuple[tuple[str, str], ...]
    not_merged: int


def merge_entries(
    repo: SqlRepository,
    scorecard_id: int,
    entries: Iterable[PortableEntry],
    local_numbers: Mapping[str, int],
) -> MergedEntries:
    """Add the file's entries to the versions (found by hash) inside the caller's transaction."""
    from sqlalchemy import select

    from scorecard_studio.engines.store.schema import GovernanceEntryRow

    by_version: dict[str, list[PortableEntry]] = defaultdict(list)
    for entry in entries:
        by_version[entry.version].append(entry)
    added: list[tuple[str, str]] = []
    not_merged = 0
    for version_digest, chain in by_version.items():
        row = repo.version(scorecard_id, local_numbers[version_digest])
        if row is None:  # pragma: no cover - added or listed in the same transaction
            continue
        have = list(
            repo.session.scalars(
                select(GovernanceEntryRow.hash)
                .where(GovernanceEntryRow.version_id == row.id)
                .order_by(GovernanceEntryRow.seq)
            )
        )
        chain.sort(key=lambda e: e.seq)
        shared = 0
        while shared < min(len(have), len(chain)) and have[shared] == chain[shared].hash:
            shared += 1
        if shared < len(have):
            not_merged += len(chain) - shared
            continue
        for entry in chain[shared:]:
            repo.session.add(
                GovernanceEntryRow(
                    scorecard_id=scorecard_id,
                    version_id=row.id,
                    seq=entry.seq,
                    kind=entry.kind,
                    subject=entry.subject,
                    body=canonical_text(entry.body),
                    author=entry.author,
                    created_at=entry.created_at,
                    prev_hash=entry.prev,
                    hash=entry.hash,
                )
            )
            added.append((entry.hash, version_digest))
    repo.session.flush()
    return MergedEntries(tuple(added), not_merged)
