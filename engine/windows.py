"""Calendar windows: the instants at which days, weeks, months, quarters and years begin.

Windows are aligned in the policy's time zone (language.md, Windows): a day
starts at local midnight, or at its first instant when the zone skips
midnight; weeks start on Monday; months, quarters and years start on their
anchor day (``monthly from day 16``, ``quarterly from day 1 of February``).
All instants here are integers: microseconds since 1970-01-01T00:00:00Z.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from dsl import ast

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MONTHS_PER = {ast.Period.MONTH: 1, ast.Period.QUARTER: 3, ast.Period.YEAR: 12}
"""The length in months of each period that is counted in months."""

RANK = {
    ast.Period.DAY: 0,
    ast.Period.WEEK: 1,
    ast.Period.MONTH: 2,
    ast.Period.QUARTER: 3,
    ast.Period.YEAR: 4,
}
"""Periods ordered by length: a window is longer than a fee period when its rank is higher."""


@dataclass(frozen=True, slots=True)
class Span:
    """One window or fee period: ``[start, end)`` in microseconds since the epoch, UTC."""

    start: int
    end: int


def to_micros(moment: datetime) -> int:
    """An aware datetime as microseconds since the epoch (exact, no float)."""
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(micros: int, zone: ZoneInfo) -> datetime:
    """Microseconds since the epoch as an aware datetime in ``zone``."""
    return (_EPOCH + timedelta(microseconds=micros)).astimezone(zone)


def isoformat(micros: int, zone: ZoneInfo) -> str:
    """ISO 8601 with the zone's UTC offset at that instant: ``2026-01-01T00:00:00+00:00``."""
    return from_micros(micros, zone).isoformat()


@cache
def zone_info(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def day_start(day: date, zone: ZoneInfo) -> int:
    """The first instant of local ``day``: its midnight, or the end of a gap that skips midnight.

    An ambiguous midnight (clocks set back to 00:00) starts at its first occurrence.
    """
    naive = datetime.combine(day, time())
    first = to_micros(naive.replace(tzinfo=zone, fold=0))
    if from_micros(first, zone).replace(tzinfo=None) == naive:
        return first
    # Midnight does not exist: the day begins at the transition, somewhere between the
    # two readings of the missing midnight. Search for the first instant on `day`.
    low = to_micros(naive.replace(tzinfo=zone, fold=1))
    high = first
    low, high = min(low, high), max(low, high)
    while high - low > 1:
        middle = (low + high) // 2
        if from_micros(middle, zone).date() >= day:
            high = middle
        else:
            low = middle
    return high if from_micros(low, zone).date() < day else low


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, day.day)


def _first_start_on_or_before(window: ast.Window, day: date) -> date:
    """The local start date of the window that holds local date ``day``."""
    match window.period:
        case ast.Period.DAY:
            return day
        case ast.Period.WEEK:
            return day - timedelta(days=day.weekday())
        case _:
            step = MONTHS_PER[window.period]
            anchor_day = window.anchor_day or 1
            anchor_month = window.anchor_month or 1
            # Months since the anchor month, modulo the step, tell which start precedes `day`.
            candidate = date(day.year, day.month, anchor_day)
            offset = (day.month - anchor_month) % step
            candidate = _add_months(candidate, -offset)
            if candidate > day:
                candidate = _add_months(candidate, -step)
            return candidate


def _next_start(window: ast.Window, start: date) -> date:
    match window.period:
        case ast.Period.DAY:
            return start + timedelta(days=1)
        case ast.Period.WEEK:
            return start + timedelta(days=7)
        case _:
            return _add_months(start, MONTHS_PER[window.period])


def windows_between(window: ast.Window, zone: ZoneInfo, first: int, last: int) -> list[Span]:
    """Every window that holds an instant of ``[first, last]`` (both inclusive), in time order.

    Returns an empty list when ``last < first``.
    """
    if last < first:
        return []
    local_day = from_micros(first, zone).date()
    start_day = _first_start_on_or_before(window, local_day)
    start = day_start(start_day, zone)
    if start > first:
        # The instant is before its local day's first instant only in a skipped midnight.
        start_day = _first_start_on_or_before(window, start_day - timedelta(days=1))
        start = day_start(start_day, zone)
    spans: list[Span] = []
    while start <= last:
        next_day = _next_start(window, start_day)
        end = day_start(next_day, zone)
        if end > first:
            spans.append(Span(start, end))
        start_day, start = next_day, end
    return spans
