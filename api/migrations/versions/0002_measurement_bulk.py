"""Measurements as an append-only fact table fit for COPY: no per-row key, no per-row foreign key check.

A row is identified by its batch and its position in the batch (``seq``,
0-based) instead of a global serial id, and the foreign key to the batch is
dropped: both cost a check per row that made a 1,000,000-row COPY three times
slower, while rows are written only by :func:`api.store.insert_batch`, in the
same transaction as their batch. Rows of a batch are contiguous on disk, so
on PostgreSQL a BRIN index on ``batch_id`` finds them at a fraction of a
B-tree's cost.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
VALUES = 'metric, "time", value, start, "end", dims'


def upgrade() -> None:
    op.create_table(
        "measurement_rows",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("metric", sa.Text(), nullable=False),
        sa.Column("time", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.Float(precision=53), nullable=True),
        sa.Column("start", sa.BigInteger(), nullable=True),
        sa.Column("end", sa.BigInteger(), nullable=True),
        sa.Column("dims", sa.Text(), nullable=True),
    )
    op.execute(
        f"INSERT INTO measurement_rows (batch_id, seq, {VALUES}) "
        "SELECT batch_id, row_number() OVER (PARTITION BY batch_id ORDER BY id) - 1, "
        f"{VALUES} FROM measurement"
    )
    op.drop_table("measurement")
    op.rename_table("measurement_rows", "measurement")
    op.create_index("ix_measurement_batch", "measurement", ["batch_id"], postgresql_using="brin")


def downgrade() -> None:
    op.create_table(
        "measurement_keyed",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("batch_id", sa.Integer(), sa.ForeignKey("measurement_batch.id"), nullable=False),
        sa.Column("metric", sa.Text(), nullable=False),
        sa.Column("time", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.Float(precision=53), nullable=True),
        sa.Column("start", sa.BigInteger(), nullable=True),
        sa.Column("end", sa.BigInteger(), nullable=True),
        sa.Column("dims", sa.Text(), nullable=True),
    )
    op.execute(
        f"INSERT INTO measurement_keyed (batch_id, {VALUES}) SELECT batch_id, {VALUES} FROM measurement "
        "ORDER BY batch_id, seq"
    )
    op.drop_table("measurement")
    op.rename_table("measurement_keyed", "measurement")
    op.create_index("ix_measurement_batch", "measurement", ["batch_id"])
