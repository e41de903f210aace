"""``store verify --against FILE``: does the store still hold what a report or file names?

An exported Excel report carries, as document properties, the scorecard, the version its
figures came from and the store's latest version at the time, each with its hash; a
``.scorecard`` file carries every version's hash and the latest one as its witness. Both
leave the building, so they are anchors nobody editing the store file can reach. This
module reads one (trusting nothing in it) and reports each version it names that the store
no longer has, or has with another hash.

Hashes are identities and numbers local names, so a version is looked up by hash first;
only a number that now names another hash is reported as rewritten.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from sqlalchemy import select

from scorecard_studio.domain.errors import DesignError, StoreError
from scorecard_studio.domain.json_bounds import parse_json
from scorecard_studio.engines.store.hashing import is_hex_digest
from scorecard_studio.engines.store.records import Problem
from scorecard_studio.engines.store.schema import ScorecardRow, VersionRow
from scorecard_studio.engines.store.unit_of_work import Transactions

#: Property names the report writes (``engines/export/report.py``, ``WITNESS_PROPERTIES``).
_REPORT_KEYS = {
    "ScorecardStudio.Scorecard": "scorecard",
    "ScorecardStudio.Version": "version",
    "ScorecardStudio.VersionHash": "version_hash",
    "ScorecardStudio.LatestVersion": "head",
    "ScorecardStudio.LatestHash": "head_hash",
}
_MAX_PART_BYTES = 16 * 1024 * 1024


def named_versions(path: Path) -> tuple[str, list[tuple[int | None, str, str]]]:
    """(scorecard, [(number, hash, what)]) a report or ``.scorecard`` file names."""
    where = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "manifest.json" in names:
                return _from_manifest(_part(archive, "manifest.json", where), where)
            if "docProps/custom.xml" in names:
                return _from_report(_part(archive, "docProps/custom.xml", where), where)
            if "xl/workbook.xml" in names:
                raise StoreError(f"{where}: the report names no stored version (made unsaved)")
    except zipfile.BadZipFile:
        pass
    except OSError as exc:
        raise StoreError(f"{where}: cannot read ({exc.strerror or exc})") from None
    raise StoreError(f"{where}: neither an exported report (.xlsx) nor a .scorecard file")


def _part(archive: zipfile.ZipFile, name: str, where: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > _MAX_PART_BYTES:
        raise StoreError(f"{where}: refused: {name} is too large")
    with archive.open(info) as handle:
        return handle.read(_MAX_PART_BYTES + 1)


def _from_manifest(data: bytes, where: str) -> tuple[str, list[tuple[int | None, str, str]]]:
    try:
        manifest = parse_json(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, DesignError) as exc:
        raise StoreError(f"{where}: damaged .scorecard file ({exc})") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("scorecard"), str):
        raise StoreError(f"{where}: damaged .scorecard file (no scorecard name)")
    named: list[tuple[int | None, str, str]] = []
    for entry in manifest.get("versions") or []:
        if isinstance(entry, dict) and is_hex_digest(entry.get("hash")):
            number = entry.get("number")
            named.append((number if isinstance(number, int) else None, entry["hash"], "version"))
    witness = manifest.get("witness")
    if isinstance(witness, dict) and is_hex_digest(witness.get("hash")):
        number = witness.get("number")
        named.append(
            (number if isinstance(number, int) else None, witness["hash"], "latest version")
        )
    return manifest["scorecard"], named


def _from_report(data: bytes, where: str) -> tuple[str, list[tuple[int | None, str, str]]]:
    try:
        root = ElementTree.fromstring(data)
    except (ParseError, DefusedXmlException) as exc:
        raise StoreError(f"{where}: damaged report ({exc})") from None
    values: dict[str, str] = {}
    for prop in root:
        key = _REPORT_KEYS.get(prop.get("name", ""))
        if key is not None and len(prop) and prop[0].text:
            values[key] = prop[0].text.strip()
    if "scorecard" not in values or "version_hash" not in values:
        raise StoreError(f"{where}: the report names no stored version (made unsaved)")
    named = []
    for number_key, hash_key, what in (
        ("version", "version_hash", "reported version"),
        ("head", "head_hash", "latest version"),
    ):
        digest = values.get(hash_key, "")
        if is_hex_digest(digest):
            text = values.get(number_key, "")
            named.append((int(text) if text.isdigit() and len(text) < 16 else None, digest, what))
    return values["scorecard"], named


def verify_against(store: Transactions, path: Path) -> list[Problem]:
    """Every version ``path`` names that the store lost or holds with another hash."""
    if not path.is_file():
        raise StoreError(f"{path}: no such file")
    name, named = named_versions(path)
    with store.unit_of_work() as uow:
        rows = uow.session.connection().execute(
            select(VersionRow.number, VersionRow.hash)
            .join(ScorecardRow, ScorecardRow.id == VersionRow.scorecard_id)
            .where(ScorecardRow.name == name)
        )
        by_number: dict[object, object] = {}
        hashes: set[object] = set()
        for stored_number, stored_hash in rows:
            by_number[stored_number] = stored_hash
            hashes.add(stored_hash)
    problems = []
    for number, digest, what in named:
        if digest in hashes:
            continue
        label = f"v{number}" if number is not None else "a version"
        if number is not None and number in by_number:
            message = (
                f"{path.name} names {label} ({what}) with hash {digest[:12]}, but the store's "
                f"v{number} now has hash {str(by_number[number])[:12]}: it was rewritten"
            )
        else:
            message = (
                f"{path.name} names {label} ({what}) with hash {digest[:12]}, which the store "
                "no longer has"
            )
        problems.append(Problem(message, name, number))
    return problems
