"""Rules the parser enforces on text, checked again for trees built in code.

``dsl.check`` accepts any :class:`~dsl.ast.Policy`, also one built by a program
rather than parsed, so that a tree the parser could never produce cannot slip
through to the engine. Each rule keeps the parser's code (and, where
:mod:`dsl.tokens` states the rule, the parser's test and words): a number that is not
finite (E106), a signed number (E104), a percentage above 100% (E111), a
percentile outside (0, 100) (E110), a window anchor that not every period has
(E120-E122), a fee charged daily or weekly (E150). For parsed text these never
fire.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import ast
from .findings import Findings
from .formatter import format_amount, format_decimal
from .kinds import magnitude
from .tokens import FEE_PERIODS, PERCENT_HINT, anchor_day_fault, percentile_fault


def check_structure(policy: ast.Policy, findings: Findings) -> bool:
    """Report what the grammar rules out but a built tree may hold.

    Returns False when a number is not finite: no other rule can judge it.
    """
    finite = True
    for node in _amounts(policy):
        finite = _check_amount(node, findings) and finite
    if policy.fee is not None and policy.fee.period not in FEE_PERIODS:
        findings.error(
            "E150",
            f"a fee is charged monthly, quarterly or yearly, not {policy.fee.period.adverb}",
            policy.fee.span,
            "e.g. `fee 100000 EUR monthly`",
        )
    for clause in policy.clauses:
        condition = clause.condition
        if isinstance(condition, ast.AggregateCondition) and condition.aggregation.name == "percentile":
            aggregation = condition.aggregation
            problem = percentile_fault(aggregation.label, aggregation.percentile)
            if problem is not None:
                findings.error("E110", problem[0], aggregation.span or condition.span, problem[1])
        _check_window(clause.window, findings)
    return finite


def _check_window(window: ast.Window, findings: Findings) -> None:
    day, month = window.anchor_day, window.anchor_month
    if day is None and month is None:
        return
    if window.period in (ast.Period.DAY, ast.Period.WEEK):
        findings.error(
            "E120",
            f"a {window.period.adverb} window cannot start from a day of the month",
            window.span,
            "remove `from day ...`",
        )
    elif day is not None and (problem := anchor_day_fault(day)) is not None:
        findings.error("E121", problem[0], window.span, problem[1])
    elif month is not None and (window.period is ast.Period.MONTH or not 1 <= month <= 12):
        findings.error(
            "E122",
            "a monthly window starts from a day, not a month"
            if window.period is ast.Period.MONTH
            else f"{month} is not a month",
            window.span,
            "write `from day N` for months, `from day N of February` for quarters and years",
        )


def _check_amount(node: ast.Quantity | ast.Money, findings: Findings) -> bool:
    """Whether the amount is a finite number (reported when not, or when signed or above 100%)."""
    value = node.amount if isinstance(node, ast.Money) else magnitude(node)
    if not value.is_finite():
        findings.error("E106", f"`{value}` is not a number", node.span, "write a number such as 12 or 12.5")
        return False
    if value < 0:
        findings.error(
            "E104",
            f"{format_decimal(value)} is not a number without a sign",
            node.span,
            "a number never has a sign: write the comparison the other way round",
        )
    elif isinstance(node, ast.Ratio) and node.fraction > 1:
        findings.error(
            "E111",
            f"{format_amount(node)} is more than 100%",
            node.span,
            PERCENT_HINT,
        )
    return True


def _amounts(policy: ast.Policy) -> Iterator[ast.Quantity | ast.Money]:
    if policy.fee is not None:
        yield policy.fee.amount
    if policy.cap is not None:
        yield policy.cap.amount
    if policy.annual_cap is not None:
        yield policy.annual_cap.share
    for clause in policy.clauses:
        condition = clause.condition
        yield condition.threshold
        if isinstance(condition, ast.ShareCondition):
            yield condition.share
        for option in clause.options:
            match option:
                case ast.FixedCredit(amount=amount) | ast.MaxCredit(amount=amount):
                    yield amount
                case (
                    ast.Tier(amount=amount, threshold=threshold)
                    | ast.Bonus(amount=amount, threshold=threshold)
                ):
                    yield amount
                    yield threshold
                case ast.LinearCredit(rate=rate, step=step):
                    yield rate
                    yield step
                case ast.PoolCredit(share=share):
                    yield share
