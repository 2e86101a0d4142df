"""Records as the API shows them: policies, versions and times in ISO 8601, UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from . import domain
from .models import PolicyRecord, PolicyVersionRecord


def iso(moment: datetime | None) -> str | None:
    """``moment`` in ISO 8601 with its UTC offset (SQLite hands times back without one)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def policy_summary(policy: PolicyRecord, version: PolicyVersionRecord) -> dict[str, Any]:
    return {
        "name": policy.name,
        "version": version.version,
        "content_hash": version.content_hash,
        "created_at": iso(policy.created_at),
        "updated_at": iso(version.created_at),
        "archived_at": iso(policy.archived_at),
    }


def policy_public(policy: PolicyRecord, version: PolicyVersionRecord) -> dict[str, Any]:
    """A version in full: its texts, header, clauses with their ids, and warnings."""
    text = domain.stored_policy(version)
    return {
        **policy_summary(policy, version),
        "author": version.author,
        "source": version.source,
        "canonical": version.canonical,
        "header": text.header(),
        "clauses": text.clauses(),
        "warnings": text.warnings(),
    }


def version_summary(version: PolicyVersionRecord) -> dict[str, Any]:
    return {
        "version": version.version,
        "content_hash": version.content_hash,
        "author": version.author,
        "created_at": iso(version.created_at),
    }
