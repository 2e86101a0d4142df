"""JSON and NDJSON measurements: strict types, every fault named by row and field."""

from __future__ import annotations

import json

import pytest

from engine.measurements import MeasurementError
from engine.readers import read_measurements

GOOD = {
    "metric": "resolution_time",
    "time": "2026-01-05T09:00:00Z",
    "value": 3600,
    "dims": {"priority": "P1"},
}


def reject_rows(*rows: object, fmt: str = "json") -> MeasurementError:
    if fmt == "json":
        data = json.dumps({"measurements": list(rows)}).encode()
    else:
        data = "\n".join(json.dumps(r) for r in rows).encode()
    with pytest.raises(MeasurementError) as info:
        read_measurements(data, fmt)
    assert info.value.hint
    return info.value


def where(error: MeasurementError) -> tuple[str, int | None, str | None]:
    return (error.code, error.row, error.field)


@pytest.mark.parametrize("fmt", ["json", "ndjson"])
def test_numeric_dimension_value_is_refused(fmt: str) -> None:
    """2 is not "2": a dimension is text, and the row and dimension are named."""
    error = reject_rows(GOOD, {**GOOD, "dims": {"priority": "P1", "site": 2}}, fmt=fmt)
    assert where(error) == ("E613", 2, "site")


@pytest.mark.parametrize("fmt", ["json", "ndjson"])
def test_boolean_value_is_not_a_number(fmt: str) -> None:
    error = reject_rows(GOOD, GOOD, {**GOOD, "value": True}, fmt=fmt)
    assert where(error) == ("E608", 3, "value")


def test_string_value_is_not_a_number_in_json() -> None:
    error = reject_rows({**GOOD, "value": "3600"})
    assert where(error) == ("E608", 1, "value")


def test_value_out_of_float_range_is_not_finite() -> None:
    data = b'{"measurements": [{"metric": "x", "time": "2026-01-05T09:00:00Z", "value": 1e400}]}'
    with pytest.raises(MeasurementError) as info:
        read_measurements(data, "json")
    assert where(info.value) == ("E609", 1, "value")


def test_numeric_time_is_refused() -> None:
    error = reject_rows(GOOD, {**GOOD, "time": 1767603600})
    assert where(error) == ("E607", 2, "time")


def test_time_without_offset_is_refused_in_json() -> None:
    error = reject_rows(GOOD, {**GOOD, "time": "2026-01-05T09:00:00"})
    assert where(error) == ("E606", 2, "time")


def test_dimension_beside_metric_is_an_unknown_field() -> None:
    error = reject_rows({"metric": "x", "time": "2026-01-05T09:00:00Z", "value": 1, "priority": "P1"})
    assert where(error) == ("E603", 1, "priority")
    assert "dims" in (error.hint or "")


def test_row_without_metric_is_refused_in_json() -> None:
    error = reject_rows(GOOD, {"time": "2026-01-05T09:00:00Z", "value": 1})
    assert where(error) == ("E604", 2, "metric")


def test_row_that_is_not_an_object_is_refused() -> None:
    error = reject_rows(GOOD, [1, 2])
    assert (error.code, error.row) == ("E601", 2)


def test_malformed_json_is_unreadable() -> None:
    with pytest.raises(MeasurementError) as info:
        read_measurements(b'{"measurements": [', "json")
    assert info.value.code == "E601"


@pytest.mark.parametrize("document", [{}, {"measurements": [], "columns": {}}, {"rows": []}, []])
def test_document_of_the_wrong_shape_is_refused(document: object) -> None:
    with pytest.raises(MeasurementError) as info:
        read_measurements(json.dumps(document).encode(), "json")
    assert info.value.code == "E601"
    assert "measurements" in (info.value.hint or "")


def test_columns_of_unequal_length_are_refused() -> None:
    document = {"columns": {"metric": ["x", "x"], "time": ["2026-01-05T09:00:00Z"], "value": [1, 2]}}
    with pytest.raises(MeasurementError) as info:
        read_measurements(json.dumps(document).encode(), "json")
    assert (info.value.code, info.value.field) == ("E601", "time")


def test_non_text_in_a_dimension_column_is_refused() -> None:
    document = {
        "columns": {
            "metric": ["x", "x"],
            "time": ["2026-01-05T09:00:00Z"] * 2,
            "value": [1, 2],
            "site": ["a", 3],
        }
    }
    with pytest.raises(MeasurementError) as info:
        read_measurements(json.dumps(document).encode(), "json")
    assert where(info.value) == ("E613", 2, "site")


def test_text_in_the_value_column_is_refused() -> None:
    document = {"columns": {"metric": ["x", "x"], "time": ["2026-01-05T09:00:00Z"] * 2, "value": [1, "2"]}}
    with pytest.raises(MeasurementError) as info:
        read_measurements(json.dumps(document).encode(), "json")
    assert where(info.value) == ("E608", 2, "value")


def test_ndjson_rows_count_records_not_blank_lines() -> None:
    """Row 2 is the second record, although it is on line 4."""
    data = (json.dumps(GOOD) + "\n\n\n" + json.dumps({**GOOD, "value": "x"}) + "\n").encode()
    with pytest.raises(MeasurementError) as info:
        read_measurements(data, "ndjson")
    assert where(info.value) == ("E608", 2, "value")


def test_dimensions_seen_first_in_later_rows_become_columns() -> None:
    rows = [GOOD, {**GOOD, "dims": {"site": "Leeds"}}]
    batch = read_measurements(json.dumps({"measurements": rows}).encode(), "json")
    assert batch.dimensions == ("priority", "site")
    assert batch.frame["site"].to_list() == [None, "Leeds"]
    assert batch.frame["priority"].to_list() == ["P1", None]


def test_null_and_empty_dimension_values_mean_the_row_lacks_it() -> None:
    rows = [{**GOOD, "dims": {"priority": None}}, {**GOOD, "dims": {"priority": ""}}]
    batch = read_measurements(json.dumps({"measurements": rows}).encode(), "json")
    assert batch.frame["priority"].to_list() == [None, None]


def test_reserved_name_inside_dims_is_refused() -> None:
    error = reject_rows({**GOOD, "dims": {"time": "x"}})
    assert where(error) == ("E603", 1, "time")


def test_integer_values_are_numbers() -> None:
    batch = read_measurements(json.dumps({"measurements": [GOOD]}).encode(), "json")
    assert batch.frame["value"].to_list() == [3600.0]
