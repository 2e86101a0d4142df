"""The business-hours text of a ``calendar`` statement: ``"Mon-Fri 08:00-20:00, Sat 09:00-13:00"``.

Each part is a day or a day range (which may wrap: ``Fri-Mon``) and a time
range in local time, ``HH:MM-HH:MM``, end after start; ``24:00`` ends a day.
Two parts may not overlap on the same day.
"""

from __future__ import annotations

import re
from difflib import get_close_matches

from .ast import HoursRange

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_LONG_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_PART = re.compile(r"\s*(?P<days>[^\s,]+)\s+(?P<start>[^\s,-]+)\s*-\s*(?P<end>[^\s,]+)\s*")


class HoursError(ValueError):
    """A fault at ``offset`` characters into the hours text."""

    def __init__(self, code: str, message: str, offset: int, width: int, hint: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.offset = offset
        self.width = width
        self.hint = hint


def _day(name: str, offset: int) -> int:
    for index, short in enumerate(DAY_NAMES):
        if name.lower() in (short.lower(), _LONG_DAY_NAMES[index]):
            return index
    close = get_close_matches(name.title()[:3], DAY_NAMES, n=1)
    hint = f"did you mean `{close[0]}`?" if close else "days are Mon, Tue, Wed, Thu, Fri, Sat, Sun"
    raise HoursError("E141", f"`{name}` is not a day of the week", offset, len(name), hint)


def _minute(text: str, offset: int) -> int:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    if not match:
        raise HoursError(
            "E142", f"`{text}` is not a time of day", offset, len(text), "write times as HH:MM, e.g. 09:00"
        )
    hours, minutes = int(match[1]), int(match[2])
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise HoursError(
            "E142", f"`{text}` is not a time of day", offset, len(text), "times run from 00:00 to 24:00"
        )
    return hours * 60 + minutes


def parse_hours(text: str) -> tuple[HoursRange, ...]:
    """The ranges of a business-hours text; raises :class:`HoursError`."""
    ranges: list[HoursRange] = []
    position = 0
    if not text.strip():
        raise HoursError("E140", "the calendar has no business hours", 0, 1, 'e.g. "Mon-Fri 09:00-17:30"')
    for part in text.split(","):
        match = _PART.fullmatch(part)
        if not match:
            raise HoursError(
                "E140",
                f"`{part.strip()}` is not a day range with hours",
                position + len(part) - len(part.lstrip()),
                max(1, len(part.strip())),
                'write each part as DAYS HH:MM-HH:MM, e.g. "Mon-Fri 09:00-17:30, Sat 09:00-13:00"',
            )
        days_text = match["days"]
        days_offset = position + match.start("days")
        first_name, _, last_name = days_text.partition("-")
        first = _day(first_name, days_offset)
        last = _day(last_name, days_offset + len(first_name) + 1) if last_name else first
        start = _minute(match["start"], position + match.start("start"))
        end = _minute(match["end"], position + match.start("end"))
        if end <= start:
            raise HoursError(
                "E143",
                f"the hours {match['start']}-{match['end']} end before they start",
                position + match.start("start"),
                match.end("end") - match.start("start"),
                "a range cannot pass midnight: split it, e.g. Mon-Fri 22:00-24:00, Tue-Sat 00:00-06:00",
            )
        candidate = HoursRange(first, last, start, end)
        for other in ranges:
            shared = set(candidate.days) & set(other.days)
            if shared and start < other.end_minute and other.start_minute < end:
                day = DAY_NAMES[min(shared)]
                raise HoursError(
                    "E144",
                    f"`{part.strip()}` overlaps another range on {day}",
                    position + match.start("days"),
                    match.end("end") - match.start("days"),
                    "each moment of the week may be listed once",
                )
        ranges.append(candidate)
        position += len(part) + 1
    return tuple(ranges)


def format_hours(ranges: tuple[HoursRange, ...]) -> str:
    """The canonical text of business hours: ``Mon-Fri 09:00-17:30, Sat 09:00-13:00``."""
    parts = []
    for r in ranges:
        days = DAY_NAMES[r.first_day]
        if r.last_day != r.first_day:
            days += "-" + DAY_NAMES[r.last_day]
        parts.append(f"{days} {_clock(r.start_minute)}-{_clock(r.end_minute)}")
    return ", ".join(parts)


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
