"""The only code that knows the shapes of lark's parse trees: it turns them into AST nodes.

It runs inline in the LALR parser (no intermediate tree). Faults that the
grammar cannot express (``p100``, ``150%``, a keyword used as a name) are
raised as :class:`Fault` with a diagnostic; the parser collects one per statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from lark import Token, Tree

from . import ast
from .errors import Diagnostic
from .hours import HoursError, parse_hours
from .tokens import (
    COMPARATORS,
    FEE_PERIODS,
    FIRST_LINE,
    MONTHS,
    PERIODS,
    UNIT_SECONDS,
    WORD_UNITS,
    Fault,
    Position,
    anchor_day_fault,
    fault,
    name,
    number,
    ratio,
    span,
    string,
    to_aggregation,
    to_comparator,
    to_quantity,
    whole,
)


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
        period = PERIODS[str(token)]
        if period not in FEE_PERIODS:
            raise fault(token, "E150", f"a fee is charged monthly, quarterly or yearly, not {token}")
        return ast.Fee(money, period, span=span(meta))

    def cap_stmt(self, meta: Position, children: list[Any]) -> ast.Cap:
        return ast.Cap(to_quantity(children[-1]), span=span(meta))

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
                raise fault(
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
        metric, agg, op, threshold = children
        return ast.AggregateCondition(
            name(metric, "metric"),
            to_aggregation(agg),
            to_comparator(op),
            to_quantity(threshold),
            span=span(meta),
        )

    def share_condition(self, meta: Position, children: list[Any]) -> ast.ShareCondition:
        share, metric, op, threshold = children
        return ast.ShareCondition(
            ratio(share), name(metric, "metric"), to_comparator(op), to_quantity(threshold), span=span(meta)
        )

    def comparator(self, meta: Position, children: list[Token]) -> ast.Op:
        return COMPARATORS[" ".join(str(t) for t in children)]

    def window(self, meta: Position, children: list[Any]) -> ast.Window:
        token, anchor = children
        period = PERIODS[str(token)]
        if anchor is None:
            return ast.Window(period, span=span(meta))
        (day, day_token), month = anchor
        if period in (ast.Period.DAY, ast.Period.WEEK):
            raise fault(day_token, "E120", f"a {period.adverb} window cannot start from a day of the month")
        problem = anchor_day_fault(day)
        if problem is not None:
            raise fault(day_token, "E121", *problem)
        if month is not None and period is ast.Period.MONTH:
            raise fault(
                day_token, "E122", "a monthly window starts from a day, not a month", "remove `of ...`"
            )
        if day == 1 and month in (None, 1):
            return ast.Window(period, span=span(meta))
        return ast.Window(period, day, month, span=span(meta))

    def anchor(self, meta: Position, children: list[Any]) -> tuple[tuple[int, Token], int | None]:
        day, month = children
        return (whole(day, "a day"), day), (MONTHS.index(str(month)) + 1 if month is not None else None)

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
        return ast.FixedCredit(to_quantity(children[0]), span=span(meta))

    def linear_credit(self, meta: Position, children: list[Any]) -> ast.LinearCredit:
        rate, step, direction = to_quantity(children[0]), to_quantity(children[1]), children[2]
        if not isinstance(rate, ast.Ratio):
            raise fault(
                meta, "E130", "a linear credit is a percentage per step", "e.g. credit 1% per 10 over"
            )
        over = str(direction) in ("over", "above")
        return ast.LinearCredit(
            rate, step, ast.Direction.OVER if over else ast.Direction.UNDER, span=span(meta)
        )

    def pool_credit(self, meta: Position, children: list[Any]) -> ast.PoolCredit:
        share = to_quantity(children[0])
        if not isinstance(share, ast.Ratio):
            raise fault(meta, "E130", "a pool credit is a percentage of the pool", "e.g. credit 40% of pool")
        return ast.PoolCredit(share, span=span(meta))

    def tier(self, meta: Position, children: list[Any]) -> ast.Tier:
        amount, op, threshold = children
        return ast.Tier(to_quantity(amount), to_comparator(op), to_quantity(threshold), span=span(meta))

    def max_credit(self, meta: Position, children: list[Any]) -> ast.MaxCredit:
        return ast.MaxCredit(to_quantity(children[0]), span=span(meta))

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
        return ast.Bonus(to_quantity(amount), to_comparator(op), to_quantity(threshold), span=span(meta))

    def use_calendar(self, meta: Position, children: list[Token]) -> ast.UseCalendar:
        return ast.UseCalendar(name(children[0], "calendar"), span=span(meta))

    def owner(self, meta: Position, children: list[Token]) -> ast.Owner:
        return ast.Owner(string(children[0]), span=span(meta))

    # --- quantities -------------------------------------------------------------

    def duration(self, meta: Position, children: list[Any]) -> ast.Duration:
        amount, unit = children
        return ast.Duration(number(amount) * UNIT_SECONDS[WORD_UNITS[str(unit)]], span=span(meta))

    def business_duration(self, meta: Position, children: list[Any]) -> ast.BusinessDuration:
        amount, unit = children
        hours = str(unit).startswith("hour")
        return ast.BusinessDuration(
            number(amount), ast.BusinessUnit.HOURS if hours else ast.BusinessUnit.DAYS, span=span(meta)
        )

    def money(self, meta: Position, children: list[Token]) -> ast.Money:
        return ast.Money(number(children[0]), str(children[1]), span=span(meta))
