"""Instants: ISO 8601 times with a UTC offset, parsed a whole column at a time.

Accepted (see docs/measurements.md)::

    2026-03-01T09:30:00Z            2026-03-01T09:30Z
    2026-03-01T09:30:00.250+01:00   2026-03-01 09:30:00-0500   2026-03-01T09:30:00+05

``T`` or a space between date and time; seconds optional; a fraction of up to
nine digits after ``.`` or ``,`` (kept to the microsecond, the rest cut off);
the offset ``Z`` or ``±HH:MM``, ``±HHMM``, ``±HH``. A time without an offset is
refused, never guessed: the offset is what makes a time an instant.

Parsing is vectorised: a regular expression validates the whole column, the
fields are cut out by position (or by regex groups when the layout varies) and
turned into microseconds since the epoch with integer arithmetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import polars as pl

MICROS_PER_SECOND = 1_000_000
MICROS_PER_DAY = 86_400 * MICROS_PER_SECOND

_INSTANT = (
    r"^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?"
    r"(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$"
)
# A date, or a date and time, that would be valid with an offset: told apart for a better message.
_NAIVE = r"^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?$"
# The common layout: seconds present, so every field up to the seconds sits at a fixed position.
_FIXED = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}"
_FIXED_FORMAT = "%Y-%m-%dT%H:%M:%S"
_DIGITS = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
_TAIL = r"^(?:[.,](\d{1,9}))?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$"

HINT = "write ISO 8601 with a UTC offset, such as 2026-03-01T09:30:00Z or 2026-03-01T10:30:00+01:00"


@dataclass(frozen=True, slots=True)
class InstantFault:
    """Why the time at 0-based ``index`` of a column is not an instant; ``code`` E606 or E607."""

    index: int
    code: str
    message: str
    hint: str


@dataclass(frozen=True, slots=True)
class ParsedInstants:
    """Microseconds since the epoch (null where the text was null), or the first fault."""

    micros: pl.Series
    fault: InstantFault | None


def parse_instants(texts: pl.Series) -> ParsedInstants:
    """Parse a String column of ISO 8601 instants into Int64 microseconds since 1970-01-01T00:00:00Z.

    Nulls stay null. Returns the column and, if some text is not an instant, the
    first such row (the column is then not to be used).
    """
    texts = texts.cast(pl.String)
    if texts.str.contains(_FIXED).fill_null(True).all():
        return _parse_fixed(texts)
    return _parse_general(texts)


def common_layout(column: str, *, zulu: bool) -> tuple[pl.Expr, pl.Expr]:
    """Expressions parsing ``YYYY-MM-DDTHH:MM:SSZ`` (``zulu``) or ``YYYY-MM-DDTHH:MM:SS±HH:MM``, in one pass.

    Returns (microseconds since the epoch, unparsed): ``unparsed`` is true for a
    non-null text in any other layout (or not an instant at all), which
    :func:`parse_instants` then reads or diagnoses. For the reader's fast path:
    both expressions run inside one polars query with the other columns' checks.
    """
    text = pl.col(column)
    local = (
        text.str.head(19)
        .str.to_datetime(_FIXED_FORMAT, time_unit="us", strict=False, cache=False)
        .cast(pl.Int64)
    )
    if zulu:
        layout = text.str.contains(_DIGITS + "[Zz]$")
        micros = local
    else:
        layout = text.str.contains(_DIGITS + "[+-][0-9]{2}:[0-9]{2}$")
        off_hour = text.str.slice(20, 2).cast(pl.Int64, strict=False)
        off_minute = text.str.slice(23, 2).cast(pl.Int64, strict=False)
        sign = pl.when(text.str.slice(19, 1) == "-").then(-1).otherwise(1)
        layout = layout & (off_hour <= 23) & (off_minute <= 59)
        micros = local - sign * (off_hour * 60 + off_minute) * (60 * MICROS_PER_SECOND)
    unparsed = text.is_not_null() & (layout.not_() | local.is_null()).fill_null(True)
    return micros.alias(column), unparsed


def _parse_fixed(texts: pl.Series) -> ParsedInstants:
    """The common layout: polars' fast ISO path for the local part, then the offset."""
    local = (
        texts.str.head(19)
        .str.to_datetime(_FIXED_FORMAT, time_unit="us", strict=False, cache=False)
        .cast(pl.Int64)
    )
    tails = texts.str.slice(19)
    if (tails.str.to_uppercase() == "Z").fill_null(True).all():
        fraction_offset: pl.Series = pl.repeat(0, texts.len(), dtype=pl.Int64, eager=True)
        bad_tail = pl.repeat(False, texts.len(), eager=True)
    else:
        groups = tails.str.extract_groups(_TAIL).struct.rename_fields(
            ["fraction", "zulu", "sign", "off_hour", "off_minute"]
        )
        fields = _offset_fields(groups.struct.unnest())
        fraction_offset = fields["fraction"] - _offset_micros(fields)
        bad_tail = (
            (fields["valid"].not_() & texts.is_not_null())
            | (fields["off_hour"] > 23)
            | (fields["off_minute"] > 59)
        )
    bad = (local.is_null() & texts.is_not_null()) | bad_tail
    if bad.any():
        return _fault(texts, _first(bad))
    return ParsedInstants((local + fraction_offset).rename(texts.name), None)


def _parse_general(texts: pl.Series) -> ParsedInstants:
    """Any accepted layout, by regex groups and integer arithmetic."""
    bad = texts.str.contains(_INSTANT).not_()
    if bad.any():
        return _fault(texts, _first(bad))
    groups = texts.str.extract_groups(_INSTANT).struct.rename_fields(
        ["date", "hour", "minute", "second", "fraction", "zulu", "sign", "off_hour", "off_minute"]
    )
    unnested = groups.struct.unnest()
    days = unnested["date"].str.to_date("%Y-%m-%d", strict=False)
    hour = unnested["hour"].cast(pl.Int64)
    minute = unnested["minute"].cast(pl.Int64)
    second = unnested["second"].cast(pl.Int64).fill_null(0)
    fields = _offset_fields(unnested)
    out_of_range = (
        (days.is_null() & texts.is_not_null())
        | (hour > 23)
        | (minute > 59)
        | (second > 60)
        | (fields["off_hour"] > 23)
        | (fields["off_minute"] > 59)
    )
    if out_of_range.any():
        return _fault(texts, _first(out_of_range))
    micros = (
        days.cast(pl.Int64) * MICROS_PER_DAY
        + hour * (3600 * MICROS_PER_SECOND)
        + minute * (60 * MICROS_PER_SECOND)
        + second * MICROS_PER_SECOND
        + fields["fraction"]
        - _offset_micros(fields)
    )
    return ParsedInstants(micros.rename(texts.name), None)


def classify(text: str) -> InstantFault:
    """Why one text is not an instant (index 0): no offset (E606) or not a valid ISO 8601 time (E607)."""
    if re.fullmatch(_INSTANT, text):
        return InstantFault(
            0, "E607", f"{text!r} is not a valid date and time of day", "check the date; " + HINT
        )
    if re.fullmatch(_NAIVE, text):
        return InstantFault(
            0, "E606", f"the time {text!r} has no UTC offset", "add Z for UTC, or the offset: " + HINT
        )
    return InstantFault(0, "E607", f"{text!r} is not an ISO 8601 time", HINT)


def parse_instant(text: str) -> int | None:
    """One instant in microseconds since the epoch; None if ``text`` is not an ISO 8601 time with offset."""
    parsed = parse_instants(pl.Series("time", [text], pl.String))
    return None if parsed.fault is not None else parsed.micros[0]


def _offset_fields(groups: pl.DataFrame) -> pl.DataFrame:
    """Fraction in microseconds, offset sign, hours and minutes, and whether an offset was found."""
    return groups.select(
        fraction=pl.col("fraction").str.slice(0, 6).str.pad_end(6, "0").cast(pl.Int64).fill_null(0),
        sign=pl.when(pl.col("sign") == "-").then(-1).otherwise(1).cast(pl.Int64),
        off_hour=pl.col("off_hour").cast(pl.Int64).fill_null(0),
        off_minute=pl.col("off_minute").cast(pl.Int64).fill_null(0),
        valid=pl.col("zulu").is_not_null() | pl.col("sign").is_not_null(),
    )


def _offset_micros(fields: pl.DataFrame) -> pl.Series:
    return fields["sign"] * (fields["off_hour"] * 60 + fields["off_minute"]) * (60 * MICROS_PER_SECOND)


def _fault(texts: pl.Series, index: int) -> ParsedInstants:
    text = texts[index]
    fault = classify(text)
    return ParsedInstants(
        pl.Series(texts.name, [], pl.Int64), InstantFault(index, fault.code, fault.message, fault.hint)
    )


def _first(mask: pl.Series) -> int:
    """The 0-based index of the first true value of a boolean column that has one."""
    return int(mask.fill_null(False).arg_true()[0])


def range_bound(text: str, zone: str) -> datetime:
    """An evaluation bound as a person types it: ``2026-01-01``, ``2026-01-01T09:00``, or a time with
    an offset (``2026-01-01T00:00:00+01:00``, ``...Z``).

    A bound without an offset is a local time in the policy's time zone ``zone`` (a date is its
    midnight): bounds are written by people who read the contract in that zone, unlike measurement
    times, which systems send and which must carry an offset. Returns an aware datetime; raises
    ValueError with a sentence a user can act on.
    """
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date or a date and time; write 2026-01-01, "
            "2026-01-01T09:00 (in the policy's time zone) or 2026-01-01T00:00:00+01:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment
