"""The records of a contract diff: one :class:`Change` per changed term, and the sentence that explains it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dsl import ast

from .diff_favour import CLIENT


@dataclass(frozen=True, slots=True)
class Change:
    """One changed term of the contract.

    ``clause`` is the clause's id in the old policy (in the new one for an added
    clause), or None for a header statement. ``field`` names the term
    (docs/diff.md lists them); ``old`` and ``new`` are its canonical text, None
    where the term is absent. ``favours`` is ``client``, ``provider`` or
    ``unclear``; ``summary`` is one sentence for a lawyer.
    """

    clause: str | None
    field: str
    old: str | None
    new: str | None
    favours: str
    summary: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of interfaces.md: clause, field, old, new, favours, summary."""
        return {
            "clause": self.clause,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "favours": self.favours,
            "summary": self.summary,
        }


@dataclass(frozen=True, slots=True)
class ClausePair:
    """An old clause beside its new version; either side None when added or removed."""

    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class PolicyDiff:
    """The semantic difference of two policies: ``changes`` in reading order.

    ``pairs`` records how the clauses were matched (identity, rename, similarity),
    in the order of the old policy followed by added clauses; a replay uses it
    to set each old clause beside its new version.
    """

    changes: tuple[Change, ...]
    pairs: tuple[ClausePair, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def to_dict(self) -> dict[str, Any]:
        """``{"changes": [...]}`` as interfaces.md shows."""
        return {"changes": [c.to_dict() for c in self.changes]}


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a rule found: whom the change favours, what changed, and (for ``unclear``) why."""

    favours: str
    text: str
    why: str | None = None


def sentence(subject: str, verdict: Verdict, policy: ast.Policy) -> str:
    """One sentence: ``SUBJECT: TEXT, in favour of the provider (Name).`` or ``...; WHY.``"""
    match verdict.favours:
        case "client" | "provider":
            party = policy.client if verdict.favours == CLIENT else policy.provider
            who = f"the {verdict.favours}" + (f" ({party.value})" if party else "")
            return f"{subject}: {verdict.text}, in favour of {who}."
        case _:
            why = verdict.why or "whom it favours depends on the measurements"
            return f"{subject}: {verdict.text}; {why}."


def record(
    clause: str | None,
    field: str,
    old: str | None,
    new: str | None,
    verdict: Verdict,
    subject: str,
    policy: ast.Policy,
) -> Change:
    """A :class:`Change` with its summary sentence written from ``verdict``."""
    return Change(clause, field, old, new, verdict.favours, sentence(subject, verdict, policy))
