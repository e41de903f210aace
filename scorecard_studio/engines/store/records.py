"""What the store hands back: plain frozen values, never live database rows.

The window and the CLI get these from the ``Store`` facade; they can be kept, compared and
shown after the store is closed, and never trigger a query when a field is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from scorecard_studio.domain.model import Scorecard


class VersionInfo(NamedTuple):
    """One version as ``log`` lists it (no design body, no data).

    A named tuple rather than a frozen dataclass: ``log`` builds one per version, and for a
    long history (10,000 versions) a frozen dataclass's ``__init__`` alone costs three
    times the database query. It is just as immutable.
    """

    scorecard: str
    number: int
    hash: str
    parent: int | None
    parent_hash: str | None
    design_hash: str
    message: str
    author: str
    created_at: str
    frozen_label: str | None = None
    frozen_at: str | None = None
    frozen_by: str | None = None
    snapshot_hashes: dict[str, str] = {}  # noqa: RUF012 - always passed; never mutated

    @property
    def frozen(self) -> bool:
        return self.frozen_label is not None

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "scorecard": self.scorecard,
            "number": self.number,
            "hash": self.hash,
            "parent": self.parent,
            "parent_hash": self.parent_hash,
            "design_hash": self.design_hash,
            "message": self.message,
            "author": self.author,
            "created_at": self.created_at,
            "frozen_label": self.frozen_label,
            "frozen_at": self.frozen_at,
            "frozen_by": self.frozen_by,
            "snapshot_hashes": dict(sorted(self.snapshot_hashes.items())),
        }


@dataclass(frozen=True, slots=True)
class ScorecardInfo:
    """One scorecard as ``list`` shows it: its head and how much history it has."""

    name: str
    created_at: str
    versions: int
    frozen: int
    head: int | None
    head_hash: str | None
    updated_at: str | None
    drafts: int

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "created_at": self.created_at,
            "versions": self.versions,
            "frozen": self.frozen,
            "head": self.head,
            "head_hash": self.head_hash,
            "updated_at": self.updated_at,
            "drafts": self.drafts,
        }


@dataclass(frozen=True, slots=True)
class DraftInfo:
    """Unsaved work kept by the store: an autosave, or a save refused by a conflict."""

    id: int
    scorecard: str
    kind: str
    base_number: int | None
    message: str
    author: str
    created_at: str
    updated_at: str
    design: Scorecard
    design_hash: str
    snapshot_hashes: dict[str, str] = field(default_factory=dict)
    #: For a conflict: the version it conflicts with and its author, e.g. ``v5 by ana``.
    conflicts_with: str | None = None

    @property
    def name(self) -> str:
        """The scorecard the draft belongs to."""
        return self.scorecard

    @property
    def saved_at(self) -> str:
        return self.updated_at

    @property
    def base_version(self) -> int | None:
        """The version the draft's edits started from (None for a new scorecard)."""
        return self.base_number

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "scorecard": self.scorecard,
            "kind": self.kind,
            "base_number": self.base_number,
            "message": self.message,
            "author": self.author,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "design_hash": self.design_hash,
            "snapshot_hashes": dict(sorted(self.snapshot_hashes.items())),
            "conflicts_with": self.conflicts_with,
        }


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One line of the audit log."""

    id: int
    at: str
    author: str
    operation: str
    scorecard: str | None
    version: int | None
    detail: dict[str, Any]

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "author": self.author,
            "operation": self.operation,
            "scorecard": self.scorecard,
            "version": self.version,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class Problem:
    """Something ``verify`` found wrong; ``version`` is None for store-wide problems."""

    message: str
    scorecard: str | None = None
    version: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.scorecard is not None:
            where = f"{self.scorecard}"
            if self.version is not None:
                where += f" v{self.version}"
            where += ": "
        return f"{where}{self.message}"

    def to_json_dict(self) -> dict[str, Any]:
        return {"scorecard": self.scorecard, "version": self.version, "message": self.message}


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What importing a ``.scorecard`` file did to the store."""

    scorecard: str
    created: bool
    added: tuple[int, ...]
    already_present: int
    renumbered: dict[int, int]
    freezes_added: tuple[int, ...]
    freezes_kept: tuple[int, ...]
    snapshots_added: int
    governance_added: int = 0
    #: Entries of the file left out: the version's local entries had diverged from them.
    governance_not_merged: int = 0

    @property
    def name(self) -> str:
        return self.scorecard

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "scorecard": self.scorecard,
            "created": self.created,
            "added": list(self.added),
            "already_present": self.already_present,
            "renumbered": {str(k): v for k, v in sorted(self.renumbered.items())},
            "freezes_added": list(self.freezes_added),
            "freezes_kept": list(self.freezes_kept),
            "snapshots_added": self.snapshots_added,
            "governance_added": self.governance_added,
            "governance_not_merged": self.governance_not_merged,
        }
