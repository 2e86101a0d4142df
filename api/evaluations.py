"""Evaluating a stored policy, storing the report with what it was computed from, and computing it again.

An evaluation records the policy version, the range asked for (as instants
with their offsets) and the exact batches evaluated: the stored batches of the
policy at that moment, or the batch posted with the request, which is kept for
this purpose (as an ``evaluated`` batch, never counted among the stored
measurements). :func:`rerun` evaluates those same inputs again.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlmodel import Session

from . import crud, domain, ingest, store, views
from .config import Settings
from .errors import not_found
from .models import EvaluationRecord, PolicyRecord, PolicyVersionRecord

STORED = "stored"
POSTED = "posted"


def evaluate_policy(
    session: Session,
    settings: Settings,
    name: str,
    *,
    version: int | None,
    start: str | None,
    end: str | None,
    body: bytes,
    content_type: str | None,
) -> dict[str, Any]:
    """Evaluate the posted batch, or without a body the stored measurements; store and return the report."""
    policy = crud.get_policy(session, name)
    record = crud.get_version(session, policy, version)
    text = domain.stored_policy(record)
    first = domain.bound(start, text, "from")
    last = domain.bound(end, text, "to")
    assert policy.id is not None and record.id is not None
    if body:
        measurements = ingest.read_limited(body, content_type, settings)
        report = domain.evaluate(text, measurements, start=first, end=last, version=record.version)
        frame, dimensions = domain.batch_frame(measurements)
        batch = store.insert_batch(
            session,
            policy_id=policy.id,
            kind=store.EVALUATED,
            frame=frame,
            dimensions=dimensions,
            body_hash=hashlib.sha256(body).hexdigest(),
            created_at=crud.now(),
        )
        batches, source = [batch], POSTED
    else:
        batches, source = store.stored_batches(session, policy.id), STORED
        measurements = domain.measurements_of(store.load_frame(session, batches))
        try:
            report = domain.evaluate(text, measurements, start=first, end=last, version=record.version)
        except domain.MeasurementError as exc:
            raise domain.locate(exc, [(b.id or 0, b.rows) for b in batches]) from None
    evaluation = EvaluationRecord(
        policy_id=policy.id,
        policy_version_id=record.id,
        version=record.version,
        range_from=_instant(first),
        range_to=_instant(last),
        source=source,
        batches=json.dumps([b.id for b in batches]),
        rows=len(measurements),
        report=json.dumps(report),
        created_at=crud.now(),
    )
    session.add(evaluation)
    session.commit()
    return evaluation_public(evaluation, policy)


def get_evaluation(session: Session, evaluation_id: int) -> dict[str, Any]:
    """A stored report with its inputs; raises 404 when there is none."""
    evaluation, policy = _load(session, evaluation_id)
    return evaluation_public(evaluation, policy)


def rerun(session: Session, evaluation_id: int) -> dict[str, Any]:
    """Evaluate a stored evaluation's inputs again; ``identical`` says whether the report is the same."""
    evaluation, _ = _load(session, evaluation_id)
    record = session.get(PolicyVersionRecord, evaluation.policy_version_id)
    assert record is not None
    text = domain.stored_policy(record)
    batches = store.batches_by_id(session, json.loads(evaluation.batches))
    measurements = domain.measurements_of(store.load_frame(session, batches))
    report = domain.evaluate(
        text,
        measurements,
        start=_parse(evaluation.range_from),
        end=_parse(evaluation.range_to),
        version=record.version,
    )
    stored = json.loads(evaluation.report)
    return {"id": evaluation.id, "identical": report == stored, "report": report}


def evaluation_public(evaluation: EvaluationRecord, policy: PolicyRecord) -> dict[str, Any]:
    """The report, its ``id``, and under ``inputs`` what it was computed from."""
    return {
        "id": evaluation.id,
        **json.loads(evaluation.report),
        "inputs": {
            "policy": policy.name,
            "version": evaluation.version,
            "from": evaluation.range_from,
            "to": evaluation.range_to,
            "measurements": evaluation.source,
            "batches": json.loads(evaluation.batches),
            "rows": evaluation.rows,
            "evaluated_at": views.iso(evaluation.created_at),
        },
    }


def _load(session: Session, evaluation_id: int) -> tuple[EvaluationRecord, PolicyRecord]:
    evaluation = session.get(EvaluationRecord, evaluation_id)
    if evaluation is None:
        raise not_found(f"evaluation {evaluation_id}")
    policy = session.get(PolicyRecord, evaluation.policy_id)
    assert policy is not None
    return evaluation, policy


def _instant(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text is not None else None
