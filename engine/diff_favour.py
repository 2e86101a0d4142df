"""Whom a change favours: the orderings that the diff rules compare terms by.

A term favours the client when it makes breaches likelier or credits larger,
and the provider when it does the opposite. Every comparison here answers
"does the new term give more of something than the old one?" with a sign:
``+1`` more, ``-1`` less, ``0`` the same, ``None`` when the answer depends on
the measurements (or on figures the policy does not give, such as a fee).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from dsl import ast

CLIENT = "client"
PROVIDER = "provider"
UNCLEAR = "unclear"

Sign = int | None


def favour(sign: Sign, more: str) -> str:
    """Whom a change favours, given the ``sign`` of "more" and whom ``more`` favours."""
    if sign is None or sign == 0:
        return UNCLEAR
    return more if sign > 0 else (PROVIDER if more == CLIENT else CLIENT)


def order(old: Decimal | None, new: Decimal | None) -> Sign:
    """``+1`` when ``new > old``, ``-1`` when less, ``0`` when equal, ``None`` when either is unknown."""
    if old is None or new is None:
        return None
    return (new > old) - (new < old)


def agree(*signs: Sign) -> Sign:
    """One sign for several components that all change: they must not pull apart."""
    known = [s for s in signs if s != 0]
    if any(s is None for s in known):
        return None
    if not known:
        return 0
    return known[0] if all(s == known[0] for s in known) else None


def magnitude(quantity: ast.Quantity) -> tuple[str, Decimal]:
    """A quantity as (kind, number): two quantities compare only when their kinds match.

    Business hours and business days do not compare with each other or with
    elapsed time: the length of a business day depends on the calendar.
    """
    match quantity:
        case ast.Duration(seconds=seconds):
            return "duration", seconds
        case ast.BusinessDuration(amount=amount, unit=unit):
            return f"business {unit.value}", amount
        case ast.Ratio(fraction=fraction):
            return "ratio", fraction
        case ast.Number(value=value):
            return "number", value


def widening(old_op: ast.Op, old: ast.Quantity, new_op: ast.Op, new: ast.Quantity) -> Sign:
    """Whether the test ``new_op new`` lets more values pass than ``old_op old``.

    ``+1`` when its passing values are a strict superset, ``-1`` a strict subset,
    ``0`` the same set; ``None`` when neither contains the other (a bound that
    turned from upper to lower, or quantities of different kinds).
    """
    (old_kind, old_value), (new_kind, new_value) = magnitude(old), magnitude(new)
    if old_kind != new_kind or old_op.is_upper != new_op.is_upper:
        return None
    upper = old_op.is_upper
    if new_value != old_value:
        return 1 if (new_value > old_value) == upper else -1
    if old_op == new_op:
        return 0
    # Same bound: the inclusive comparator (<=, >=) passes one more value.
    return 1 if new_op in (ast.Op.LE, ast.Op.GE) else -1


def fee_share(amount: ast.Amount, policy: ast.Policy) -> Decimal | None:
    """An amount as a fraction of one fee period's fee; None when it cannot be known.

    A percentage is its own fraction; a money amount needs a fee in the same currency.
    """
    if isinstance(amount, ast.Ratio):
        return amount.fraction
    fee = policy.fee
    if fee is None or fee.amount.currency != amount.currency or fee.amount.amount == 0:
        return None
    return amount.amount / fee.amount.amount


def credit_share(credit: ast.FixedCredit | ast.PoolCredit, policy: ast.Policy) -> Decimal | None:
    """A fixed or pool credit as a fraction of the fee (a pool credit is its share of the cap)."""
    if isinstance(credit, ast.FixedCredit):
        return fee_share(credit.amount, policy)
    if policy.cap is None:
        return None
    cap = fee_share(policy.cap.amount, policy)
    return None if cap is None else credit.share.fraction * cap


Conditional = tuple[Decimal | None, ast.Op, Decimal]
"""A tier or bonus: (its amount as a share of the fee, None if unknown; comparator; threshold)."""


def sample_points(breaks: Iterable[Decimal]) -> list[Decimal]:
    """One value in every piece of a step function whose steps are at ``breaks``.

    The breakpoints themselves, the midpoints between them, and one value
    beyond each end: a function of half-line tests is constant in between.
    """
    ordered = sorted(set(breaks))
    if not ordered:
        return [Decimal(0)]
    points = [ordered[0] - 1, *ordered, ordered[-1] + 1]
    points += [(a + b) / 2 for a, b in itertools.pairwise(ordered)]
    return points


def _largest_holding(terms: Sequence[Conditional], value: Decimal) -> tuple[bool, Decimal | None]:
    """Whether any term holds at ``value``, and the largest amount of those that do."""
    holding = [share for share, op, threshold in terms if op.holds(value, threshold)]
    if not holding:
        return False, None
    known = [share for share in holding if share is not None]
    return True, max(known) if len(known) == len(holding) else None


def compare_conditionals(
    old: Sequence[Conditional],
    new: Sequence[Conditional],
    base: Decimal | None,
    points: Iterable[Decimal],
    where: Callable[[Decimal], bool],
) -> Sign:
    """Whether ``new`` pays more than ``old`` at every point where ``where`` holds.

    Each version pays its largest holding term, else ``base``.

    Points where neither version has a holding term pay the same base and are
    skipped, so an unknown base (a linear credit) matters only where one
    version's tier replaces it.
    """
    signs: list[Sign] = []
    for value in points:
        if not where(value):
            continue
        (old_holds, old_share), (new_holds, new_share) = (
            _largest_holding(old, value),
            _largest_holding(new, value),
        )
        if old_holds or new_holds:
            signs.append(order(old_share if old_holds else base, new_share if new_holds else base))
    return agree(*signs)
