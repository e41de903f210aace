"""Finding scorecards and versions, and checking names: what every store operation needs.

The façade (:mod:`.api`) and the modules beside it (:mod:`.autosave`, :mod:`.portable`,
:mod:`.saving`) look rows up and word "not found" the same way through these functions,
which take a repository inside the caller's unit of work and never open one themselves.
"""

from __future__ import annotations

from collections.abc import Mapping

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.domain.model import Scorecard
from scorecard_studio.engines.store.documents import design_from_text, design_text
from scorecard_studio.engines.store.hashing import sha256_hex
from scorecard_studio.engines.store.records import VersionInfo
from scorecard_studio.engines.store.repository import SqlRepository
from scorecard_studio.engines.store.schema import ScorecardRow, VersionRow


def find_scorecard(repo: SqlRepository, name: str) -> ScorecardRow:
    """The scorecard row, or an error that lists a few names the store does have."""
    card = repo.scorecard(name)
    if card is None:
        known = repo.scorecard_names()
        hint = f" (the store has: {', '.join(known[:5])})" if known else " (the store is empty)"
        raise StoreError(f"no scorecard named {name!r} in the store{hint}")
    return card


def find_version(
    repo: SqlRepository, name: str, number: int | None
) -> tuple[ScorecardRow, VersionRow]:
    """A version (the head when ``number`` is None), or an error naming the latest one."""
    card = find_scorecard(repo, name)
    row = repo.head(card.id) if number is None else repo.version(card.id, number)
    if row is None:
        if number is None:
            raise StoreError(f"{name!r} has no versions")
        head = repo.head(card.id)
        latest = version_name(head.number if head else None)
        raise StoreError(f"{name!r} has no version {number} (the latest is {latest})")
    return card, row


def version_name(number: int | None) -> str:
    """``v3``, or ``none`` before the first version, as messages say it."""
    return "none" if number is None else f"v{number}"


def version_info(name: str, row: VersionRow, refs: Mapping[str, str]) -> VersionInfo:
    """The frozen record callers get for a version row and its snapshot references."""
    return VersionInfo(
        scorecard=name,
        number=row.number,
        hash=row.hash,
        parent=row.parent_number,
        parent_hash=row.parent_hash,
        design_hash=row.design_hash,
        message=row.message,
        author=row.author,
        created_at=row.created_at,
        frozen_label=row.frozen_label,
        frozen_at=row.frozen_at,
        frozen_by=row.frozen_by,
        snapshot_hashes=dict(refs),
    )


def load_design(repo: SqlRepository, digest: str, where: str) -> Scorecard:
    """The stored design with hash ``digest``; ``where`` names the version in errors."""
    blob = repo.design_blob(digest)
    if blob is None:
        raise StoreError(f"{where}: its design document is missing")
    try:
        text = design_text(blob.codec, blob.data)
    except StoreError as exc:
        raise StoreError(f"{where}: {exc}; run 'store verify'") from None
    if sha256_hex(text) != digest:
        raise StoreError(
            f"{where}: its design document was changed after it was saved; run 'store verify'"
        )
    return design_from_text(text, where)


def snapshot_blobs(repo: SqlRepository, refs: Mapping[str, str]) -> dict[str, bytes]:
    """The stored bytes of the snapshots ``refs`` names (source id -> hash); none missing."""
    blobs: dict[str, bytes] = {}
    for source_id, digest in refs.items():
        blob = repo.snapshot_blob(digest)
        if blob is None:
            raise StoreError(f"data snapshot {digest[:12]} of {source_id!r} is missing")
        if not isinstance(blob.data, bytes) or sha256_hex(blob.data) != digest:
            raise StoreError(
                f"data snapshot {digest[:12]} of {source_id!r} was changed after it was saved; "
                "run 'store verify'"
            )
        blobs[source_id] = blob.data
    return blobs
