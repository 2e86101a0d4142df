"""``dsl.check``: the rules of the language that the grammar cannot express.

``check`` walks the whole policy, collects every diagnostic and only then
raises, so an author fixes a file in one round.
"""

from __future__ import annotations

from . import ast
from .checked import CheckedPolicy
from .errors import Diagnostic, PolicyCheckError
from .ids import clause_id


def check(policy: ast.Policy, *, source: str | None = None, filename: str | None = None) -> CheckedPolicy:
    """Check ``policy`` against every rule of language.md.

    Returns the :class:`CheckedPolicy` (clause ids, metric kinds, warnings).
    Raises :class:`PolicyCheckError` with every error found, in text order.
    ``source`` gives diagnostics their snippet; ``filename`` their file name.
    """
    lines = source.splitlines() if source is not None else []
    errors: list[Diagnostic] = []

    def error(code: str, message: str, span: ast.Span | None, hint: str | None = None) -> None:
        line = span.line if span else None
        errors.append(
            Diagnostic(
                code=code,
                message=message,
                line=line,
                column=span.column if span else None,
                snippet=lines[line - 1] if line and line <= len(lines) else None,
                hint=hint,
                filename=filename,
            )
        )

    kinds: dict[str, ast.MetricKind] = {m.name: m.kind for m in policy.metrics}
    for clause in policy.clauses:
        kinds.setdefault(clause.metric, _kind_of_use(clause))
    ids: list[str] = []
    seen: dict[str, ast.Clause] = {}
    for clause in policy.clauses:
        cid = clause_id(clause)
        if cid in seen:
            error("E310", f"two clauses have the id `{cid}`", clause.span, "give one of them another name")
        seen[cid] = clause
        ids.append(cid)
    if errors:
        raise PolicyCheckError(errors)
    return CheckedPolicy(policy=policy, clause_ids=tuple(ids), metric_kinds=kinds)


def _kind_of_use(clause: ast.Clause) -> ast.MetricKind:
    condition = clause.condition
    if isinstance(condition, ast.AggregateCondition) and condition.aggregation.name == "count":
        return ast.MetricKind.NUMBER
    match condition.threshold:
        case ast.Duration() | ast.BusinessDuration():
            return ast.MetricKind.DURATION
        case ast.Ratio():
            return ast.MetricKind.RATIO
        case _:
            return ast.MetricKind.NUMBER
