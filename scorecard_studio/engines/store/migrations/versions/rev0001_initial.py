"""Initial schema: scorecards, immutable versions, content-addressed blobs, audit log.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from scorecard_studio.engines.store.dialect import drop_guard_statements, guard_statements_v1

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

HASH = sa.String(64)
TIME = sa.String(32)
NAME = sa.String(200)


def upgrade() -> None:
    op.create_table(
        "scorecards",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", NAME, nullable=False, unique=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("last_number", sa.Integer, nullable=False),
    )
    op.create_table(
        "designs",
        sa.Column("hash", HASH, primary_key=True),
        sa.Column("codec", sa.String(16), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "snapshots",
        sa.Column("hash", HASH, primary_key=True),
        sa.Column("format", sa.String(32), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("columns", sa.Integer, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("scorecard_id", sa.Integer, sa.ForeignKey("scorecards.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("parent_number", sa.Integer),
        sa.Column("parent_hash", HASH),
        sa.Column("design_hash", HASH, sa.ForeignKey("designs.hash"), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("author", NAME, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("hash", HASH, nullable=False),
        sa.Column("frozen_label", NAME),
        sa.Column("frozen_at", TIME),
        sa.Column("frozen_by", NAME),
        sa.Column("freeze_seal", HASH),
        sa.UniqueConstraint("scorecard_id", "number", name="uq_versions_number"),
        sa.UniqueConstraint("scorecard_id", "hash", name="uq_versions_hash"),
        sa.CheckConstraint(
            "(frozen_label IS NULL AND freeze_seal IS NULL)"
            " OR (frozen_label IS NOT NULL AND freeze_seal IS NOT NULL)",
            name="ck_versions_freeze_sealed",
        ),
    )
    op.create_index("ix_versions_design", "versions", ["design_hash"])
    op.create_table(
        "version_snapshots",
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id"), primary_key=True),
        sa.Column("source_id", NAME, primary_key=True),
        sa.Column("snapshot_hash", HASH, sa.ForeignKey("snapshots.hash"), nullable=False),
    )
    op.create_index("ix_version_snapshots_hash", "version_snapshots", ["snapshot_hash"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", TIME, nullable=False),
        sa.Column("author", NAME, nullable=False),
        sa.Column("operation", sa.String(32), nullable=False),
        sa.Column("scorecard", NAME),
        sa.Column("version", sa.Integer),
        sa.Column("detail", sa.Text, nullable=False),
    )
    for statement in guard_statements_v1(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    dialect_name = op.get_bind().dialect.name
    for statement in drop_guard_statements(guard_statements_v1(dialect_name), dialect_name):
        op.execute(statement)
    for table in (
        "audit_log",
        "version_snapshots",
        "versions",
        "snapshots",
        "designs",
        "scorecards",
    ):
        op.drop_table(table)
