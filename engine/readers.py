"""Reading measurement files into :class:`~engine.measurements.Measurements`.

``read_measurements`` takes CSV, JSON (rows or columns), NDJSON, Parquet or
Arrow IPC, chosen by ``format`` or by the file's extension, never guessed.
Every structural rule of language.md (Semantics, Measurements; Precise
readings, Rows) is checked by :mod:`engine.frame_checks`: the first faulty row
(1-based) raises :class:`MeasurementError` with its field, a code (E601-E613,
listed in docs/measurements.md) and a hint; nothing is evaluated.

Checks that need the policy (a ratio within [0, 1], a negative duration) are
made by the evaluator.
"""

from __future__ import annotations

import io
import pathlib
from collections.abc import Callable
from typing import BinaryIO

import polars as pl

from .csv_input import read_csv_frame
from .frame_checks import measurements_from_frame
from .instants import classify
from .json_input import read_json_frame, read_ndjson_frame
from .measurements import MeasurementError, Measurements

FORMATS = ("csv", "json", "ndjson", "parquet", "arrow")

Source = bytes | str | pathlib.Path | BinaryIO


def read_measurements(
    source: Source, format: str | None = None, *, filename: str | None = None
) -> Measurements:
    """Read and validate a batch of measurements.

    ``source`` is the file's bytes, a binary stream, or a path (``str`` or
    ``Path``). ``format`` is one of :data:`FORMATS`; without it the extension of
    ``filename`` (or of the path) decides. Returns the measurements, row ``i``
    of the frame being data row ``i + 1`` of the input. Raises
    :class:`MeasurementError` for an unknown format or the first invalid row.
    """
    chosen = format_of(source, format, filename)
    # No name holds the file's bytes: they are freed once decoded, before the columns are checked.
    raw = _READERS[chosen](_bytes(source))
    return measurements_from_frame(raw, blanks_are_null=chosen == "csv")


def format_of(source: Source | None, format: str | None = None, filename: str | None = None) -> str:
    """The format to read: ``format`` if given, else from the extension; raises E602 when unknown."""
    if format is not None:
        if format not in FORMATS:
            raise MeasurementError(
                f"unknown measurement format {format!r}",
                code="E602",
                hint="choose one of " + ", ".join(FORMATS),
            )
        return format
    name = filename
    if name is None and isinstance(source, str | pathlib.Path):
        name = str(source)
    if name is None:
        raise MeasurementError(
            "the measurement format is not known", code="E602", hint="give the format: " + ", ".join(FORMATS)
        )
    suffix = pathlib.PurePath(name).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise MeasurementError(
            f"cannot tell the format of {name!r} from its extension",
            code="E602",
            hint="name the file .csv, .json, .ndjson, .parquet or .arrow, or give the format",
        )
    return suffix


def _bytes(source: Source) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, str | pathlib.Path):
        try:
            return pathlib.Path(source).read_bytes()
        except OSError as exc:
            raise MeasurementError(f"cannot read {str(source)!r}: {exc.strerror}", code="E601") from None
    return source.read()


def _read_parquet(data: bytes) -> pl.DataFrame:
    try:
        return pl.read_parquet(io.BytesIO(data))
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise _unreadable("Parquet", exc) from None


def _read_arrow(data: bytes) -> pl.DataFrame:
    try:
        return pl.read_ipc(io.BytesIO(data))
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise _unreadable("Arrow IPC", exc) from None


def _unreadable(kind: str, exc: Exception) -> MeasurementError:
    reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return MeasurementError(
        f"the file is not readable {kind}: {reason}", code="E601", hint=f"write it as {kind}"
    )


_READERS: dict[str, Callable[[bytes], pl.DataFrame]] = {
    "csv": read_csv_frame,
    "json": read_json_frame,
    "ndjson": read_ndjson_frame,
    "parquet": _read_parquet,
    "arrow": _read_arrow,
}

__all__ = ["FORMATS", "classify", "format_of", "measurements_from_frame", "read_measurements"]
