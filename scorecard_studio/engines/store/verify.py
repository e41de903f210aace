"""``verify``: prove that nobody changed the history after it was written.

Checks, in this order, and reports every problem found (the first one listed for a
scorecard is its first broken link):

1. the database engine's own integrity and foreign-key checks;
2. the guard triggers are all present (dropping one is the first step of tampering);
3. every stored design and snapshot still has the hash it is filed under;
4. every version's hash matches its content (design, data, message, author, time and
   parent hash), and its ``parent_hash`` is the hash of the version it names as parent;
5. every freeze seal matches its version, label, time and author, and every freeze the
   audit log records is still in place.
"""

from __future__ import annotations

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.engines.store.dialect import integrity_problems, missing_guards
from scorecard_studio.engines.store.documents import design_text
from scorecard_studio.engines.store.hashing import freeze_seal, sha256_hex, version_hash
from scorecard_studio.engines.store.records import Problem
from scorecard_studio.engines.store.repository import SqlRepository
from scorecard_studio.engines.store.schema import VersionRow
from scorecard_studio.engines.store.unit_of_work import Transactions


def verify(store: Transactions) -> list[Problem]:
    problems: list[Problem] = []
    with store.unit_of_work() as uow:
        connection = uow.session.connection()
        problems += [Problem(f"database check: {p}") for p in integrity_problems(connection)]
        problems += [
            Problem(f"guard trigger {name} is missing: frozen versions are unprotected")
            for name in missing_guards(connection)
        ]
        bad_designs = _bad_designs(uow.repo)
        bad_snapshots = _bad_snapshots(uow.repo)
        problems += _check_versions(uow.repo, bad_designs, bad_snapshots)
        problems += _check_freezes_kept(uow.repo)
    return problems


def _check_freezes_kept(repo: SqlRepository) -> list[Problem]:
    """Every freeze the audit log records is still on its version (an unfreeze is tampering)."""
    frozen = {(name, row.number): row.frozen_label for name, row, _refs in repo.all_versions()}
    problems = []
    for entry in repo.audit_entries():
        if entry.operation != "freeze" or entry.scorecard is None or entry.version is None:
            continue
        key = (entry.scorecard, entry.version)
        if key in frozen and frozen[key] != entry.detail.get("label"):
            problems.append(
                Problem(
                    f"it was frozen as {entry.detail.get('label')!r} on {entry.at}, but is now "
                    + ("unfrozen" if frozen[key] is None else f"labelled {frozen[key]!r}"),
                    entry.scorecard,
                    entry.version,
                )
            )
    return problems


def _bad_designs(repo: SqlRepository) -> dict[str, str]:
    bad: dict[str, str] = {}
    for digest in repo.design_hashes():
        blob = repo.design_blob(digest)
        if blob is None:  # pragma: no cover - listed a moment ago in the same transaction
            continue
        try:
            text = design_text(blob.codec, blob.data)
        except StoreError as exc:
            bad[digest] = str(exc)
            continue
        if sha256_hex(text) != digest:
            bad[digest] = "its design document was changed after it was saved"
    return bad


def _bad_snapshots(repo: SqlRepository) -> dict[str, str]:
    bad: dict[str, str] = {}
    for digest in repo.snapshot_hashes():
        blob = repo.snapshot_blob(digest)
        if blob is not None and sha256_hex(blob.data) != digest:
            bad[digest] = "a data snapshot was changed after it was saved"
    return bad


def _check_versions(
    repo: SqlRepository, bad_designs: dict[str, str], bad_snapshots: dict[str, str]
) -> list[Problem]:
    problems: list[Problem] = []
    by_number: dict[tuple[str, int], VersionRow] = {}
    for name, row, refs in repo.all_versions():
        by_number[(name, row.number)] = row

        def report(message: str, name: str = name, number: int = row.number) -> None:
            problems.append(Problem(message, name, number))

        expected = version_hash(
            parent_hash=row.parent_hash,
            design_hash=row.design_hash,
            snapshots=refs,
            message=row.message,
            author=row.author,
            created_at=row.created_at,
        )
        if expected != row.hash:
            report(
                "its content does not match its hash: the version was changed after it was "
                f"saved (recorded {row.hash[:12]}, content gives {expected[:12]})"
            )
        if row.design_hash in bad_designs:
            report(bad_designs[row.design_hash])
        for source_id, digest in sorted(refs.items()):
            if digest in bad_snapshots:
                report(f"{bad_snapshots[digest]} (source {source_id!r})")
        if row.parent_number is None:
            if row.parent_hash is not None:
                report("it names a parent hash but no parent version")
        else:
            parent = by_number.get((name, row.parent_number))
            if parent is None:
                report(f"its parent v{row.parent_number} is missing")
            elif parent.hash != row.parent_hash:
                report(
                    f"broken link to its parent v{row.parent_number}: the parent's hash is "
                    f"{parent.hash[:12]}, this version recorded {str(row.parent_hash)[:12]}"
                )
        if row.frozen_label is not None:
            seal = freeze_seal(
                version_hash=row.hash,
                label=row.frozen_label,
                frozen_at=row.frozen_at or "",
                frozen_by=row.frozen_by or "",
            )
            if seal != row.freeze_seal:
                report("its freeze label, time or author was changed after freezing")
    return problems
