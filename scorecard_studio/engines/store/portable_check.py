"""Reading a portable ``.scorecard`` file and checking all of it before anything is merged.

Import trusts nothing in the file. Before the store is touched, it checks the archive's
shape (only the three kinds of entry, no duplicates, no encryption, sizes within limits,
so a zip bomb is refused by its declared sizes), parses the manifest field by field,
re-hashes every design and snapshot, decodes them, and recomputes the whole hash chain and
every freeze seal. Any failure is a one-line StoreError and the store is unchanged; the
merge itself is one transaction.

Input: the path of a file (see :mod:`.portable` for its layout). Output: a
:class:`PortableFile` whose every design, snapshot, hash link and freeze seal has been
checked, or a StoreError naming the first thing wrong with the file.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scorecard_studio.domain.errors import DesignError, StoreError
from scorecard_studio.domain.json_bounds import parse_json
from scorecard_studio.engines.store.documents import MAX_DESIGN_BYTES, design_from_text
from scorecard_studio.engines.store.hashing import (
    freeze_seal,
    is_hex_digest,
    sha256_hex,
    version_hash,
)
from scorecard_studio.engines.store.names import check_name
from scorecard_studio.engines.store.portable_governance import PortableEntry, read_entries
from scorecard_studio.engines.store.snapshots import SNAPSHOT_FORMAT, EncodedSnapshot, decode_table

FORMAT = "scorecard-studio/portable"
#: Format 1: versions, designs and snapshots. Format 2 adds the ``governance`` list; a file
#: is written as format 1 when it has no governance entries, so an older release still
#: reads it, and refuses (asking for an update) one whose entries it would drop.
FORMAT_VERSION = 2
READABLE_FORMATS = (1, 2)

MAX_ENTRIES = 200_000
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_SNAPSHOT_BYTES = 2 * 1024 * 1024 * 1024
MAX_TOTAL_BYTES = 4 * 1024 * 1024 * 1024
#: A deflated entry expanding more than this is treated as a zip bomb.
MAX_RATIO = 200
#: Highest version number a file may carry. Far below what the store can count to
#: (``saving.MAX_VERSION_NUMBER``), so an imported history always leaves room for saves.
MAX_IMPORTED_NUMBER = 1_000_000_000

_ENTRY = re.compile(r"^(manifest\.json|designs/[0-9a-f]{64}\.json|snapshots/[0-9a-f]{64}\.arrow)$")


@dataclass(frozen=True, slots=True)
class PortableVersion:
    """One version as the file records it (checked, not yet merged)."""

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
    governance: tuple[PortableEntry, ...] = ()


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
    governance = read_entries(manifest.get("governance"), {v.hash for v in versions}, where)
    return PortableFile(str(manifest["scorecard"]), versions, designs, snapshots, governance)


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
        manifest = parse_json(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(f"{where}: damaged .scorecard file (manifest: {exc})") from None
    except DesignError as exc:
        raise StoreError(f"{where}: refused: its manifest is {exc.detail}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise StoreError(f"{where}: not a .scorecard file (unknown manifest format)")
    fmt = manifest.get("format_version")
    if type(fmt) is not int or fmt not in READABLE_FORMATS:
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
    try:
        check_name(_field(manifest, "scorecard", str))
        raw_versions = _field(manifest, "versions", list)
        if not raw_versions:
            raise _BadFieldError("it holds no versions")
        versions = []
        for i, raw in enumerate(raw_versions):
            try:
                number = _field(raw, "number", int)
                if not 1 <= number <= MAX_IMPORTED_NUMBER:
                    raise _BadFieldError(
                        f"'number' must be from 1 to {MAX_IMPORTED_NUMBER:,} (it is {number:,})"
                    )
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
            table = decode_table(data, untrusted=True)
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
