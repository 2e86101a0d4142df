"""``/healthz``: the service is up and its database answers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from .. import db
from ..deps import EngineDep
from ..errors import error_response
from ..models import ErrorResponse, Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, responses={503: {"model": ErrorResponse}})
def healthz(engine: EngineDep) -> Any:
    """200 when a query on the database succeeds, else 503 with the reason."""
    try:
        db.ping(engine)
    except Exception as exc:  # any failure to reach the database is the answer, not a crash
        reason = f"database unreachable: {type(exc).__name__}"
        return error_response(503, [{"code": "database_unavailable", "message": reason}])
    return {"status": "ok", "database": engine.dialect.name}
