"""Governance: commentary, exceptions, actions and review steps as append-only entries.

An additive revision: stores created at 0002 keep every row and gain one empty table with
its guard triggers (no UPDATE ever; no DELETE on a frozen version).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from scorecard_studio.engines.store.dialect import drop_guard_statements, guard_statements_v3

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

HASH = sa.String(64)
TIME = sa.String(32)
NAME = sa.String(200)


def upgrade() -> None:
    op.create_table(
        "governance_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("scorecard_id", sa.Integer, sa.ForeignKey("scorecards.id"), nullable=False),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(400), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("author", NAME, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("prev_hash", HASH),
        sa.Column("hash", HASH, nullable=False),
        sa.UniqueConstraint("version_id", "seq", name="uq_governance_entries_seq"),
    )
    op.create_index("ix_governance_entries_scorecard", "governance_entries", ["scorecard_id"])
    op.create_index("ix_governance_entries_hash", "governance_entries", ["hash"])
    for statement in guard_statements_v3(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    dialect_name = op.get_bind().dialect.name
    for statement in drop_guard_statements(guard_statements_v3(dialect_name), dialect_name):
        op.execute(statement)
    op.drop_table("governance_entries")
