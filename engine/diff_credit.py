"""Diff rules for a clause's consequences: credit, tiers, max, earn-back, chronic, bonus, minimum samples.

Each rule takes the old and new term (None where absent) with both policies
and returns a :class:`Verdict`. A credit term favours the client when it pays
more or more often; a bonus, earn-back or minimum sample count favours the provider.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dsl import ast
from dsl.formatter import format_amount, format_option

from .diff_change import Verdict
from .diff_favour import (
    CLIENT,
    PROVIDER,
    UNCLEAR,
    Conditional,
    Sign,
    agree,
    compare_conditionals,
    credit_share,
    favour,
    fee_share,
    magnitude,
    order,
    sample_points,
)

SAME_SHARE = "both come to the same share of the fee, so nothing changes in effect"
NO_FEE = "the policy gives no fee in that currency, so a percentage and an amount cannot be compared"


@dataclass(frozen=True, slots=True)
class Side:
    """One version of a clause, with the policy it belongs to (for the fee and the cap)."""

    clause: ast.Clause
    id: str
    policy: ast.Policy

    @property
    def subject(self) -> str:
        """How a summary names the clause: its name, or its id when unnamed."""
        return self.clause.name if self.clause.name is not None else self.id


def _verb(sign: Sign, up: str = "raised", down: str = "lowered") -> str:
    return up if sign and sign > 0 else down if sign and sign < 0 else "changed"


def _by_sign(sign: Sign, more: str, text: str, unknown: str, same: str = SAME_SHARE) -> Verdict:
    """A verdict from a sign: ``more`` is whom an increase favours."""
    if sign is None:
        return Verdict(UNCLEAR, text, unknown)
    if sign == 0:
        return Verdict(UNCLEAR, text, same)
    return Verdict(favour(sign, more), text)


def _added_removed(old: object, new: object, what: str, on_add: str, old_text: str, new_text: str) -> Verdict:
    if old is None:
        return Verdict(on_add, f"{what} added: {new_text}")
    return Verdict(PROVIDER if on_add == CLIENT else CLIENT, f"{what} removed (was {old_text})")


def min_samples(old: ast.MinSamples | None, new: ast.MinSamples | None) -> Verdict:
    """More samples needed: more windows are `insufficient` and credit nothing, for the provider."""
    old_n = old.count if old else 0
    new_n = new.count if new else 0
    sign = order(Decimal(old_n), Decimal(new_n))
    text = f"minimum samples per window {_verb(sign)} from {old_n} to {new_n}"
    if sign == 0:
        return Verdict(UNCLEAR, text, "a minimum of 0 samples never applies, so nothing changes in effect")
    return Verdict(favour(sign, PROVIDER), text)


def credit(old: Side, new: Side) -> Verdict:
    """A larger credit per breach favours the client; a different kind of credit is unclear."""
    a, b = old.clause.credit, new.clause.credit
    old_text, new_text = (format_option(c) if c else "none" for c in (a, b))
    if a is None or b is None:
        return _added_removed(a, b, "credit", CLIENT, old_text, new_text)
    if isinstance(a, ast.LinearCredit) or isinstance(b, ast.LinearCredit):
        return _linear(a, b, old_text, new_text)
    sign = order(credit_share(a, old.policy), credit_share(b, new.policy))
    text = f"credit per breach {_verb(sign)} from {old_text.removeprefix('credit ')} to "
    text += new_text.removeprefix("credit ")
    pool = any(isinstance(c, ast.PoolCredit) and not s.policy.cap for c, s in ((a, old), (b, new)))
    return _by_sign(sign, CLIENT, text, "there is no cap for the pool credit to share" if pool else NO_FEE)


def _linear(a: ast.Credit, b: ast.Credit, old_text: str, new_text: str) -> Verdict:
    text = f"credit changed from `{old_text}` to `{new_text}`"
    if not (isinstance(a, ast.LinearCredit) and isinstance(b, ast.LinearCredit)):
        why = (
            "a linear credit grows with the size of the miss, "
            "so which pays more depends on how far the target is missed"
        )
        return Verdict(UNCLEAR, text, why)
    if a.direction != b.direction:
        return Verdict(UNCLEAR, text, "the credit now accrues on the other side of the target")
    (old_kind, old_step), (new_kind, new_step) = magnitude(a.step), magnitude(b.step)
    step = order(new_step, old_step) if old_kind == new_kind else None  # a smaller step pays sooner
    sign = agree(order(a.rate.fraction, b.rate.fraction), step)
    if sign is None:
        why = "the rate and the step moved in opposite directions (or the steps are in different units)"
        return Verdict(UNCLEAR, text, why)
    return Verdict(favour(sign, CLIENT), f"linear credit {_verb(sign)} from `{old_text}` to `{new_text}`")


def _conditionals(side: Side, terms: tuple[ast.Tier, ...] | tuple[ast.Bonus, ...]) -> list[Conditional]:
    return [(fee_share(t.amount, side.policy), t.op, magnitude(t.threshold)[1]) for t in terms]


def _target(clause: ast.Clause) -> tuple[ast.Op, str, Decimal]:
    """The window value's test: (op, kind, threshold); the share form compares the share."""
    condition = clause.condition
    if isinstance(condition, ast.ShareCondition):
        return ast.Op.GE, "ratio", condition.share.fraction
    kind, value = magnitude(condition.threshold)
    if isinstance(condition, ast.AggregateCondition) and condition.aggregation.name == "count":
        kind = "number"
    return condition.op, kind, value


def _base_share(side: Side) -> Decimal | None:
    base = side.clause.credit
    if base is None:
        return Decimal(0)
    return None if isinstance(base, ast.LinearCredit) else credit_share(base, side.policy)


def tiers(old: Side, new: Side) -> Verdict:
    """Compare the credit each version pays at every value a breached window can take.

    Tiers replace the base (the largest holding tier wins), so the credit is a
    step function of the window's value with steps at the tier thresholds; it
    is sampled once per step, only where the (old) target is missed. The old
    base credit is used for both, so that this record judges the tiers alone.
    """
    a, b = old.clause.tiers, new.clause.tiers
    old_text = ", ".join(format_option(t) for t in a) or "none"
    new_text = ", ".join(format_option(t) for t in b) or "none"
    what = "tiers added" if not a else "tiers removed" if not b else "tiers changed"
    text = (
        f"{what}: `{old_text}` becomes `{new_text}`"
        if a and b
        else f"{what}: `{old_text if a else new_text}`"
    )
    op, kind, target = _target(old.clause)
    if any(magnitude(t.threshold)[0] != kind for t in (*a, *b)):
        return Verdict(UNCLEAR, text, "the tier thresholds are in units that do not compare with the target")
    base = _base_share(old)
    points = sample_points([target, *(magnitude(t.threshold)[1] for t in (*a, *b))])
    breached = lambda v: not op.holds(v, target)  # noqa: E731
    sign = compare_conditionals(_conditionals(old, a), _conditionals(new, b), base, points, breached)
    if sign is None:
        why = "the new tiers pay more for some misses and less for others (or mix amounts and percentages)"
        return Verdict(UNCLEAR, text, why)
    if sign == 0:
        return Verdict(
            UNCLEAR, text, "no breached window is credited differently, so nothing changes in effect"
        )
    return Verdict(favour(sign, CLIENT), text)


def max_credit(old: Side, new: Side) -> Verdict:
    """A lower (or new) ceiling per window favours the provider."""
    a, b = old.clause.option(ast.MaxCredit), new.clause.option(ast.MaxCredit)
    old_text, new_text = (format_amount(m.amount) if m else "none" for m in (a, b))
    if a is None or b is None:
        return _added_removed(a, b, "maximum credit per window", PROVIDER, old_text, new_text)
    sign = order(fee_share(a.amount, old.policy), fee_share(b.amount, new.policy))
    text = f"maximum credit per window {_verb(sign)} from {old_text} to {new_text}"
    return _by_sign(sign, CLIENT, text, NO_FEE)


def earn_back(old: ast.EarnBack | None, new: ast.EarnBack | None) -> Verdict:
    """Earn-back returns credits to the provider: adding it, or needing fewer met windows, favours it."""
    old_text, new_text = (f"after {e.after_met} met windows" if e else "none" for e in (old, new))
    if old is None or new is None:
        return _added_removed(old, new, "earn-back", PROVIDER, old_text, new_text)
    sign = order(Decimal(old.after_met), Decimal(new.after_met))
    return Verdict(
        favour(sign, CLIENT), f"earn-back now needs {new.after_met} met windows instead of {old.after_met}"
    )


def chronic(old: ast.Chronic | None, new: ast.Chronic | None) -> Verdict:
    """Chronic failure is the client's termination right: fewer breaches or a longer run makes it easier."""
    old_text, new_text = (
        f"{c.breaches} breaches in {c.of_windows} windows" if c else "none" for c in (old, new)
    )
    if old is None or new is None:
        return _added_removed(old, new, "chronic failure", CLIENT, old_text, new_text)
    sign = agree(
        order(Decimal(new.breaches), Decimal(old.breaches)),
        order(Decimal(old.of_windows), Decimal(new.of_windows)),
    )
    text = f"chronic failure now at {new_text} instead of {old_text}"
    if sign is None:
        return Verdict(UNCLEAR, text, "fewer breaches are needed but in a shorter run (or the reverse)")
    return Verdict(favour(sign, CLIENT), text)


def bonus(old: Side, new: Side) -> Verdict:
    """A bonus pays the provider: compared as a step function of the value of a met window."""
    a = tuple(o for o in old.clause.options if isinstance(o, ast.Bonus))
    b = tuple(o for o in new.clause.options if isinstance(o, ast.Bonus))
    old_text = ", ".join(format_option(x) for x in a) or "none"
    new_text = ", ".join(format_option(x) for x in b) or "none"
    if not a or not b:
        return _added_removed(a or None, b or None, "bonus", PROVIDER, old_text, new_text)
    text = f"bonus changed from `{old_text}` to `{new_text}`"
    op, kind, target = _target(old.clause)
    if len(a) > 1 or len(b) > 1 or any(magnitude(x.threshold)[0] != kind for x in (*a, *b)):
        return Verdict(UNCLEAR, text, "the bonus thresholds do not compare with each other")
    points = sample_points([target, *(magnitude(x.threshold)[1] for x in (*a, *b))])
    met = lambda v: op.holds(v, target)  # noqa: E731
    sign = compare_conditionals(_conditionals(old, a), _conditionals(new, b), Decimal(0), points, met)
    if sign is None:
        return Verdict(UNCLEAR, text, "the bonus is larger on some met windows and smaller on others")
    if sign == 0:
        return Verdict(UNCLEAR, text, "no met window is paid differently, so nothing changes in effect")
    return Verdict(
        favour(sign, PROVIDER),
        f"bonus {_verb(sign, 'increased', 'reduced')}: `{old_text}` becomes `{new_text}`",
    )
