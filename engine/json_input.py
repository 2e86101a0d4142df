"""JSON and NDJSON measurements into a frame (times still text, values Float64, dimensions text).

Three shapes (interfaces.md):

- rows: ``{"measurements": [{"metric", "time", "value" | "start"+"end", "dims": {...}}, ...]}``
- columns: ``{"columns": {"metric": [...], "time": [...], "value": [...], "priority": [...]}}``
- NDJSON: one row object per line, as in the rows shape; blank lines are skipped.

Decoding is msgspec's typed decoder, in C: types are checked as the bytes are
read (a ``true`` value or a numeric dimension is an error, where polars' JSON
reader would quietly turn it into ``1`` or ``"2"``), and a fault comes with its
path, from which the row and the field are taken. Rows are then turned into
columns with C-level ``map``; no Python code runs per row.

Rows and NDJSON try :mod:`engine.json_fast` first (a strict regular-expression
check of every line, then polars' native reader, about twice as fast); it
declines anything it does not prove strict, and this precise path then reads
the rows or names the fault.
"""

from __future__ import annotations

import re
from itertools import chain
from operator import attrgetter, methodcaller
from typing import Any

import msgspec
import polars as pl

from . import json_fast
from .measurements import FIXED_COLUMNS, MeasurementError

_TEXT_FIELDS = ("metric", "time", "start", "end")


class _Row(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    metric: str | None = None
    time: str | None = None
    value: float | None = None
    start: str | None = None
    end: str | None = None
    dims: dict[str, str | None] = {}


class _Envelope(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    measurements: list[_Row] | None = None
    columns: dict[str, msgspec.Raw] | None = None


class _RawRows(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """A rows document with each row kept as raw JSON text, for the fast path."""

    measurements: list[msgspec.Raw]


_ENVELOPE = msgspec.json.Decoder(_Envelope)
_RAW_ROWS = msgspec.json.Decoder(_RawRows)
_ROW = msgspec.json.Decoder(_Row)
_TEXTS = msgspec.json.Decoder(list[str | None])
_NUMBERS = msgspec.json.Decoder(list[float | None])
_PATH = re.compile(r"`\$(?:\.measurements)?\[(\d+)\](?:\.(\w+))?(?:\[\.\.\.\])?`")
_SHAPE_HINT = 'send {"measurements": [{"metric": ..., "time": ..., "value": ...}]} or {"columns": {...}}'


def read_json_frame(data: bytes, *, fast: bool = True) -> pl.DataFrame:
    """The rows or columns of a JSON document; raises :class:`MeasurementError` with row and field.

    Rows go first to :mod:`engine.json_fast`; only when it declines (a fault, or
    a shape it does not prove strict) are they decoded here, row by row in C.
    ``fast=False`` always takes this precise path (the two give equal frames).
    """
    frame = _fast_rows(data) if fast else None
    if frame is not None:
        return frame
    try:
        envelope = _ENVELOPE.decode(data)
    except msgspec.ValidationError as exc:
        raise _invalid(exc, data, rows_key=True) from None
    except msgspec.DecodeError as exc:
        raise _malformed(exc) from None
    if (envelope.measurements is None) == (envelope.columns is None):
        raise MeasurementError(
            "the JSON document must have exactly one of `measurements` and `columns`",
            code="E601",
            hint=_SHAPE_HINT,
        )
    if envelope.measurements is not None:
        return _rows_frame(envelope.measurements)
    assert envelope.columns is not None
    return _columns_frame(envelope.columns)


def read_ndjson_frame(data: bytes, *, fast: bool = True) -> pl.DataFrame:
    """The rows of newline-delimited JSON, one row object per line (blank lines skipped).

    As :func:`read_json_frame`: the fast path first, the precise one (alone with ``fast=False``) after.
    """
    frame = json_fast.ndjson_frame(data) if fast else None
    if frame is not None:
        return frame
    try:
        rows = _ROW.decode_lines(data)
    except msgspec.ValidationError as exc:
        raise _invalid(exc, data, rows_key=False) from None
    except msgspec.DecodeError as exc:
        raise _malformed(exc) from None
    return _rows_frame(rows)


def _fast_rows(data: bytes) -> pl.DataFrame | None:
    """The frame of a rows document by :mod:`engine.json_fast`, or None for the precise path."""
    try:  # a columns document fails at its first key
        rows = _RAW_ROWS.decode(data).measurements
    except msgspec.MsgspecError:
        return None
    return json_fast.raw_rows_frame(rows)


def _rows_frame(rows: list[_Row]) -> pl.DataFrame:
    columns: dict[str, pl.Series] = {
        name: pl.Series(name, list(map(attrgetter(name), rows)), dtype=pl.String) for name in _TEXT_FIELDS
    }
    columns["value"] = pl.Series("value", list(map(attrgetter("value"), rows)), dtype=pl.Float64)
    dims = list(map(attrgetter("dims"), rows))
    names = dict.fromkeys(chain.from_iterable(dims))  # first-seen order, iterated in C
    for name in names:
        if name in FIXED_COLUMNS:
            row = 1 + next(i for i, d in enumerate(dims) if name in d)
            raise MeasurementError(
                f"`{name}` is a field of the row, not a dimension",
                row=row,
                field=name,
                code="E603",
                hint=f"put {name} beside metric, outside dims",
            )
        columns[name] = pl.Series(name, list(map(methodcaller("get", name), dims)), dtype=pl.String)
    return pl.DataFrame(columns)


def _columns_frame(raw: dict[str, msgspec.Raw]) -> pl.DataFrame:
    columns: dict[str, pl.Series] = {}
    for name, text in raw.items():
        decoder = _NUMBERS if name == "value" else _TEXTS
        try:
            values: list[Any] = decoder.decode(text)
        except msgspec.ValidationError as exc:
            match = _PATH.search(str(exc))
            kind = "a number" if name == "value" else "text (a JSON string) or null"
            raise MeasurementError(
                f"the column's values must each be {kind}",
                row=int(match.group(1)) + 1 if match else None,
                field=name,
                code="E613" if name not in FIXED_COLUMNS else "E608" if name == "value" else "E607",
                hint=f"send {name} as a JSON array of " + ("numbers" if name == "value" else "strings"),
            ) from None
        columns[name] = pl.Series(name, values, dtype=pl.Float64 if name == "value" else pl.String)
    lengths = {len(s) for s in columns.values()}
    if len(lengths) > 1:
        expected = len(next(iter(columns.values())))
        odd = next(n for n, s in columns.items() if len(s) != expected)
        raise MeasurementError(
            f"the column has {len(columns[odd])} values but `{next(iter(columns))}` has {expected}",
            field=odd,
            code="E601",
            hint="every column holds one value per row; use null where a row lacks it",
        )
    return pl.DataFrame(columns)


def _invalid(exc: msgspec.ValidationError, data: bytes, *, rows_key: bool) -> MeasurementError:
    """The error for a document whose JSON is well formed but of the wrong shape or types."""
    message = str(exc)
    match = _PATH.search(message)
    if match is None or (rows_key and "measurements" not in message):
        return MeasurementError(
            f"the JSON document has the wrong shape: {message}", code="E601", hint=_SHAPE_HINT
        )
    row = int(match.group(1)) + 1
    field = match.group(2)
    unknown = re.search(r"unknown field `([^`]*)`", message)
    if unknown:
        return MeasurementError(
            f"unknown field `{unknown.group(1)}` in the row",
            row=row,
            field=unknown.group(1),
            code="E603",
            hint='dimensions go under "dims": {"priority": "P1"}',
        )
    if field == "dims" and "[...]" in match.group(0):
        name = _non_text_dimension(data, row - 1, rows_key=rows_key)
        return MeasurementError(
            "dimension values must be text",
            row=row,
            field=name,
            code="E613",
            hint=f'send "{name}" as a JSON string, such as "2" rather than 2',
        )
    if field == "value":
        return MeasurementError(
            f"the value is not a number ({message.split(' - ')[0]})",
            row=row,
            field="value",
            code="E608" if "range" not in message else "E609",
            hint="send the value as a finite JSON number, such as 0.9995 or 3600",
        )
    if field in ("time", "start", "end", "metric"):
        return MeasurementError(
            f"`{field}` must be text ({message.split(' - ')[0]})",
            row=row,
            field=field,
            code="E607" if field != "metric" else "E604",
            hint="send it as a JSON string",
        )
    if field is None:
        return MeasurementError(
            f"the row is not a measurement object ({message.split(' - ')[0]})",
            row=row,
            code="E601",
            hint='each row is an object: {"metric": ..., "time": ..., "value": ...}',
        )
    return MeasurementError(message.split(" - ")[0], row=row, field=field, code="E601", hint=_SHAPE_HINT)


def _non_text_dimension(data: bytes, index: int, *, rows_key: bool) -> str | None:
    """The name of the first non-text dimension of one row (only on the error path)."""
    try:
        if rows_key:
            row = msgspec.json.decode(data)["measurements"][index]
        else:
            row = msgspec.json.Decoder().decode_lines(data)[index]
    except (msgspec.DecodeError, LookupError, TypeError):
        return None
    dims = row.get("dims") or {}
    return next((k for k, v in dims.items() if not isinstance(v, str) and v is not None), None)


def _malformed(exc: msgspec.DecodeError) -> MeasurementError:
    return MeasurementError(
        f"the file is not valid JSON: {exc}", code="E601", hint="check the file with a JSON validator"
    )
