"""Storing a posted batch of measurements: atomic, limited, and idempotent by key.

A batch is read and validated whole before anything is written, then stored in
one transaction with its rows: one invalid row stores nothing. With an
``Idempotency-Key`` header the batch is stored once per policy and key; a
retry with the same key and the same body stores nothing and returns the first
answer (with ``Idempotent-Replayed: true``); the same key with another body
is a 409, since it is a different batch and was probably meant as one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from . import crud, domain, store, views
from .config import Settings
from .errors import ApiError
from .models import BatchRecord, PolicyRecord

CONTENT_TYPES = {
    "application/json": "json",
    "text/csv": "csv",
    "application/x-ndjson": "ndjson",
    "application/ndjson": "ndjson",
    "application/jsonl": "ndjson",
    "application/vnd.apache.parquet": "parquet",
    "application/x-parquet": "parquet",
    "application/vnd.apache.arrow.file": "arrow",
    "application/x-arrow": "arrow",
}
"""The media types a batch may be sent as, and the reader each one selects."""


@dataclass(frozen=True, slots=True)
class Answer:
    """What the route sends: the body, its status, and whether it is a replay of the first answer."""

    body: dict[str, Any]
    status: int = 201
    replayed: bool = False


def measurement_format(content_type: str | None) -> str:
    """The reader for ``content_type`` (parameters such as ``charset`` ignored); raises 415 when unknown."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media not in CONTENT_TYPES:
        raise ApiError(
            415,
            f"measurements cannot be sent as {media or 'a body without Content-Type'}",
            hint="send " + ", ".join(sorted(CONTENT_TYPES)),
            code="unsupported_media_type",
        )
    return CONTENT_TYPES[media]


def read_limited(body: bytes, content_type: str | None, settings: Settings) -> domain.Measurements:
    """Read a posted batch; raises 415 (type), 422 (a bad row) or 413 (too many rows)."""
    if not body:
        raise ApiError(422, "the request has no measurements", hint="post rows, columns or CSV", code="empty")
    measurements = domain.read_batch(body, measurement_format(content_type))
    if len(measurements) > settings.max_batch_rows:
        raise ApiError(
            413,
            f"the batch has {len(measurements):,} rows; the limit is {settings.max_batch_rows:,}",
            hint="send the measurements in several batches",
            code="too_many_rows",
        )
    return measurements


def store_batch(
    session: Session,
    settings: Settings,
    name: str,
    body: bytes,
    content_type: str | None,
    idempotency_key: str | None,
) -> Answer:
    """Store a batch for the policy ``name``; see the module docstring for the rules."""
    policy = crud.get_policy(session, name)
    if policy.archived_at is not None:
        raise ApiError(409, f"policy {name!r} is archived", hint="archived policies take no measurements")
    assert policy.id is not None
    digest = hashlib.sha256(body).hexdigest()
    if idempotency_key is not None:
        if not 0 < len(idempotency_key) <= 255:
            raise ApiError(422, "the Idempotency-Key is empty or over 255 characters", code="invalid_request")
        first = store.find_batch(session, policy.id, idempotency_key)
        if first is not None:
            return _replay(first, digest)
    measurements = read_limited(body, content_type, settings)
    # Judged against the latest version: the one that evaluations use unless told otherwise.
    latest = crud.get_version(session, policy)
    domain.admit(domain.stored_policy(latest), measurements)
    frame, dimensions = domain.batch_frame(measurements)
    try:
        batch = store.insert_batch(
            session,
            policy_id=policy.id,
            kind=store.STORED,
            frame=frame,
            dimensions=dimensions,
            body_hash=digest,
            created_at=crud.now(),
            idempotency_key=idempotency_key,
        )
    except IntegrityError:
        # A concurrent request with the same key committed first: answer as it did.
        session.rollback()
        assert idempotency_key is not None
        first = store.find_batch(session, policy.id, idempotency_key)
        if first is None:
            raise
        return _replay(first, digest)
    body_out = batch_public(policy, batch)
    batch.response = json.dumps(body_out)
    session.add(batch)
    session.commit()
    store.remember(session, batch, frame)
    return Answer(body_out)


def batch_public(policy: PolicyRecord, batch: BatchRecord) -> dict[str, Any]:
    return {
        "policy": policy.name,
        "batch": batch.id,
        "rows": batch.rows,
        "dimensions": json.loads(batch.dimensions),
        "created_at": views.iso(batch.created_at),
    }


def _replay(first: BatchRecord, digest: str) -> Answer:
    if first.body_hash != digest:
        raise ApiError(
            409,
            "this Idempotency-Key was used for a different batch",
            hint="use a new key for a new batch; retry a batch with its original key and body",
            code="idempotency_conflict",
        )
    assert first.response is not None
    return Answer(json.loads(first.response), replayed=True)
