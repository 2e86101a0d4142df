"""The example from language.md parses into the clauses it states."""

from __future__ import annotations

from decimal import Decimal

import dsl
from dsl import ast

EXAMPLE = """\
policy "Acme Service Desk"
fee 120000 EUR monthly
sla "P1 resolution": resolution_time p95 < 4h monthly where priority = "P1", credit 5% per breach
"""


def test_language_md_first_clause_parses_to_typed_nodes() -> None:
    policy = dsl.parse(EXAMPLE)
    (clause,) = policy.clauses
    assert clause.condition == ast.AggregateCondition(
        "resolution_time", ast.Aggregation("percentile", Decimal(95)), ast.Op.LT, ast.Duration(Decimal(14400))
    )
    assert clause.options == (ast.FixedCredit(ast.Ratio(Decimal("0.05"))),)
    assert policy.fee == ast.Fee(ast.Money(Decimal(120000), "EUR"), ast.Period.MONTH)
