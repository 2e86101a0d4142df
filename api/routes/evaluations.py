"""``/v1/evaluations/{id}``: stored reports, and computing one again from its recorded inputs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from .. import evaluations
from ..deps import SessionDep
from ..models import ErrorResponse, ReportPublic, RerunPublic

router = APIRouter(prefix="/v1/evaluations", tags=["evaluations"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "no such evaluation"}
}


@router.get("/{evaluation_id}", responses={200: {"model": ReportPublic}, **NOT_FOUND})
def get_evaluation(evaluation_id: int, session: SessionDep) -> dict[str, Any]:
    """The report as it was returned, with ``id`` and its ``inputs`` (version, range, batches)."""
    return evaluations.get_evaluation(session, evaluation_id)


@router.post("/{evaluation_id}/rerun", responses={200: {"model": RerunPublic}, **NOT_FOUND})
def rerun(evaluation_id: int, session: SessionDep) -> dict[str, Any]:
    """Evaluate the same version, range and batches again: ``{"id", "identical", "report"}``."""
    return evaluations.rerun(session, evaluation_id)
