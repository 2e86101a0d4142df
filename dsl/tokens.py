"""From lark tokens to values: numbers, quantities, names, comparators and the faults they raise.

The lexical half of the transformer: :mod:`dsl.transformer` builds nodes from
what these functions return.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from lark import Token

from . import ast
from .errors import Diagnostic

FIRST_LINE: ContextVar[int] = ContextVar("FIRST_LINE", default=1)
"""Line of the statement being parsed: lark numbers lines from 1 within it."""

KEYWORDS = frozenset(
    """
    policy client provider timezone fee cap at risk annual calendar holidays metric
    duration ratio count number sla kpi of median mean avg average min max sum
    below under above over most within least per daily weekly monthly quarterly
    yearly annually day week month quarter year from where and in not samples
    sample credit breach pool if earn back after met chronic bonus owner business
    """.split()
)

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
PERIODS = {
    "daily": ast.Period.DAY,
    "weekly": ast.Period.WEEK,
    "monthly": ast.Period.MONTH,
    "quarterly": ast.Period.QUARTER,
    "yearly": ast.Period.YEAR,
    "annually": ast.Period.YEAR,
    "day": ast.Period.DAY,
    "week": ast.Period.WEEK,
    "month": ast.Period.MONTH,
    "quarter": ast.Period.QUARTER,
    "year": ast.Period.YEAR,
}
COMPARATORS = {
    "<": ast.Op.LT,
    "below": ast.Op.LT,
    "under": ast.Op.LT,
    "<=": ast.Op.LE,
    "at most": ast.Op.LE,
    "within": ast.Op.LE,
    ">": ast.Op.GT,
    "above": ast.Op.GT,
    "over": ast.Op.GT,
    ">=": ast.Op.GE,
    "at least": ast.Op.GE,
}
UNIT_SECONDS = {
    "ms": Decimal("0.001"),
    "s": Decimal(1),
    "m": Decimal(60),
    "min": Decimal(60),
    "h": Decimal(3600),
    "d": Decimal(86400),
    "w": Decimal(604800),
}
WORD_UNITS = {
    word + plural: unit
    for stem, unit in (
        ("millisecond", "ms"),
        ("second", "s"),
        ("min", "m"),
        ("minute", "m"),
        ("hour", "h"),
        ("day", "d"),
        ("week", "w"),
    )
    for word, plural in ((stem, ""), (stem, "s"))
}


FEE_PERIODS = (ast.Period.MONTH, ast.Period.QUARTER, ast.Period.YEAR)
"""The periods a fee is charged for (E150)."""
PERCENT_HINT = "percentages in a policy run from 0% to 100%"
"""E111's hint."""


def percentile_fault(label: str, value: Decimal | None) -> tuple[str, str] | None:
    """E110's message and hint when ``value`` is no percentile (not strictly between 0 and 100)."""
    if value is not None and 0 < value < 100:
        return None
    return f"`{label}` is not a percentile", "percentiles run from p1 to p99.9"


def anchor_day_fault(day: int) -> tuple[str, str] | None:
    """E121's message and hint when a window would start from a day that not every month has."""
    if 1 <= day <= 28:
        return None
    return (
        f"a window cannot start from day {day}",
        "not every month has days 29 to 31: choose a day from 1 to 28",
    )


class Position:
    """Where a rule's kept tokens stand, relative to the statement (lark's ``Meta`` in small)."""

    __slots__ = ("column", "end_column", "end_line", "line")

    def __init__(self, first: Token, last: Token):
        self.line = first.line or 1
        self.column = first.column or 1
        self.end_line = last.end_line or self.line
        self.end_column = last.end_column or self.column


class Fault(Exception):
    """A diagnostic raised while building the AST of one statement."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def fault(item: Token | Position, code: str, message: str, hint: str | None = None) -> Fault:
    line = FIRST_LINE.get() + (item.line or 1) - 1
    width = max(1, (item.end_column or 0) - (item.column or 0)) if item.end_line == item.line else 1
    return Fault(Diagnostic(code, message, line, item.column, hint=hint, width=width))


def span(meta: Position | Token) -> ast.Span:
    """The absolute span of a rule or token."""
    offset = FIRST_LINE.get() - 1
    line = meta.line or 1
    column = meta.column or 1
    return ast.Span(line + offset, column, (meta.end_line or line) + offset, meta.end_column or column)


MAX_DIGITS = 15
"""Numbers in a policy have at most this many digits: every such number is exact in the
engine's binary floats too, and no contract needs more."""


def number(token: Token) -> Decimal:
    _check_digits(token, str(token))
    return _decimal(str(token))


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace("_", ""))


def _check_digits(token: Token, text: str) -> None:
    for digits in re.findall(r"[\d_]+(?:\.[\d_]+)?", text):
        if sum(c.isdigit() for c in digits) > MAX_DIGITS:
            raise fault(
                token,
                "E113",
                f"`{digits}` has more than {MAX_DIGITS} digits",
                "write the figure with fewer digits, or in a larger unit",
            )


def whole(token: Token, what: str) -> int:
    value = number(token)
    if value != value.to_integral_value():
        raise fault(token, "E112", f"{what} must be a whole number, not {token}")
    return int(value)


def string(token: Token) -> str:
    return str(token)[1:-1].replace('\\"', '"').replace("\\\\", "\\")


def name(token: Token, what: str) -> str:
    if str(token) in KEYWORDS:
        raise fault(
            token,
            "E102",
            f"`{token}` is a keyword and cannot be a {what} name",
            f"choose another name, such as `{token}_value`",
        )
    return str(token)


def ratio(token: Token) -> ast.Ratio:
    _check_digits(token, str(token))
    percent = _decimal(str(token)[:-1])
    if percent > 100:
        raise fault(token, "E111", f"{token} is more than 100%", PERCENT_HINT)
    return ast.Ratio(percent / 100, span=span(token))


def to_aggregation(token: Token) -> ast.Aggregation:
    """An aggregation token (lark inlines the single-token rule)."""
    text = str(token)
    if token.type != "PERCENTILE":
        label = "mean" if text in ("avg", "average") else text
        return ast.Aggregation(label, span=span(token))
    digits = text[1:]
    value = Decimal(digits)
    problem = percentile_fault(text, value)
    if problem is not None:
        raise fault(token, "E110", *problem)
    if "." in digits and len(digits.split(".")[1]) > 1:
        raise fault(token, "E110", f"`{text}` has more than one decimal", "write pNN or pNN.N, e.g. p99.9")
    return ast.Aggregation("percentile", value, span=span(token))


_QUANTITY_NODES = (ast.Duration, ast.BusinessDuration, ast.Ratio, ast.Number, ast.Money)


def to_quantity(item: Any) -> Any:
    """A quantity or amount: single-token ones (``4h``, ``95%``, ``50``) arrive as tokens, since
    lark inlines their rules; the others as nodes built already."""
    if isinstance(item, _QUANTITY_NODES):
        return item
    if item.type == "PERCENT":
        return ratio(item)
    if item.type == "DURATION":
        _check_digits(item, str(item))
        return ast.Duration(parse_compound(str(item)), span=span(item))
    return ast.Number(number(item), span=span(item))


def to_comparator(item: Token | ast.Op) -> ast.Op:
    """A comparator: one token (lark inlines it) or the Op built from `at most` / `at least`."""
    return item if isinstance(item, ast.Op) else COMPARATORS[str(item)]


def parse_compound(text: str) -> Decimal:
    """Seconds in a compact duration such as ``1h30m`` or ``1.5h``."""
    total = Decimal(0)
    for amount, unit in re.findall(r"(\d+(?:\.\d+)?)(ms|min|s|m|h|d|w)", text):
        total += Decimal(amount) * UNIT_SECONDS[unit]
    return total
