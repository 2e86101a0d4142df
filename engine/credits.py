"""What a breached window is worth: base, tiered, linear and pool credits, ``max``, bonuses.

Money is computed in decimal arithmetic from the figures as written in the
policy and rounded to the cent, half up, once per window (language.md,
Credits). ``credit_percent`` is the contractual figure before any cap.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dsl import ast

from .compare import holds, whole_steps
from .compiler import CompiledClause, CompiledPolicy
from .explain import CENT, figure, money, test_text

HUNDRED = Decimal(100)


def round_cents(amount: Decimal) -> Decimal:
    """Round to 2 decimals, half up (0.015 is 0.02)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Award:
    """A credit or bonus of one window: the contractual percentage, money before any cap,
    and the arithmetic in words. ``percent`` is None only for money without a fee."""

    percent: Decimal | None
    money: Decimal | None
    arithmetic: str


NOTHING = Award(Decimal(0), None, "")


@dataclass(frozen=True, slots=True)
class Terms:
    """The money terms of a policy: the fee of one fee period and the amount at risk."""

    fee: Decimal | None
    currency: str | None
    cap: ast.Cap | None

    @classmethod
    def of(cls, compiled: CompiledPolicy) -> Terms:
        fee = compiled.fee.amount.amount if compiled.fee else None
        return cls(fee, compiled.currency, compiled.cap)

    def percent(self, amount: ast.Amount) -> Decimal | None:
        """An amount as a percentage of the fee."""
        if isinstance(amount, ast.Ratio):
            return amount.fraction * HUNDRED
        return amount.amount / self.fee * HUNDRED if self.fee else None

    def money(self, amount: ast.Amount) -> Decimal | None:
        """An amount as money (unrounded); None without a fee."""
        if self.fee is None:
            return None
        if isinstance(amount, ast.Ratio):
            return self.fee * amount.fraction
        return amount.amount

    def describe(self, amount: ast.Amount) -> str:
        if isinstance(amount, ast.Ratio):
            return ast.format_decimal(amount.fraction * HUNDRED) + "%"
        return f"{ast.format_decimal(amount.amount)} {amount.currency}"

    def size(self, amount: ast.Amount) -> Decimal:
        """A key to compare amounts by: money when there is a fee, else percent."""
        value = self.money(amount) if self.fee is not None else self.percent(amount)
        return value if value is not None else Decimal(0)


def credit(clause: CompiledClause, value: float, terms: Terms) -> Award:
    """The credit of a breached window of ``clause`` whose figure is ``value``."""
    rules = clause.consequences
    base = rules.credit
    if base is None and not rules.tiers:
        return NOTHING
    amount: ast.Amount | None = None
    words: list[str] = []
    match base:
        case ast.FixedCredit(amount=fixed):
            amount = fixed
            words.append(f"credit {terms.describe(fixed)}")
        case ast.LinearCredit(rate=rate, direction=direction):
            assert rules.step is not None and rules.step_exact is not None
            target = clause.target.value
            distance = value - target if direction is ast.Direction.OVER else target - value
            steps = whole_steps(distance, rules.step)
            amount = ast.Ratio(rate.fraction * steps)
            step_text = figure(float(rules.step_exact), clause.unit)
            words.append(
                f"{figure(abs(distance), clause.unit)} {direction.value} the target is {steps} "
                f"started step{'s' if steps != 1 else ''} of {step_text}: "
                f"{terms.describe(rate)} x {steps} = {terms.describe(amount)}"
            )
        case ast.PoolCredit(share=share):
            amount, pool_words = _pool(share, terms)
            words.append(pool_words)
    holding = [t for t in rules.tiers if holds(t.test.op, value, t.test.value)]
    if holding:
        tier = max(holding, key=lambda t: terms.size(t.amount))
        amount = tier.amount
        words.append(f"tier {terms.describe(tier.amount)} applies ({test_text(tier.test)})")
    if amount is None:
        return NOTHING
    comparable = rules.maximum is not None and terms.percent(rules.maximum) is not None
    if comparable and rules.maximum is not None and terms.size(amount) > terms.size(rules.maximum):
        amount = rules.maximum
        words.append(f"limited to the maximum {terms.describe(rules.maximum)} per window")
    percent = terms.percent(amount)
    cash = terms.money(amount)
    if cash is not None:
        cash = round_cents(cash)
        assert terms.fee is not None
        words.append(
            f"{terms.describe(amount)} of the fee {money(terms.fee, terms.currency)} = "
            f"{money(cash, terms.currency)}"
        )
    return Award(percent, cash, "; ".join(words))


def _pool(share: ast.Ratio, terms: Terms) -> tuple[ast.Amount, str]:
    cap = terms.cap
    assert cap is not None  # the checker requires a cap for a pool credit
    if isinstance(cap.amount, ast.Ratio):
        amount: ast.Amount = ast.Ratio(share.fraction * cap.amount.fraction)
    else:
        amount = ast.Money(share.fraction * cap.amount.amount, cap.amount.currency)
    words = (
        f"credit {terms.describe(share)} of the pool {terms.describe(cap.amount)} = {terms.describe(amount)}"
    )
    return amount, words


def bonus(clause: CompiledClause, value: float, terms: Terms) -> Award:
    """The bonus of a met window whose figure is ``value``, or nothing."""
    rules = clause.consequences
    if rules.bonus is None or rules.bonus_test is None:
        return NOTHING
    if not holds(rules.bonus_test.op, value, rules.bonus_test.value):
        return NOTHING
    cash = terms.money(rules.bonus)
    words = f"bonus {terms.describe(rules.bonus)} ({test_text(rules.bonus_test)})"
    if cash is not None:
        cash = round_cents(cash)
        words += f" = {money(cash, terms.currency)}"
    return Award(terms.percent(rules.bonus), cash, words)
