"""The vectorised business clock against the minute-stepping reference, on random calendars."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dsl.ast import Calendar, HoursRange
from engine.clock import BusinessClock

from .clock_reference import ReferenceClock

# Zones with daylight saving in either hemisphere, half-hour and 45-minute
# offsets, a 30-minute change (Lord Howe), changes at midnight (Sao Paulo
# until 2019, Tehran until 2022) and none at all.
ZONES = (
    "UTC",
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "America/St_Johns",
    "Pacific/Chatham",
    "Asia/Kathmandu",
    "America/Sao_Paulo",
    "Asia/Tehran",
    "Pacific/Apia",
)
DAY = 86_400_000_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _overlaps(candidate: HoursRange, ranges: list[HoursRange]) -> bool:
    return any(
        set(candidate.days) & set(other.days)
        and candidate.start_minute < other.end_minute
        and other.start_minute < candidate.end_minute
        for other in ranges
    )


@st.composite
def hours_ranges(draw: st.DrawFn) -> tuple[HoursRange, ...]:
    """One to four non-overlapping ranges, as the parser would accept them."""
    ranges: list[HoursRange] = []
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, 1439))
        end = draw(st.integers(start + 1, 1440))
        candidate = HoursRange(draw(st.integers(0, 6)), draw(st.integers(0, 6)), start, end)
        if not _overlaps(candidate, ranges):
            ranges.append(candidate)
    return tuple(ranges)


@st.composite
def anchors(draw: st.DrawFn) -> int:
    """An instant in 2018-2030, mostly in months where clocks change, in microseconds."""
    year = draw(st.integers(2018, 2030))
    month = draw(st.sampled_from((1, 2, 3, 4, 9, 10, 11, 12)))
    day = datetime(year, month, draw(st.integers(1, 28)), tzinfo=UTC)
    return (day - EPOCH) // timedelta(microseconds=1) + draw(st.integers(0, DAY - 1))


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Calendar, str, int, list[int]]:
    """A calendar, a zone, and sorted instants within ten days of one another."""
    anchor = draw(anchors())
    first_day = date(1970, 1, 1) + timedelta(days=anchor // DAY)
    holidays = draw(st.lists(st.integers(-1, 11), max_size=4, unique=True))
    calendar = Calendar(
        None, draw(hours_ranges()), tuple(first_day + timedelta(days=offset) for offset in holidays)
    )
    # Whole seconds and stray microseconds, short and long gaps.
    gaps = st.one_of(st.integers(0, 3 * 3_600_000_000), st.integers(0, 3 * DAY), st.just(0))
    instants = [anchor]
    for gap in draw(st.lists(gaps, min_size=1, max_size=4)):
        instants.append(instants[-1] + gap)
    return calendar, draw(st.sampled_from(ZONES)), anchor, instants


# Pinned: London's repeated hour on 25 Oct 2026 with a range inside it, and New
# York's skipped hour on 8 Mar 2026 with a range starting in the gap.
_AUTUMN = (datetime(2026, 10, 24, 23, tzinfo=UTC) - EPOCH) // timedelta(microseconds=1)
_SPRING = (datetime(2026, 3, 8, 5, tzinfo=UTC) - EPOCH) // timedelta(microseconds=1)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
@example(
    (Calendar(None, (HoursRange(6, 6, 60, 90),)), "Europe/London", _AUTUMN, [_AUTUMN, _AUTUMN + DAY // 8])
)
@example(
    (
        Calendar(None, (HoursRange(6, 6, 150, 240),)),
        "America/New_York",
        _SPRING,
        [_SPRING, _SPRING + DAY // 4],
    )
)
def test_vectorised_clock_agrees_with_minute_stepping_reference(
    scenario: tuple[Calendar, str, int, list[int]],
) -> None:
    """Every consecutive pair and the whole run: the same business microseconds as the reference."""
    calendar, zone, _, instants = scenario
    clock = BusinessClock(calendar, zone)
    reference = ReferenceClock(calendar, zone)
    starts = np.array([*instants[:-1], instants[0]], dtype=np.int64)
    ends = np.array([*instants[1:], instants[-1]], dtype=np.int64)
    expected = [reference.micros_between(int(s), int(e)) for s, e in zip(starts, ends, strict=True)]
    assert clock.micros_between(starts, ends).tolist() == expected


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_business_time_is_additive_and_changes_sign_when_reversed(
    scenario: tuple[Calendar, str, int, list[int]],
) -> None:
    """d(a, c) = d(a, b) + d(b, c) for a <= b <= c, d(c, a) = -d(a, c), and never more than elapsed."""
    calendar, zone, _, instants = scenario
    clock = BusinessClock(calendar, zone)
    a, c = instants[0], instants[-1]
    b = instants[len(instants) // 2]
    forward = clock.micros_between(np.array([a, a, b], dtype=np.int64), np.array([c, b, c], dtype=np.int64))
    whole, left, right = forward.tolist()
    assert whole == left + right
    assert 0 <= whole <= c - a
    assert clock.micros_between(np.array([c], dtype=np.int64), np.array([a], dtype=np.int64)).tolist() == [
        -whole
    ]
