"""``verify`` for governance entries: their chains, and what the audit log says was written.

Checks, per version: the entries' sequence numbers run 1, 2, 3 … with no gap; each entry's
``prev_hash`` is the hash of the entry before it; each entry's hash matches its content and
its version's hash. Across the store: every entry the audit log records as written (by its
hash, or as brought by a ``.scorecard`` import, a push or a pull) is still there, unless its
version's deletion is recorded; and every freeze recorded with the last entry of its version
still has that entry. Values are read as plain values and their types checked first, like
the rest of verify.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import select

from scorecard_studio.domain.governance import EntryKind
from scorecard_studio.engines.store.hashing import governance_hash
from scorecard_studio.engines.store.records import Problem
from scorecard_studio.engines.store.schema import (
    AuditEntry,
    GovernanceEntryRow,
    ScorecardRow,
    VersionRow,
)
from scorecard_studio.engines.store.unit_of_work import SqlUnitOfWork

_KINDS = frozenset(k.value for k in EntryKind)
#: Operations that bring entries from elsewhere, listing them in the audit log's detail.
_MERGES = frozenset({"import", "push", "pull"})


def check_governance(uow: SqlUnitOfWork) -> list[Problem]:
    connection = uow.session.connection()
    versions: dict[Any, tuple[str, Any, Any]] = {
        vid: (str(name), number, digest)
        for vid, name, number, digest in connection.execute(
            select(VersionRow.id, ScorecardRow.name, VersionRow.number, VersionRow.hash).join(
                ScorecardRow, ScorecardRow.id == VersionRow.scorecard_id
            )
        )
    }
    chains: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in connection.execute(select(GovernanceEntryRow).order_by(GovernanceEntryRow.seq)):
        chains[row.version_id].append(dict(row._mapping))
    problems: list[Problem] = []
    present: set[str] = set()
    for version_id, entries in chains.items():
        name, number, version_digest = versions.get(version_id, ("?", None, None))
        prev: str | None = None
        expected_seq = 0
        for entry in entries:
            expected_seq += 1
            where = f"governance entry {entry.get('seq')!r}"
            digest = entry.get("hash")
            if isinstance(digest, str):
                present.add(digest)
            if entry.get("seq") != expected_seq:
                problems.append(Problem(f"{where}: entries before it are missing", name, number))
                seq = entry.get("seq")
                expected_seq = seq if isinstance(seq, int) else expected_seq
            if entry.get("prev_hash") != prev:
                problems.append(
                    Problem(f"{where} does not follow the entry before it", name, number)
                )
            problem = _content_problem(entry, version_digest)
            if problem:
                problems.append(Problem(f"{where} {problem}", name, number))
            prev = digest if isinstance(digest, str) else None
    problems += _check_audited(uow, present)
    return problems


def _content_problem(entry: dict[str, Any], version_digest: object) -> str | None:
    fields = ("kind", "subject", "body", "author", "created_at", "hash")
    if any(type(entry.get(f)) is not str for f in fields) or not isinstance(version_digest, str):
        return "is damaged (a value of the wrong kind)"
    if entry["kind"] not in _KINDS:
        return f"has an unknown kind {entry['kind']!r}"
    try:
        body = json.loads(entry["body"])
    except (ValueError, RecursionError):
        return "is damaged (its body is not JSON)"
    if not isinstance(body, dict):
        return "is damaged (its body is not an object)"
    digest = governance_hash(
        version_hash=version_digest,
        prev_hash=entry.get("prev_hash"),
        kind=entry["kind"],
        subject=entry["subject"],
        body=body,
        author=entry["author"],
        created_at=entry["created_at"],
    )
    if digest != entry["hash"]:
        return "no longer matches its hash (its content or its version changed)"
    return None


def _check_audited(uow: SqlUnitOfWork, present: set[str]) -> list[Problem]:
    """Entries the audit log saw written are still there unless their version was deleted."""
    written: dict[str, tuple[str, int, str, str]] = {}
    deleted: set[str] = set()
    frozen_with: list[tuple[str, int, str]] = []
    rows = uow.session.connection().execute(
        select(
            AuditEntry.at,
            AuditEntry.operation,
            AuditEntry.scorecard,
            AuditEntry.version,
            AuditEntry.detail,
        ).order_by(AuditEntry.id)
    )
    for at, operation, scorecard, version, text in rows:
        try:
            detail = json.loads(text)
        except (TypeError, ValueError, RecursionError):
            continue  # reported by the audit check
        if not isinstance(detail, dict) or not isinstance(version, int):
            continue
        digest = detail.get("hash")
        if operation in _KINDS and isinstance(digest, str):
            version_digest = detail.get("version_hash")
            written[digest] = (str(scorecard), version, str(at), str(version_digest))
        elif operation == "delete" and isinstance(digest, str):
            deleted.add(digest)
        elif operation in _MERGES and isinstance(detail.get("governance"), list):
            for pair in detail["governance"]:
                if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str):
                    written[pair[0]] = (str(scorecard), version, str(at), str(pair[1]))
        elif operation == "freeze" and isinstance(detail.get("governance"), str):
            frozen_with.append((str(scorecard), version, detail["governance"]))
    problems = [
        Problem(
            f"a governance entry written on {at} (the audit log records it) is gone",
            name,
            number,
        )
        for digest, (name, number, at, version_digest) in written.items()
        if digest not in present and version_digest not in deleted
    ]
    problems += [
        Problem("the governance entries it was frozen with are no longer all there", name, number)
        for name, number, digest in frozen_with
        if digest not in present
    ]
    return problems
