"""Working hours in local wall time: the calendar's week laid over a run of dates.

Wall time is local time written as if it were UTC: microseconds since
1970-01-01T00:00 *local*, so that a local date ``d`` (days since 1970-01-01)
runs from ``d * DAY_MICROS`` to ``(d + 1) * DAY_MICROS`` on every date, whatever
daylight saving does. :mod:`engine.clock_zone` turns wall time into real instants.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import numpy as np
import numpy.typing as npt

from dsl.ast import Calendar

MINUTE_MICROS = 60_000_000
DAY_MICROS = 86_400_000_000
_EPOCH = date(1970, 1, 1)
# 1970-01-01 was a Thursday; the calendar numbers Monday 0 ... Sunday 6.
_EPOCH_WEEKDAY = 3

Int64Array = npt.NDArray[np.int64]


def weekly_ranges(calendar: Calendar) -> tuple[tuple[tuple[int, int], ...], ...]:
    """The working ranges of each weekday, Monday first: ``(start_minute, end_minute)`` pairs.

    Returns seven tuples, each sorted by start. Ranges never overlap (the
    parser rejects that with E144).
    """
    days: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for hours in calendar.hours:
        for day in hours.days:
            days[day].append((hours.start_minute, hours.end_minute))
    return tuple(tuple(sorted(ranges)) for ranges in days)


def business_day_minutes(calendar: Calendar) -> int:
    """The length of ``1 business day``, in minutes of local time.

    Returns the working length shared by the most weekdays; of two lengths
    shared by equally many weekdays, the longer. ``Mon-Fri 09:00-17:30,
    Sat 09:00-13:00`` gives 510 (five days of 8h30 against one of 4h).
    Holidays and daylight saving play no part: the figure is the one a
    reader of the contract works out from the written hours.
    """
    lengths = Counter(
        sum(end - start for start, end in ranges) for ranges in weekly_ranges(calendar) if ranges
    )
    if not lengths:
        return 0
    return max(lengths.items(), key=lambda item: (item[1], item[0]))[0]


def holiday_numbers(calendar: Calendar) -> Int64Array:
    """The calendar's holidays as day numbers (days since 1970-01-01), sorted."""
    return np.array(sorted({(day - _EPOCH).days for day in calendar.holidays}), dtype=np.int64)


def wall_intervals(calendar: Calendar, first_day: int, last_day: int) -> tuple[Int64Array, Int64Array]:
    """The working intervals of local dates ``first_day`` to ``last_day`` inclusive, in wall time.

    Returns ``(starts, ends)``: sorted, disjoint, end exclusive, holidays left
    out. Intervals that meet (``22:00-24:00`` then ``00:00-06:00`` next day)
    stay separate; the caller merges after mapping to instants.
    """
    days = np.arange(first_day, last_day + 1, dtype=np.int64)
    days = days[~np.isin(days, holiday_numbers(calendar))]
    weekdays = (days + _EPOCH_WEEKDAY) % 7
    starts: list[Int64Array] = []
    ends: list[Int64Array] = []
    for weekday, ranges in enumerate(weekly_ranges(calendar)):
        chosen = days[weekdays == weekday] * DAY_MICROS
        for start, end in ranges:
            starts.append(chosen + start * MINUTE_MICROS)
            ends.append(chosen + end * MINUTE_MICROS)
    if not starts:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty.copy()
    all_starts = np.concatenate(starts)
    all_ends = np.concatenate(ends)
    order = np.argsort(all_starts, kind="stable")
    return all_starts[order], all_ends[order]
