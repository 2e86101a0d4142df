"""Validation of a frame as read from a file, and its conversion to the measurement columns.

Every structural rule of language.md (Semantics, Measurements; Precise
readings, Rows) is checked here, column by column with polars expressions:
times carry a UTC offset, values are finite numbers, metric and dimension
names are names, a row gives either a value or ``start`` and ``end``, ``end``
is not before ``start``. The earliest faulty row (1-based) raises
:class:`MeasurementError` with its field, a code (E601-E613, listed in
docs/measurements.md) and a hint.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import polars as pl

from .instants import HINT as TIME_HINT
from .instants import InstantFault, common_layout, parse_instants
from .measurements import FIXED_COLUMNS, MeasurementError, Measurements

NAME = re.compile(r"[a-z_][a-z0-9_]*")
_INSTANT_COLUMNS = ("time", "start", "end")
_NAME_HINT = "names are lower-case letters, digits and _, starting with a letter or _ (priority, site_id)"


def measurements_from_frame(raw: pl.DataFrame, *, blanks_are_null: bool = False) -> Measurements:
    """Validate a frame as read from a file and convert it to the measurement columns.

    Text times are parsed, timestamps with a zone converted to UTC; values become
    Float64; an empty dimension value means the row lacks the dimension
    (``blanks_are_null``: the reader already made empty text null). Raises
    :class:`MeasurementError` for the earliest faulty row.
    """
    _check_columns(raw)
    fast = _fast_path(raw, blanks_are_null=blanks_are_null)
    if fast is not None:
        return fast
    faults: list[MeasurementError] = []
    instants: dict[str, pl.Series] = {}
    for name in _INSTANT_COLUMNS:
        if name in raw.columns:
            parsed, fault = _instants(raw[name])
            if fault is not None:
                faults.append(fault)
            instants[name] = parsed
        else:
            instants[name] = pl.repeat(None, raw.height, dtype=pl.Int64, eager=True).alias(name)
    value, fault = _values(raw["value"] if "value" in raw.columns else None, raw.height)
    if fault is not None:
        faults.append(fault)
    metric, fault = _metrics(raw["metric"])
    if fault is not None:
        faults.append(fault)
    dims: list[pl.Series] = []
    for name in raw.columns:
        if name not in FIXED_COLUMNS:
            series, fault = _dimension(raw[name])
            if fault is not None:
                faults.append(fault)
            dims.append(series)
    # Row rules are judged on what each row gives (nullness), so that a row breaking one is reported
    # before a later row's unreadable time; end < start only once both columns parsed.
    given = {name: raw[name] if name in raw.columns else instants[name] for name in _INSTANT_COLUMNS}
    ordered = not any(f.field in ("start", "end") for f in faults)
    row_fault = _row_fault(
        raw["value"] if "value" in raw.columns else value,
        instants["start"] if ordered else given["start"],
        instants["end"] if ordered else given["end"],
        given["time"],
        ordered=ordered,
    )
    if row_fault is not None:
        faults.append(row_fault)
    if faults:
        raise min(faults, key=lambda f: f.row or 0)
    frame = pl.DataFrame(
        [metric, instants["time"], value, instants["start"], instants["end"], *dims]
    ).with_columns(time=pl.coalesce("time", "end"))
    return Measurements(frame)


def _fast_path(raw: pl.DataFrame, *, blanks_are_null: bool) -> Measurements | None:
    """The whole batch in one polars query when every column is text in the common layout and valid.

    Returns None when some column has another type or time layout, or some row
    is invalid: the column-by-column path then reads it or names the earliest fault.
    """
    types = raw.schema
    texts = [name for name in raw.columns if name != "value"]
    if any(types[name] != pl.String for name in texts):
        return None
    if "value" in types and not (types["value"] == pl.String or types["value"].is_numeric()):
        return None
    parsed: dict[str, pl.Expr] = {}
    unparsed: list[pl.Expr] = []
    for name in _INSTANT_COLUMNS:
        if name in raw.columns:
            # The layout of the first time decides the expressions; a batch that mixes layouts takes the
            # column-by-column path.
            first = raw[name].drop_nulls().head(1).to_list()
            zulu = not first or first[0].endswith(("Z", "z"))
            parsed[name], bad = common_layout(name, zulu=zulu)
            unparsed.append(bad)
        else:
            parsed[name] = pl.lit(None, pl.Int64).alias(name)
    if "value" in raw.columns:
        value = pl.col("value").cast(pl.Float64, strict=False)
        unparsed.append(pl.col("value").is_not_null() & (value.is_null() | value.is_finite().not_()))
    else:
        value = pl.lit(None, pl.Float64).alias("value")
    names = raw["metric"].unique()
    if names.has_nulls() or not names.str.contains(r"^[a-z_][a-z0-9_]*$").all():
        return None
    metric = pl.col("metric")
    dims = [
        pl.col(n) if blanks_are_null else pl.when(pl.col(n) != "").then(pl.col(n)).alias(n)
        for n in raw.columns
        if n not in FIXED_COLUMNS
    ]
    frame = raw.lazy().select(
        metric,
        pl.coalesce(parsed["time"], parsed["end"]).alias("time"),
        value,
        parsed["start"],
        parsed["end"],
        *dims,
        _bad=pl.any_horizontal(unparsed),
    )
    start, end, given = pl.col("start"), pl.col("end"), pl.col("value")
    timed = start.is_not_null() | end.is_not_null()
    rows = (
        (given.is_not_null() & timed)
        | (given.is_null() & (start.is_null() | end.is_null()))
        | pl.col("time").is_null()
        | (end < start).fill_null(False)
    )
    checked = frame.with_columns(_bad=pl.col("_bad") | rows).collect()
    if checked["_bad"].any():
        return None
    return Measurements(checked.drop("_bad"))


def _check_columns(raw: pl.DataFrame) -> None:
    names = raw.columns
    for name in names:
        if name not in FIXED_COLUMNS and not NAME.fullmatch(name):
            raise MeasurementError(
                f"{name!r} is not a valid dimension name", field=name, code="E603", hint=_NAME_HINT
            )
    missing = [n for n in ("metric",) if n not in names]
    if "value" not in names and not {"start", "end"} <= set(names):
        missing.append("value")
    if "time" not in names and "end" not in names:
        missing.append("time")
    if missing:
        raise MeasurementError(
            "the measurements have no column " + ", ".join(f"`{n}`" for n in missing),
            field=missing[0],
            code="E603",
            hint="give the columns metric, time, value (or start and end), then one column per dimension",
        )


def _row_fault(
    value: pl.Series, start: pl.Series, end: pl.Series, time: pl.Series, *, ordered: bool
) -> MeasurementError | None:
    """The earliest row breaking a rule across columns: value xor start/end, a time, end not before start.

    Only the nullness of ``value``, ``start``, ``end`` and ``time`` matters, except
    that with ``ordered`` (both parsed to microseconds) ``end < start`` is checked.
    """
    checks: list[tuple[pl.Series, Callable[[int], MeasurementError]]] = [
        (
            value.is_not_null() & (start.is_not_null() | end.is_not_null()),
            lambda row: MeasurementError(
                "the row gives both a value and start/end",
                row=row,
                field="value",
                code="E610",
                hint="give either value, or start and end, never both",
            ),
        ),
        (
            value.is_null() & (start.is_null() | end.is_null()),
            lambda row: MeasurementError(
                "the row gives neither a value nor both start and end",
                row=row,
                field="value",
                code="E611",
                hint="give value, or start and end (for a duration)",
            ),
        ),
        (
            time.is_null() & end.is_null(),
            lambda row: MeasurementError(
                "the row has no time",
                row=row,
                field="time",
                code="E605",
                hint="give time (or end); " + TIME_HINT,
            ),
        ),
    ]
    if ordered:
        checks.append(
            (
                end < start,
                lambda row: MeasurementError(
                    "end is before start",
                    row=row,
                    field="end",
                    code="E612",
                    hint="check the order of start and end",
                ),
            )
        )
    first: tuple[int, Callable[[int], MeasurementError]] | None = None
    for mask, error in checks:
        hits = mask.fill_null(False)
        if hits.any():
            index = int(hits.arg_true()[0])
            if first is None or index < first[0]:
                first = (index, error)
    return None if first is None else first[1](first[0] + 1)


def _instants(column: pl.Series) -> tuple[pl.Series, MeasurementError | None]:
    name = column.name
    dtype = column.dtype
    if dtype == pl.String or dtype == pl.Null or isinstance(dtype, pl.Categorical | pl.Enum):
        parsed = parse_instants(column.cast(pl.String))
        if parsed.fault is not None:
            return parsed.micros, _instant_error(parsed.fault, name)
        return parsed.micros.rename(name), None
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is None:
            index = _first_index(column.is_not_null())
            fault = InstantFault(
                index, "E606", "the timestamp has no time zone", "store timestamps with a time zone"
            )
            return column, _instant_error(fault, name)
        # A zoned timestamp's physical value is already the UTC instant.
        return column.dt.epoch("us").cast(pl.Int64).rename(name), None
    fault = InstantFault(_first_index(column.is_not_null()), "E607", f"{dtype} is not a time", TIME_HINT)
    return column, _instant_error(fault, name)


def _instant_error(fault: InstantFault, field: str) -> MeasurementError:
    return MeasurementError(fault.message, row=fault.index + 1, field=field, code=fault.code, hint=fault.hint)


def _values(column: pl.Series | None, height: int) -> tuple[pl.Series, MeasurementError | None]:
    if column is None:
        return pl.repeat(None, height, dtype=pl.Float64, eager=True).alias("value"), None
    dtype = column.dtype
    if dtype == pl.String:
        numbers = column.cast(pl.Float64, strict=False)
        bad = numbers.is_null() & column.is_not_null()
        if bad.any():
            index = _first_index(bad)
            return column, MeasurementError(
                f"{column[index]!r} is not a number",
                row=index + 1,
                field="value",
                code="E608",
                hint="write a plain decimal number such as 0.9995 or 3600 (no units, no % sign)",
            )
    elif dtype.is_numeric() or dtype == pl.Null:
        numbers = column.cast(pl.Float64)
    else:
        index = _first_index(column.is_not_null())
        return column, MeasurementError(
            f"the value is a {dtype}, not a number",
            row=index + 1,
            field="value",
            code="E608",
            hint="send numbers",
        )
    infinite = numbers.is_finite().not_().fill_null(False)
    if infinite.any():
        index = _first_index(infinite)
        return column, MeasurementError(
            f"the value {numbers[index]} is not a finite number",
            row=index + 1,
            field="value",
            code="E609",
            hint="send a finite number; leave out a row that has no measurement",
        )
    return numbers.rename("value"), None


def _metrics(column: pl.Series) -> tuple[pl.Series, MeasurementError | None]:
    text = _text(column)
    if text is None:
        index = _first_index(column.is_not_null())
        return column, MeasurementError(
            "the metric is not text", row=index + 1, field="metric", code="E604", hint=_NAME_HINT
        )
    missing = text.is_null()
    invalid = text.str.contains(r"^[a-z_][a-z0-9_]*$").not_().fill_null(False)
    bad = missing | invalid
    if bad.any():
        index = _first_index(bad)
        what = "the row has no metric" if missing[index] else f"{text[index]!r} is not a valid metric name"
        return column, MeasurementError(what, row=index + 1, field="metric", code="E604", hint=_NAME_HINT)
    return text.rename("metric"), None


def _dimension(column: pl.Series) -> tuple[pl.Series, MeasurementError | None]:
    text = _text(column)
    if text is None:
        index = _first_index(column.is_not_null())
        return column, MeasurementError(
            f"dimension values must be text, not {column.dtype}",
            row=index + 1,
            field=column.name,
            code="E613",
            hint="store dimensions as strings",
        )
    # An empty value means the row lacks the dimension, as an empty CSV cell does, in every format alike.
    return text.replace("", None).rename(column.name), None


def _text(column: pl.Series) -> pl.Series | None:
    dtype = column.dtype
    if dtype == pl.String or dtype == pl.Null or isinstance(dtype, pl.Categorical | pl.Enum):
        return column.cast(pl.String)
    return None


def _first_index(mask: pl.Series) -> int:
    hits = mask.fill_null(False).arg_true()
    return int(hits[0]) if len(hits) else 0
