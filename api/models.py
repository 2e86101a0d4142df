"""Tables and the request/response models of the HTTP API.

Per entity, as in full-stack-fastapi-template: the table (``table=True``) and
the ``...Create`` / ``...Public`` models that cross the wire. The tables are
created by the Alembic migrations in ``api/migrations``, never by
``create_all``; these classes only describe them to queries.

Measurements are deliberately not an ORM entity for writing: batches go in
bulk (COPY on PostgreSQL, executemany on SQLite), see :mod:`api.store`. A
measurement row keeps its batch and position (``batch_id``, ``seq``), the
frame's columns (``metric``, ``time``, ``value``, ``start``, ``end``; times in
microseconds since the epoch, UTC) and its dimensions as one JSON object in
``dims`` (NULL when the row has none).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Field as Column
from sqlmodel import SQLModel

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
"""A policy's name in URLs: letters, digits, ``.``, ``_``, ``-``; at most 128 characters."""

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
"""64-bit keys on PostgreSQL; SQLite autoincrements only an ``INTEGER PRIMARY KEY``."""


# --- tables -------------------------------------------------------------------


class PolicyRecord(SQLModel, table=True):
    """A named policy; ``latest_version`` counts its versions (the row is locked to add one)."""

    __tablename__ = "policy"

    id: int | None = Column(default=None, primary_key=True)
    name: str = Column(sa_column=sa.Column(sa.String(128), nullable=False, unique=True))
    latest_version: int = 0
    created_at: datetime = Column(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False))
    archived_at: datetime | None = Column(default=None, sa_column=sa.Column(sa.DateTime(timezone=True)))


class PolicyVersionRecord(SQLModel, table=True):
    """One immutable version of a policy: what was sent, its canonical text and their hash."""

    __tablename__ = "policy_version"
    __table_args__ = (sa.UniqueConstraint("policy_id", "version", name="uq_policy_version"),)

    id: int | None = Column(default=None, primary_key=True)
    policy_id: int = Column(foreign_key="policy.id", nullable=False)
    version: int
    source: str = Column(sa_column=sa.Column(sa.Text, nullable=False))
    canonical: str = Column(sa_column=sa.Column(sa.Text, nullable=False))
    content_hash: str = Column(sa_column=sa.Column(sa.String(64), nullable=False))
    author: str | None = None
    created_at: datetime = Column(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False))


class BatchRecord(SQLModel, table=True):
    """A batch of measurements: ``stored`` for the policy, or ``evaluated`` (posted to evaluate only)."""

    __tablename__ = "measurement_batch"
    __table_args__ = (sa.UniqueConstraint("policy_id", "idempotency_key", name="uq_batch_idempotency"),)

    id: int | None = Column(default=None, primary_key=True)
    policy_id: int = Column(foreign_key="policy.id", nullable=False)
    kind: str = Column(sa_column=sa.Column(sa.String(16), nullable=False))
    rows: int
    dimensions: str = Column(sa_column=sa.Column(sa.Text, nullable=False))
    body_hash: str = Column(sa_column=sa.Column(sa.String(64), nullable=False))
    idempotency_key: str | None = Column(default=None, sa_column=sa.Column(sa.String(255)))
    response: str | None = Column(default=None, sa_column=sa.Column(sa.Text))
    created_at: datetime = Column(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False))


class EvaluationRecord(SQLModel, table=True):
    """A stored report with everything needed to compute it again: version, range and batches."""

    __tablename__ = "evaluation"

    id: int | None = Column(default=None, primary_key=True)
    policy_id: int = Column(foreign_key="policy.id", nullable=False)
    policy_version_id: int = Column(foreign_key="policy_version.id", nullable=False)
    version: int
    range_from: str | None = None
    range_to: str | None = None
    source: str = Column(sa_column=sa.Column(sa.String(16), nullable=False))
    batches: str = Column(sa_column=sa.Column(sa.Text, nullable=False))
    rows: int
    report: str = Column(sa_column=sa.Column(sa.Text, nullable=False))
    created_at: datetime = Column(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False))


# --- requests -----------------------------------------------------------------


class PolicyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=NAME_PATTERN, description="the policy's name in URLs")
    source: str = Field(description="the policy text")
    author: str | None = Field(default=None, max_length=255, description="who wrote this version")


class PolicyUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str
    author: str | None = Field(default=None, max_length=255)


class SourceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str


class DiffIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    old: str = Field(description="the old policy text")
    new: str = Field(description="the new policy text")
    measurements: dict[str, Any] | None = Field(
        default=None, description='JSON measurements, rows `{"measurements": [...]}` or `{"columns": {...}}`'
    )


# --- responses ----------------------------------------------------------------


class ErrorItem(BaseModel):
    """One error; policy errors carry line/column/snippet, measurement errors row/field."""

    model_config = ConfigDict(extra="allow")

    message: str
    code: str | None = None
    line: int | None = None
    column: int | None = None
    snippet: str | None = None
    hint: str | None = None
    row: int | None = None
    field: str | None = None


class ErrorResponse(BaseModel):
    errors: list[ErrorItem]


class ClausePublic(BaseModel):
    id: str
    kind: str
    name: str | None
    text: str


class VersionSummary(BaseModel):
    version: int
    content_hash: str
    author: str | None
    created_at: str


class PolicySummary(BaseModel):
    name: str
    version: int
    content_hash: str
    created_at: str
    updated_at: str
    archived_at: str | None


class PolicyPublic(PolicySummary):
    """A version of a policy with its text, header and clauses."""

    author: str | None
    source: str
    canonical: str
    header: dict[str, Any]
    clauses: list[ClausePublic]
    warnings: list[dict[str, Any]]


class PolicyList(BaseModel):
    policies: list[PolicySummary]


class VersionList(BaseModel):
    name: str
    archived_at: str | None
    versions: list[VersionSummary]


class CheckResult(BaseModel):
    ok: bool
    errors: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    clauses: list[ClausePublic]


class FormatResult(BaseModel):
    source: str


class BatchPublic(BaseModel):
    policy: str
    batch: int
    rows: int
    dimensions: list[str]
    created_at: str


class Health(BaseModel):
    status: str
    database: str


class EvaluationInputs(BaseModel):
    """What a stored report was computed from (see docs/api.md, Reproducibility)."""

    policy: str
    version: int
    from_: str | None = Field(alias="from")
    to: str | None
    measurements: str = Field(description="`stored` or `posted`")
    batches: list[int]
    rows: int
    evaluated_at: str


class ReportPublic(BaseModel):
    """The report of interfaces.md with its ``id`` and ``inputs``; documents the answer, never filters it."""

    model_config = ConfigDict(extra="allow")

    id: int
    policy: str | None
    version: int | None
    currency: str | None
    range: dict[str, str | None]
    clauses: list[dict[str, Any]]
    periods: list[dict[str, Any]]
    total_credit: float | None
    total_bonus: float | None
    inputs: EvaluationInputs


class RerunPublic(BaseModel):
    id: int
    identical: bool
    report: dict[str, Any]


class DiffPublic(BaseModel):
    """The diff of interfaces.md: ``changes``, and ``replay`` when measurements were given or stored."""

    model_config = ConfigDict(extra="allow")

    changes: list[dict[str, Any]]
    replay: dict[str, Any] | None = None
