"""``/v1/policies/{name}/measurements`` and ``/v1/policies/{name}/evaluate``: bodies of any reader format.

These routes read the raw body (JSON rows or columns, CSV, NDJSON, Parquet,
Arrow IPC, by ``Content-Type``), then do the parsing and the database work in
the thread pool so that a large batch never blocks the event loop.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import JSONResponse
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from .. import evaluations, ingest
from ..deps import EngineDep, SettingsDep
from ..models import NAME_PATTERN, BatchPublic, ErrorResponse, ReportPublic

router = APIRouter(prefix="/v1/policies", tags=["measurements"])
PolicyName = Annotated[str, Path(pattern=NAME_PATTERN, description="the policy's name")]
_SCHEMA = {"type": "object", "description": "rows {measurements: [...]} or columns {columns: {...}}"}
BODY: dict[str, Any] = {
    "requestBody": {
        "content": {
            "application/json": {"schema": _SCHEMA},
            "text/csv": {"schema": {"type": "string"}},
            "application/x-ndjson": {"schema": {"type": "string"}},
            "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}},
            "application/vnd.apache.arrow.file": {"schema": {"type": "string", "format": "binary"}},
        }
    }
}
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in (
        (404, "no such policy or version"),
        (409, "archived policy, or an Idempotency-Key reused for another batch"),
        (413, "body or batch over the limits"),
        (415, "unknown Content-Type"),
        (422, "an invalid row (row, field) or range"),
    )
}


@router.post(
    "/{name}/measurements",
    status_code=201,
    response_model=BatchPublic,
    responses=ERRORS,
    openapi_extra={"requestBody": {**BODY["requestBody"], "required": True}},
)
async def store_measurements(
    name: PolicyName,
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> Any:
    """Store a batch atomically (one invalid row stores nothing); ``Idempotency-Key`` makes retries no-ops."""
    body = await request.body()

    def work() -> ingest.Answer:
        with Session(engine, expire_on_commit=False) as session:
            return ingest.store_batch(
                session, settings, name, body, request.headers.get("content-type"), idempotency_key
            )

    answer = await run_in_threadpool(work)
    headers = {"Idempotent-Replayed": "true"} if answer.replayed else None
    return JSONResponse(answer.body, status_code=answer.status, headers=headers)


@router.post("/{name}/evaluate", responses={200: {"model": ReportPublic}, **ERRORS}, openapi_extra=BODY)
async def evaluate(
    name: PolicyName,
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    version: Annotated[int | None, Query(ge=1, description="the version (default: latest)")] = None,
    start: Annotated[str | None, Query(alias="from", description="ISO date or date-time, inclusive")] = None,
    end: Annotated[str | None, Query(alias="to", description="ISO date or date-time, exclusive")] = None,
) -> dict[str, Any]:
    """Evaluate the posted batch, or without a body the stored measurements; stores the report as ``id``."""
    body = await request.body()

    def work() -> dict[str, Any]:
        with Session(engine, expire_on_commit=False) as session:
            return evaluations.evaluate_policy(
                session,
                settings,
                name,
                version=version,
                start=start,
                end=end,
                body=body,
                content_type=request.headers.get("content-type"),
            )

    return await run_in_threadpool(work)
