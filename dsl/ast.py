"""Typed syntax tree of a policy.

Every node is a frozen, slotted dataclass. Children are tuples, so trees are
hashable and comparable. Every node carries a source ``span`` and statements
carry their ``comments``; equality and hashing ignore both, so that two texts
that differ only in layout or comments parse to equal trees.

Quantities are exact: numbers are :class:`decimal.Decimal` as written, a
duration is a number of seconds, a ratio is a fraction (``99.9%`` is
``Decimal("0.999")``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeAlias, TypeVar

_O = TypeVar("_O")


@dataclass(frozen=True, slots=True)
class Span:
    """Where a node stands in the source: 1-based lines and columns, end exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


def _span() -> Span | None:
    return field(default=None, compare=False, repr=False, kw_only=True)


def _comments() -> tuple[str, ...]:
    return field(default=(), compare=False, repr=False, kw_only=True)


# --- enumerations -------------------------------------------------------------


class Op(enum.Enum):
    """A comparator, by its canonical symbol."""

    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="

    @property
    def is_upper(self) -> bool:
        """Whether the comparator bounds the value from above (``<``, ``<=``): a larger value misses."""
        return self in (Op.LT, Op.LE)

    def holds(self, left: Decimal | float, right: Decimal | float) -> bool:
        """Compare exactly (no tolerance); the engine applies the 1e-9 rule itself."""
        match self:
            case Op.LT:
                return left < right
            case Op.LE:
                return left <= right
            case Op.GT:
                return left > right
            case Op.GE:
                return left >= right


class MetricKind(enum.Enum):
    DURATION = "duration"
    RATIO = "ratio"
    COUNT = "count"
    NUMBER = "number"


class Period(enum.Enum):
    """A calendar period: the length of a window or of a fee period."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    @property
    def adverb(self) -> str:
        """The canonical window word: ``monthly``, ``daily``, ..."""
        return _ADVERBS[self]


_ADVERBS = {
    Period.DAY: "daily",
    Period.WEEK: "weekly",
    Period.MONTH: "monthly",
    Period.QUARTER: "quarterly",
    Period.YEAR: "yearly",
}


class ClauseKind(enum.Enum):
    SLA = "sla"
    KPI = "kpi"


class FilterOp(enum.Enum):
    EQ = "="
    NE = "!="
    IN = "in"
    NOT_IN = "not in"


class Direction(enum.Enum):
    """The side of the target on which a linear credit accrues."""

    OVER = "over"
    UNDER = "under"


class BusinessUnit(enum.Enum):
    HOURS = "hours"
    DAYS = "days"


# --- quantities ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Duration:
    """Elapsed time, in seconds."""

    seconds: Decimal
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class BusinessDuration:
    """Time counted inside the calendar: ``8 business hours``, ``2 business days``."""

    amount: Decimal
    unit: BusinessUnit
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Ratio:
    """A percentage, held as a fraction: ``99.9%`` is ``0.999``."""

    fraction: Decimal
    span: Span | None = _span()

    @property
    def percent(self) -> Decimal:
        return self.fraction * 100


@dataclass(frozen=True, slots=True)
class Number:
    """A bare number: a count or a plain figure."""

    value: Decimal
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str
    span: Span | None = _span()


Quantity: TypeAlias = Duration | BusinessDuration | Ratio | Number
Amount: TypeAlias = Ratio | Money
"""A credit, cap or maximum: a share of the fee or a sum of money."""


# --- clause parts -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Aggregation:
    """``p95``, ``p99.9``, ``median``, ``mean``, ``min``, ``max``, ``sum``, ``count``.

    ``name`` is ``"percentile"`` for ``pNN``, with ``percentile`` set.
    """

    name: str
    percentile: Decimal | None = None
    span: Span | None = _span()

    @property
    def label(self) -> str:
        """The aggregation as written canonically: ``p95``, ``p99.9``, ``mean``."""
        if self.percentile is not None:
            return "p" + format_decimal(self.percentile)
        return self.name


@dataclass(frozen=True, slots=True)
class AggregateCondition:
    """``METRIC AGG CMP QUANTITY``."""

    metric: str
    aggregation: Aggregation
    op: Op
    threshold: Quantity
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class ShareCondition:
    """``P% of METRIC CMP QUANTITY``: at least ``share`` of the values satisfy the test."""

    share: Ratio
    metric: str
    op: Op
    threshold: Quantity
    span: Span | None = _span()


Condition: TypeAlias = AggregateCondition | ShareCondition


@dataclass(frozen=True, slots=True)
class Window:
    """A calendar-aligned window, optionally anchored (``monthly from day 16``).

    ``anchor_day`` is None for the default (day 1); ``anchor_month`` (1-12) only
    for quarters and years.
    """

    period: Period
    anchor_day: int | None = None
    anchor_month: int | None = None
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class DimensionTest:
    """One test of a filter: ``priority = "P1"``, ``region not in ("EU", "UK")``."""

    dimension: str
    op: FilterOp
    values: tuple[str, ...]
    span: Span | None = _span()


# --- options ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MinSamples:
    count: int
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class FixedCredit:
    """``credit 5%`` (or ``per breach``) or ``credit 500 EUR``."""

    amount: Amount
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class LinearCredit:
    """``credit 1% per 10 over``: rate for each started step by which the value misses."""

    rate: Ratio
    step: Quantity
    direction: Direction
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class PoolCredit:
    """``credit 40% of pool``: a share of the amount at risk."""

    share: Ratio
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Tier:
    """``10% if < 99.5%``: replaces the base credit when the window's value satisfies it."""

    amount: Amount
    op: Op
    threshold: Quantity
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class MaxCredit:
    amount: Amount
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class EarnBack:
    after_met: int
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Chronic:
    breaches: int
    of_windows: int
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Bonus:
    amount: Amount
    op: Op
    threshold: Quantity
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class UseCalendar:
    name: str
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Owner:
    name: str
    span: Span | None = _span()


Credit: TypeAlias = FixedCredit | LinearCredit | PoolCredit
Option: TypeAlias = (
    MinSamples
    | FixedCredit
    | LinearCredit
    | PoolCredit
    | Tier
    | MaxCredit
    | EarnBack
    | Chronic
    | Bonus
    | UseCalendar
    | Owner
)
CONSEQUENCES = (FixedCredit, LinearCredit, PoolCredit, Tier, MaxCredit, EarnBack, Chronic, Bonus)
"""Options a ``kpi`` clause may not carry."""

_OPTION_ORDER: dict[type, int] = {
    MinSamples: 0,
    FixedCredit: 1,
    LinearCredit: 1,
    PoolCredit: 1,
    Tier: 2,
    MaxCredit: 3,
    EarnBack: 4,
    Chronic: 5,
    Bonus: 6,
    UseCalendar: 7,
    Owner: 8,
}


def option_rank(option: Option) -> int:
    """Position of an option in canonical order (tiers keep their written order)."""
    return _OPTION_ORDER[type(option)]


# --- statements ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Clause:
    """One ``sla`` or ``kpi`` line. ``options`` are in canonical order."""

    kind: ClauseKind
    name: str | None
    condition: Condition
    window: Window
    filter: tuple[DimensionTest, ...] = ()
    options: tuple[Option, ...] = ()
    span: Span | None = _span()
    comments: tuple[str, ...] = _comments()

    @property
    def metric(self) -> str:
        return self.condition.metric

    def option(self, kind: type[_O]) -> _O | None:
        """The first option of this type, or None."""
        for option in self.options:
            if isinstance(option, kind):
                return option
        return None

    @property
    def credit(self) -> Credit | None:
        for option in self.options:
            if isinstance(option, FixedCredit | LinearCredit | PoolCredit):
                return option
        return None

    @property
    def tiers(self) -> tuple[Tier, ...]:
        return tuple(o for o in self.options if isinstance(o, Tier))


@dataclass(frozen=True, slots=True)
class Fee:
    amount: Money
    period: Period
    span: Span | None = _span()
    comments: tuple[str, ...] = _comments()


@dataclass(frozen=True, slots=True)
class Cap:
    """``cap 12%`` / ``at risk 12%`` / ``cap 20000 EUR``: the pool per fee period."""

    amount: Amount
    span: Span | None = _span()
    comments: tuple[str, ...] = _comments()


@dataclass(frozen=True, slots=True)
class AnnualCap:
    share: Ratio
    span: Span | None = _span()
    comments: tuple[str, ...] = _comments()


@dataclass(frozen=True, slots=True)
class HoursRange:
    """``Mon-Fri 09:00-17:30``: days 0 (Monday) to 6, inclusive, possibly wrapping;
    times in minutes after local midnight, end exclusive (``24:00`` is 1440)."""

    first_day: int
    last_day: int
    start_minute: int
    end_minute: int

    @property
    def days(self) -> tuple[int, ...]:
        count = (self.last_day - self.first_day) % 7 + 1
        return tuple((self.first_day + i) % 7 for i in range(count))


@dataclass(frozen=True, slots=True)
class Calendar:
    """Business hours; ``name`` is None for the default calendar."""

    name: str | None
    hours: tuple[HoursRange, ...]
    holidays: tuple[date, ...] = ()
    span: Span | None = _span()
    comments: tuple[str, ...] = _comments()


@dataclass(frozen=True, slots=True)
class MetricDecl:
    name: str
    kind: MetricKind
    definition: str | None = None
    span: Span | None = _span()
    comments: tuple[str, ...] = _comments()


@dataclass(frozen=True, slots=True)
class TextHeader:
    """``policy``, ``client``, ``provider`` or ``timezone`` with its string."""

    keyword: str
    value: str
    span: Span | None = _span()
    comments: tuple[str, ...] = _comments()


@dataclass(frozen=True, slots=True)
class Policy:
    """A whole policy, statements grouped and in canonical order."""

    name: TextHeader | None = None
    client: TextHeader | None = None
    provider: TextHeader | None = None
    fee: Fee | None = None
    cap: Cap | None = None
    annual_cap: AnnualCap | None = None
    timezone: TextHeader | None = None
    calendars: tuple[Calendar, ...] = ()
    metrics: tuple[MetricDecl, ...] = ()
    clauses: tuple[Clause, ...] = ()
    trailing_comments: tuple[str, ...] = _comments()

    @property
    def zone(self) -> str:
        """The IANA time zone windows are aligned in (``UTC`` by default)."""
        return self.timezone.value if self.timezone else "UTC"

    def calendar(self, name: str | None) -> Calendar | None:
        for calendar in self.calendars:
            if calendar.name == name:
                return calendar
        return None


Statement: TypeAlias = TextHeader | Fee | Cap | AnnualCap | Calendar | MetricDecl | Clause


def format_decimal(value: Decimal) -> str:
    """A decimal as plain digits, without exponent or trailing zeros: ``0.5``, ``120000``."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
