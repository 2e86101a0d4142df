"""Figures as a reader of the contract writes them: ``3h40m``, ``99.87%``, ``6000.00 EUR``.

The explanation of each window states the figure in the clause's own units,
how it was computed, the target and the credit arithmetic, so that both
parties can check the verdict by hand.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from dsl.formatter import format_duration, format_quantity

from .compiler import CompiledClause, Test

CENT = Decimal("0.01")


def figure(value: float, unit: str) -> str:
    """``value`` in the clause's units: a duration, business time, a percentage or a number."""
    match unit:
        case "duration":
            return _duration(value)
        case "business":
            return _duration(value) + " of business time"
        case "ratio":
            return number(value * 100) + "%"
        case _:
            return number(value)


def _duration(seconds: float) -> str:
    millis = Decimal(repr(seconds)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    return format_duration(millis) if millis >= 0 else "-" + format_duration(-millis)


def number(value: float) -> str:
    """A float in plain digits, at most six decimals, no trailing zeros: ``12500``, ``4.25``."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def money(value: Decimal, currency: str | None) -> str:
    """``6000.00 EUR``: always two decimals."""
    return f"{value.quantize(CENT)} {currency}" if currency else str(value.quantize(CENT))


def test_text(test: Test) -> str:
    """A comparison as written in the policy: ``< 4h``, ``>= 99.9%``."""
    return f"{test.op.value} {format_quantity(test.quantity)}"


def computation(clause: CompiledClause, value: float, samples: int, rank: int, matching: int) -> str:
    """How the figure came about: ``p95 of 412 values is 3h40m (rank 392 of 412)``."""
    plural = "value" if samples == 1 else "values"
    if clause.aggregation == "share":
        assert clause.share_test is not None
        return f"{matching} of {samples} {plural} ({number(value * 100)}%) are {test_text(clause.share_test)}"
    shown = figure(value, clause.unit)
    if clause.percentile is not None:
        return f"{clause.aggregation} of {samples} {plural} is {shown} (rank {rank} of {samples})"
    if clause.aggregation == "count":
        return f"count of values is {samples}"
    return f"{clause.aggregation} of {samples} {plural} is {shown}"
