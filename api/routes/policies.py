"""``/v1/policies``: versioned, immutable policies."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response

from .. import crud, domain, views
from ..deps import SessionDep
from ..models import (
    NAME_PATTERN,
    ErrorResponse,
    PolicyCreate,
    PolicyList,
    PolicyPublic,
    PolicyUpdate,
    VersionList,
)

router = APIRouter(prefix="/v1/policies", tags=["policies"])
PolicyName = Annotated[str, Path(pattern=NAME_PATTERN, description="the policy's name")]
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "no such policy or version"},
    409: {"model": ErrorResponse, "description": "the name exists, or the policy is archived"},
    413: {"model": ErrorResponse, "description": "the policy is over 1 MiB or 10,000 clauses"},
    422: {"model": ErrorResponse, "description": "the policy text is invalid"},
}


@router.post("", status_code=201, response_model=PolicyPublic, responses=ERRORS)
def create_policy(body: PolicyCreate, session: SessionDep) -> dict[str, Any]:
    """Create a policy; its first version is 1."""
    text = domain.read_policy(body.source)
    policy, version = crud.create_policy(session, body.name, text, body.author)
    return views.policy_public(policy, version)


@router.put("/{name}", response_model=PolicyPublic, responses={201: {"model": PolicyPublic}, **ERRORS})
def update_policy(
    name: PolicyName, body: PolicyUpdate, session: SessionDep, response: Response
) -> dict[str, Any]:
    """Add a version (201); a text whose canonical form is the latest version's adds none (200)."""
    text = domain.read_policy(body.source)
    policy, version, created = crud.add_version(session, name, text, body.author)
    response.status_code = 201 if created else 200
    return views.policy_public(policy, version)


@router.get("", response_model=PolicyList)
def list_policies(session: SessionDep, archived: bool = False) -> dict[str, Any]:
    """Every policy by name with its latest version; archived ones too with ``?archived=true``."""
    rows = crud.list_policies(session, archived=archived)
    return {"policies": [views.policy_summary(policy, version) for policy, version in rows]}


@router.get("/{name}", response_model=PolicyPublic, responses=ERRORS)
def get_policy(name: PolicyName, session: SessionDep) -> dict[str, Any]:
    """The latest version with source, header and clauses (archived policies stay readable)."""
    policy = crud.get_policy(session, name)
    return views.policy_public(policy, crud.get_version(session, policy))


@router.get("/{name}/versions", response_model=VersionList, responses=ERRORS)
def list_versions(name: PolicyName, session: SessionDep) -> dict[str, Any]:
    """The history: every version, oldest first."""
    policy = crud.get_policy(session, name)
    versions = crud.list_versions(session, policy)
    return {
        "name": policy.name,
        "archived_at": views.iso(policy.archived_at),
        "versions": [views.version_summary(v) for v in versions],
    }


@router.get("/{name}/versions/{version}", response_model=PolicyPublic, responses=ERRORS)
def get_version(name: PolicyName, version: int, session: SessionDep) -> dict[str, Any]:
    """One version as it was stored."""
    policy = crud.get_policy(session, name)
    return views.policy_public(policy, crud.get_version(session, policy, version))


@router.delete("/{name}", response_model=PolicyPublic, responses=ERRORS)
def archive_policy(name: PolicyName, session: SessionDep) -> dict[str, Any]:
    """Archive: hidden from the list, history kept and readable; nothing is deleted."""
    policy = crud.archive_policy(session, name)
    return views.policy_public(policy, crud.get_version(session, policy))
