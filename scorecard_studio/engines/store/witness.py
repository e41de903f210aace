"""A witness of the store kept outside the store file, so history cannot be rewritten unseen.

Whoever can write the store file can drop the guard triggers, rewrite a version and every
hash after it, edit the audit log to match, and put the triggers back: everything *inside*
the file then agrees. The witness is what does not: after every write the store records,
in the user's config folder, each scorecard's latest version (number and hash) and a digest
of the audit log so far. ``verify`` checks the store against it, so a deleted or rewritten
head, or an edited audit entry, is reported.

The witness is a best-effort anchor, not a lock: it is written after the transaction has
committed (a crash in between leaves the older witness, which still verifies), a failure
to write it never fails the operation, and two processes writing at once may leave the
older of two true states. It never claims what the store does not hold.

Location: ``$SCORECARD_STUDIO_WITNESS_DIR``, else ``user_config_dir("Scorecard Studio")``
``/witness``, one file per store path (or team store URL, without its password).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from scorecard_studio.engines.store.location import APP_NAME, now_utc
from scorecard_studio.engines.store.records import Problem
from scorecard_studio.engines.store.schema import AuditEntry, ScorecardRow, VersionRow
from scorecard_studio.engines.store.unit_of_work import SqlUnitOfWork

#: Environment variable naming the folder of witness files (tests point it elsewhere).
WITNESS_ENV = "SCORECARD_STUDIO_WITNESS_DIR"

WITNESS_FORMAT = "scorecard-studio/witness/1"

_EMPTY_DIGEST = hashlib.sha256(b"scorecard-studio/audit/1").hexdigest()


def witness_dir() -> Path:
    env = os.environ.get(WITNESS_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / "witness"


def store_identity(store: Path | str) -> str:
    """What a witness is about: a store file's absolute path, or a team store's URL."""
    return str(store.resolve()) if isinstance(store, Path) else store


def witness_path(store_file: Path | str) -> Path:
    """The witness file of the store at ``store_file`` (one per absolute path or URL)."""
    identity = store_identity(store_file)
    key = hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()
    return witness_dir() / f"{key[:32]}.json"


def read_witness(store_file: Path | str) -> dict[str, Any] | None:
    """The witness of a store, or None when there is none (or it is unreadable)."""
    try:
        document = json.loads(witness_path(store_file).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(document, dict) or document.get("format") != WITNESS_FORMAT:
        return None
    return document


def forget(store_file: Path | str) -> None:
    """Drop the witness of a path (a new, empty store was just created there)."""
    with contextlib.suppress(OSError):
        witness_path(store_file).unlink(missing_ok=True)


def _row_text(row: Iterable[object]) -> bytes:
    return json.dumps(list(row), default=repr, ensure_ascii=False).encode("utf-8")


def audit_digest(
    uow: SqlUnitOfWork, *, after: int = 0, start: str = _EMPTY_DIGEST, upto: int | None = None
) -> tuple[int, int, str]:
    """(last id, entries folded, digest) of the audit log rows ``after`` < id <= ``upto``."""
    query = select(
        AuditEntry.id,
        AuditEntry.at,
        AuditEntry.author,
        AuditEntry.operation,
        AuditEntry.scorecard,
        AuditEntry.version,
        AuditEntry.detail,
    ).where(AuditEntry.id > after)
    if upto is not None:
        query = query.where(AuditEntry.id <= upto)
    digest, last, count = start, after, 0
    for row in uow.session.connection().execute(query.order_by(AuditEntry.id)):
        digest = hashlib.sha256(digest.encode() + _row_text(row)).hexdigest()
        last = row[0] if isinstance(row[0], int) else last
        count += 1
    return last, count, digest


def heads(uow: SqlUnitOfWork) -> dict[str, dict[str, Any]]:
    """Each scorecard's latest version: number and hash (one grouped query, any history)."""
    latest = (
        select(VersionRow.scorecard_id, func.max(VersionRow.number).label("head"))
        .group_by(VersionRow.scorecard_id)
        .subquery()
    )
    rows = uow.session.connection().execute(
        select(ScorecardRow.name, VersionRow.number, VersionRow.hash)
        .join(latest, latest.c.scorecard_id == ScorecardRow.id)
        .join(
            VersionRow,
            (VersionRow.scorecard_id == ScorecardRow.id) & (VersionRow.number == latest.c.head),
        )
    )
    return {str(name): {"number": number, "hash": digest} for name, number, digest in rows}


def update(uow: SqlUnitOfWork, store_file: Path | str) -> None:
    """Record the store's current heads and audit digest (inside a read unit of work)."""
    old = read_witness(store_file) or {}
    audit = old.get("audit") if isinstance(old.get("audit"), dict) else None
    if audit and isinstance(audit.get("last_id"), int) and isinstance(audit.get("digest"), str):
        last, count, digest = audit_digest(uow, after=audit["last_id"], start=audit["digest"])
        count += int(audit.get("count", 0)) if isinstance(audit.get("count"), int) else 0
    else:
        last, count, digest = audit_digest(uow)
    document = {
        "format": WITNESS_FORMAT,
        "store": store_identity(store_file),
        "written_at": now_utc(),
        "scorecards": heads(uow),
        "audit": {"last_id": last, "count": count, "digest": digest},
    }
    _write_atomically(witness_path(store_file), json.dumps(document, indent=1, sort_keys=True))


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check(uow: SqlUnitOfWork, store_file: Path | str) -> list[Problem]:
    """What the store no longer agrees with its witness on (nothing without a witness)."""
    witness = read_witness(store_file)
    if witness is None:
        return []
    problems: list[Problem] = []
    present: dict[tuple[str, object], object] = {
        (str(name), number): digest
        for name, number, digest in uow.session.connection().execute(
            select(ScorecardRow.name, VersionRow.number, VersionRow.hash).join(
                VersionRow, VersionRow.scorecard_id == ScorecardRow.id
            )
        )
    }
    deleted = _deleted(uow)
    cards = witness.get("scorecards")
    for name, head in sorted(cards.items()) if isinstance(cards, dict) else []:
        if not isinstance(head, dict):
            continue
        number, digest = head.get("number"), head.get("hash")
        if (name, number, digest) in deleted:
            continue
        found = present.get((name, number))
        if found is None:
            problems.append(
                Problem(
                    f"the witness kept outside the store names v{number} (hash "
                    f"{str(digest)[:12]}) as the latest version, but the store no longer has it",
                    name,
                    number if isinstance(number, int) else None,
                )
            )
        elif found != digest:
            problems.append(
                Problem(
                    f"the witness kept outside the store recorded hash {str(digest)[:12]} for "
                    f"this version; the store now holds {str(found)[:12]}: it was rewritten",
                    name,
                    number if isinstance(number, int) else None,
                )
            )
    audit = witness.get("audit")
    if isinstance(audit, dict) and isinstance(audit.get("last_id"), int):
        _last, count, digest = audit_digest(uow, upto=audit["last_id"])
        if count != audit.get("count") or digest != audit.get("digest"):
            problems.append(
                Problem(
                    f"the audit log up to entry {audit['last_id']} differs from the witness kept "
                    f"outside the store ({count} entries now, {audit.get('count')} then): "
                    "entries were edited or deleted"
                )
            )
    return problems


def _deleted(uow: SqlUnitOfWork) -> set[tuple[str, object, object]]:
    """(scorecard, number, hash) of every version the audit log says was deleted."""
    out: set[tuple[str, object, object]] = set()
    rows = uow.session.connection().execute(
        select(AuditEntry.scorecard, AuditEntry.version, AuditEntry.detail).where(
            AuditEntry.operation == "delete"
        )
    )
    for name, number, detail in rows:
        try:
            digest = json.loads(detail).get("hash")
        except (TypeError, ValueError, AttributeError, RecursionError):
            continue
        out.add((str(name), number, digest))
    return out
