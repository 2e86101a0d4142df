"""``/v1/check`` and ``/v1/format``: the language as a service, storing nothing."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from .. import domain
from ..models import CheckResult, ErrorResponse, FormatResult, SourceIn

router = APIRouter(prefix="/v1", tags=["language"])


@router.post("/check", response_model=CheckResult)
def check(body: SourceIn) -> dict[str, Any]:
    """Parse and type-check; ``ok`` is false with the errors when the text is invalid (still 200)."""
    return domain.check_source(body.source)


@router.post(
    "/format",
    response_model=FormatResult,
    responses={413: {"model": ErrorResponse}, 422: {"model": ErrorResponse}},
)
def format_policy(body: SourceIn) -> dict[str, Any]:
    """The canonical form of the text, or 422 with the syntax errors."""
    return {"source": domain.format_source(body.source)}
