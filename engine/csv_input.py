"""CSV measurements into a frame of text columns (parsing of times and values is the reader's).

The first line names the columns: ``metric``, ``time``, ``value``, optionally
``start`` and ``end``, then one column per dimension. Every cell is read as
text by polars' multi-threaded reader; an empty cell is a missing value.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import polars as pl

from .measurements import MeasurementError

_BOM = b"\xef\xbb\xbf"


def header(data: bytes) -> list[str]:
    """The column names of the first line of CSV ``data``; raises :class:`MeasurementError` if unreadable."""
    end = data.find(b"\n")
    first = (data if end < 0 else data[:end]).rstrip(b"\r")
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError:
        raise MeasurementError(
            "the header line is not UTF-8 text", code="E601", hint="save the file as UTF-8 CSV"
        ) from None
    names = next(csv.reader([text]), [])
    if not [n for n in names if n.strip()]:
        raise MeasurementError(
            "the file is empty or has no header line",
            code="E601",
            hint="the first line names the columns: metric,time,value, then one column per dimension",
        )
    return names


def read_csv_frame(data: bytes) -> pl.DataFrame:
    """The columns of CSV ``data``, empty cells (quoted or not) null, rows in file order.

    ``value`` is Float64 when every cell of it is a number, else String like every other column.

    Raises :class:`MeasurementError` (E601) for a file that is not readable CSV,
    naming the first data row with too many cells where there is one.
    """
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    names = header(data)
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise MeasurementError(
                "the header names this column twice", field=name, code="E603", hint="keep one column per name"
            )
        seen.add(name)
    # null_values [""]: a quoted empty cell, like an unquoted one, is no value.
    options: dict[str, Any] = {
        "has_header": True,
        "encoding": "utf8",
        "raise_if_empty": True,
        "null_values": [""],
    }
    if "value" in names:
        # Numbers parsed while reading save a pass; a cell that is not a number makes polars refuse the
        # file, and the text read below lets the reader name the row.
        try:
            return pl.read_csv(data, schema_overrides={"value": pl.Float64}, infer_schema=False, **options)
        except pl.exceptions.PolarsError:
            pass
    try:
        return pl.read_csv(data, infer_schema=False, **options)
    except pl.exceptions.PolarsError as exc:
        raise _malformed(data, len(names), exc) from None


def _malformed(data: bytes, width: int, exc: Exception) -> MeasurementError:
    """The error for CSV that polars refused: the first row with too many cells, or polars' reason."""
    try:
        reader = csv.reader(io.StringIO(data.decode("utf-8")))
        next(reader, None)
        for row, cells in enumerate(reader, start=1):
            if len(cells) > width:
                return MeasurementError(
                    f"the row has {len(cells)} cells but the header names {width} columns",
                    row=row,
                    code="E601",
                    hint="quote cells that contain commas, or add the column to the header",
                )
    except (UnicodeDecodeError, csv.Error) as err:
        return MeasurementError(
            f"the file is not readable CSV: {err}", code="E601", hint="save it as UTF-8 CSV"
        )
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return MeasurementError(
        f"the file is not readable CSV: {reason}", code="E601", hint="save it as UTF-8 CSV"
    )
