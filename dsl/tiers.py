"""Tiers and the bonus, against the target they refine.

A window's value is *breached* on one side of the target (the miss side) and
*met* on the other. A tier only ever matters on a breached window and the
largest tier that holds replaces the base credit, also a smaller one
(language.md, Precise readings). A bonus is paid only on a met window. The
checker samples the value line at every threshold, between thresholds and
beyond them, within the values the window can take (a percentage lies in
[0%, 100%], a duration or count is never negative), and reports:

- E350 a bonus whose comparator rewards a worse value than the target;
- W501 a tier that can never apply (it holds only on met windows, never
  holds, or a larger tier holds wherever it does);
- W502 a tier that also holds while the target is met;
- W503 a tier whose credit is smaller than the base credit;
- W504 tiers that leave a gap: a larger miss gets less than a smaller one;
- W505 a bonus paid on every met window; W506 a bonus that can never be paid;
- W507 a base credit or tier above the clause's ``max``, which cuts it on every
  window it applies to;
- W508 a tier that holds on every breach, so that the base credit never applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from . import ast
from .findings import Findings, option_error, option_warning
from .formatter import format_amount, format_option, format_quantity
from .kinds import ValueKind, is_count, magnitude


@dataclass(frozen=True, slots=True)
class Target:
    """The clause's target as a bound on the window's value, and the values the window can take."""

    op: ast.Op
    value: Decimal
    like: ast.Quantity
    low: Decimal | None
    high: Decimal | None

    def met(self, value: Decimal) -> bool:
        return self.op.holds(value, self.value)

    def badness(self, value: Decimal) -> Decimal:
        """Larger for a value that misses the target by more."""
        return value if self.op.is_upper else -value

    def show(self, value: Decimal) -> str:
        """A value in the clause's own units (``5h``, ``99.5%``)."""
        match self.like:
            case ast.Duration():
                return format_quantity(ast.Duration(value))
            case ast.BusinessDuration(unit=unit):
                return format_quantity(ast.BusinessDuration(value, unit))
            case ast.Ratio():
                return format_quantity(ast.Ratio(value))
            case ast.Number():
                return format_quantity(ast.Number(value))

    @property
    def text(self) -> str:
        return f"{self.op.value} {self.show(self.value)}"


def _target(clause: ast.Clause, kind: ValueKind) -> Target:
    condition = clause.condition
    if isinstance(condition, ast.ShareCondition):
        like: ast.Quantity = condition.share
        op, value = ast.Op.GE, condition.share.fraction
    else:
        like, op, value = condition.threshold, condition.op, magnitude(condition.threshold)
    low = Decimal(0) if kind is not ValueKind.NUMBER or is_count(condition) else None
    # A share, or a mean, percentile, min or max of fractions, lies in [0, 1]; a sum of fractions need not.
    summed = isinstance(condition, ast.AggregateCondition) and condition.aggregation.name == "sum"
    high = Decimal(1) if kind is ValueKind.RATIO and not summed else None
    return Target(op, value, like, low, high)


def _comparable(target: Target, quantity: ast.Quantity) -> bool:
    """Business hours and business days are not compared: a working day's length varies."""
    if isinstance(quantity, ast.BusinessDuration) and isinstance(target.like, ast.BusinessDuration):
        return quantity.unit is target.like.unit
    return True


def _samples(target: Target, thresholds: list[Decimal]) -> list[Decimal]:
    """Values at, between and beyond the thresholds, within what the window can take."""
    marks = sorted(set(thresholds))
    points = set(marks)
    points.update((a + b) / 2 for a, b in pairwise(marks))
    points.add(marks[0] - 1 if target.low is None else target.low)
    points.add(marks[-1] + 1 if target.high is None else target.high)
    if target.low is not None and marks[0] > target.low:
        points.add((marks[0] + target.low) / 2)
    if target.high is not None and marks[-1] < target.high:
        points.add((marks[-1] + target.high) / 2)
    return sorted(
        p
        for p in points
        if (target.low is None or p >= target.low) and (target.high is None or p <= target.high)
    )


def _share_of_fee(amount: ast.Amount, fee: ast.Fee | None) -> Decimal | None:
    """A credit as a fraction of the fee, to compare money with percentages."""
    if isinstance(amount, ast.Ratio):
        return amount.fraction
    if fee is None or fee.amount.currency != amount.currency or fee.amount.amount <= 0:
        return None
    return amount.amount / fee.amount.amount


def check_bonus(clause: ast.Clause, kind: ValueKind, findings: Findings) -> None:
    """E350 on a bonus that rewards a worse value; W505 and W506 on one that is always or never paid."""
    bonus = clause.option(ast.Bonus)
    if bonus is None or clause.kind is ast.ClauseKind.KPI:
        return
    target = _target(clause, kind)
    better = "<" if target.op.is_upper else ">"
    if bonus.op.is_upper != (better == "<"):
        option_error(
            findings,
            bonus,
            "E350",
            f"the target is `{target.text}`, but the bonus is paid `if {bonus.op.value} "
            f"{format_quantity(bonus.threshold)}`: it would reward a worse value",
            f"a bonus rewards a better value: write `bonus {format_amount(bonus.amount)} if {better}= ...` "
            "with a threshold beyond the target",
        )
        return
    if not _comparable(target, bonus.threshold):
        return
    threshold = magnitude(bonus.threshold)
    met = [v for v in _samples(target, [target.value, threshold]) if target.met(v)]
    paid = [v for v in met if bonus.op.holds(v, threshold)]
    if not paid:
        option_warning(
            findings,
            bonus,
            "W506",
            f"`{format_option(bonus)}` can never be paid: no value that meets `{target.text}` satisfies it",
            "check the bonus threshold",
        )
    elif len(paid) == len(met):
        option_warning(
            findings,
            bonus,
            "W505",
            f"`{format_option(bonus)}` is paid on every met window: its threshold is no better "
            f"than the target `{target.text}`",
            "set the bonus threshold beyond the target if it rewards exceeding it",
        )


def check_tiers(clause: ast.Clause, kind: ValueKind, policy: ast.Policy, findings: Findings) -> None:
    """W501-W504 on the tiers of ``clause``, whose option kinds agree with ``kind``."""
    tiers = clause.tiers
    if not tiers or clause.kind is ast.ClauseKind.KPI or clause.credit is None:
        return
    target = _target(clause, kind)
    if not all(_comparable(target, t.threshold) for t in tiers):
        return
    points = _samples(target, [target.value, *(magnitude(t.threshold) for t in tiers)])
    breached = sorted((v for v in points if not target.met(v)), key=target.badness)
    credits = [_share_of_fee(t.amount, policy.fee) for t in tiers]
    credit = clause.credit
    base = _share_of_fee(credit.amount, policy.fee) if isinstance(credit, ast.FixedCredit) else None
    applying: list[int] = []
    for index, tier in enumerate(tiers):
        holds = [v for v in points if tier.op.holds(v, magnitude(tier.threshold))]
        on_breach = [v for v in holds if not target.met(v)]
        text = format_option(tier)
        if not on_breach:
            reason = f"it holds only while the target `{target.text}` is met" if holds else "it never holds"
            option_warning(findings, tier, "W501", f"the tier `{text}` can never apply: {reason}", _TIER_HINT)
            continue
        larger = _larger_everywhere(index, on_breach, tiers, credits)
        if larger is not None:
            option_warning(
                findings,
                tier,
                "W501",
                f"the tier `{text}` can never apply: `{format_option(larger)}` holds wherever it holds "
                "and gives more",
                "remove the tier or change its threshold",
            )
            continue
        every = len(on_breach) == len(breached)
        if len(on_breach) < len(holds):
            option_warning(
                findings,
                tier,
                "W502",
                f"the tier `{text}` also holds while the target `{target.text}` is met, "
                f"so it replaces the base credit{' on every breach' if every else ''}",
                _TIER_HINT,
            )
        elif every:
            option_warning(
                findings,
                tier,
                "W508",
                f"the tier `{text}` holds on every breach of `{target.text}`, "
                f"so the base credit `{format_option(credit)}` never applies",
                f"write the credit as `credit {format_amount(tier.amount)}`, or move the tier's threshold "
                "beyond the target",
            )
        own = credits[index]
        if base is not None and own is not None and own < base:
            option_warning(
                findings,
                tier,
                "W503",
                f"the tier `{text}` is smaller than the base credit `{format_option(credit)}`: where it "
                "holds it replaces the base and lowers the credit",
                "the largest tier that holds replaces the base, even a smaller one; "
                "raise the tier or remove it",
            )
            continue
        applying.append(index)
    if base is not None:
        _check_gap(target, breached, tiers, credits, applying, base, findings)


_TIER_HINT = (
    "a tier applies only to a breached window: its comparator should point away from the target "
    "and its threshold lie beyond it"
)


def _larger_everywhere(
    index: int, on_breach: list[Decimal], tiers: tuple[ast.Tier, ...], credits: list[Decimal | None]
) -> ast.Tier | None:
    """Another tier that holds at every breached value where tier ``index`` holds, with more credit."""
    own = credits[index]
    if own is None:
        return None
    for other, tier in enumerate(tiers):
        more = credits[other]
        if other == index or more is None or more <= own:
            continue
        threshold = magnitude(tier.threshold)
        if all(tier.op.holds(v, threshold) for v in on_breach):
            return tier
    return None


def _check_gap(
    target: Target,
    breached: list[Decimal],
    tiers: tuple[ast.Tier, ...],
    credits: list[Decimal | None],
    applying: list[int],
    base: Decimal,
    findings: Findings,
) -> None:
    """W504 when a larger miss gets less credit than a smaller one."""
    if any(credits[i] is None for i in applying):
        return
    best: tuple[Decimal, Decimal, int | None] | None = None
    for value in breached:
        holding = [i for i in applying if tiers[i].op.holds(value, magnitude(tiers[i].threshold))]
        index = max(holding, key=lambda i: credits[i] or Decimal(0), default=None)
        amount = base if index is None else credits[index] or Decimal(0)
        if best is not None and amount < best[0] and best[2] is not None:
            tier = tiers[best[2]]
            option_warning(
                findings,
                tier,
                "W504",
                f"the tiers leave a gap: a value of {target.show(value)} gets less credit than "
                f"{target.show(best[1])}, which misses the target `{target.text}` by less "
                f"and gets `{format_option(tier)}`",
                "give each larger miss at least the credit of a smaller one, "
                "e.g. tiers that all point away from the target",
            )
            return
        if best is None or amount > best[0]:
            best = (amount, value, index)


def check_maximum(clause: ast.Clause, policy: ast.Policy, findings: Findings) -> None:
    """W507 on a fixed base credit or a tier larger than the clause's ``max``."""
    maximum = clause.option(ast.MaxCredit)
    if maximum is None or clause.kind is ast.ClauseKind.KPI:
        return
    limit = _share_of_fee(maximum.amount, policy.fee)
    if limit is None:
        return
    credit = clause.credit
    cut: list[ast.FixedCredit | ast.Tier] = [credit] if isinstance(credit, ast.FixedCredit) else []
    cut += clause.tiers
    for option in cut:
        share = _share_of_fee(option.amount, policy.fee)
        if share is not None and share > limit:
            what = "tier" if isinstance(option, ast.Tier) else "base credit"
            option_warning(
                findings,
                option,
                "W507",
                f"the {what} `{format_option(option)}` is more than `{format_option(maximum)}`: "
                f"the maximum cuts it to {format_amount(maximum.amount)} wherever it applies",
                "lower the credit to the maximum, or raise the maximum",
            )
