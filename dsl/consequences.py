"""The rules of a clause's options: who may carry consequences, and how each is written.

A ``kpi`` carries no consequence (E320). An ``sla`` has at most one option of
each kind, tiers excepted (E330); tiers, ``max`` and earn-back refine a credit
and need one (E325); money needs a fee in the same currency (E323, E324); a pool
credit needs a cap (E321). Counts must be able to happen: ``chronic N of M``
with 0 < N <= M (E360), ``earn back after N met`` with N > 0 (E361),
``min N samples`` with N > 0 (E362). A linear credit accrues on the side on
which the target can be missed, by a step above zero (E340, E341).
"""

from __future__ import annotations

from . import ast
from .findings import Findings, option_error
from .formatter import format_amount, format_option, format_quantity
from .kinds import magnitude

_CATEGORIES: dict[type, str] = {
    ast.MinSamples: "minimum number of samples",
    ast.FixedCredit: "credit",
    ast.LinearCredit: "credit",
    ast.PoolCredit: "credit",
    ast.MaxCredit: "maximum",
    ast.EarnBack: "earn-back",
    ast.Chronic: "chronic failure rule",
    ast.Bonus: "bonus",
    ast.UseCalendar: "calendar",
    ast.Owner: "owner",
}
_DUPLICATE_HINTS = {
    "credit": "keep one credit; a higher credit for a worse value is a tier, e.g. `credit 5%, 10% if < 99%`",
}


def check_consequences(clause: ast.Clause, policy: ast.Policy, findings: Findings) -> None:
    """Report every rule of language.md on the options of ``clause``.

    A consequence on a ``kpi`` is reported once (E320) and not judged further.
    """
    _check_duplicates(clause, findings)
    if clause.kind is ast.ClauseKind.KPI:
        for option in clause.options:
            if isinstance(option, ast.CONSEQUENCES):
                option_error(
                    findings,
                    option,
                    "E320",
                    f"a kpi carries no consequence, but this one has `{format_option(option)}`",
                    "write `sla` instead of `kpi` to give the clause consequences, or remove the option",
                )
        _check_counts(clause, findings)
        return
    _check_needs_credit(clause, findings)
    _check_counts(clause, findings)
    for option in clause.options:
        if isinstance(option, ast.PoolCredit) and policy.cap is None:
            option_error(
                findings,
                option,
                "E321",
                "a pool credit is a share of the amount at risk, but the policy has no `cap`",
                "add a header statement such as `cap 12%` (or `at risk 12%`)",
            )
        elif isinstance(option, ast.LinearCredit):
            _check_linear(clause, option, findings)
        for amount in _amounts(option):
            check_money(amount, policy, findings)


def _amounts(option: ast.Option) -> tuple[ast.Amount, ...]:
    match option:
        case (
            ast.FixedCredit(amount=amount)
            | ast.Tier(amount=amount)
            | ast.MaxCredit(amount=amount)
            | ast.Bonus(amount=amount)
        ):
            return (amount,)
        case _:
            return ()


def check_money(amount: ast.Amount, policy: ast.Policy, findings: Findings) -> None:
    """An amount of money needs a fee (to state it as a share of the fee) in the same currency."""
    if not isinstance(amount, ast.Money):
        return
    if policy.fee is None:
        findings.error(
            "E323",
            f"the amount {format_amount(amount)} needs a `fee`: credits are also reported as a share of it",
            amount.span,
            f"add a header statement such as `fee 100000 {amount.currency} monthly`, or write a percentage",
        )
    elif policy.fee.amount.currency != amount.currency:
        fee_currency = policy.fee.amount.currency
        findings.error(
            "E324",
            f"the amount {format_amount(amount)} is not in the fee's currency, {fee_currency}",
            amount.span,
            f"write the amount in {fee_currency}; a policy does not convert currencies",
        )


def _check_duplicates(clause: ast.Clause, findings: Findings) -> None:
    seen: dict[str, ast.Option] = {}
    kpi = clause.kind is ast.ClauseKind.KPI
    for option in clause.options:
        category = _CATEGORIES.get(type(option))
        if category is None or (kpi and isinstance(option, ast.CONSEQUENCES)):
            continue
        if category in seen:
            first = format_option(seen[category])
            option_error(
                findings,
                option,
                "E330",
                f"the clause has a second {category}: `{format_option(option)}` after `{first}`",
                _DUPLICATE_HINTS.get(category, f"keep one {category}"),
            )
        else:
            seen[category] = option


def _check_needs_credit(clause: ast.Clause, findings: Findings) -> None:
    credit = clause.credit
    for option in clause.options:
        if isinstance(option, ast.Tier | ast.MaxCredit | ast.EarnBack) and credit is None:
            what = {ast.Tier: "a tier", ast.MaxCredit: "a maximum", ast.EarnBack: "earn-back"}[type(option)]
            option_error(
                findings,
                option,
                "E325",
                f"{what} (`{format_option(option)}`) refines a credit, but the clause has none",
                "add a base credit before it, e.g. `credit 5%`",
            )
        elif isinstance(option, ast.Tier) and isinstance(credit, ast.PoolCredit):
            option_error(
                findings,
                option,
                "E326",
                f"a tier (`{format_option(option)}`) cannot follow a pool credit: "
                "it is unclear whether its percentage is of the pool or of the fee",
                "give the clause a fixed credit (`credit 5%`) with tiers, or a pool credit alone",
            )


def _check_counts(clause: ast.Clause, findings: Findings) -> None:
    kpi = clause.kind is ast.ClauseKind.KPI
    for option in clause.options:
        if kpi and isinstance(option, ast.CONSEQUENCES):
            continue
        if isinstance(option, ast.Chronic):
            n, m = option.breaches, option.of_windows
            if n <= 0 or m <= 0 or n > m:
                reason = (
                    f"{n} breaches cannot happen within {m} windows"
                    if n > m > 0
                    else "both numbers must be at least 1"
                )
                option_error(
                    findings,
                    option,
                    "E360",
                    f"`chronic {n} of {m}` can never be reported the way it reads: {reason}",
                    "write `chronic N of M` with 1 <= N <= M, e.g. `chronic 3 of 6`",
                )
        elif isinstance(option, ast.EarnBack) and option.after_met <= 0:
            option_error(
                findings,
                option,
                "E361",
                f"`earn back after {option.after_met} met` would earn back every credit at once",
                "earn-back needs at least one met window, e.g. `earn back after 2 met`",
            )
        elif isinstance(option, ast.MinSamples) and option.count <= 0:
            option_error(
                findings,
                option,
                "E362",
                f"`min {option.count} samples` asks for no sample at all",
                "remove the option, or ask for at least 1 sample",
            )


def miss_direction(condition: ast.Condition) -> ast.Direction:
    """The side of the target on which a window misses it (the share form misses under)."""
    if isinstance(condition, ast.ShareCondition):
        return ast.Direction.UNDER
    return ast.Direction.OVER if condition.op.is_upper else ast.Direction.UNDER


def _check_linear(clause: ast.Clause, option: ast.LinearCredit, findings: Findings) -> None:
    condition = clause.condition
    misses = miss_direction(condition)
    if option.direction is not misses:
        target = (
            f"at least {format_quantity(condition.share)} within the target"
            if isinstance(condition, ast.ShareCondition)
            else f"`{condition.op.value} {format_quantity(condition.threshold)}`"
        )
        option_error(
            findings,
            option,
            "E340",
            f"the target is {target}, so a window misses it by being {misses.value} it; "
            f"a credit per step {option.direction.value} can never apply",
            f"write `credit {format_quantity(option.rate)} per "
            f"{format_quantity(option.step)} {misses.value}`",
        )
    if magnitude(option.step) <= 0:
        option_error(
            findings,
            option,
            "E341",
            f"the linear credit's step is {format_quantity(option.step)}; a step must be more than zero",
            "e.g. `credit 1% per 10 over`",
        )
