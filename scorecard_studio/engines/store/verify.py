"""``verify``: prove that nobody changed the history after it was written.

Checks, in this order, and reports every problem found (the first one listed for a
scorecard is its first broken link):

1. the database engine's own integrity and foreign-key checks;
2. the guard triggers are all present (dropping one is the first step of tampering);
3. every stored design and snapshot still has the hash it is filed under;
4. every version's hash matches its content (design, data, message, author, time and
   parent hash), and its ``parent_hash`` is the hash of the version it names as parent;
5. every freeze seal matches its version, label, time and author, and every freeze the
   audit log records is still in place;
6. every version the audit log records as saved is still there with the hash it was saved
   with, unless the log records its deletion;
7. every governance entry (commentary, exception, action, review) chains to the entry
   before it and to its version's hash, and is still there if the audit log records it
   (:mod:`.governance_verify`);
8. the store agrees with the witness kept outside it (:mod:`.witness`): each scorecard's
   latest version it recorded, and the audit log up to the entry it recorded.

Verify reads the rows as plain values and checks each one's type before using it, so a
store tampered with by raw SQL (a blob replaced by text, a number by a string) is reported,
never a crash: a value of the wrong kind is a problem like any other.
"""

from __future__ import annotations

import json
import zlib
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import select

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.engines.store import witness
from scorecard_studio.engines.store.dialect import integrity_problems, missing_guards
from scorecard_studio.engines.store.documents import design_text
from scorecard_studio.engines.store.governance_verify import check_governance
from scorecard_studio.engines.store.hashing import freeze_seal, sha256_hex, version_hash
from scorecard_studio.engines.store.records import Problem
from scorecard_studio.engines.store.schema import (
    AuditEntry,
    DesignBlob,
    ScorecardRow,
    SnapshotBlob,
    VersionRow,
    VersionSnapshot,
)
from scorecard_studio.engines.store.unit_of_work import SqlUnitOfWork, Transactions

#: What a check may meet in a tampered row; each becomes a reported problem.
_DAMAGE = (TypeError, ValueError, KeyError, AttributeError, OverflowError, zlib.error, StoreError)


def verify(store: Transactions, path: Path | str | None = None) -> list[Problem]:
    problems: list[Problem] = []
    with store.unit_of_work() as uow:
        connection = uow.session.connection()
        problems += [Problem(f"database check: {p}") for p in integrity_problems(connection)]
        problems += [
            Problem(f"guard trigger {name} is missing: frozen versions are unprotected")
            for name in missing_guards(connection)
        ]
        bad_designs = _bad_designs(uow)
        bad_snapshots = _bad_snapshots(uow)
        versions = _versions(uow)
        problems += _check_versions(versions, bad_designs, bad_snapshots)
        problems += _check_freezes_kept(uow, versions)
        problems += _check_audit_saves(uow, versions)
        problems += check_governance(uow)
        if path is not None:
            problems += witness.check(uow, path)
    return problems


def _kind(value: object) -> str:
    return "nothing" if value is None else type(value).__name__


def _bad_designs(uow: SqlUnitOfWork) -> dict[object, str]:
    bad: dict[object, str] = {}
    rows = uow.session.connection().execute(
        select(DesignBlob.hash, DesignBlob.codec, DesignBlob.data)
    )
    for digest, codec, data in rows:
        if not isinstance(data, bytes):
            bad[digest] = f"its design document is stored as {_kind(data)}, not as bytes"
            continue
        try:
            text = design_text(str(codec), data)
        except StoreError as exc:
            bad[digest] = str(exc)
            continue
        if sha256_hex(text) != digest:
            bad[digest] = "its design document was changed after it was saved"
    return bad


def _bad_snapshots(uow: SqlUnitOfWork) -> dict[object, str]:
    bad: dict[object, str] = {}
    rows = uow.session.connection().execute(select(SnapshotBlob.hash, SnapshotBlob.data))
    for digest, data in rows:
        if not isinstance(data, bytes):
            bad[digest] = f"a data snapshot is stored as {_kind(data)}, not as bytes"
        elif sha256_hex(data) != digest:
            bad[digest] = "a data snapshot was changed after it was saved"
    return bad


def _versions(uow: SqlUnitOfWork) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(scorecard, version columns, snapshot refs) of every version, in chain order."""
    connection = uow.session.connection()
    refs: dict[object, dict[str, Any]] = defaultdict(dict)
    for version_id, source_id, digest in connection.execute(
        select(VersionSnapshot.version_id, VersionSnapshot.source_id, VersionSnapshot.snapshot_hash)
    ):
        refs[version_id][str(source_id)] = digest
    columns = list(VersionRow.__table__.columns)
    rows = connection.execute(
        select(ScorecardRow.name, *columns)
        .join(VersionRow, VersionRow.scorecard_id == ScorecardRow.id)
        .order_by(ScorecardRow.name, VersionRow.number)
    )
    out = []
    for name, *values in rows:
        row = {c.name: v for c, v in zip(columns, values, strict=True)}
        out.append((str(name), row, refs.get(row["id"], {})))
    return out


def _check_versions(
    versions: list[tuple[str, dict[str, Any], dict[str, Any]]],
    bad_designs: dict[object, str],
    bad_snapshots: dict[object, str],
) -> list[Problem]:
    problems: list[Problem] = []
    by_number: dict[tuple[str, object], dict[str, Any]] = {}
    for name, row, refs in versions:
        number = row["number"] if isinstance(row["number"], int) else None
        by_number[(name, row["number"])] = row

        def report(message: str, name: str = name, number: int | None = number) -> None:
            problems.append(Problem(message, name, number))

        if number is None:
            report(f"its number is stored as {_kind(row['number'])} {row['number']!r:.40}")
        try:
            _check_one(row, refs, by_number.get((name, row["parent_number"])), report)
        except _DAMAGE as exc:
            report(f"its record is damaged and cannot be checked ({exc})")
        if row["design_hash"] in bad_designs:
            report(bad_designs[row["design_hash"]])
        for source_id, digest in sorted(refs.items()):
            if digest in bad_snapshots:
                report(f"{bad_snapshots[digest]} (source {source_id!r})")
    return problems


def _text_fields(row: dict[str, Any]) -> list[str]:
    """Columns that must hold text but hold something else (bytes, numbers, nothing)."""
    required = ("hash", "design_hash", "message", "author", "created_at")
    wrong = [c for c in required if not isinstance(row[c], str)]
    optional = ("parent_hash", "frozen_label", "frozen_at", "frozen_by", "freeze_seal")
    wrong += [c for c in optional if row[c] is not None and not isinstance(row[c], str)]
    return wrong


def _check_one(
    row: dict[str, Any], refs: dict[str, Any], parent: dict[str, Any] | None, report: Any
) -> None:
    wrong = _text_fields(row) + [
        f"snapshot of {s!r}" for s, d in refs.items() if not isinstance(d, str)
    ]
    if wrong:
        verb = "holds" if len(wrong) == 1 else "hold"
        report(f"its record was altered: {', '.join(wrong)} no longer {verb} text")
        return
    expected = version_hash(
        parent_hash=row["parent_hash"],
        design_hash=row["design_hash"],
        snapshots=refs,
        message=row["message"],
        author=row["author"],
        created_at=row["created_at"],
    )
    if expected != row["hash"]:
        report(
            "its content does not match its hash: the version was changed after it was "
            f"saved (recorded {row['hash'][:12]}, content gives {expected[:12]})"
        )
    if row["parent_number"] is None:
        if row["parent_hash"] is not None:
            report("it names a parent hash but no parent version")
    elif parent is None:
        report(f"its parent v{row['parent_number']} is missing")
    elif parent["hash"] != row["parent_hash"]:
        report(
            f"broken link to its parent v{row['parent_number']}: the parent's hash is "
            f"{str(parent['hash'])[:12]}, this version recorded {str(row['parent_hash'])[:12]}"
        )
    if row["frozen_label"] is not None:
        seal = freeze_seal(
            version_hash=row["hash"],
            label=row["frozen_label"],
            frozen_at=row["frozen_at"] or "",
            frozen_by=row["frozen_by"] or "",
        )
        if seal != row["freeze_seal"]:
            report("its freeze label, time or author was changed after freezing")


def _audit_rows(uow: SqlUnitOfWork) -> list[tuple[Any, ...]]:
    """Every audit entry as (id, at, operation, scorecard, version, detail dict or None)."""
    out = []
    rows = uow.session.connection().execute(
        select(
            AuditEntry.id,
            AuditEntry.at,
            AuditEntry.operation,
            AuditEntry.scorecard,
            AuditEntry.version,
            AuditEntry.detail,
        ).order_by(AuditEntry.id)
    )
    for entry_id, at, operation, scorecard, version, detail in rows:
        try:
            parsed = json.loads(detail)
        except (TypeError, ValueError, RecursionError):
            parsed = None
        out.append((entry_id, at, operation, scorecard, version, parsed))
    return out


def _check_freezes_kept(
    uow: SqlUnitOfWork, versions: list[tuple[str, dict[str, Any], dict[str, Any]]]
) -> list[Problem]:
    """Every freeze the audit log records is still on its version (an unfreeze is tampering)."""
    frozen = {(name, row["number"]): row["frozen_label"] for name, row, _refs in versions}
    problems = []
    for _id, at, operation, scorecard, version, detail in _audit_rows(uow):
        if operation != "freeze" or scorecard is None or version is None:
            continue
        label = detail.get("label") if isinstance(detail, dict) else None
        key = (scorecard, version)
        if key in frozen and frozen[key] != label:
            problems.append(
                Problem(
                    f"it was frozen as {label!r} on {at}, but is now "
                    + ("unfrozen" if frozen[key] is None else f"labelled {frozen[key]!r}"),
                    str(scorecard),
                    version if isinstance(version, int) else None,
                )
            )
    return problems


def _check_audit_saves(
    uow: SqlUnitOfWork, versions: list[tuple[str, dict[str, Any], dict[str, Any]]]
) -> list[Problem]:
    """Versions the audit log saw saved are still there, with the hash they were saved with."""
    present = {(name, row["number"]): row["hash"] for name, row, _refs in versions}
    expected: dict[tuple[str, int], tuple[str | None, str]] = {}
    problems: list[Problem] = []
    for entry_id, at, operation, scorecard, version, detail in _audit_rows(uow):
        if detail is None:
            problems.append(Problem(f"audit entry {entry_id} is damaged (its detail is not JSON)"))
            continue
        if scorecard is None or not isinstance(detail, dict):
            continue
        name = str(scorecard)
        if operation in ("save", "restore") and isinstance(version, int):
            digest = detail.get("hash")
            expected[(name, version)] = (digest if isinstance(digest, str) else None, str(at))
        elif operation in ("import", "push", "pull"):
            for number in detail.get("added") or []:
                if isinstance(number, int):
                    expected[(name, number)] = (None, str(at))
        elif operation == "delete" and isinstance(version, int):
            expected.pop((name, version), None)
    for (name, number), (digest, at) in sorted(expected.items()):
        if (name, number) not in present:
            problems.append(
                Problem(
                    f"it was saved on {at} (the audit log records it) but is gone from the "
                    "store, and no deletion is recorded",
                    name,
                    number,
                )
            )
        elif digest is not None and present[(name, number)] != digest:
            problems.append(
                Problem(
                    f"its hash is not the one the audit log recorded when it was saved "
                    f"(recorded {digest[:12]}, now {str(present[(name, number)])[:12]})",
                    name,
                    number,
                )
            )
    return problems
