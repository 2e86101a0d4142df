"""Measurement readers: every format gives the same columns; times, values and dimensions decode exactly."""

from __future__ import annotations

import io
import json
import pathlib
from datetime import UTC, datetime

import polars as pl
import pytest

from engine.measurements import MeasurementError, Measurements
from engine.readers import FORMATS, read_measurements

CSV = (
    "metric,time,value,start,end,priority,channel\n"
    "resolution_time,2026-01-05T09:00:00Z,3600,,,P1,phone\n"
    "resolution_time,,,2026-01-05T09:00:00+01:00,2026-01-05T09:30:00+01:00,P2,\n"
    "availability,2026-01-31T23:59:59.5-05:00,0.9995,,,,web\n"
)


def micros(*args: int) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp()) * 1_000_000  # type: ignore[misc]


def expected_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "metric": ["resolution_time", "resolution_time", "availability"],
            "time": [
                micros(2026, 1, 5, 9),
                micros(2026, 1, 5, 8, 30),
                micros(2026, 2, 1, 4, 59, 59) + 500_000,
            ],
            "value": [3600.0, None, 0.9995],
            "start": [None, micros(2026, 1, 5, 8), None],
            "end": [None, micros(2026, 1, 5, 8, 30), None],
            "priority": ["P1", "P2", None],
            "channel": ["phone", None, "web"],
        },
        schema={
            "metric": pl.String,
            "time": pl.Int64,
            "value": pl.Float64,
            "start": pl.Int64,
            "end": pl.Int64,
            "priority": pl.String,
            "channel": pl.String,
        },
    )


def as_rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for row in pl.read_csv(CSV.encode(), infer_schema=False).to_dicts():
        out: dict[str, object] = {k: row[k] for k in ("metric", "time", "start", "end") if row[k] is not None}
        if row["value"] is not None:
            out["value"] = float(row["value"])
        out["dims"] = {k: row[k] for k in ("priority", "channel") if row[k] is not None}
        rows.append(out)
    return rows


def encode(fmt: str) -> bytes:
    if fmt == "csv":
        return CSV.encode()
    if fmt == "json":
        return json.dumps({"measurements": as_rows()}).encode()
    if fmt == "ndjson":
        return "\n".join(json.dumps(r) for r in as_rows()).encode() + b"\n"
    frame = pl.read_csv(CSV.encode(), infer_schema=False).with_columns(pl.col("value").cast(pl.Float64))
    buffer = io.BytesIO()
    if fmt == "parquet":
        frame.write_parquet(buffer)
    else:
        frame.write_ipc(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_reads_to_the_same_columns(fmt: str) -> None:
    """Times in UTC microseconds: 09:00+01:00 is 08:00Z; 31 Jan 23:59:59.5-05:00 is 1 Feb 04:59:59.5Z."""
    batch = read_measurements(encode(fmt), fmt)
    assert batch.frame.equals(expected_frame())


def test_json_columns_shape_reads_like_rows() -> None:
    frame = pl.read_csv(CSV.encode(), infer_schema=False).with_columns(pl.col("value").cast(pl.Float64))
    document = {"columns": frame.to_dict(as_series=False)}
    batch = read_measurements(json.dumps(document).encode(), "json")
    assert batch.frame.equals(expected_frame())


@pytest.mark.parametrize("fmt", ["parquet", "arrow"])
def test_typed_columns_round_trip_with_zoned_timestamps(fmt: str, tmp_path: pathlib.Path) -> None:
    """Parquet and Arrow may carry real timestamps and numbers; a zoned timestamp is its UTC instant."""
    expected = expected_frame()
    typed = expected.with_columns(
        pl.col("time", "start", "end").cast(pl.Datetime("us", "UTC")).dt.convert_time_zone("Europe/Berlin")
    )
    path = tmp_path / f"batch.{fmt}"
    if fmt == "parquet":
        typed.write_parquet(path)
    else:
        typed.write_ipc(path)
    assert read_measurements(path).frame.equals(expected)
    assert read_measurements(str(path)).frame.equals(expected)


def test_naive_timestamp_column_is_refused() -> None:
    frame = pl.DataFrame(
        {"metric": ["x", "x"], "time": [datetime(2026, 1, 1), datetime(2026, 1, 2)], "value": [1.0, 2.0]}
    )
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    with pytest.raises(MeasurementError) as info:
        read_measurements(buffer.getvalue(), "parquet")
    assert (info.value.code, info.value.row, info.value.field) == ("E606", 1, "time")


def test_non_text_dimension_column_is_refused() -> None:
    frame = pl.DataFrame({"metric": ["x"], "time": ["2026-01-01T00:00:00Z"], "value": [1.0], "site": [7]})
    buffer = io.BytesIO()
    frame.write_ipc(buffer)
    with pytest.raises(MeasurementError) as info:
        read_measurements(buffer.getvalue(), "arrow")
    assert (info.value.code, info.value.row, info.value.field) == ("E613", 1, "site")


def test_garbage_parquet_is_unreadable() -> None:
    with pytest.raises(MeasurementError) as info:
        read_measurements(b"not parquet", "parquet")
    assert info.value.code == "E601"


def test_format_comes_from_the_extension(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "batch.NDJSON"
    path.write_bytes(encode("ndjson"))
    assert read_measurements(path).frame.equals(expected_frame())
    assert read_measurements(io.BytesIO(encode("csv")), filename="upload.csv").frame.equals(expected_frame())


def test_explicit_format_overrides_the_extension(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes(encode("csv"))
    assert len(read_measurements(path, "csv")) == 3


def test_empty_cell_means_the_row_lacks_the_dimension() -> None:
    """Quoted and unquoted empty cells alike: `priority` of rows 1 and 2 is null, not ""."""
    batch = read_measurements(
        b'metric,time,value,priority\nx,2026-01-01T00:00:00Z,1,\nx,2026-01-01T00:00:00Z,1,""\n', "csv"
    )
    assert batch.frame["priority"].to_list() == [None, None]


def test_rows_keep_input_order_and_count() -> None:
    """Frame row i is data row i + 1: order is never changed (a quoted newline does not start a row)."""
    text = 'metric,time,value,note\nb,2026-01-02T00:00:00Z,2,"two\nlines"\na,2026-01-01T00:00:00Z,1,\n'
    batch = read_measurements(text.encode(), "csv")
    assert batch.frame["metric"].to_list() == ["b", "a"]
    assert batch.frame["note"].to_list() == ["two\nlines", None]


def test_byte_order_mark_and_crlf_are_accepted() -> None:
    batch = read_measurements(b"\xef\xbb\xbfmetric,time,value\r\nx,2026-01-01T00:00:00Z,1\r\n", "csv")
    assert batch.frame["metric"].to_list() == ["x"]
    assert batch.frame["value"].to_list() == [1.0]


def test_header_only_is_an_empty_batch() -> None:
    batch = read_measurements(b"metric,time,value,priority\n", "csv")
    assert len(batch) == 0
    assert batch.dimensions == ("priority",)
    assert batch.frame.schema["time"] == pl.Int64


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01T09:30:00Z", micros(2026, 3, 1, 9, 30)),
        ("2026-03-01t09:30:00z", micros(2026, 3, 1, 9, 30)),
        ("2026-03-01T09:30Z", micros(2026, 3, 1, 9, 30)),
        ("2026-03-01 09:30:00+00:00", micros(2026, 3, 1, 9, 30)),
        ("2026-03-01T10:30:00+0100", micros(2026, 3, 1, 9, 30)),
        ("2026-03-01T04:30:00-05", micros(2026, 3, 1, 9, 30)),
        ("2026-03-01T09:30:00.123456789Z", micros(2026, 3, 1, 9, 30) + 123_456),
        ("2026-03-01T09:30:00,5+00:00", micros(2026, 3, 1, 9, 30) + 500_000),
        ("2026-03-01T09:30:00.000001Z", micros(2026, 3, 1, 9, 30) + 1),
    ],
)
def test_accepted_time_layouts(text: str, expected: int) -> None:
    """Fractions beyond microseconds are cut off (.123456789 -> 123456 us)."""
    batch = read_measurements(f'metric,time,value\nx,"{text}",1\n'.encode(), "csv")
    assert batch.frame["time"].to_list() == [expected]


def test_mixed_layouts_in_one_column_each_parse() -> None:
    text = (
        "metric,time,value\nx,2026-03-01T09:30:00Z,1\n"
        "x,2026-03-01T09:30+01:00,1\nx,2026-03-01 09:30:00.5Z,1\n"
    )
    batch = read_measurements(text.encode(), "csv")
    base = micros(2026, 3, 1, 9, 30)
    assert batch.frame["time"].to_list() == [base, base - 3_600_000_000, base + 500_000]


def test_negative_values_pass_the_reader() -> None:
    """Counts may be negative (a cancelled order is -1); kind checks are the evaluator's."""
    batch = read_measurements(b"metric,time,value\norders,2026-01-01T00:00:00Z,-1\n", "csv")
    assert batch.frame["value"].to_list() == [-1.0]


def test_result_is_measurements() -> None:
    assert isinstance(read_measurements(CSV.encode(), "csv"), Measurements)


@pytest.mark.parametrize(
    "times",
    [
        ["2026-03-01T09:30:00Z", "2026-03-01T23:59:59z", "2026-12-31T00:00:00Z"],
        ["2026-03-01T10:30:00+01:00", "2026-03-01T18:59:59-05:00", "2026-12-31T05:30:00+05:30"],
    ],
)
def test_one_pass_and_column_by_column_readings_agree(times: list[str]) -> None:
    """A batch in one common layout is read in one polars pass; appending a row in another layout
    (a space for T) sends the whole batch through the column-by-column path: the rows read the same."""
    rows = "".join(f"x,{t},{i},P{i}\n" for i, t in enumerate(times))
    one_pass = read_measurements(f"metric,time,value,p\n{rows}".encode(), "csv").frame
    mixed = rows + "x,2026-03-01 09:30:00Z,9,\n"
    by_column = read_measurements(f"metric,time,value,p\n{mixed}".encode(), "csv").frame
    assert by_column.head(len(times)).equals(one_pass)
    assert one_pass["time"].to_list() == [
        micros(2026, 3, 1, 9, 30),
        micros(2026, 3, 1, 23, 59, 59),
        micros(2026, 12, 31, 0, 0),
    ]


def test_offset_beyond_23_59_in_the_common_layout_is_refused() -> None:
    with pytest.raises(MeasurementError) as info:
        read_measurements(b"metric,time,value\nx,2026-03-01T10:30:00+24:00,1\n", "csv")
    assert (info.value.code, info.value.row, info.value.field) == ("E607", 1, "time")
