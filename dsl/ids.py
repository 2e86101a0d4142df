"""Clause ids: the slug of a clause's name, or one made from its condition and filter."""

from __future__ import annotations

import re
import unicodedata

from . import ast

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """``"P1 resolution"`` -> ``p1-resolution``: lower case, accents dropped (``Disponibilité`` ->
    ``disponibilite``), runs of other characters as one ``-``; empty when no letter a-z or digit remains."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_SLUG.sub("-", plain).strip("-")


def clause_id(clause: ast.Clause) -> str:
    """The clause's id (language.md, Precise readings: Ids).

    A named clause's id is the slug of its name. An unnamed one's, or one whose
    name leaves an empty slug, is ``METRIC-AGG`` (``METRIC-share-P`` for the
    share form) followed by ``-DIM-VALUE``, ``-DIM-not-VALUE``, ``-DIM-in-V1-V2``
    or ``-DIM-not-in-V1-V2`` for each filter test in order. Values keep their case.
    """
    named = slug(clause.name) if clause.name is not None else ""
    if named:
        return named
    # A name with no letter a-z or digit ("可用性") has an empty slug, which can be no id.
    condition = clause.condition
    if isinstance(condition, ast.ShareCondition):
        parts = [condition.metric, "share", ast.format_decimal(condition.share.percent)]
    else:
        parts = [condition.metric, condition.aggregation.label]
    for test in clause.filter:
        prefix = {
            ast.FilterOp.EQ: [],
            ast.FilterOp.NE: ["not"],
            ast.FilterOp.IN: ["in"],
            ast.FilterOp.NOT_IN: ["not", "in"],
        }[test.op]
        parts += [test.dimension, *prefix, *test.values]
    return "-".join(parts)
