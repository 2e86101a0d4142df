"""Hypothesis strategies for policy ASTs: every tree the parser can produce.

Trees are generated in the parser's normal form (options in canonical order,
windows anchored only when not at day 1, holidays sorted, the default calendar
first), so that ``parse(format_policy(tree)) == tree`` is a fair demand.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from dsl import ast
from dsl.tokens import KEYWORDS

names = st.from_regex(r"[a-z_][a-z0-9_]{0,12}", fullmatch=True).filter(lambda n: n not in KEYWORDS)
texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    max_size=20,
)
currencies = st.sampled_from(["EUR", "USD", "GBP", "CHF"])


def decimals(max_value: int, places: int = 3) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=0, max_value=max_value, places=places, allow_nan=False, allow_infinity=False)


ratios = st.builds(ast.Ratio, decimals(100, 2).map(lambda p: p / 100))
numbers = st.builds(ast.Number, decimals(100_000, 2))
_unit_seconds = st.sampled_from(
    [Decimal("0.001"), Decimal(1), Decimal(60), Decimal(3600), Decimal(86400), Decimal(604800)]
)
durations = st.builds(
    ast.Duration,
    decimals(10**7, 3) | st.builds(lambda n, unit: n * unit, st.integers(0, 100), _unit_seconds),
)
business = st.builds(ast.BusinessDuration, decimals(100, 1), st.sampled_from(list(ast.BusinessUnit)))
quantities = st.one_of(ratios, numbers, durations, business)
money = st.builds(ast.Money, decimals(10**6, 2), currencies)
amounts = st.one_of(ratios, money)
ops = st.sampled_from(list(ast.Op))

aggregations = st.one_of(
    st.builds(ast.Aggregation, st.sampled_from(["median", "mean", "min", "max", "sum", "count"])),
    st.builds(
        lambda p: ast.Aggregation("percentile", p),
        st.decimals(min_value=Decimal("0.1"), max_value=Decimal("99.9"), places=1),
    ),
)
conditions = st.one_of(
    st.builds(ast.AggregateCondition, names, aggregations, ops, quantities),
    st.builds(ast.ShareCondition, ratios, names, ops, quantities),
)


@st.composite
def windows(draw: st.DrawFn) -> ast.Window:
    period = draw(st.sampled_from(list(ast.Period)))
    if period in (ast.Period.DAY, ast.Period.WEEK) or draw(st.booleans()):
        return ast.Window(period)
    day = draw(st.integers(1, 28))
    month = draw(st.none() | st.integers(1, 12)) if period is not ast.Period.MONTH else None
    if day == 1 and month in (None, 1):
        return ast.Window(period)
    return ast.Window(period, day, month)


tests = st.one_of(
    st.builds(
        ast.DimensionTest, names, st.sampled_from([ast.FilterOp.EQ, ast.FilterOp.NE]), st.tuples(texts)
    ),
    st.builds(
        ast.DimensionTest,
        names,
        st.sampled_from([ast.FilterOp.IN, ast.FilterOp.NOT_IN]),
        st.lists(texts, min_size=1, max_size=3).map(tuple),
    ),
)
single_options = [
    st.builds(ast.MinSamples, st.integers(0, 10**6)),
    st.one_of(
        st.builds(ast.FixedCredit, amounts),
        st.builds(ast.LinearCredit, ratios, quantities, st.sampled_from(list(ast.Direction))),
        st.builds(ast.PoolCredit, ratios),
    ),
    st.builds(ast.MaxCredit, amounts),
    st.builds(ast.EarnBack, st.integers(0, 12)),
    st.builds(ast.Chronic, st.integers(0, 12), st.integers(0, 12)),
    st.builds(ast.Bonus, amounts, ops, quantities),
    st.builds(ast.UseCalendar, names),
    st.builds(ast.Owner, texts),
]


@st.composite
def options(draw: st.DrawFn) -> tuple[ast.Option, ...]:
    chosen: list[ast.Option] = [draw(s) for s in single_options if draw(st.booleans())]
    chosen += draw(st.lists(st.builds(ast.Tier, amounts, ops, quantities), max_size=3))
    return tuple(sorted(chosen, key=ast.option_rank))


clauses = st.builds(
    ast.Clause,
    st.sampled_from(list(ast.ClauseKind)),
    st.none() | texts,
    conditions,
    windows(),
    st.lists(tests, max_size=3).map(tuple),
    options(),
)


@st.composite
def hours(draw: st.DrawFn) -> tuple[ast.HoursRange, ...]:
    """Non-overlapping ranges: each on its own days or its own part of the day."""
    count = draw(st.integers(1, 3))
    slots = sorted(draw(st.lists(st.integers(0, 1440), min_size=2 * count, max_size=2 * count, unique=True)))
    result = []
    for index in range(count):
        first = draw(st.integers(0, 6))
        last = draw(st.integers(0, 6))
        result.append(ast.HoursRange(first, last, slots[2 * index], slots[2 * index + 1]))
    return tuple(result)


calendars = st.builds(
    ast.Calendar,
    st.none() | names,
    hours(),
    st.lists(st.dates(date(2020, 1, 1), date(2035, 12, 31)), max_size=4, unique=True).map(
        lambda days: tuple(sorted(days))
    ),
)


def _header(keyword: str) -> st.SearchStrategy[ast.TextHeader | None]:
    return st.none() | st.builds(ast.TextHeader, st.just(keyword), texts)


@st.composite
def policies(draw: st.DrawFn) -> ast.Policy:
    cals = draw(st.lists(calendars, max_size=3, unique_by=lambda c: c.name))
    cals.sort(key=lambda c: c.name is not None)
    return ast.Policy(
        name=draw(_header("policy")),
        client=draw(_header("client")),
        provider=draw(_header("provider")),
        fee=draw(
            st.none()
            | st.builds(
                ast.Fee, money, st.sampled_from([ast.Period.MONTH, ast.Period.QUARTER, ast.Period.YEAR])
            )
        ),
        cap=draw(st.none() | st.builds(ast.Cap, amounts)),
        annual_cap=draw(st.none() | st.builds(ast.AnnualCap, ratios)),
        timezone=draw(_header("timezone")),
        calendars=tuple(cals),
        metrics=tuple(
            draw(
                st.lists(
                    st.builds(
                        ast.MetricDecl, names, st.sampled_from(list(ast.MetricKind)), st.none() | texts
                    ),
                    max_size=3,
                )
            )
        ),
        clauses=tuple(draw(st.lists(clauses, max_size=4))),
    )
