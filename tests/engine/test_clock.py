"""Business-time clocks on hand-worked cases (see docs/calendars.md for the rules)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from dsl.ast import Calendar
from dsl.hours import parse_hours
from engine.clock import BusinessClock, business_clock

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
HOUR = 3600.0


def calendar(hours: str, *holidays: str) -> Calendar:
    return Calendar(None, parse_hours(hours), tuple(date.fromisoformat(h) for h in holidays))


def hours_between(hours: str, zone: str, start: datetime, end: datetime, *holidays: str) -> float:
    return BusinessClock(calendar(hours, *holidays), zone).seconds_between(start, end) / HOUR


def micros(moment: datetime) -> int:
    return (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


OFFICE = "Mon-Fri 09:00-17:00"
ALWAYS = "Mon-Sun 00:00-24:00"


def test_a_ticket_spanning_a_weekend_counts_only_the_weekdays() -> None:
    """Fri 9 Jan 2026 15:00 to Mon 12 Jan 11:00, Mon-Fri 09:00-17:00:
    Fri 15:00-17:00 (2h) + Mon 09:00-11:00 (2h) = 4h."""
    start = datetime(2026, 1, 9, 15, tzinfo=LONDON)
    end = datetime(2026, 1, 12, 11, tzinfo=LONDON)
    assert hours_between(OFFICE, "Europe/London", start, end) == 4


def test_holidays_are_not_counted() -> None:
    """Mon-Fri 09:00-17:30, holidays Fri 25 and Mon 28 Dec 2026. Thu 24 Dec 16:00 to
    Tue 29 Dec 10:00: Thu 16:00-17:30 (1.5h) + Tue 09:00-10:00 (1h) = 2.5h."""
    start = datetime(2026, 12, 24, 16, tzinfo=LONDON)
    end = datetime(2026, 12, 29, 10, tzinfo=LONDON)
    hours = hours_between("Mon-Fri 09:00-17:30", "Europe/London", start, end, "2026-12-25", "2026-12-28")
    assert hours == 2.5


def test_holidays_are_local_dates_of_the_policy_zone() -> None:
    """Always open, holiday 25 Dec 2026 in Auckland (NZDT, UTC+13): the holiday runs
    from 24 Dec 11:00Z to 25 Dec 11:00Z. From 24 Dec 10:00Z to 25 Dec 12:00Z:
    1h before it + 1h after it = 2h."""
    start = datetime(2026, 12, 24, 10, tzinfo=UTC)
    end = datetime(2026, 12, 25, 12, tzinfo=UTC)
    assert hours_between(ALWAYS, "Pacific/Auckland", start, end, "2026-12-25") == 2


def test_a_ticket_opened_before_opening_time_starts_counting_at_opening() -> None:
    """Mon 12 Jan 2026 07:00 to 10:30, opening 09:00: 1.5h."""
    start = datetime(2026, 1, 12, 7, tzinfo=LONDON)
    end = datetime(2026, 1, 12, 10, 30, tzinfo=LONDON)
    assert hours_between(OFFICE, "Europe/London", start, end) == 1.5


def test_a_ticket_opened_at_night_starts_counting_at_the_next_opening() -> None:
    """Mon 12 Jan 2026 20:00 to Tue 10:00: nothing until Tue 09:00, then 1h."""
    start = datetime(2026, 1, 12, 20, tzinfo=LONDON)
    end = datetime(2026, 1, 13, 10, tzinfo=LONDON)
    assert hours_between(OFFICE, "Europe/London", start, end) == 1


def test_a_ticket_opened_and_closed_outside_hours_measures_zero() -> None:
    """Sat 10 Jan 2026 10:00 to Sun 11 Jan 12:00, and Mon 18:00 to Mon 23:00: 0 both."""
    assert (
        hours_between(
            OFFICE, "UTC", datetime(2026, 1, 10, 10, tzinfo=UTC), datetime(2026, 1, 11, 12, tzinfo=UTC)
        )
        == 0
    )
    assert (
        hours_between(
            OFFICE, "UTC", datetime(2026, 1, 12, 18, tzinfo=UTC), datetime(2026, 1, 12, 23, tzinfo=UTC)
        )
        == 0
    )


def test_a_ticket_ending_on_the_exact_closing_second_gets_the_whole_last_hour() -> None:
    """Hours end exclusive: 16:00:00 to 17:00:00 is 1h; 16:59:59 to 17:00:00 is 1s;
    17:00:00 to 18:00:00 is 0."""
    clock = BusinessClock(calendar(OFFICE), "UTC")
    monday = datetime(2026, 1, 12, tzinfo=UTC)
    assert clock.seconds_between(monday.replace(hour=16), monday.replace(hour=17)) == 3600
    assert clock.seconds_between(monday.replace(hour=16, minute=59, second=59), monday.replace(hour=17)) == 1
    assert clock.seconds_between(monday.replace(hour=17), monday.replace(hour=18)) == 0


def test_a_ticket_lasting_three_weeks_counts_fifteen_working_days() -> None:
    """Mon 5 Jan 2026 09:00 to Mon 26 Jan 09:00: 15 weekdays x 8h = 120h."""
    start = datetime(2026, 1, 5, 9, tzinfo=LONDON)
    end = datetime(2026, 1, 26, 9, tzinfo=LONDON)
    assert hours_between(OFFICE, "Europe/London", start, end) == 120


def test_several_ranges_per_day_count_each_range() -> None:
    """Mon-Fri 08:00-12:00, Mon-Fri 13:00-17:00, Sat 09:00-13:00; Fri 9 Jan 2026 11:00 to
    Mon 12 Jan 14:00: Fri 11-12 (1h) + 13-17 (4h) + Sat 09-13 (4h) + Mon 08-12 (4h)
    + 13-14 (1h) = 14h. A ticket over lunch, Mon 11:30 to 13:30, is 1h."""
    hours = "Mon-Fri 08:00-12:00, Mon-Fri 13:00-17:00, Sat 09:00-13:00"
    start = datetime(2026, 1, 9, 11, tzinfo=UTC)
    end = datetime(2026, 1, 12, 14, tzinfo=UTC)
    assert hours_between(hours, "UTC", start, end) == 14
    lunch = hours_between(
        hours, "UTC", datetime(2026, 1, 12, 11, 30, tzinfo=UTC), end.replace(hour=13, minute=30)
    )
    assert lunch == 1


def test_ranges_split_at_midnight_join_into_one_night_shift() -> None:
    """Mon-Fri 22:00-24:00, Tue-Sat 00:00-06:00: Mon 12 Jan 2026 23:00 to Tue 05:00 is 6h."""
    hours = "Mon-Fri 22:00-24:00, Tue-Sat 00:00-06:00"
    start = datetime(2026, 1, 12, 23, tzinfo=UTC)
    assert hours_between(hours, "UTC", start, start + timedelta(hours=6)) == 6


# --- daylight saving -------------------------------------------------------------


def test_office_hours_on_a_london_spring_change_keep_their_length() -> None:
    """Clocks go forward on Sun 29 Mar 2026 at 01:00 GMT, outside the hours.
    Fri 27 Mar 16:00 GMT to Mon 30 Mar 10:00 BST (65h elapsed): 1h + 1h = 2h."""
    start = datetime(2026, 3, 27, 16, tzinfo=LONDON)
    end = datetime(2026, 3, 30, 10, tzinfo=LONDON)
    assert hours_between(OFFICE, "Europe/London", start, end) == 2


def test_office_hours_on_a_london_autumn_change_keep_their_length() -> None:
    """Clocks go back on Sun 25 Oct 2026 at 02:00 BST. Fri 23 Oct 16:00 BST to
    Mon 26 Oct 10:00 GMT (67h elapsed): 2h."""
    start = datetime(2026, 10, 23, 16, tzinfo=LONDON)
    end = datetime(2026, 10, 26, 10, tzinfo=LONDON)
    assert hours_between(OFFICE, "Europe/London", start, end) == 2


def test_a_range_containing_the_change_lasts_the_real_elapsed_time() -> None:
    """Always open in London: Sun 29 Mar 2026 lasts 23h, Sun 25 Oct 2026 lasts 25h.
    ``Sun 00:00-06:00`` is 5h in spring, 7h in autumn."""
    spring = datetime(2026, 3, 29, tzinfo=LONDON)
    autumn = datetime(2026, 10, 25, tzinfo=LONDON)
    assert hours_between(ALWAYS, "Europe/London", spring, spring + timedelta(days=1)) == 23
    assert hours_between(ALWAYS, "Europe/London", autumn, autumn + timedelta(days=1)) == 25
    week = (datetime(2026, 3, 23, tzinfo=UTC), datetime(2026, 3, 31, tzinfo=UTC))
    assert hours_between("Sun 00:00-06:00", "Europe/London", *week) == 5
    week = (datetime(2026, 10, 19, tzinfo=UTC), datetime(2026, 10, 27, tzinfo=UTC))
    assert hours_between("Sun 00:00-06:00", "Europe/London", *week) == 7


def test_a_range_starting_at_a_skipped_local_time_starts_at_the_jump() -> None:
    """London skips 01:00-02:00 on 29 Mar 2026; the jump is at 01:00Z. ``Sun 01:30-04:00``
    runs from 01:00Z to 04:00 BST = 03:00Z: 2h, and 00:59Z is not yet working."""
    clock = BusinessClock(calendar("Sun 01:30-04:00"), "Europe/London")
    day = datetime(2026, 3, 29, tzinfo=UTC)
    assert clock.seconds_between(day, day + timedelta(days=1)) == 2 * HOUR
    assert clock.seconds_between(day, day.replace(hour=1)) == 0
    assert clock.seconds_between(day.replace(hour=1), day.replace(hour=1, minute=1)) == 60


def test_a_repeated_local_time_counts_both_times_it_occurs() -> None:
    """London shows 01:00-02:00 twice on 25 Oct 2026 (00:00Z-01:00Z BST, 01:00Z-02:00Z GMT).
    ``Sun 01:00-01:30`` counts 00:00Z-00:30Z and 01:00Z-01:30Z: 1h."""
    clock = BusinessClock(calendar("Sun 01:00-01:30"), "Europe/London")
    day = datetime(2026, 10, 25, tzinfo=UTC)
    assert clock.seconds_between(day, day + timedelta(days=1)) == HOUR
    assert clock.seconds_between(day.replace(minute=30), day.replace(hour=1)) == 0


def test_office_hours_on_new_york_changes_keep_their_length() -> None:
    """New York goes forward on Sun 8 Mar 2026 and back on Sun 1 Nov 2026, both at 02:00.
    Fri 16:00 to Mon 10:00 across each change: 2h."""
    spring = (datetime(2026, 3, 6, 16, tzinfo=NEW_YORK), datetime(2026, 3, 9, 10, tzinfo=NEW_YORK))
    autumn = (datetime(2026, 10, 30, 16, tzinfo=NEW_YORK), datetime(2026, 11, 2, 10, tzinfo=NEW_YORK))
    assert hours_between(OFFICE, "America/New_York", *spring) == 2
    assert hours_between(OFFICE, "America/New_York", *autumn) == 2


def test_half_a_year_across_new_year_and_both_changes() -> None:
    """Thu 1 Oct 2026 00:00 to Thu 1 Apr 2027 00:00, New York: 182 days = 26 weeks.
    Office hours: 130 weekdays x 8h = 1040h, both changes (1 Nov, 14 Mar) fall outside.
    Always open: 182 x 24h + 1h (1 Nov) - 1h (14 Mar) = 4368h, the real elapsed time."""
    start = datetime(2026, 10, 1, tzinfo=NEW_YORK)
    end = datetime(2027, 4, 1, tzinfo=NEW_YORK)
    assert hours_between(OFFICE, "America/New_York", start, end) == 1040
    assert hours_between(ALWAYS, "America/New_York", start, end) == 4368


def test_winter_across_new_year_into_the_london_spring_change() -> None:
    """Tue 1 Dec 2026 to Thu 1 Apr 2027, London, always open: 121 days x 24h, less 1h on
    28 Mar 2027 = 2903h. Half of that plus 18 Jan 2027 12:00Z splits it additively."""
    start = datetime(2026, 12, 1, tzinfo=LONDON)
    end = datetime(2027, 4, 1, tzinfo=LONDON)
    middle = datetime(2027, 1, 18, 12, tzinfo=UTC)
    assert hours_between(ALWAYS, "Europe/London", start, end) == 2903
    first = hours_between(ALWAYS, "Europe/London", start, middle)
    assert first == 48 * 24 + 12
    assert first + hours_between(ALWAYS, "Europe/London", middle, end) == 2903


def test_a_day_that_starts_at_no_midnight_starts_at_its_first_instant() -> None:
    """Sao Paulo skipped 00:00-01:00 on Sun 4 Nov 2018 (03:00Z jumps to 01:00 -02).
    ``Sun 00:00-02:00`` runs from 03:00Z to 02:00 -02 = 04:00Z: 1h."""
    day = datetime(2018, 11, 4, tzinfo=UTC)
    assert hours_between("Sun 00:00-02:00", "America/Sao_Paulo", day, day + timedelta(days=1)) == 1


# --- one business day ------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "day_hours"),
    [
        ("Mon-Fri 09:00-17:30", 8.5),
        # Five days of 8h30 outnumber one short Saturday.
        ("Mon-Fri 09:00-17:30, Sat 09:00-13:00", 8.5),
        ("Mon-Fri 08:00-12:00, Mon-Fri 13:00-17:00, Sat 09:00-13:00", 8),
        # Four short days outnumber one long one.
        ("Mon 09:00-18:00, Tue-Fri 09:00-13:00", 4),
        # Three days of 8h tie with three of 6h: the longer wins.
        ("Mon-Wed 09:00-17:00, Thu-Sat 09:00-15:00", 8),
        ("Mon-Sun 00:00-24:00", 24),
    ],
)
def test_one_business_day_is_the_most_common_working_day_ties_to_the_longer(
    hours: str, day_hours: float
) -> None:
    """``1 business day`` is the working length most weekdays share; ties go to the longer."""
    assert BusinessClock(calendar(hours), "UTC").day_seconds == day_hours * HOUR


# --- the vectorised interface ----------------------------------------------------


def test_micros_between_agrees_with_seconds_between_element_by_element() -> None:
    """A batch gives, row by row, what the scalar form gives: here 4h, 0, 1.5h and -4h."""
    clock = business_clock(calendar(OFFICE), "Europe/London")
    pairs = [
        (datetime(2026, 1, 9, 15, tzinfo=LONDON), datetime(2026, 1, 12, 11, tzinfo=LONDON)),
        (datetime(2026, 1, 10, 10, tzinfo=LONDON), datetime(2026, 1, 11, 10, tzinfo=LONDON)),
        (datetime(2026, 1, 12, 7, tzinfo=LONDON), datetime(2026, 1, 12, 10, 30, tzinfo=LONDON)),
        (datetime(2026, 1, 12, 11, tzinfo=LONDON), datetime(2026, 1, 9, 15, tzinfo=LONDON)),
    ]
    starts = np.array([micros(s) for s, _ in pairs], dtype=np.int64)
    ends = np.array([micros(e) for _, e in pairs], dtype=np.int64)
    result = clock.micros_between(starts, ends)
    assert result.dtype == np.int64
    assert result.tolist() == [4 * 3_600_000_000, 0, 5_400_000_000, -4 * 3_600_000_000]
    assert [clock.seconds_between(s, e) for s, e in pairs] == [r / 1e6 for r in result.tolist()]


def test_a_clock_answers_alike_after_it_has_seen_data_far_away() -> None:
    """The table grows to cover new data; earlier answers do not change (Fri-Mon: 4h)."""
    clock = BusinessClock(calendar(OFFICE), "Europe/London")
    start = np.array([micros(datetime(2026, 1, 9, 15, tzinfo=LONDON))], dtype=np.int64)
    end = np.array([micros(datetime(2026, 1, 12, 11, tzinfo=LONDON))], dtype=np.int64)
    first = clock.micros_between(start, end).tolist()
    far = 520 * 7 * 86_400_000_000  # 520 weeks: the same weekdays, still winter
    assert clock.micros_between(start + far, end + far).tolist() == [4 * 3_600_000_000]
    assert clock.micros_between(start - far, end - far).tolist() == [4 * 3_600_000_000]
    assert clock.micros_between(start, end).tolist() == first == [4 * 3_600_000_000]


def test_an_empty_batch_gives_an_empty_result() -> None:
    clock = BusinessClock(calendar(OFFICE), "UTC")
    empty = np.empty(0, dtype=np.int64)
    assert clock.micros_between(empty, empty).shape == (0,)


def test_batches_of_different_lengths_are_refused() -> None:
    clock = BusinessClock(calendar(OFFICE), "UTC")
    with pytest.raises(ValueError, match="shape"):
        clock.micros_between(np.zeros(2, dtype=np.int64), np.zeros(3, dtype=np.int64))


def test_a_time_without_a_zone_is_refused() -> None:
    clock = BusinessClock(calendar(OFFICE), "UTC")
    with pytest.raises(ValueError, match="no time zone"):
        clock.seconds_between(datetime(2026, 1, 12, 9), datetime(2026, 1, 12, 10, tzinfo=UTC))


def test_business_clock_is_shared_per_calendar_and_zone() -> None:
    """Equal calendars (whatever their source position) share one clock; another zone does not."""
    assert business_clock(calendar(OFFICE), "UTC") is business_clock(calendar(OFFICE), "UTC")
    assert business_clock(calendar(OFFICE), "UTC") is not business_clock(calendar(OFFICE), "Europe/London")


def test_a_holiday_removes_only_the_hours_of_its_own_date() -> None:
    """Night shift Mon-Fri 22:00-24:00, Tue-Sat 00:00-06:00, holiday Tue 13 Jan 2026:
    Mon 22:00 to Tue 06:00 counts Mon 22:00-24:00 only (2h); the eve keeps its hours."""
    hours = "Mon-Fri 22:00-24:00, Tue-Sat 00:00-06:00"
    start = datetime(2026, 1, 12, 22, tzinfo=UTC)
    assert hours_between(hours, "UTC", start, start + timedelta(hours=8), "2026-01-13") == 2


def test_two_business_days_are_not_close_of_business_on_the_second_day() -> None:
    """Mon-Fri 09:00-17:30: 2 business days = 17h. A ticket opened Mon 12 Jan 2026 16:30
    reaches 17 business hours at Wed 16:30 (1h + 8h30 + 7h30), not at Wed 17:30."""
    clock = BusinessClock(calendar("Mon-Fri 09:00-17:30"), "Europe/London")
    start = datetime(2026, 1, 12, 16, 30, tzinfo=LONDON)
    assert 2 * clock.day_seconds == 17 * HOUR
    assert clock.seconds_between(start, datetime(2026, 1, 14, 16, 30, tzinfo=LONDON)) == 17 * HOUR


def test_times_in_any_offset_are_read_on_the_policy_wall_clock() -> None:
    """14:00Z and 15:00+01:00 are one instant: Mon 12 Jan 2026 14:00Z to 16:30 London is 2h30
    whichever offset the systems reported in."""
    clock = BusinessClock(calendar(OFFICE), "Europe/London")
    end = datetime(2026, 1, 12, 16, 30, tzinfo=LONDON)
    in_utc = datetime(2026, 1, 12, 14, tzinfo=UTC)
    in_paris = datetime(2026, 1, 12, 15, tzinfo=ZoneInfo("Europe/Paris"))
    assert clock.seconds_between(in_utc, end) == clock.seconds_between(in_paris, end) == 2.5 * HOUR
