"""Diffs of two texts or of two stored versions, with a replay over measurements where there are some."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from . import crud, domain, store
from .models import PolicyRecord


def diff_texts(
    old: str, new: str, measurements: dict[str, Any] | None, start: str | None, end: str | None
) -> dict[str, Any]:
    """``{"changes"}``, plus ``"replay"`` between ``start`` and ``end`` when measurements are given.

    Bounds without an offset are read in the new version's time zone.
    """
    before, after = domain.read_sides(old, new)
    answer = domain.diff(before, after)
    if measurements is not None:
        answer["replay"] = domain.replay(
            before,
            after,
            domain.read_json_batch(measurements),
            start=domain.bound(start, after, "from"),
            end=domain.bound(end, after, "to"),
        )
    return answer


def diff_versions(session: Session, policy: PolicyRecord, old: int | None, new: int | None) -> dict[str, Any]:
    """The diff of versions ``old`` and ``new`` (default: the latest and the one before it).

    Adds ``"replay"`` over the policy's stored measurements when it has any.
    """
    after = crud.get_version(session, policy, new)
    before = crud.get_version(session, policy, old if old is not None else max(after.version - 1, 1))
    answer: dict[str, Any] = {"policy": policy.name, "from": before.version, "to": after.version}
    old_text, new_text = domain.stored_policy(before), domain.stored_policy(after)
    answer.update(domain.diff(old_text, new_text))
    assert policy.id is not None
    batches = store.stored_batches(session, policy.id)
    if batches:
        measurements = domain.measurements_of(store.load_frame(session, batches))
        answer["replay"] = domain.replay(old_text, new_text, measurements)
    return answer
