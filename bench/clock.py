"""Benchmark: business durations of 1,000,000 tickets under a calendar with 12 holidays.

    .venv/bin/python bench/clock.py [--tickets N] [--runs N] [--sample N] [--seed N]

Tickets open at random instants of 2026 and last up to 30 days (uniform), in
Europe/London, under ``Mon-Fri 08:00-18:00, Sat 09:00-13:00`` with the 2026
English bank holidays plus four company days. Prints the median time of the
vectorised clock, cold (a new clock, so building its table is included) and
warm (a clock that has seen the data), tickets per second, the ratio to the
1 s target, and the ratio against the minute-stepping reference of the tests
on a sample (the reference walks every minute of every ticket: expect about
a minute or two for 10,000 tickets).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dsl.ast import Calendar
from dsl.hours import parse_hours
from engine.clock import BusinessClock
from tests.engine.clock_reference import ReferenceClock

TARGET_SECONDS = 1.0
ZONE = "Europe/London"
HOURS = "Mon-Fri 08:00-18:00, Sat 09:00-13:00"
HOLIDAYS = (
    "2026-01-01",
    "2026-04-03",
    "2026-04-06",
    "2026-05-04",
    "2026-05-25",
    "2026-08-31",
    "2026-12-24",
    "2026-12-25",
    "2026-12-28",
    "2026-12-29",
    "2026-12-30",
    "2026-12-31",
)
DAY_MICROS = 86_400_000_000


def tickets(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Opening and closing instants, int64 microseconds since the epoch."""
    rng = np.random.default_rng(seed)
    year_start = (datetime(2026, 1, 1, tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(
        microseconds=1
    )
    starts = year_start + rng.integers(0, 365 * DAY_MICROS, count, dtype=np.int64)
    return starts, starts + rng.integers(0, 30 * DAY_MICROS, count, dtype=np.int64)


def median_seconds(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sample", type=int, default=10_000, help="tickets for the reference comparison")
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args()

    calendar = Calendar(None, parse_hours(HOURS), tuple(date.fromisoformat(h) for h in HOLIDAYS))
    starts, ends = tickets(args.tickets, args.seed)

    cold = median_seconds(args.runs, lambda: BusinessClock(calendar, ZONE).micros_between(starts, ends))
    clock = BusinessClock(calendar, ZONE)
    result = clock.micros_between(starts, ends)
    warm = median_seconds(args.runs, lambda: clock.micros_between(starts, ends))
    print(f"calendar   {HOURS}, {len(HOLIDAYS)} holidays, {ZONE}")
    print(
        f"tickets    {args.tickets:,} lasting up to 30 days; mean business time {result.mean() / 3.6e9:.1f}h"
    )
    print(f"cold       median {cold * 1000:8.1f} ms  ({args.tickets / cold:,.0f} tickets/s, new clock)")
    print(f"warm       median {warm * 1000:8.1f} ms  ({args.tickets / warm:,.0f} tickets/s)")
    print(f"target     {TARGET_SECONDS:.1f} s: cold run at {cold / TARGET_SECONDS:.1%} of it")

    sample_starts, sample_ends = starts[: args.sample], ends[: args.sample]
    fast = median_seconds(
        args.runs, lambda: BusinessClock(calendar, ZONE).micros_between(sample_starts, sample_ends)
    )
    reference = ReferenceClock(calendar, ZONE)
    began = time.perf_counter()
    expected = [
        reference.micros_between(int(s), int(e)) for s, e in zip(sample_starts, sample_ends, strict=True)
    ]
    slow = time.perf_counter() - began
    mismatches = int(np.count_nonzero(np.array(expected, dtype=np.int64) != result[: args.sample]))
    print(
        f"reference  {args.sample:,} tickets: minute stepping {slow:.1f} s, clock {fast * 1000:.1f} ms "
        f"(cold): {slow / fast:,.0f}x faster; {mismatches} mismatches"
    )


if __name__ == "__main__":
    main()
