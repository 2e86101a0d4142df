"""Matching the clauses of two policy versions, after sqlglot's ``diff.py``.

Three passes, each over the clauses the previous ones left unmatched:

1. identity: clauses with the same id;
2. rename: clauses whose terms are all equal but the name (a rename, not a
   removal and an addition);
3. similarity: the remaining pairs that differ in a single term, or whose
   canonical texts (``dsl.format_clause``) have a bigram Dice coefficient of at
   least :data:`SIMILARITY`, best pairs first. Whatever is still unmatched was
   removed or added.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from dsl import CheckedPolicy, format_clause

from .diff_clause import clause_changes, terms
from .diff_credit import Side

SIMILARITY = 0.6
"""sqlglot's default threshold for matching leaves whose text changed."""
MAX_PAIRS_COMPARED = 10_000
"""Above this many candidate pairs, only clauses on the same metric are weighed, on text alone."""
MAX_PAIRS_PER_METRIC = 100_000
"""Above this many pairs on one metric, its unmatched clauses are reported removed and added."""
MAX_PAIRS_WEIGHED = 400_000
"""The most pairs weighed in all (about 15 microseconds each), then the rest are removed and added."""


def _bigrams(text: str) -> Counter[str]:
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def dice(a: str, b: str) -> float:
    """The Dice coefficient of the character bigrams of two texts: 1.0 identical, 0.0 nothing shared."""
    return 1.0 if a == b else _dice(_bigrams(a), _bigrams(b))


def _dice(left: Counter[str], right: Counter[str]) -> float:
    total = left.total() + right.total()
    shared = sum(min(count, right.get(gram, 0)) for gram, count in left.items())
    return 2 * shared / total if total else 0.0


def _without_name(side: Side) -> tuple[object, ...]:
    return tuple(value for field, value in terms(side.clause).items() if field != "name")


def sides(checked: CheckedPolicy) -> list[Side]:
    """Each clause of a checked policy with its id and policy."""
    return [
        Side(c, i, checked.policy) for c, i in zip(checked.policy.clauses, checked.clause_ids, strict=True)
    ]


def match_clauses(old: list[Side], new: list[Side]) -> dict[int, int]:
    """Indexes of old clauses mapped to the indexes of their new versions."""
    new_by_id = {side.id: j for j, side in enumerate(new)}
    matched = {i: new_by_id[side.id] for i, side in enumerate(old) if side.id in new_by_id}
    taken = set(matched.values())

    by_content: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for j, side in enumerate(new):
        if j not in taken:
            by_content[_without_name(side)].append(j)
    for i, side in enumerate(old):
        if i not in matched and (candidates := by_content.get(_without_name(side))):
            matched[i] = candidates.pop(0)
            taken.add(matched[i])

    rest_old = [i for i in range(len(old)) if i not in matched]
    rest_new = [j for j in range(len(new)) if j not in taken]
    for _, _, i, j in sorted(_similar_pairs(old, new, rest_old, rest_new)):
        if i not in matched and j not in taken:
            matched[i] = j
            taken.add(j)
    return matched


def _similar_pairs(
    old: list[Side], new: list[Side], rest_old: list[int], rest_new: list[int]
) -> list[tuple[int, float, int, int]]:
    """Candidate pairs as (terms differing, -similarity, old index, new index).

    Every pair is weighed when there are few; beyond :data:`MAX_PAIRS_COMPARED`
    only clauses on the same metric, by text alone, and a metric with more than
    :data:`MAX_PAIRS_PER_METRIC` pairs is left to removal and addition: a diff
    of thousands of rewritten clauses must still finish in seconds.
    """
    everything = len(rest_old) * len(rest_new) <= MAX_PAIRS_COMPARED
    groups: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i in rest_old:
        groups["" if everything else old[i].clause.metric][0].append(i)
    for j in rest_new:
        groups["" if everything else new[j].clause.metric][1].append(j)
    grams_old = {i: _bigrams(format_clause(old[i].clause)) for i in rest_old}
    grams_new = {j: _bigrams(format_clause(new[j].clause)) for j in rest_new}
    pairs: list[tuple[int, float, int, int]] = []
    budget = MAX_PAIRS_WEIGHED
    for olds, news in groups.values():
        size = len(olds) * len(news)
        if size > min(MAX_PAIRS_PER_METRIC, budget):
            continue
        budget -= size
        for i in olds:
            for j in news:
                similarity = _dice(grams_old[i], grams_new[j])
                differing = len(clause_changes(old[i], new[j])) if everything else 2
                if differing <= 1 or similarity >= SIMILARITY:
                    pairs.append((differing, -similarity, i, j))
    return pairs
