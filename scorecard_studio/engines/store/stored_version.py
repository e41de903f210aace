"""A checked-out version: its record, its design, and its data when asked for.

The data snapshots are loaded from the store only on request (``load_snapshots``), so
looking at a version's design or provenance costs no table decoding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from scorecard_studio.domain.model import Scorecard
from scorecard_studio.engines.store.records import VersionInfo

if TYPE_CHECKING:
    import pandas as pd


class SnapshotSource(Protocol):
    """What a checked-out version needs of its store: the tables behind snapshot hashes."""

    def load_snapshots(self, refs: Mapping[str, str]) -> dict[str, pd.DataFrame]: ...


@dataclass(frozen=True, slots=True)
class StoredVersion:
    """A checked-out version: its record, its design, and its data on request."""

    info: VersionInfo
    design: Scorecard
    _store: SnapshotSource = field(repr=False, compare=False)
    #: The scorecard's latest version (number, hash) when this one was checked out.
    head: tuple[int, str] | None = None

    @property
    def number(self) -> int:
        return self.info.number

    def load_snapshots(self) -> dict[str, pd.DataFrame]:
        """Source id -> the table this version was scored on, exactly as it was saved."""
        return self._store.load_snapshots(self.info.snapshot_hashes)

    def provenance(self) -> dict[str, Any]:
        """What a report states so it can be produced again from the store."""
        info = self.info
        return {
            "scorecard": info.scorecard,
            "version": info.number,
            "hash": info.hash,
            "version_hash": info.hash,
            "design_hash": info.design_hash,
            "parent": info.parent,
            "snapshot_hashes": dict(sorted(info.snapshot_hashes.items())),
            "frozen_label": info.frozen_label,
            "author": info.author,
            "created_at": info.created_at,
            "message": info.message,
            "head": None if self.head is None else self.head[0],
            "head_hash": None if self.head is None else self.head[1],
        }
