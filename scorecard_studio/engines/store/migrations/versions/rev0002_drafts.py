"""Drafts: the autosaved working draft and the content of refused saves; audit index.

An additive revision: stores created at 0001 keep every row and gain two empty tables and
an index on the audit log's scorecard column.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

HASH = sa.String(64)
TIME = sa.String(32)
NAME = sa.String(200)


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("scorecard", NAME, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("base_number", sa.Integer),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("author", NAME, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("design_hash", HASH, nullable=False),
        sa.Column("design", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_drafts_scorecard", "drafts", ["scorecard"])
    op.create_table(
        "draft_snapshots",
        sa.Column("draft_id", sa.Integer, sa.ForeignKey("drafts.id"), primary_key=True),
        sa.Column("source_id", NAME, primary_key=True),
        sa.Column("snapshot_hash", HASH, sa.ForeignKey("snapshots.hash"), nullable=False),
    )
    op.create_index("ix_draft_snapshots_hash", "draft_snapshots", ["snapshot_hash"])
    op.create_index("ix_audit_log_scorecard", "audit_log", ["scorecard"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_scorecard", "audit_log")
    op.drop_table("draft_snapshots")
    op.drop_table("drafts")
