"""Vectorised time parsing agrees with Python's own ISO 8601 reading, for every accepted layout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.instants import classify, parse_instant, parse_instants
from engine.readers import read_measurements

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

moments = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31))
offsets = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59)
layouts = st.sampled_from(["T:s", "T:s.f", "T:m", " :s", "T:s,f"])
offset_styles = st.sampled_from(["Z", "+HH:MM", "+HHMM", "+HH"])


def write(moment: datetime, offset_minutes: int, layout: str, style: str) -> tuple[str, int]:
    """The text of ``moment`` (local wall time at the offset) and the instant it denotes, in microseconds."""
    if style == "Z":
        offset_minutes = 0
    if style == "+HH":
        offset_minutes -= offset_minutes % 60 if offset_minutes >= 0 else -(-offset_minutes % 60)
    if layout == "T:m":
        moment = moment.replace(second=0, microsecond=0)
    if layout in ("T:s", " :s"):
        moment = moment.replace(microsecond=0)
    separator = " " if layout.startswith(" ") else "T"
    text = moment.strftime(f"%Y-%m-%d{separator}%H:%M")
    if layout != "T:m":
        text += moment.strftime(":%S")
    if layout.endswith("f"):
        text += ("," if layout.endswith(",f") else ".") + f"{moment.microsecond:06d}"
    sign = "-" if offset_minutes < 0 else "+"
    hours, minutes = divmod(abs(offset_minutes), 60)
    text += {
        "Z": "Z",
        "+HH:MM": f"{sign}{hours:02d}:{minutes:02d}",
        "+HHMM": f"{sign}{hours:02d}{minutes:02d}",
        "+HH": f"{sign}{hours:02d}",
    }[style]
    aware = moment.replace(tzinfo=timezone(timedelta(minutes=offset_minutes)))
    return text, (aware - EPOCH) // timedelta(microseconds=1)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(moments, offsets, layouts, offset_styles), min_size=1, max_size=20))
def test_parsed_instants_equal_pythons_reading(cases: list[tuple[datetime, int, str, str]]) -> None:
    written = [write(*case) for case in cases]
    parsed = parse_instants(pl.Series("time", [text for text, _ in written]))
    assert parsed.fault is None
    assert parsed.micros.to_list() == [micros for _, micros in written]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(moments, offsets), min_size=1, max_size=20), st.booleans())
def test_batches_in_one_common_layout_read_like_single_times(
    cases: list[tuple[datetime, int]], zulu: bool
) -> None:
    """The one-pass reading of a CSV batch gives each row the instant its time has on its own."""
    written = [write(moment, offset, "T:s", "Z" if zulu else "+HH:MM") for moment, offset in cases]
    text = "metric,time,value\n" + "".join(f"x,{t},1\n" for t, _ in written)
    batch = read_measurements(text.encode(), "csv")
    assert batch.frame["time"].to_list() == [micros for _, micros in written]
    assert [parse_instant(t) for t, _ in written] == [micros for _, micros in written]


def test_classify_tells_a_missing_offset_from_a_malformed_time() -> None:
    assert classify("2026-03-01T09:30:00").code == "E606"
    assert classify("2026-03-01").code == "E606"
    assert classify("01/03/2026 09:30Z").code == "E607"
    assert classify("2026-13-01T09:30:00Z").code == "E607"
    assert classify("1772357400").code == "E607"


def test_leap_second_is_the_first_second_of_the_next_minute() -> None:
    assert parse_instant("2026-12-31T23:59:60Z") == parse_instant("2027-01-01T00:00:00Z")
    assert parse_instant("2026-12-31 23:59:60Z") == parse_instant("2027-01-01T00:00:00Z")


def test_hour_24_is_refused() -> None:
    assert parse_instant("2026-03-01T24:00:00Z") is None
    assert parse_instant("2026-03-01 24:00Z") is None
    assert classify("2026-03-01T24:00:00Z").code == "E607"
