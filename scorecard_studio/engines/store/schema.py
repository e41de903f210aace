"""The store's tables as SQLAlchemy 2 typed declarative classes (the current schema).

These classes describe the schema at the newest migration and are what the repository
queries. The migrations in ``migrations/versions`` create the same tables with explicit
operations, so an old revision stays exactly what it was when it shipped; a test compares
the migrated schema with this module.

Everything here is portable SQL: text hashes and ISO-8601 UTC times as strings (no
dialect-specific types), large binary columns for compressed documents, and uniqueness
constraints that make a lost update impossible even without SQLite's write lock. The
dialect-specific parts (PRAGMAs, triggers) live in ``dialect.py``.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    FetchedValue,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

HASH = String(64)
TIME = String(32)
NAME = String(200)


class Base(DeclarativeBase):
    """Declarative base of the store's tables."""


class ScorecardRow(Base):
    """One named scorecard; ``last_number`` is the highest version number ever given.

    Numbers are never reused, even after an unfrozen version is deleted, so a number quoted
    in a report keeps meaning one version.
    """

    __tablename__ = "scorecards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(NAME, unique=True)
    created_at: Mapped[str] = mapped_column(TIME)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class DesignBlob(Base):
    """A design document, stored once per hash of its canonical JSON text."""

    __tablename__ = "designs"

    hash: Mapped[str] = mapped_column(HASH, primary_key=True)
    codec: Mapped[str] = mapped_column(String(16))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class SnapshotBlob(Base):
    """A typed data table, stored once per hash of its serialised bytes."""

    __tablename__ = "snapshots"

    hash: Mapped[str] = mapped_column(HASH, primary_key=True)
    format: Mapped[str] = mapped_column(String(32))
    rows: Mapped[int] = mapped_column(Integer)
    columns: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class VersionRow(Base):
    """An immutable version; only the four freeze columns may ever be set, once."""

    __tablename__ = "versions"
    __table_args__ = (
        UniqueConstraint("scorecard_id", "number", name="uq_versions_number"),
        UniqueConstraint("scorecard_id", "hash", name="uq_versions_hash"),
        CheckConstraint(
            "(frozen_label IS NULL AND freeze_seal IS NULL)"
            " OR (frozen_label IS NOT NULL AND freeze_seal IS NOT NULL)",
            name="ck_versions_freeze_sealed",
        ),
        Index("ix_versions_design", "design_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(ForeignKey("scorecards.id"))
    number: Mapped[int] = mapped_column(Integer)
    parent_number: Mapped[int | None] = mapped_column(Integer)
    parent_hash: Mapped[str | None] = mapped_column(HASH)
    design_hash: Mapped[str] = mapped_column(HASH, ForeignKey("designs.hash"))
    message: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(NAME)
    created_at: Mapped[str] = mapped_column(TIME)
    hash: Mapped[str] = mapped_column(HASH)
    # FetchedValue (no DDL): an INSERT that sets no freeze leaves these columns out rather
    # than writing NULL into them, so a team store's editor, whose INSERT grant leaves out
    # the freeze columns (only an approver freezes), can save.
    frozen_label: Mapped[str | None] = mapped_column(NAME, server_default=FetchedValue())
    frozen_at: Mapped[str | None] = mapped_column(TIME, server_default=FetchedValue())
    frozen_by: Mapped[str | None] = mapped_column(NAME, server_default=FetchedValue())
    freeze_seal: Mapped[str | None] = mapped_column(HASH, server_default=FetchedValue())


class VersionSnapshot(Base):
    """Which data snapshot a version was scored on, per data source."""

    __tablename__ = "version_snapshots"
    __table_args__ = (Index("ix_version_snapshots_hash", "snapshot_hash"),)

    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), primary_key=True)
    source_id: Mapped[str] = mapped_column(NAME, primary_key=True)
    snapshot_hash: Mapped[str] = mapped_column(HASH, ForeignKey("snapshots.hash"))


class AuditEntry(Base):
    """One store operation; the table is append-only (triggers refuse update and delete)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_scorecard", "scorecard"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[str] = mapped_column(TIME)
    author: Mapped[str] = mapped_column(NAME)
    operation: Mapped[str] = mapped_column(String(32))
    scorecard: Mapped[str | None] = mapped_column(NAME)
    version: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text)


class DraftRow(Base):
    """Unsaved work: the autosaved working draft, or the content of a refused save.

    ``kind`` is ``autosave`` (at most one per scorecard, replaced on every autosave) or
    ``conflict`` (one per refused save, kept until deleted). The design is compressed
    inline rather than content-addressed: autosaves change every few seconds and would
    otherwise leave a trail of orphan documents.
    """

    __tablename__ = "drafts"
    __table_args__ = (Index("ix_drafts_scorecard", "scorecard"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scorecard: Mapped[str] = mapped_column(NAME)
    kind: Mapped[str] = mapped_column(String(16))
    base_number: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(NAME)
    created_at: Mapped[str] = mapped_column(TIME)
    updated_at: Mapped[str] = mapped_column(TIME)
    design_hash: Mapped[str] = mapped_column(HASH)
    design: Mapped[bytes] = mapped_column(LargeBinary)


class DraftSnapshot(Base):
    """The data tables kept with a draft (same content-addressed snapshots as versions)."""

    __tablename__ = "draft_snapshots"
    __table_args__ = (Index("ix_draft_snapshots_hash", "snapshot_hash"),)

    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), primary_key=True)
    source_id: Mapped[str] = mapped_column(NAME, primary_key=True)
    snapshot_hash: Mapped[str] = mapped_column(HASH, ForeignKey("snapshots.hash"))


class GovernanceEntryRow(Base):
    """One governance entry on a version: a comment, exception, action step or review step.

    Append-only (a trigger refuses every UPDATE, and a DELETE unless the version is an
    unfrozen one being deleted). Each entry is hashed over the version's hash, the previous
    entry of the same version (``prev_hash``) and its own content, so the entries of a
    version form a chain hanging from the version chain.
    """

    __tablename__ = "governance_entries"
    __table_args__ = (
        UniqueConstraint("version_id", "seq", name="uq_governance_entries_seq"),
        Index("ix_governance_entries_scorecard", "scorecard_id"),
        Index("ix_governance_entries_hash", "hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(ForeignKey("scorecards.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(400))
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(NAME)
    created_at: Mapped[str] = mapped_column(TIME)
    prev_hash: Mapped[str | None] = mapped_column(HASH)
    hash: Mapped[str] = mapped_column(HASH)
