"""``engine.diff.diff``: the semantic difference of two checked policies.

The diff works on the checked syntax trees, never on text, so reordering and
reformatting are no change. Header statements are compared one by one; clauses
are matched by id, then by unchanged content (a rename), then by similarity
(:mod:`engine.diff_match`), and each matched pair is compared term by term
(:mod:`engine.diff_clause`, :mod:`engine.diff_credit`). Every changed term is
one :class:`Change` that says whom it favours and why; docs/diff.md tabulates
the rules.
"""

from __future__ import annotations

from dsl import CheckedPolicy

from .diff_change import Change, ClausePair, PolicyDiff
from .diff_clause import added_or_removed, clause_changes
from .diff_favour import CLIENT, PROVIDER, UNCLEAR
from .diff_header import header_changes
from .diff_match import match_clauses, sides

__all__ = ["CLIENT", "PROVIDER", "UNCLEAR", "Change", "ClausePair", "PolicyDiff", "diff"]


def diff(old: CheckedPolicy, new: CheckedPolicy) -> PolicyDiff:
    """Compare two versions of a policy.

    Returns a :class:`PolicyDiff`: header changes first, then each clause of the
    old policy in order (changed or removed), then the clauses added. Two
    policies that mean the same have no changes. Raises nothing for valid policies.
    """
    changes: list[Change] = header_changes(old.policy, new.policy)
    old_sides, new_sides = sides(old), sides(new)
    matched = match_clauses(old_sides, new_sides)
    pairs: list[ClausePair] = []
    for i, side in enumerate(old_sides):
        j = matched.get(i)
        if j is None:
            changes.append(added_or_removed(side, added=False))
            pairs.append(ClausePair(side.id, None))
        else:
            changes += clause_changes(side, new_sides[j])
            pairs.append(ClausePair(side.id, new_sides[j].id))
    taken = set(matched.values())
    for j, side in enumerate(new_sides):
        if j not in taken:
            changes.append(added_or_removed(side, added=True))
            pairs.append(ClausePair(None, side.id))
    return PolicyDiff(tuple(changes), tuple(pairs))
