"""``/healthz``: the service is up and its database answers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from .. import db
from ..deps import EngineDep
from ..models import ErrorResponse, Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, responses={503: {"model": ErrorResponse}})
def healthz(engine: EngineDep) -> Any:
    """200 when a query on the database succeeds, else 503 with the reason."""
    try:
        db.ping(engine)
    except Exception as exc:  # any failure to reach the database is the answer, not a crash
        return JSONResponse(
            {
                "errors": [
                    {"code": "database_unavailable", "message": f"database unreachable: {type(exc).__name__}"}
                ]
            },
            status_code=503,
        )
    return {"status": "ok", "database": engine.dialect.name}
