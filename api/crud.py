"""Queries on policies and their versions; the only module that writes them.

A new version locks its policy's row first (``UPDATE ... RETURNING``: a row
lock on PostgreSQL, the write lock on SQLite), then reads the latest version
and adds the next. Two writers of the same policy are thereby serialised and
get consecutive numbers; the unique ``(policy_id, version)`` constraint is the
second line of defence.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from .domain import PolicyText
from .errors import ApiError, not_found
from .models import PolicyRecord, PolicyVersionRecord


def now() -> datetime:
    return datetime.now(UTC)


def get_policy(session: Session, name: str) -> PolicyRecord:
    """The policy called ``name``, archived or not; raises 404 when there is none."""
    policy = session.exec(select(PolicyRecord).where(PolicyRecord.name == name)).first()
    if policy is None:
        raise not_found(f"policy {name!r}", hint="create it with POST /v1/policies")
    return policy


def get_version(session: Session, policy: PolicyRecord, version: int | None = None) -> PolicyVersionRecord:
    """Version ``version`` of ``policy`` (the latest when None); raises 404 when there is none."""
    number = policy.latest_version if version is None else version
    record = session.exec(
        select(PolicyVersionRecord).where(
            PolicyVersionRecord.policy_id == policy.id, PolicyVersionRecord.version == number
        )
    ).first()
    if record is None:
        raise not_found(
            f"version {number} of policy {policy.name!r}",
            hint=f"versions run from 1 to {policy.latest_version}",
        )
    return record


def list_versions(session: Session, policy: PolicyRecord) -> list[PolicyVersionRecord]:
    return list(
        session.exec(
            select(PolicyVersionRecord)
            .where(PolicyVersionRecord.policy_id == policy.id)
            .order_by(col(PolicyVersionRecord.version))
        )
    )


def list_policies(
    session: Session, *, archived: bool = False
) -> list[tuple[PolicyRecord, PolicyVersionRecord]]:
    """Policies by name with their latest versions; archived ones only when ``archived``."""
    query = (
        select(PolicyRecord, PolicyVersionRecord)
        .join(PolicyVersionRecord, col(PolicyVersionRecord.policy_id) == col(PolicyRecord.id))
        .where(PolicyVersionRecord.version == PolicyRecord.latest_version)
        .order_by(col(PolicyRecord.name))
    )
    if not archived:
        query = query.where(col(PolicyRecord.archived_at).is_(None))
    return [(policy, version) for policy, version in session.exec(query)]


def create_policy(
    session: Session, name: str, policy_text: PolicyText, author: str | None
) -> tuple[PolicyRecord, PolicyVersionRecord]:
    """Store a new policy as version 1; raises 409 when the name is taken (archived names stay taken)."""
    moment = now()
    policy = PolicyRecord(name=name, latest_version=1, created_at=moment)
    session.add(policy)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise _name_taken(name) from None
    assert policy.id is not None
    version = _new_version(policy.id, 1, policy_text, author, moment)
    session.add(version)
    session.commit()
    return policy, version


def _name_taken(name: str) -> ApiError:
    return ApiError(
        409,
        f"a policy called {name!r} exists",
        hint=f"add a version with PUT /v1/policies/{name}, or choose another name",
        code="conflict",
    )


def add_version(
    session: Session, name: str, policy_text: PolicyText, author: str | None
) -> tuple[PolicyRecord, PolicyVersionRecord, bool]:
    """Add the next version of ``name`` unless its text is the latest version's.

    Returns the policy, the version and whether it was created. Raises 404 for
    an unknown policy and 409 for an archived one.
    """
    locked = session.execute(
        update(PolicyRecord)
        .where(col(PolicyRecord.name) == name)
        .values(latest_version=PolicyRecord.latest_version)
        .returning(col(PolicyRecord.id))
    ).first()
    if locked is None:
        session.rollback()
        raise not_found(f"policy {name!r}", hint="create it with POST /v1/policies")
    policy = session.get(PolicyRecord, locked[0], populate_existing=True)
    assert policy is not None and policy.id is not None
    if policy.archived_at is not None:
        session.rollback()
        raise ApiError(409, f"policy {name!r} is archived", hint="archived policies take no new versions")
    latest = get_version(session, policy)
    if latest.content_hash == policy_text.content_hash:
        session.commit()  # ends the lock; the update changed nothing (a rollback would expire ``latest``)
        return policy, latest, False
    policy.latest_version += 1
    version = _new_version(policy.id, policy.latest_version, policy_text, author, now())
    session.add(policy)
    session.add(version)
    session.commit()
    return policy, version, True


def _new_version(
    policy_id: int, number: int, policy_text: PolicyText, author: str | None, moment: datetime
) -> PolicyVersionRecord:
    return PolicyVersionRecord(
        policy_id=policy_id,
        version=number,
        source=policy_text.source,
        canonical=policy_text.canonical,
        content_hash=policy_text.content_hash,
        author=author,
        created_at=moment,
    )


def archive_policy(session: Session, name: str) -> PolicyRecord:
    """Hide ``name`` from the list; its versions stay readable. Archiving twice changes nothing."""
    policy = get_policy(session, name)
    if policy.archived_at is None:
        policy.archived_at = now()
        session.add(policy)
        session.commit()
    return policy
