"""The only code that knows the shapes of lark's parse trees: it turns them into AST nodes.

It runs inline in the LALR parser (no intermediate tree). Faults that the
grammar cannot express (``p100``, ``150%``, a keyword used as a name) are
raised as :class:`Fault` with a diagnostic; the parser collects one per statement.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from typing import Any

from lark import Token, Tree

from . import ast
from .errors import Diagnostic
from .hours import HoursError, parse_hours

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

_MONTHS = [
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
_PERIODS = {
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
_COMPARATORS = {
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
_UNIT_SECONDS = {
    "ms": Decimal("0.001"),
    "s": Decimal(1),
    "m": Decimal(60),
    "min": Decimal(60),
    "h": Decimal(3600),
    "d": Decimal(86400),
    "w": Decimal(604800),
}
_WORD_UNITS = {
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


def _fault(item: Token | Position, code: str, message: str, hint: str | None = None) -> Fault:
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
    return Decimal(str(token).replace("_", ""))


def _check_digits(token: Token, text: str) -> None:
    for digits in re.findall(r"[\d_]+(?:\.[\d_]+)?", text):
        if sum(c.isdigit() for c in digits) > MAX_DIGITS:
            raise _fault(
                token,
                "E113",
                f"`{digits}` has more than {MAX_DIGITS} digits",
                "write the figure with fewer digits, or in a larger unit",
            )


def whole(token: Token, what: str) -> int:
    value = number(token)
    if value != value.to_integral_value():
        raise _fault(token, "E112", f"{what} must be a whole number, not {token}")
    return int(value)


def string(token: Token) -> str:
    return str(token)[1:-1].replace('\\"', '"').replace("\\\\", "\\")


def name(token: Token, what: str) -> str:
    if str(token) in KEYWORDS:
        raise _fault(
            token,
            "E102",
            f"`{token}` is a keyword and cannot be a {what} name",
            f"choose another name, such as `{token}_value`",
        )
    return str(token)


def ratio(token: Token) -> ast.Ratio:
    _check_digits(token, str(token))
    percent = number(Token(token.type, str(token)[:-1]))
    if percent > 100:
        raise _fault(
            token, "E111", f"{token} is more than 100%", "percentages in a policy run from 0% to 100%"
        )
    return ast.Ratio(percent / 100, span=span(token))


class ToAst:
    """Builds one statement's AST node; ``FIRST_LINE`` must hold the statement's line.

    Each method is named after a grammar rule and takes the rule's position
    and its children, already built.
    """

    def transform(self, tree: Tree[Token]) -> Any:
        """The AST node for a parse tree.

        A plain walk: lark's visitors and its position tracking cost more than
        the parse itself, so positions come from the first and last tokens here.
        """
        return self._walk(tree)[0]

    def _walk(self, tree: Tree[Token]) -> tuple[Any, Token | None, Token | None]:
        children: list[Any] = []
        first = last = None
        for child in tree.children:
            if isinstance(child, Tree):
                value, child_first, child_last = self._walk(child)
                if child_first is not None:
                    first = first or child_first
                    last = child_last
                children.append(value)
            else:
                if child is not None:
                    first = first or child
                    last = child
                children.append(child)
        where = Position(first, last) if first is not None and last is not None else None
        return getattr(self, str(tree.data))(where, children), first, last

    # --- header ---------------------------------------------------------------

    def text_header(self, meta: Position, children: list[Token]) -> ast.TextHeader:
        keyword, value = children
        return ast.TextHeader(str(keyword), string(value), span=span(meta))

    def fee_stmt(self, meta: Position, children: list[Any]) -> ast.Fee:
        money, token = children
        period = _PERIODS[str(token)]
        if period not in (ast.Period.MONTH, ast.Period.QUARTER, ast.Period.YEAR):
            raise _fault(token, "E150", f"a fee is charged monthly, quarterly or yearly, not {token}")
        return ast.Fee(money, period, span=span(meta))

    def cap_stmt(self, meta: Position, children: list[Any]) -> ast.Cap:
        return ast.Cap(_value(children[-1]), span=span(meta))

    def annual_cap_stmt(self, meta: Position, children: list[Token]) -> ast.AnnualCap:
        return ast.AnnualCap(ratio(children[0]), span=span(meta))

    def calendar_stmt(self, meta: Position, children: list[Any]) -> ast.Calendar:
        label, hours_token, holidays = children
        try:
            hours = parse_hours(string(hours_token))
        except HoursError as error:
            line = FIRST_LINE.get() + hours_token.line - 1
            column = hours_token.column + 1 + error.offset
            raise Fault(
                Diagnostic(error.code, error.message, line, column, hint=error.hint, width=error.width)
            ) from None
        return ast.Calendar(
            name(label, "calendar") if label is not None else None,
            hours,
            tuple(sorted(set(holidays or ()))),
            span=span(meta),
        )

    def holidays(self, meta: Position, children: list[Token]) -> list[date]:
        days = []
        for token in children:
            try:
                days.append(date.fromisoformat(string(token)))
            except ValueError:
                raise _fault(
                    token, "E146", f"{token} is not a date", 'write holidays as "YYYY-MM-DD"'
                ) from None
        return days

    def metric_stmt(self, meta: Position, children: list[Any]) -> ast.MetricDecl:
        label, kind, definition = children
        return ast.MetricDecl(
            name(label, "metric"),
            ast.MetricKind(str(kind)),
            string(definition) if definition is not None else None,
            span=span(meta),
        )

    # --- clause -----------------------------------------------------------------

    def clause(self, meta: Position, children: list[Any]) -> ast.Clause:
        kind, label, condition, window, filter_, *options = children
        return ast.Clause(
            ast.ClauseKind(str(kind)) if kind is not None else ast.ClauseKind.SLA,
            string(label) if label is not None else None,
            condition,
            window,
            tuple(filter_ or ()),
            tuple(sorted(options, key=ast.option_rank)),
            span=span(meta),
        )

    def aggregate_condition(self, meta: Position, children: list[Any]) -> ast.AggregateCondition:
        metric, aggregation, op, threshold = children
        return ast.AggregateCondition(
            name(metric, "metric"), _aggregation(aggregation), _op(op), _value(threshold), span=span(meta)
        )

    def share_condition(self, meta: Position, children: list[Any]) -> ast.ShareCondition:
        share, metric, op, threshold = children
        return ast.ShareCondition(
            ratio(share), name(metric, "metric"), _op(op), _value(threshold), span=span(meta)
        )

    def comparator(self, meta: Position, children: list[Token]) -> ast.Op:
        return _COMPARATORS[" ".join(str(t) for t in children)]

    def window(self, meta: Position, children: list[Any]) -> ast.Window:
        token, anchor = children
        period = _PERIODS[str(token)]
        if anchor is None:
            return ast.Window(period, span=span(meta))
        (day, day_token), month = anchor
        if period in (ast.Period.DAY, ast.Period.WEEK):
            raise _fault(day_token, "E120", f"a {period.adverb} window cannot start from a day of the month")
        if not 1 <= day <= 28:
            raise _fault(
                day_token,
                "E121",
                f"a window cannot start from day {day}",
                "not every month has days 29 to 31: choose a day from 1 to 28",
            )
        if month is not None and period is ast.Period.MONTH:
            raise _fault(
                day_token, "E122", "a monthly window starts from a day, not a month", "remove `of ...`"
            )
        if day == 1 and month in (None, 1):
            return ast.Window(period, span=span(meta))
        return ast.Window(period, day, month, span=span(meta))

    def anchor(self, meta: Position, children: list[Any]) -> tuple[tuple[int, Token], int | None]:
        day, month = children
        return (whole(day, "a day"), day), (_MONTHS.index(str(month)) + 1 if month is not None else None)

    def filter(self, meta: Position, children: list[ast.DimensionTest]) -> list[ast.DimensionTest]:
        return children

    def _dim(self, meta: Position, dim: Token, op: ast.FilterOp, values: Sequence[str]) -> ast.DimensionTest:
        return ast.DimensionTest(name(dim, "dimension"), op, tuple(values), span=span(meta))

    def dim_eq(self, meta: Position, children: list[Token]) -> ast.DimensionTest:
        return self._dim(meta, children[0], ast.FilterOp.EQ, [string(children[1])])

    def dim_ne(self, meta: Position, children: list[Token]) -> ast.DimensionTest:
        return self._dim(meta, children[0], ast.FilterOp.NE, [string(children[1])])

    def dim_in(self, meta: Position, children: list[Any]) -> ast.DimensionTest:
        return self._dim(meta, children[0], ast.FilterOp.IN, children[1])

    def dim_not_in(self, meta: Position, children: list[Any]) -> ast.DimensionTest:
        return self._dim(meta, children[0], ast.FilterOp.NOT_IN, children[1])

    def string_list(self, meta: Position, children: list[Token]) -> list[str]:
        return [string(t) for t in children]

    # --- options ------------------------------------------------------------------

    def min_samples(self, meta: Position, children: list[Token]) -> ast.MinSamples:
        return ast.MinSamples(whole(children[0], "a number of samples"), span=span(meta))

    def fixed_credit(self, meta: Position, children: list[Any]) -> ast.FixedCredit:
        return ast.FixedCredit(_value(children[0]), span=span(meta))

    def linear_credit(self, meta: Position, children: list[Any]) -> ast.LinearCredit:
        rate, step, direction = _value(children[0]), _value(children[1]), children[2]
        if not isinstance(rate, ast.Ratio):
            raise _fault(
                meta, "E130", "a linear credit is a percentage per step", "e.g. credit 1% per 10 over"
            )
        over = str(direction) in ("over", "above")
        return ast.LinearCredit(
            rate, step, ast.Direction.OVER if over else ast.Direction.UNDER, span=span(meta)
        )

    def pool_credit(self, meta: Position, children: list[Any]) -> ast.PoolCredit:
        share = _value(children[0])
        if not isinstance(share, ast.Ratio):
            raise _fault(meta, "E130", "a pool credit is a percentage of the pool", "e.g. credit 40% of pool")
        return ast.PoolCredit(share, span=span(meta))

    def tier(self, meta: Position, children: list[Any]) -> ast.Tier:
        amount, op, threshold = children
        return ast.Tier(_value(amount), _op(op), _value(threshold), span=span(meta))

    def max_credit(self, meta: Position, children: list[Any]) -> ast.MaxCredit:
        return ast.MaxCredit(_value(children[0]), span=span(meta))

    def earn_back(self, meta: Position, children: list[Token]) -> ast.EarnBack:
        return ast.EarnBack(whole(children[0], "a number of windows"), span=span(meta))

    def chronic(self, meta: Position, children: list[Token]) -> ast.Chronic:
        return ast.Chronic(
            whole(children[0], "a number of breaches"),
            whole(children[1], "a number of windows"),
            span=span(meta),
        )

    def bonus(self, meta: Position, children: list[Any]) -> ast.Bonus:
        amount, op, threshold = children
        return ast.Bonus(_value(amount), _op(op), _value(threshold), span=span(meta))

    def use_calendar(self, meta: Position, children: list[Token]) -> ast.UseCalendar:
        return ast.UseCalendar(name(children[0], "calendar"), span=span(meta))

    def owner(self, meta: Position, children: list[Token]) -> ast.Owner:
        return ast.Owner(string(children[0]), span=span(meta))

    # --- quantities -------------------------------------------------------------

    def duration(self, meta: Position, children: list[Any]) -> ast.Duration:
        amount, unit = children
        return ast.Duration(number(amount) * _UNIT_SECONDS[_WORD_UNITS[str(unit)]], span=span(meta))

    def business_duration(self, meta: Position, children: list[Any]) -> ast.BusinessDuration:
        amount, unit = children
        hours = str(unit).startswith("hour")
        return ast.BusinessDuration(
            number(amount), ast.BusinessUnit.HOURS if hours else ast.BusinessUnit.DAYS, span=span(meta)
        )

    def money(self, meta: Position, children: list[Token]) -> ast.Money:
        return ast.Money(number(children[0]), str(children[1]), span=span(meta))


def _aggregation(token: Token) -> ast.Aggregation:
    """An aggregation token (lark inlines the single-token rule)."""
    text = str(token)
    if token.type != "PERCENTILE":
        label = "mean" if text in ("avg", "average") else text
        return ast.Aggregation(label, span=span(token))
    digits = text[1:]
    value = Decimal(digits)
    if not 0 < value < 100:
        raise _fault(token, "E110", f"`{text}` is not a percentile", "percentiles run from p1 to p99.9")
    if "." in digits and len(digits.split(".")[1]) > 1:
        raise _fault(token, "E110", f"`{text}` has more than one decimal", "write pNN or pNN.N, e.g. p99.9")
    return ast.Aggregation("percentile", value, span=span(token))


_QUANTITY_NODES = (ast.Duration, ast.BusinessDuration, ast.Ratio, ast.Number, ast.Money)


def _value(item: Any) -> Any:
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


def _op(item: Token | ast.Op) -> ast.Op:
    """A comparator: one token (lark inlines it) or the Op built from `at most` / `at least`."""
    return item if isinstance(item, ast.Op) else _COMPARATORS[str(item)]


def parse_compound(text: str) -> Decimal:
    """Seconds in a compact duration such as ``1h30m`` or ``1.5h``."""
    total = Decimal(0)
    for amount, unit in re.findall(r"(\d+(?:\.\d+)?)(ms|min|s|m|h|d|w)", text):
        total += Decimal(amount) * _UNIT_SECONDS[unit]
    return total
