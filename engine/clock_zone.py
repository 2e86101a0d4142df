"""From local wall time to real instants, across daylight-saving changes.

A zone's UTC offset is constant between its transitions, so a stretch of
instants ``[u0, u1)`` with offset ``o`` shows the local clock times
``[u0 + o, u1 + o)``. An instant is working time when the local clock shows a
working time; mapping each stretch separately therefore gives, for every
working interval in wall time, exactly the instants at which the clock shows it:

- a local time that is skipped (spring forward) is shown by no instant, so a
  range that starts in the gap starts at the instant of the jump;
- a local time that is repeated (fall back) is shown twice, and both passes
  count, so a range that covers the repeated hour lasts one hour longer.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np

from .clock_days import Int64Array

SECOND_MICROS = 1_000_000
# Transitions are found by sampling the offset every hour; no zone in the tz
# database changes its offset twice within an hour.
_SAMPLE_SECONDS = 3600


def _offset_seconds(zone: ZoneInfo, second: int) -> int:
    offset = datetime.fromtimestamp(second, UTC).astimezone(zone).utcoffset()
    assert offset is not None  # a ZoneInfo always knows its offset
    return int(offset.total_seconds())


def offset_stretches(zone: ZoneInfo, lo: int, hi: int) -> tuple[Int64Array, Int64Array]:
    """The stretches of constant UTC offset between instants ``lo`` and ``hi`` (microseconds).

    Returns ``(starts, offsets)`` in microseconds: stretch ``k`` runs from
    ``starts[k]`` to ``starts[k + 1]`` (the last one to ``hi``) with local
    time = instant + ``offsets[k]``. ``starts[0]`` is ``lo``.
    """
    first = lo // SECOND_MICROS
    last = -(-hi // SECOND_MICROS)
    starts = [lo]
    offsets = [_offset_seconds(zone, first)]
    previous = first
    for second in range(first + _SAMPLE_SECONDS, last + _SAMPLE_SECONDS, _SAMPLE_SECONDS):
        sample = min(second, last)
        offset = _offset_seconds(zone, sample)
        if offset != offsets[-1]:
            # The change lies in (previous, sample]: find its first second.
            low, high = previous, sample
            while high - low > 1:
                middle = (low + high) // 2
                if _offset_seconds(zone, middle) == offset:
                    high = middle
                else:
                    low = middle
            starts.append(high * SECOND_MICROS)
            offsets.append(offset)
        previous = sample
    return np.array(starts, dtype=np.int64), np.array(offsets, dtype=np.int64) * SECOND_MICROS


def wall_to_instants(
    wall_starts: Int64Array,
    wall_ends: Int64Array,
    stretch_starts: Int64Array,
    stretch_offsets: Int64Array,
    hi: int,
) -> tuple[Int64Array, Int64Array]:
    """The instants in ``[stretch_starts[0], hi)`` whose local clock shows a time in the wall intervals.

    ``wall_*`` must be sorted and disjoint. Returns ``(starts, ends)`` of
    sorted, disjoint intervals of instants, intervals that meet merged into one.
    """
    starts: list[Int64Array] = []
    ends: list[Int64Array] = []
    bounds = [*stretch_starts.tolist(), hi]
    for index, offset in enumerate(stretch_offsets.tolist()):
        u0, u1 = bounds[index], bounds[index + 1]
        first = int(np.searchsorted(wall_ends, u0 + offset, side="right"))
        last = int(np.searchsorted(wall_starts, u1 + offset, side="left"))
        a = np.maximum(wall_starts[first:last] - offset, u0)
        b = np.minimum(wall_ends[first:last] - offset, u1)
        keep = a < b
        starts.append(a[keep])
        ends.append(b[keep])
    if not starts:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty.copy()
    return _merge(np.concatenate(starts), np.concatenate(ends))


def _merge(starts: Int64Array, ends: Int64Array) -> tuple[Int64Array, Int64Array]:
    if starts.size == 0:
        return starts, ends
    # A new interval begins wherever it does not meet the one before.
    opens = np.concatenate(([True], starts[1:] != ends[:-1]))
    closes = np.concatenate((opens[1:], [True]))
    return starts[opens], ends[closes]
