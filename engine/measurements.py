"""Measurements in columns: the one shape every reader produces and the evaluator consumes.

A :class:`Measurements` wraps a polars DataFrame with these columns, rows in
input order (row ``i`` of the frame is data row ``i + 1`` of the input):

========== ======== ==========================================================
column     dtype    meaning
========== ======== ==========================================================
metric     String   metric name
time       Int64    the instant used for windowing, microseconds since
                    1970-01-01T00:00:00Z (``end`` when the row gave no time)
value      Float64  the measured value; null when the row gave start/end
start      Int64    microseconds since the epoch, UTC; null when value given
end        Int64    likewise
(others)   String   one column per dimension; null = the row lacks it
========== ======== ==========================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from dsl.errors import SlaError

FIXED_COLUMNS = ("metric", "time", "value", "start", "end")
SCHEMA: dict[str, Any] = {
    "metric": pl.String,
    "time": pl.Int64,
    "value": pl.Float64,
    "start": pl.Int64,
    "end": pl.Int64,
}


@dataclass(frozen=True)
class Measurements:
    """A validated batch of measurements (see the module docstring for the columns)."""

    frame: pl.DataFrame

    @property
    def dimensions(self) -> tuple[str, ...]:
        return tuple(c for c in self.frame.columns if c not in FIXED_COLUMNS)

    def __len__(self) -> int:
        return self.frame.height


class MeasurementError(SlaError):
    """A measurement batch is invalid; nothing in it is evaluated or stored.

    ``row`` is the 1-based data row (the first measurement is row 1), ``field``
    the column; both are None for faults of the whole input (an unreadable file).
    """

    code = "E600"

    def __init__(
        self,
        message: str,
        *,
        row: int | None = None,
        field: str | None = None,
        hint: str | None = None,
        code: str = "E600",
    ):
        self.message = message
        self.row = row
        self.field = field
        self.hint = hint
        self.code = code
        where = []
        if row is not None:
            where.append(f"row {row}")
        if field is not None:
            where.append(f"field `{field}`")
        text = (", ".join(where) + ": " if where else "") + message
        if hint:
            text += f" (hint: {hint})"
        super().__init__(text)

    def to_dicts(self) -> list[dict[str, Any]]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.row is not None:
            data["row"] = self.row
        if self.field is not None:
            data["field"] = self.field
        if self.hint is not None:
            data["hint"] = self.hint
        return [data]
