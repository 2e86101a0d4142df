"""Fee periods: which period each window's credit belongs to, the cap, and the annual cap.

Order of work (language.md, Precise readings: Cap): earned-back credits are
taken out; each period's credits, already rounded per window, are scaled by
``cap / total`` and rounded half up again when they exceed the cap, the
remainder going to the largest credit before the cap (ties: the earliest
window, then the earlier clause); then the annual cap is applied to the
periods in time order, in the same way.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from dsl import ast

from .credits import Terms, round_cents
from .report import PeriodReport
from .windows import MONTHS_PER, RANK, Span, from_micros, windows_between


@dataclass(frozen=True, slots=True)
class Claim:
    """A window's money: its credit before the cap (rounded), its bonus, and where it stands."""

    clause: int
    window: int
    span: Span
    period_rank: int
    credit: Decimal
    earned_back: bool
    bonus: Decimal

    @property
    def owed(self) -> bool:
        """Whether the window's credit is due: there is one and it was not earned back."""
        return self.credit > 0 and not self.earned_back


def attribution_instant(claim: Claim, fee_rank: int) -> int:
    """The instant whose fee period receives the claim: the window's last instant when the window
    is longer than the fee period (a Q1 window is credited in March), else its start."""
    return claim.span.end - 1 if claim.period_rank > fee_rank else claim.span.start


def scale(amounts: Sequence[tuple[tuple[int, int, int], Decimal]], limit: Decimal) -> list[Decimal]:
    """Scale ``amounts`` so that they total ``limit`` exactly.

    Each amount is multiplied by ``limit / total`` and rounded half up to the
    cent; the remainder, positive or negative, goes to the largest amount (ties:
    the smallest key, which is (window start, clause, window)). A negative
    remainder larger than that credit would make it negative, which no contract
    means: what it cannot absorb goes on to the next largest, in the same order
    (docs/semantics.md §11). Returns the new amounts in the given order.
    """
    total = sum((amount for _, amount in amounts), Decimal(0))
    scaled = [round_cents(amount * limit / total) for _, amount in amounts]
    remainder = limit - sum(scaled, Decimal(0))
    for i in sorted(range(len(amounts)), key=lambda i: (-amounts[i][1], amounts[i][0])):
        if not remainder:
            break
        taken = max(remainder, -scaled[i])
        scaled[i] += taken
        remainder -= taken
    return scaled


def settle(
    claims: Sequence[Claim],
    terms: Terms,
    fee: ast.Fee,
    annual_cap: ast.AnnualCap | None,
    zone: ZoneInfo,
    first: int,
    last: int,
) -> tuple[dict[tuple[int, int], Decimal], list[PeriodReport]]:
    """Attribute claims to fee periods and apply the cap and the annual cap.

    ``[first, last]`` is the evaluated range (both inclusive). Returns each
    credited claim's money after the caps, keyed by (clause, window), and every
    fee period that overlaps the range or receives a credit or bonus, in time order.
    """
    fee_window = ast.Window(fee.period)
    fee_rank = RANK[fee.period]
    periods: dict[Span, list[Claim]] = {span: [] for span in windows_between(fee_window, zone, first, last)}
    instants = [attribution_instant(claim, fee_rank) for claim in claims]
    # Every fee period any claim can fall in, found once; each claim then by bisection.
    candidates = windows_between(fee_window, zone, min(instants), max(instants)) if instants else []
    starts = [span.start for span in candidates]
    for claim, instant in zip(claims, instants, strict=True):
        span = candidates[bisect_right(starts, instant) - 1]
        if span in periods or claim.owed or claim.bonus > 0:
            periods.setdefault(span, []).append(claim)
    limit = _period_cap(terms)
    paid: dict[tuple[int, int], Decimal] = {}
    accounts: list[PeriodReport] = []
    for span in sorted(periods, key=lambda s: s.start):
        owed = [c for c in periods[span] if c.owed]
        before = sum((c.credit for c in owed), Decimal(0))
        amounts = [c.credit for c in owed]
        capped = limit is not None and before > limit
        if capped:
            assert limit is not None
            amounts = scale([(_key(c), c.credit) for c in owed], limit)
        for claim, amount in zip(owed, amounts, strict=True):
            paid[(claim.clause, claim.window)] = amount
        bonus = sum((c.bonus for c in periods[span]), Decimal(0))
        accounts.append(PeriodReport(span, before, sum(amounts, Decimal(0)), capped, bonus))
    if annual_cap is not None:
        accounts = _annual(accounts, periods, paid, terms, fee.period, annual_cap, zone)
    return paid, accounts


def _key(claim: Claim) -> tuple[int, int, int]:
    return (claim.span.start, claim.clause, claim.window)


def _period_cap(terms: Terms) -> Decimal | None:
    cap = terms.cap
    if cap is None or terms.fee is None:
        return None
    if isinstance(cap.amount, ast.Ratio):
        return round_cents(terms.fee * cap.amount.fraction)
    return cap.amount.amount


def _annual(
    accounts: list[PeriodReport],
    periods: dict[Span, list[Claim]],
    paid: dict[tuple[int, int], Decimal],
    terms: Terms,
    period: ast.Period,
    annual_cap: ast.AnnualCap,
    zone: ZoneInfo,
) -> list[PeriodReport]:
    """Limit the credits of any year of fee periods (12 monthly, 4 quarterly, 1 yearly), in time order.

    A period may receive at most the annual limit less what the periods of the
    year ending with it have already received; when it would receive more,
    its credits are scaled to what is left, with the remainder rule of :func:`scale`.
    """
    assert terms.fee is not None
    count = 12 // MONTHS_PER[period]  # fee periods in a year
    limit = round_cents(terms.fee * count * annual_cap.share.fraction)
    settled: list[tuple[int, Decimal]] = []
    result: list[PeriodReport] = []
    for account in accounts:
        local = from_micros(account.span.start, zone)
        number = (local.year * 12 + local.month - 1) // MONTHS_PER[period]
        before = sum((amount for n, amount in settled if number - count < n < number), Decimal(0))
        allowed = max(Decimal(0), limit - before)
        if account.credit > allowed:
            owed = [c for c in periods[account.span] if c.owed and paid[(c.clause, c.window)] > 0]
            amounts = scale([(_key(c), paid[(c.clause, c.window)]) for c in owed], allowed)
            for claim, amount in zip(owed, amounts, strict=True):
                paid[(claim.clause, claim.window)] = amount
            account = PeriodReport(account.span, account.credit_before_cap, allowed, True, account.bonus)
        settled.append((number, account.credit))
        result.append(account)
    return result
