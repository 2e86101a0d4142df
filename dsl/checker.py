"""``dsl.check``: the rules of the language that the grammar cannot express.

``check`` walks the whole policy, collects every diagnostic and only then
raises, so an author fixes a file in one round. The rules live in modules by
concern: :mod:`dsl.structure` (parser rules, again, for trees built in code),
:mod:`dsl.kinds` (type agreement, E30x), :mod:`dsl.consequences` (options,
E32x-E36x), :mod:`dsl.headers` (caps, time zone, calendars, E322, E4xx),
:mod:`dsl.tiers` (bonus E350, tiers W50x) and :mod:`dsl.lint` (warnings across
clauses, W51x-W54x). docs/checks.md lists every code.
"""

from __future__ import annotations

import decimal

from . import ast
from .checked import CheckedPolicy
from .consequences import check_consequences
from .errors import PolicyCheckError
from .findings import Findings
from .headers import check_calendar_use, check_headers
from .ids import clause_id
from .kinds import check_option_kinds, metric_kinds, value_kind
from .lint import lint
from .structure import check_structure
from .tiers import check_bonus, check_maximum, check_tiers


def check(policy: ast.Policy, *, source: str | None = None, filename: str | None = None) -> CheckedPolicy:
    """Check ``policy`` against every rule of language.md.

    Returns the :class:`CheckedPolicy` (clause ids, metric kinds, and the
    warnings when there is no error). Raises :class:`PolicyCheckError` with
    every error found, in text order. ``source`` gives diagnostics their
    snippet; ``filename`` their file name.
    """
    # A policy may write a number of any length; comparing it must neither overflow nor trap.
    with decimal.localcontext() as context:
        context.Emax, context.Emin = decimal.MAX_EMAX, decimal.MIN_EMIN
        context.prec = 60
        return _check(policy, source, filename)


def _check(policy: ast.Policy, source: str | None, filename: str | None) -> CheckedPolicy:
    findings = Findings(source, filename)
    if not check_structure(policy, findings):
        raise PolicyCheckError(findings.errors)
    check_headers(policy, findings)
    kinds = metric_kinds(policy, findings)
    ids = _clause_ids(policy, findings)
    for clause in policy.clauses:
        kind = value_kind(clause, kinds)
        if kind is not None and check_option_kinds(clause, kind, findings):
            check_bonus(clause, kind, findings)
            check_tiers(clause, kind, policy, findings)
        check_consequences(clause, policy, findings)
        check_maximum(clause, policy, findings)
        check_calendar_use(clause, policy, findings)
    if findings.errors:
        raise PolicyCheckError(findings.errors)
    lint(policy, findings)
    return CheckedPolicy(
        policy=policy, clause_ids=ids, metric_kinds=kinds, warnings=findings.sorted_warnings()
    )


def _clause_ids(policy: ast.Policy, findings: Findings) -> tuple[str, ...]:
    ids: list[str] = []
    seen: dict[str, ast.Clause] = {}
    for clause in policy.clauses:
        cid = clause_id(clause)
        if cid in seen:
            first = seen[cid].span
            where = f" (first on line {first.line})" if first else ""
            findings.error(
                "E310",
                f"two clauses have the id `{cid}`{where}",
                clause.span,
                "give one of them another name",
            )
        else:
            seen[cid] = clause
        ids.append(cid)
    return tuple(ids)
