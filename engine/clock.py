"""Business-time clocks: how much of a stretch of time falls inside a calendar's working hours.

An instant is *working time* when, in the policy's time zone, the local clock
shows a time inside one of the calendar's ranges for that weekday and the
local date is not a holiday. The business duration between ``start`` and
``end`` is the real time elapsed at working instants between them. So:

- a ticket logged at night starts counting at the next opening; one logged
  and closed outside the hours measures 0;
- on a daylight-saving day, ``09:00-17:00`` lasts 8 hours when the change
  falls outside it; a range that contains the change lasts the real time
  elapsed (``00:00-06:00`` is 5 hours in spring and 7 in autumn);
- a range that starts at a skipped local time starts at the instant of the
  jump; a repeated local time inside a range counts both times it occurs.

``1 business day`` (:attr:`BusinessClock.day_seconds`) is the working
length shared by most weekdays, ties to the longer (see
:func:`engine.clock_days.business_day_minutes`).

The clock keeps a table of the working intervals, as instants, over the
span of the data it has seen, with the business time accumulated before each
interval; a duration is two binary searches, whatever its length.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from dsl.ast import Calendar

from .clock_days import DAY_MICROS, Int64Array, business_day_minutes, wall_intervals
from .clock_zone import offset_stretches, wall_to_instants

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
# Tables are built for whole blocks of days beyond the data, so that a stream
# of evaluations over neighbouring ranges rarely rebuilds them.
_BLOCK_MICROS = 64 * DAY_MICROS


@dataclass(frozen=True, slots=True)
class _Table:
    """Working intervals ``[starts[i], ends[i])`` of instants in ``[lo, hi)``, and the business
    time before each (``before[i]``), all in microseconds."""

    lo: int
    hi: int
    starts: Int64Array
    ends: Int64Array
    before: Int64Array

    def covers(self, lo: int, hi: int) -> bool:
        return self.lo <= lo and hi <= self.hi

    def elapsed(self, instants: Int64Array) -> Int64Array:
        """Business time from ``lo`` to each instant (which must lie in ``[lo, hi]``)."""
        if self.starts.size == 0:
            return np.zeros(instants.shape, dtype=np.int64)
        index = np.searchsorted(self.starts, instants, side="right") - 1
        clamped = np.maximum(index, 0)
        inside = np.clip(instants - self.starts[clamped], 0, self.ends[clamped] - self.starts[clamped])
        return np.where(index >= 0, self.before[clamped] + inside, 0)


class BusinessClock:
    """Measures business time under one calendar in one time zone.

    Raises :class:`zoneinfo.ZoneInfoNotFoundError` for a zone the tz database
    does not know (the checker reports that earlier, with a line and column).
    """

    def __init__(self, calendar: Calendar, zone: str) -> None:
        self.calendar = calendar
        self.zone = zone
        self._zone = ZoneInfo(zone)
        self.day_seconds: int = business_day_minutes(calendar) * 60
        self._table: _Table | None = None

    def micros_between(self, start: Int64Array, end: Int64Array) -> Int64Array:
        """Business microseconds from each ``start`` to the matching ``end``.

        Both are int64 microseconds since 1970-01-01T00:00:00Z, of one shape.
        Returns int64 microseconds of business time; negative where ``end``
        is before ``start`` (the duration the other way round, negated).
        """
        start = np.asarray(start, dtype=np.int64)
        end = np.asarray(end, dtype=np.int64)
        if start.shape != end.shape:
            raise ValueError(f"start and end differ in shape: {start.shape} and {end.shape}")
        if start.size == 0:
            return np.zeros(start.shape, dtype=np.int64)
        lo = int(min(start.min(), end.min()))
        hi = int(max(start.max(), end.max()))
        table = self._table_for(lo, hi)
        result: Int64Array = table.elapsed(end) - table.elapsed(start)
        return result

    def seconds_between(self, start: datetime, end: datetime) -> float:
        """Business seconds from ``start`` to ``end``; both must carry a time zone.

        Raises :class:`ValueError` for a naive datetime.
        """
        for moment in (start, end):
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise ValueError(f"{moment.isoformat()} has no time zone; business time needs one")
        micros = np.array([(start - _EPOCH) // _MICROSECOND, (end - _EPOCH) // _MICROSECOND], dtype=np.int64)
        return float(self.micros_between(micros[:1], micros[1:])[0]) / 1e6

    def _table_for(self, lo: int, hi: int) -> _Table:
        table = self._table
        if table is not None and table.covers(lo, hi):
            return table
        if table is not None:
            lo, hi = min(lo, table.lo), max(hi, table.hi)
        # Whole blocks, one spare block each side; hi must lie strictly inside.
        lo = (lo // _BLOCK_MICROS - 1) * _BLOCK_MICROS
        hi = (hi // _BLOCK_MICROS + 2) * _BLOCK_MICROS
        table = self._build(lo, hi)
        # Replaced whole, never mutated: a clock shared between threads stays consistent.
        self._table = table
        return table

    def _build(self, lo: int, hi: int) -> _Table:
        stretch_starts, offsets = offset_stretches(self._zone, lo, hi)
        # Local dates that any instant in [lo, hi) can show, with a day to spare.
        first_day = (lo + int(offsets.min())) // DAY_MICROS - 1
        last_day = (hi + int(offsets.max())) // DAY_MICROS + 1
        wall_starts, wall_ends = wall_intervals(self.calendar, first_day, last_day)
        starts, ends = wall_to_instants(wall_starts, wall_ends, stretch_starts, offsets, hi)
        lengths = ends - starts
        before = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
        return _Table(lo, hi, starts, ends, before)


@functools.cache
def business_clock(calendar: Calendar, zone: str) -> BusinessClock:
    """The shared clock for a calendar and a zone (built once, then cached).

    Raises :class:`zoneinfo.ZoneInfoNotFoundError` for an unknown zone.
    """
    return BusinessClock(calendar, zone)
