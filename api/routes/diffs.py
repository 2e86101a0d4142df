"""``/v1/diff`` and ``/v1/policies/{name}/diff``: what changed between two versions, and whom it favours."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from .. import crud, diffs
from ..deps import SessionDep
from ..models import NAME_PATTERN, DiffIn, DiffPublic, ErrorResponse

router = APIRouter(tags=["diff"])
ERRORS: dict[int | str, dict[str, Any]] = {
    200: {"model": DiffPublic},
    404: {"model": ErrorResponse, "description": "no such policy or version"},
    413: {"model": ErrorResponse, "description": "a policy over the language's limits"},
    422: {"model": ErrorResponse, "description": "an invalid text (errors name `old` or `new`) or row"},
}


@router.post("/v1/diff", responses=ERRORS)
def diff_texts(
    body: DiffIn,
    start: Annotated[
        str | None, Query(alias="from", description="replay from (ISO date or date-time)")
    ] = None,
    end: Annotated[str | None, Query(alias="to", description="replay to, exclusive")] = None,
) -> dict[str, Any]:
    """The semantic diff of two texts; with ``measurements``, the replay of both versions over them."""
    return diffs.diff_texts(body.old, body.new, body.measurements, start, end)


@router.get("/v1/policies/{name}/diff", responses=ERRORS)
def diff_versions(
    name: Annotated[str, Path(pattern=NAME_PATTERN)],
    session: SessionDep,
    old: Annotated[int | None, Query(alias="from", ge=1, description="old version (default: to - 1)")] = None,
    new: Annotated[int | None, Query(alias="to", ge=1, description="new version (default: latest)")] = None,
) -> dict[str, Any]:
    """The diff of two stored versions, with the replay over the stored measurements when there are any."""
    policy = crud.get_policy(session, name)
    return diffs.diff_versions(session, policy, old, new)
