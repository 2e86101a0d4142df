"""A naive business clock that walks the time minute by minute: the yardstick for engine.clock.

It shares no code with ``engine``. It asks the tz database for the local time
of every minute between start and end and counts the minute (or the part of
it inside the interval) when that local time is a working minute of a
working day. That is correct whenever the zone's offsets and transitions fall
on whole minutes, which is true of every zone used in the tests.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from dsl.ast import Calendar

MINUTE = 60_000_000


def _working_minutes(calendar: Calendar) -> frozenset[int]:
    """Every working minute of the week, as ``weekday * 1440 + minute of day``."""
    minutes: set[int] = set()
    for hours in calendar.hours:
        day = hours.first_day
        while True:
            minutes.update(day * 1440 + m for m in range(hours.start_minute, hours.end_minute))
            if day == hours.last_day:
                break
            day = (day + 1) % 7
    return frozenset(minutes)


class ReferenceClock:
    """Business microseconds by stepping through every minute."""

    def __init__(self, calendar: Calendar, zone: str) -> None:
        self.zone = ZoneInfo(zone)
        self.week = _working_minutes(calendar)
        self.holidays: frozenset[date] = frozenset(calendar.holidays)

    def is_working(self, minute_start: int) -> bool:
        """Whether the local clock shows a working minute at this instant (microseconds UTC)."""
        local = datetime.fromtimestamp(minute_start // 1_000_000, self.zone)
        if local.date() in self.holidays:
            return False
        return local.weekday() * 1440 + local.hour * 60 + local.minute in self.week

    def micros_between(self, start: int, end: int) -> int:
        """Business microseconds from ``start`` to ``end`` (microseconds since the epoch, UTC)."""
        if end < start:
            return -self.micros_between(end, start)
        total = 0
        minute = start - start % MINUTE
        while minute < end:
            if self.is_working(minute):
                total += min(minute + MINUTE, end) - max(minute, start)
            minute += MINUTE
        return total
