"""The initial schema: policies, their versions, measurement batches, measurements, evaluations.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "policy",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(128), nullable=False, unique=True),
        sa.Column("latest_version", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", When, nullable=False),
        sa.Column("archived_at", When, nullable=True),
    )
    op.create_table(
        "policy_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("policy_id", sa.Integer(), sa.ForeignKey("policy.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("canonical", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("author", sa.String(255), nullable=True),
        sa.Column("created_at", When, nullable=False),
        sa.UniqueConstraint("policy_id", "version", name="uq_policy_version"),
    )
    op.create_table(
        "measurement_batch",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("policy_id", sa.Integer(), sa.ForeignKey("policy.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("dimensions", sa.Text(), nullable=False),
        sa.Column("body_hash", sa.String(64), nullable=False),
        sa.Column("idempotency_key", sa.String(255), nullable=True),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("created_at", When, nullable=False),
        sa.UniqueConstraint("policy_id", "idempotency_key", name="uq_batch_idempotency"),
    )
    op.create_index("ix_batch_policy_kind", "measurement_batch", ["policy_id", "kind"])
    op.create_table(
        "measurement",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("batch_id", sa.Integer(), sa.ForeignKey("measurement_batch.id"), nullable=False),
        sa.Column("metric", sa.Text(), nullable=False),
        sa.Column("time", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.Float(precision=53), nullable=True),
        sa.Column("start", sa.BigInteger(), nullable=True),
        sa.Column("end", sa.BigInteger(), nullable=True),
        sa.Column("dims", sa.Text(), nullable=True),
    )
    op.create_index("ix_measurement_batch", "measurement", ["batch_id"])
    op.create_table(
        "evaluation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("policy_id", sa.Integer(), sa.ForeignKey("policy.id"), nullable=False),
        sa.Column("policy_version_id", sa.Integer(), sa.ForeignKey("policy_version.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("range_from", sa.String(64), nullable=True),
        sa.Column("range_to", sa.String(64), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("batches", sa.Text(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("created_at", When, nullable=False),
    )
    op.create_index("ix_evaluation_policy", "evaluation", ["policy_id"])


def downgrade() -> None:
    for table in ("evaluation", "measurement", "measurement_batch", "policy_version", "policy"):
        op.drop_table(table)
