"""Portable ``.scorecard`` files: one scorecard with its whole history and data.

A consultant exports a scorecard, hands the file to a client, and the client imports it.
The file is a zip archive (readable with any zip tool, nothing executable inside)::

    manifest.json                 format tag, scorecard name, every version's record
    designs/<sha256>.json         each design document once, canonical JSON
    snapshots/<sha256>.arrow      each data snapshot once, as the store keeps it

Entries are written in a fixed order with a fixed timestamp, so exporting the same history
twice gives the same bytes.

Import trusts nothing in the file. Before the store is touched, it checks the archive's
shape (only the three kinds of entry, no duplicates, no encryption, sizes within limits,
so a zip bomb is refused by its declared sizes), parses the manifest field by field,
re-hashes every design and snapshot, decodes them, and recomputes the whole hash chain and
every freeze seal. Any failure is a one-line StoreError and the store is unchanged; the
merge itself is one transaction.

Merging is by hash: a version whose hash the store already has is skipped (a freeze it
carries is added if the local copy has none), a new one is added under its own number when
that number is free locally, else under the next free number, and its parent is found by
hash. Importing the same file twice therefore changes nothing the second time.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.engines.store.documents import (
    DESIGN_CODEC,
    MAX_DESIGN_BYTES,
    compress_design_text,
    design_from_text,
    design_text,
)
from scorecard_studio.engines.store.hashing import (
    freeze_seal,
    is_hex_digest,
    sha256_hex,
    version_hash,
)
from scorecard_studio.engines.store.location import default_author, now_utc
from scorecard_studio.engines.store.records import ImportSummary
from scorecard_studio.engines.store.repository import SqlRepository
from scorecard_studio.engines.store.schema import VersionRow
from scorecard_studio.engines.store.snapshots import SNAPSHOT_FORMAT, EncodedSnapshot, decode_table

if TYPE_CHECKING:
    from scorecard_studio.engines.store.api import Store

FORMAT = "scorecard-studio/portable"
FORMAT_VERSION = 1

MAX_ENTRIES = 200_000
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_SNAPSHOT_BYTES = 2 * 1024 * 1024 * 1024
MAX_TOTAL_BYTES = 4 * 1024 * 1024 * 1024
#: A deflated entry expanding more than this is treated as a zip bomb.
MAX_RATIO = 200

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_ENTRY = re.compile(r"^(manifest\.json|designs/[0-9a-f]{64}\.json|snapshots/[0-9a-f]{64}\.arrow)$")


# --- export -------------------------------------------------------------------------------


def export_scorecard(store: Store, name: str, out: Path, author: str | None) -> Path:
    """Write ``name`` with all its versions, designs and snapshots to ``out`` atomically."""
    from scorecard_studio.engines.store.api import _scorecard

    who = author or default_author()
    with store.unit_of_work() as uow:
        card = _scorecard(uow.repo, name)
        key = card.name
        versions = uow.repo.log(key, card.id)
        if not versions:
            raise StoreError(f"{name!r} has no versions to export")
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
    now = now_utc()
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "scorecard": key,
        "exported_at": now,
        "exported_by": who,
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
    with store.unit_of_work(write=True) as uow:
        uow.repo.audit(
            at=now,
            author=who,
            operation="export",
            scorecard=key,
            version=versions[-1].number,
            detail={"file": out.name, "versions": len(versions)},
        )
        uow.commit()
    return out


def _write_zip(out: Path, entries: list[tuple[str, bytes, int]]) -> None:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as exc:
        raise StoreError(f"{out}: cannot write ({exc.strerror})") from None
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
        raise StoreError(f"{out}: cannot write ({exc.strerror})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- reading and checking a file ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PortableVersion:
    number: int
    parent_hash: str | None
    hash: str
    design: str
    message: str
    author: str
    created_at: str
    snapshots: dict[str, str]
    freeze: dict[str, str] | None


@dataclass(frozen=True, slots=True)
class PortableFile:
    """A fully checked ``.scorecard`` file, ready to merge."""

    scorecard: str
    versions: list[PortableVersion]
    designs: dict[str, bytes]
    snapshots: dict[str, EncodedSnapshot]


def read_portable(path: Path) -> PortableFile:
    """Open and check a ``.scorecard`` file; StoreError names what is wrong with it."""
    where = path.name
    if not path.is_file():
        raise StoreError(f"{path}: no such file")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = _check_entries(archive, where)
            manifest = _load_manifest(_read(archive, entries["manifest.json"], where), where)
            versions, snapshot_meta = _parse_manifest(manifest, where)
            designs = _check_designs(archive, entries, versions, where)
            snapshots = _check_snapshots(archive, entries, versions, snapshot_meta, where)
            expected = {"manifest.json"}
            expected |= {f"designs/{d}.json" for d in designs}
            expected |= {f"snapshots/{d}.arrow" for d in snapshots}
            extra = sorted(set(entries) - expected)
            if extra:
                raise StoreError(f"{where}: damaged .scorecard file (unexpected entry {extra[0]})")
    except zipfile.BadZipFile as exc:
        raise StoreError(f"{where}: not a .scorecard file or damaged ({exc})") from None
    except (OSError, EOFError) as exc:
        raise StoreError(f"{where}: cannot read ({exc})") from None
    _check_chain(versions, where)
    return PortableFile(str(manifest["scorecard"]), versions, designs, snapshots)


def _check_entries(archive: zipfile.ZipFile, where: str) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise StoreError(f"{where}: refused: {len(infos):,} entries is more than any scorecard")
    entries: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        if not _ENTRY.match(info.filename):
            raise StoreError(
                f"{where}: not a .scorecard file (unexpected entry {info.filename[:80]!r})"
            )
        if info.filename in entries:
            raise StoreError(f"{where}: refused: the entry {info.filename} appears twice")
        if info.flag_bits & 0x1:
            raise StoreError(f"{where}: refused: encrypted entries are not allowed")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise StoreError(f"{where}: refused: {info.filename} uses an unsupported compression")
        limit = MAX_MANIFEST_BYTES if info.filename == "manifest.json" else MAX_SNAPSHOT_BYTES
        if info.filename.startswith("designs/"):
            limit = MAX_DESIGN_BYTES
        if info.file_size > limit:
            raise StoreError(f"{where}: refused: {info.filename} is too large")
        if info.compress_type == zipfile.ZIP_DEFLATED and info.file_size > MAX_RATIO * max(
            info.compress_size, 1024
        ):
            raise StoreError(f"{where}: refused: {info.filename} expands suspiciously (zip bomb)")
        total += info.file_size
        entries[info.filename] = info
    if total > MAX_TOTAL_BYTES:
        raise StoreError(f"{where}: refused: the file expands to more than 4 GiB")
    if "manifest.json" not in entries:
        raise StoreError(f"{where}: not a .scorecard file (no manifest.json)")
    return entries


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> bytes:
    with archive.open(info) as handle:
        data = handle.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise StoreError(f"{where}: damaged .scorecard file ({info.filename} has the wrong size)")
    return data


def _load_manifest(data: bytes, where: str) -> dict[str, Any]:
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise StoreError(f"{where}: damaged .scorecard file (manifest: {exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise StoreError(f"{where}: not a .scorecard file (unknown manifest format)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise StoreError(
            f"{where}: written by a newer release of Scorecard Studio "
            f"(format {manifest.get('format_version')!r}); update the app to import it"
        )
    return manifest


class _BadFieldError(Exception):
    """A manifest field of the wrong shape; turned into one StoreError."""


def _field(obj: object, key: str, kind: type | tuple[type, ...], *, optional: bool = False) -> Any:
    if not isinstance(obj, dict):
        raise _BadFieldError("expected an object")
    value = obj.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise _BadFieldError(f"{key!r} is missing or of the wrong type")
    return value


def _digest(obj: object, key: str, *, optional: bool = False) -> Any:
    value = _field(obj, key, str, optional=optional)
    if value is not None and not is_hex_digest(value):
        raise _BadFieldError(f"{key!r} is not a hash")
    return value


def _parse_manifest(
    manifest: dict[str, Any], where: str
) -> tuple[list[PortableVersion], dict[str, dict[str, Any]]]:
    from scorecard_studio.engines.store.api import _check_name

    try:
        _check_name(_field(manifest, "scorecard", str))
        raw_versions = _field(manifest, "versions", list)
        if not raw_versions:
            raise _BadFieldError("it holds no versions")
        versions = []
        for i, raw in enumerate(raw_versions):
            try:
                number = _field(raw, "number", int)
                if number < 1:
                    raise _BadFieldError("'number' must be at least 1")
                snaps = _field(raw, "snapshots", dict)
                for source_id, digest in snaps.items():
                    if not isinstance(source_id, str) or not is_hex_digest(digest):
                        raise _BadFieldError("'snapshots' must map source ids to hashes")
                freeze = _field(raw, "freeze", dict, optional=True)
                if freeze is not None:
                    freeze = {
                        "label": _field(freeze, "label", str),
                        "at": _field(freeze, "at", str),
                        "by": _field(freeze, "by", str),
                        "seal": _digest(freeze, "seal"),
                    }
                versions.append(
                    PortableVersion(
                        number=number,
                        parent_hash=_digest(raw, "parent_hash", optional=True),
                        hash=_digest(raw, "hash"),
                        design=_digest(raw, "design"),
                        message=_field(raw, "message", str),
                        author=_field(raw, "author", str),
                        created_at=_field(raw, "created_at", str),
                        snapshots=dict(snaps),
                        freeze=freeze,
                    )
                )
            except _BadFieldError as exc:
                raise _BadFieldError(f"version entry {i + 1}: {exc}") from None
        meta = _field(manifest, "snapshots", dict)
        for digest, item in meta.items():
            if not is_hex_digest(digest):
                raise _BadFieldError("'snapshots' keys must be hashes")
            _field(item, "format", str)
            _field(item, "rows", int)
            _field(item, "columns", int)
    except _BadFieldError as exc:
        raise StoreError(f"{where}: damaged .scorecard file (manifest: {exc})") from None
    except StoreError as exc:
        raise StoreError(f"{where}: damaged .scorecard file ({exc})") from None
    return sorted(versions, key=lambda v: v.number), meta


def _check_designs(
    archive: zipfile.ZipFile,
    entries: dict[str, zipfile.ZipInfo],
    versions: list[PortableVersion],
    where: str,
) -> dict[str, bytes]:
    designs: dict[str, bytes] = {}
    for digest in sorted({v.design for v in versions}):
        info = entries.get(f"designs/{digest}.json")
        if info is None:
            raise StoreError(f"{where}: damaged .scorecard file (design {digest[:12]} missing)")
        text = _read(archive, info, where)
        if sha256_hex(text) != digest:
            raise StoreError(
                f"{where}: damaged or altered .scorecard file (design {digest[:12]} does not "
                "match its hash)"
            )
        design_from_text(text, f"{where}: design {digest[:12]}")
        designs[digest] = text
    return designs


def _check_snapshots(
    archive: zipfile.ZipFile,
    entries: dict[str, zipfile.ZipInfo],
    versions: list[PortableVersion],
    meta: dict[str, dict[str, Any]],
    where: str,
) -> dict[str, EncodedSnapshot]:
    out: dict[str, EncodedSnapshot] = {}
    for digest in sorted({d for v in versions for d in v.snapshots.values()}):
        info = entries.get(f"snapshots/{digest}.arrow")
        item = meta.get(digest)
        if info is None or item is None:
            raise StoreError(f"{where}: damaged .scorecard file (snapshot {digest[:12]} missing)")
        if item["format"] != SNAPSHOT_FORMAT:
            raise StoreError(
                f"{where}: snapshot {digest[:12]} has an unknown format {item['format']!r}"
            )
        data = _read(archive, info, where)
        if sha256_hex(data) != digest:
            raise StoreError(
                f"{where}: damaged or altered .scorecard file (snapshot {digest[:12]} does not "
                "match its hash)"
            )
        try:
            table = decode_table(data)
        except StoreError as exc:
            raise StoreError(f"{where}: snapshot {digest[:12]}: {exc}") from None
        if table.shape != (item["rows"], item["columns"]):
            raise StoreError(f"{where}: snapshot {digest[:12]} does not have its stated shape")
        out[digest] = EncodedSnapshot(digest, data, item["rows"], item["columns"])
    return out


def _check_chain(versions: list[PortableVersion], where: str) -> None:
    seen: set[str] = set()
    numbers: set[int] = set()
    for v in versions:
        label = f"{where}: version {v.number}"
        if v.number in numbers or v.hash in seen:
            raise StoreError(f"{label} appears twice")
        if v.parent_hash is not None and v.parent_hash not in seen:
            raise StoreError(f"{label}: its parent is not in the file (broken history)")
        expected = version_hash(
            parent_hash=v.parent_hash,
            design_hash=v.design,
            snapshots=v.snapshots,
            message=v.message,
            author=v.author,
            created_at=v.created_at,
        )
        if expected != v.hash:
            raise StoreError(f"{label} does not match its hash: the history was altered")
        if v.freeze is not None:
            seal = freeze_seal(
                version_hash=v.hash,
                label=v.freeze["label"],
                frozen_at=v.freeze["at"],
                frozen_by=v.freeze["by"],
            )
            if seal != v.freeze["seal"]:
                raise StoreError(f"{label}: its freeze was altered")
        seen.add(v.hash)
        numbers.add(v.number)


# --- merging into a store -----------------------------------------------------------------


def import_scorecard(store: Store, path: Path, author: str | None) -> ImportSummary:
    """Check ``path`` completely, then merge it into the store in one transaction."""
    from scorecard_studio.engines.store.api import _check_name

    portable = read_portable(path)
    name = _check_name(portable.scorecard)
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
        summary = ImportSummary(
            scorecard=name,
            created=created,
            added=tuple(added),
            already_present=len(portable.versions) - len(added),
            renumbered=renumbered,
            freezes_added=tuple(freezes_added),
            freezes_kept=tuple(freezes_kept),
            snapshots_added=snapshots_added,
        )
        repo.audit(
            at=now,
            author=who,
            operation="import",
            scorecard=name,
            version=max(local.values()),
            detail={"file": path.name, **summary.to_json_dict()},
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
