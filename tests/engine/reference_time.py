"""Time for the reference evaluator: windows, fee periods and business seconds, by plain loops.

Part of the reference of :mod:`tests.engine.reference`; shares no code with ``engine/``.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from dsl import ast

MICRO = timedelta(microseconds=1)


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of local ``day``: its 00:00 (the first one, if the clocks show it twice),
    or, where the zone skips 00:00, the first quarter-hour whose local date is ``day``."""
    naive = datetime(day.year, day.month, day.day)
    guess = naive.replace(tzinfo=zone).astimezone(UTC)
    if guess.astimezone(zone).replace(tzinfo=None) == naive:
        return guess
    step = guess - timedelta(hours=3)
    while step.astimezone(zone).date() < day:
        step += timedelta(minutes=15)
    return step


def window_starts(window: ast.Window, first: date, last: date) -> list[date]:
    """Every date on which a window starts, from well before ``first`` to well after ``last``."""
    low, high = first - timedelta(days=400), last + timedelta(days=400)
    if window.period in (ast.Period.DAY, ast.Period.WEEK):
        days = [low + timedelta(days=i) for i in range((high - low).days)]
        return [d for d in days if window.period is ast.Period.DAY or d.weekday() == 0]
    step = {ast.Period.MONTH: 1, ast.Period.QUARTER: 3, ast.Period.YEAR: 12}[window.period]
    months = [m for m in range(1, 13) if (m - (window.anchor_month or 1)) % step == 0]
    return [date(y, m, window.anchor_day or 1) for y in range(low.year, high.year + 1) for m in months]


def windows_of(
    window: ast.Window, zone: ZoneInfo, first: datetime, stop: datetime
) -> list[tuple[datetime, datetime]]:
    """The windows ``[start, end)`` that overlap ``[first, stop)``."""
    days = window_starts(window, first.astimezone(zone).date(), stop.astimezone(zone).date())
    spans = [(local_midnight(a, zone), local_midnight(b, zone)) for a, b in pairwise(days)]
    return [(lo, hi) for lo, hi in spans if lo < stop and hi > first]


def fee_period_of(day: date, period: ast.Period) -> tuple[date, date, int]:
    """The fee period holding local ``day``: its first day, the next one's, and its number."""
    months = {ast.Period.MONTH: 1, ast.Period.QUARTER: 3, ast.Period.YEAR: 12}[period]
    month = (day.month - 1) // months * months
    number = (day.year * 12 + month) // months
    after = day.year * 12 + month + months
    return date(day.year, month + 1, 1), date(after // 12, after % 12 + 1, 1), number


def day_length(calendar: ast.Calendar) -> int:
    """Seconds in one business day: the working-day length most weekdays have (ties: the longer)."""
    minutes = Counter[int]()
    for hours in calendar.hours:
        for day in hours.days:
            minutes[day] += hours.end_minute - hours.start_minute
    lengths = Counter(m for m in minutes.values() if m > 0)
    return max(lengths, key=lambda m: (lengths[m], m)) * 60


def business_seconds(calendar: ast.Calendar, zone: ZoneInfo, start: datetime, end: datetime) -> float:
    """Seconds from ``start`` to ``end`` at which the local wall clock shows a working time.

    Walks UTC quarter-hours: within one the zone's offset is constant (the test zones'
    offsets and changes fall on whole quarter-hours), so the wall clock is the instant plus
    that offset, and a working range ``[s, e)`` of a local date D is the instants
    ``[D+s-offset, D+e-offset)``; a quarter-hour may touch two local dates.
    """
    total = timedelta(0)
    step = start.astimezone(UTC)
    step = step.replace(minute=step.minute // 15 * 15, second=0, microsecond=0)
    while step < end:
        following = step + timedelta(minutes=15)
        offset = step.astimezone(zone).utcoffset()
        assert offset is not None
        for day in sorted({(step + offset).date(), (following - MICRO + offset).date()}):
            if day in calendar.holidays:
                continue
            midnight = datetime(day.year, day.month, day.day, tzinfo=UTC) - offset
            for hours in calendar.hours:
                if day.weekday() in hours.days:
                    low = max(midnight + timedelta(minutes=hours.start_minute), step, start)
                    high = min(midnight + timedelta(minutes=hours.end_minute), following, end)
                    total += max(high - low, timedelta(0))
        step = following
    return total / timedelta(seconds=1)
