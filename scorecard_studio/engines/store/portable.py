"""Portable ``.scorecard`` files: one scorecard with its whole history and data.

A consultant exports a scorecard, hands the file to a client, and the client imports it.
The file is a zip archive (readable with any zip tool, nothing executable inside)::

    manifest.json                 format tag, scorecard name, every version's record,
                                  every governance entry (:mod:`.portable_governance`)
    designs/<sha256>.json         each design document once, canonical JSON
    snapshots/<sha256>.arrow      each data snapshot once, as the store keeps it

Entries are written in a fixed order with a fixed timestamp, so exporting the same history
twice gives the same bytes.

Import trusts nothing in the file: :mod:`.portable_check` reads and checks all of it
before the store is touched; the merge itself is one transaction.

Merging is by hash: a version whose hash the store already has is skipped (a freeze it
carries is added if the local copy has none), a new one is added under its own number when
that number is free locally, else under the next free number, and its parent is found by
hash. Importing the same file twice therefore changes nothing the second time. Governance
entries (commentary, exceptions, actions, reviews) are merged the same way, by hash, onto
the versions they were written on.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.engines.store.documents import (
    DESIGN_CODEC,
    compress_design_text,
    design_text,
)
from scorecard_studio.engines.store.faults import from_os_error
from scorecard_studio.engines.store.hashing import version_hash
from scorecard_studio.engines.store.location import default_author, now_utc
from scorecard_studio.engines.store.lookups import find_scorecard
from scorecard_studio.engines.store.names import check_name
from scorecard_studio.engines.store.portable_check import (
    FORMAT,
    FORMAT_VERSION,
    PortableVersion,
    read_portable,
)
from scorecard_studio.engines.store.portable_governance import entries_to_export, merge_entries
from scorecard_studio.engines.store.records import ImportSummary
from scorecard_studio.engines.store.repository import SqlRepository
from scorecard_studio.engines.store.schema import VersionRow
from scorecard_studio.engines.store.unit_of_work import Transactions

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


# --- export -------------------------------------------------------------------------------


def export_scorecard(
    store: Transactions, name: str, out: Path, author: str | None, *, audit: bool = True
) -> Path:
    """Write ``name`` with all its versions, designs and snapshots to ``out`` atomically.

    ``audit`` False: the export is not written to the audit log (a team store's viewer, who
    may read everything and write nothing).
    """
    who = author or default_author()
    with store.unit_of_work() as uow:
        card = find_scorecard(uow.repo, name)
        key = card.name
        versions = uow.repo.log(key, card.id)
        if not versions:
            raise StoreError(f"{name!r} has no versions to export")
        for v in versions:
            content = version_hash(
                parent_hash=v.parent_hash,
                design_hash=v.design_hash,
                snapshots=v.snapshot_hashes,
                message=v.message,
                author=v.author,
                created_at=v.created_at,
            )
            if content != v.hash:
                raise StoreError(
                    f"{key} v{v.number} does not match its hash (the store was altered): "
                    "nothing was exported; run 'store verify'"
                )
        designs: dict[str, bytes] = {}
        snapshots: dict[str, tuple[dict[str, Any], bytes]] = {}
        for v in versions:
            if v.design_hash not in designs:
                blob = uow.repo.design_blob(v.design_hash)
                if blob is None:
                    raise StoreError(f"{name} v{v.number}: its design document is missing")
                designs[v.design_hash] = design_text(blob.codec, blob.data)
            for digest in v.snapshot_hashes.values():
                if digest not in snapshots:
                    snap = uow.repo.snapshot_blob(digest)
                    if snap is None:
                        raise StoreError(f"{name} v{v.number}: data snapshot {digest[:12]} missing")
                    meta = {"format": snap.format, "rows": snap.rows, "columns": snap.columns}
                    snapshots[digest] = (meta, snap.data)
        seals = {
            row.number: row.freeze_seal
            for row in (uow.repo.version(card.id, v.number) for v in versions if v.frozen)
            if row is not None
        }
        entries = entries_to_export(uow.repo, card.id, key)
    now = now_utc()
    manifest: dict[str, Any] = {
        "format": FORMAT,
        # Format 1 when there is nothing it lacks, so an older release still reads the file.
        "format_version": FORMAT_VERSION if entries else 1,
        "scorecard": key,
        "exported_at": now,
        "exported_by": who,
        # The latest version when the file was written: `store verify --against FILE`
        # checks that the store still has it, with this hash.
        "witness": {
            "scorecard": key,
            "number": versions[-1].number,
            "hash": versions[-1].hash,
        },
        "versions": [
            {
                "number": v.number,
                "parent": v.parent,
                "parent_hash": v.parent_hash,
                "hash": v.hash,
                "design": v.design_hash,
                "message": v.message,
                "author": v.author,
                "created_at": v.created_at,
                "snapshots": dict(sorted(v.snapshot_hashes.items())),
                "freeze": None
                if v.frozen_label is None
                else {
                    "label": v.frozen_label,
                    "at": v.frozen_at,
                    "by": v.frozen_by,
                    "seal": seals.get(v.number),
                },
            }
            for v in versions
        ],
        "snapshots": {digest: meta for digest, (meta, _data) in sorted(snapshots.items())},
    }
    if entries:
        manifest["governance"] = [e.to_json_dict() for e in entries]
    manifest_bytes = json.dumps(manifest, indent=1, ensure_ascii=False).encode("utf-8")
    _write_zip(
        out,
        [("manifest.json", manifest_bytes, zipfile.ZIP_DEFLATED)]
        + [(f"designs/{d}.json", t, zipfile.ZIP_DEFLATED) for d, t in sorted(designs.items())]
        + [
            (f"snapshots/{d}.arrow", data, zipfile.ZIP_STORED)
            for d, (_meta, data) in sorted(snapshots.items())
        ],
    )
    if not audit:
        return out
    with store.unit_of_work(write=True) as uow:
        uow.repo.audit(
            at=now,
            author=who,
            operation="export",
            scorecard=key,
            version=versions[-1].number,
            detail={"file": out.name, "versions": len(versions), "governance": len(entries)},
        )
        uow.commit()
    return out


def _write_zip(out: Path, entries: list[tuple[str, bytes, int]]) -> None:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as exc:
        raise from_os_error(out, exc, "write") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w") as archive:
                for name, data, method in entries:
                    info = zipfile.ZipInfo(name, _ZIP_TIME)
                    info.compress_type = method
                    info.external_attr = 0o644 << 16
                    archive.writestr(info, data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise from_os_error(out, exc, "write") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- merging into a store -----------------------------------------------------------------


def import_scorecard(store: Transactions, path: Path, author: str | None) -> ImportSummary:
    """Check ``path`` completely, then merge it into the store in one transaction."""
    portable = read_portable(path)
    name = check_name(portable.scorecard)
    who = author or default_author()
    with store.unit_of_work(write=True) as uow:
        repo = uow.repo
        now = now_utc()
        card = repo.scorecard(name)
        created = card is None
        if card is None:
            card = repo.add_scorecard(name, now)
        local = repo.hashes(card.id)
        used = set(local.values())
        added: list[int] = []
        renumbered: dict[int, int] = {}
        freezes_added: list[int] = []
        freezes_kept: list[int] = []
        snapshots_added = 0
        for v in portable.versions:
            if v.hash in local:
                _merge_freeze(repo, card.id, local[v.hash], v, freezes_added, freezes_kept)
                continue
            number = v.number
            if number in used:
                number = max(card.last_number, *used) + 1
                renumbered[v.number] = number
            text = portable.designs[v.design]
            repo.add_design(v.design, DESIGN_CODEC, len(text), compress_design_text(text))
            for digest in v.snapshots.values():
                snapshots_added += repo.add_snapshot(portable.snapshots[digest])
            freeze = v.freeze or {}
            repo.add_version(
                VersionRow(
                    scorecard_id=card.id,
                    number=number,
                    parent_number=None if v.parent_hash is None else local[v.parent_hash],
                    parent_hash=v.parent_hash,
                    design_hash=v.design,
                    message=v.message,
                    author=v.author,
                    created_at=v.created_at,
                    hash=v.hash,
                    frozen_label=freeze.get("label"),
                    frozen_at=freeze.get("at"),
                    frozen_by=freeze.get("by"),
                    freeze_seal=freeze.get("seal"),
                ),
                v.snapshots,
            )
            local[v.hash] = number
            used.add(number)
            card.last_number = max(card.last_number, number)
            added.append(number)
        merged = merge_entries(repo, card.id, portable.governance, local)
        summary = ImportSummary(
            scorecard=name,
            created=created,
            added=tuple(added),
            already_present=len(portable.versions) - len(added),
            renumbered=renumbered,
            freezes_added=tuple(freezes_added),
            freezes_kept=tuple(freezes_kept),
            snapshots_added=snapshots_added,
            governance_added=len(merged.added),
            governance_not_merged=merged.not_merged,
        )
        # The entries added are listed with their versions' hashes, so that verify holds
        # them to the audit log exactly like entries written here.
        repo.audit(
            at=now,
            author=who,
            operation="import",
            scorecard=name,
            version=max(local.values()),
            detail={
                "file": path.name,
                **summary.to_json_dict(),
                "governance": [list(pair) for pair in merged.added],
            },
        )
        uow.commit()
        return summary


def _merge_freeze(
    repo: SqlRepository,
    scorecard_id: int,
    number: int,
    v: PortableVersion,
    added: list[int],
    kept: list[int],
) -> None:
    if v.freeze is None:
        return
    row = repo.version(scorecard_id, number)
    if row is None:  # pragma: no cover - the hash was listed in the same transaction
        return
    if row.frozen_label is None:
        row.frozen_label = v.freeze["label"]
        row.frozen_at = v.freeze["at"]
        row.frozen_by = v.freeze["by"]
        row.freeze_seal = v.freeze["seal"]
        repo.session.flush()
        added.append(number)
    elif row.frozen_label != v.freeze["label"]:
        kept.append(number)
