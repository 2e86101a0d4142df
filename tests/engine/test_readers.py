"""Measurement readers: every rejected input names its code, 1-based row, field and a hint."""

from __future__ import annotations

import pytest

from engine.measurements import MeasurementError
from engine.readers import read_measurements

HEADER = "metric,time,value,start,end,priority\n"
GOOD = "resolution_time,2026-01-05T09:00:00Z,3600,,,P1\n"


def reject(text: str, fmt: str = "csv") -> MeasurementError:
    with pytest.raises(MeasurementError) as info:
        read_measurements(text.encode(), fmt)
    error = info.value
    assert error.hint, "every measurement error carries a hint"
    return error


def where(error: MeasurementError) -> tuple[str, int | None, str | None]:
    return (error.code, error.row, error.field)


def test_time_without_offset_is_refused_with_its_row() -> None:
    """Row 2 is the second measurement (the header is not a row)."""
    error = reject(HEADER + GOOD + "resolution_time,2026-01-05T10:00:00,3600,,,P1\n")
    assert where(error) == ("E606", 2, "time")
    assert "offset" in error.message and "Z" in (error.hint or "")


def test_date_only_time_is_refused_as_lacking_an_offset() -> None:
    error = reject(HEADER + "resolution_time,2026-01-05,3600,,,P1\n")
    assert where(error) == ("E606", 1, "time")


def test_time_that_is_not_iso_8601_is_refused() -> None:
    error = reject(HEADER + GOOD + GOOD + "resolution_time,05/01/2026 10:00,3600,,,P1\n")
    assert where(error) == ("E607", 3, "time")


def test_impossible_calendar_date_is_refused() -> None:
    error = reject(HEADER + "resolution_time,2026-02-30T10:00:00Z,3600,,,P1\n")
    assert where(error) == ("E607", 1, "time")


def test_impossible_offset_is_refused() -> None:
    error = reject(HEADER + GOOD + "resolution_time,2026-02-03T10:00:00+25:00,3600,,,P1\n")
    assert where(error) == ("E607", 2, "time")


def test_bad_start_is_named_as_the_start_field() -> None:
    error = reject(HEADER + "resolution_time,,,2026-01-05T09:00:00,2026-01-05T10:00:00Z,P1\n")
    assert where(error) == ("E606", 1, "start")


def test_value_that_is_not_a_number_is_refused() -> None:
    error = reject(HEADER + GOOD + "resolution_time,2026-01-05T09:00:00Z,4h,,,P1\n")
    assert where(error) == ("E608", 2, "value")


def test_percentage_written_with_a_sign_is_not_a_number() -> None:
    error = reject(HEADER + "availability,2026-01-05T09:00:00Z,99.9%,,,P1\n")
    assert where(error) == ("E608", 1, "value")


@pytest.mark.parametrize("text", ["inf", "-inf", "NaN", "nan", "1e400"])
def test_value_that_is_not_finite_is_refused(text: str) -> None:
    error = reject(HEADER + GOOD + f"resolution_time,2026-01-05T09:00:00Z,{text},,,P1\n")
    assert where(error) == ("E609", 2, "value")


def test_row_with_value_and_start_end_is_refused() -> None:
    error = reject(HEADER + "resolution_time,,3600,2026-01-05T09:00:00Z,2026-01-05T10:00:00Z,P1\n")
    assert where(error) == ("E610", 1, "value")


def test_row_with_neither_value_nor_start_end_is_refused() -> None:
    error = reject(HEADER + GOOD + "resolution_time,2026-01-05T09:00:00Z,,,,P1\n")
    assert where(error) == ("E611", 2, "value")


def test_row_with_only_start_is_refused() -> None:
    error = reject(HEADER + "resolution_time,2026-01-05T09:00:00Z,,2026-01-05T09:00:00Z,,P1\n")
    assert where(error) == ("E611", 1, "value")


def test_end_before_start_is_refused() -> None:
    error = reject(HEADER + GOOD + "resolution_time,,,2026-01-05T10:00:00Z,2026-01-05T09:00:00Z,P1\n")
    assert where(error) == ("E612", 2, "end")


def test_row_without_time_or_end_is_refused() -> None:
    error = reject(HEADER + "resolution_time,,3600,,,P1\n")
    assert where(error) == ("E605", 1, "time")


def test_row_without_metric_is_refused() -> None:
    error = reject(HEADER + GOOD + ",2026-01-05T09:00:00Z,3600,,,P1\n")
    assert where(error) == ("E604", 2, "metric")


def test_metric_that_is_not_a_name_is_refused() -> None:
    error = reject(HEADER + "Resolution Time,2026-01-05T09:00:00Z,3600,,,P1\n")
    assert where(error) == ("E604", 1, "metric")


def test_earliest_faulty_row_is_reported_whatever_the_column() -> None:
    """Row 3 has a bad value, row 2 a bad time: row 2 is reported."""
    error = reject(
        HEADER
        + GOOD
        + "resolution_time,2026-01-05 09:00,3600,,,P1\n"
        + "resolution_time,2026-01-05T09:00:00Z,x,,,P1\n"
    )
    assert where(error) == ("E606", 2, "time")


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("time,value\n2026-01-05T09:00:00Z,1\n", "metric"),
        ("metric,value\nx,1\n", "time"),
        ("metric,time\nx,2026-01-05T09:00:00Z\n", "value"),
    ],
)
def test_missing_column_is_refused(text: str, field: str) -> None:
    error = reject(text)
    assert where(error) == ("E603", None, field)


def test_start_and_end_stand_in_for_value_and_time_columns() -> None:
    batch = read_measurements(
        b"metric,start,end\nfix_time,2026-01-05T09:00:00Z,2026-01-05T10:00:00Z\n", "csv"
    )
    assert batch.frame["time"].to_list() == batch.frame["end"].to_list()


def test_invalid_dimension_name_is_refused() -> None:
    error = reject("metric,time,value,Priority\nx,2026-01-05T09:00:00Z,1,P1\n")
    assert where(error) == ("E603", None, "Priority")


def test_duplicate_column_is_refused() -> None:
    error = reject("metric,time,value,site,site\nx,2026-01-05T09:00:00Z,1,a,b\n")
    assert where(error) == ("E603", None, "site")


def test_row_with_too_many_cells_is_refused_with_its_row() -> None:
    error = reject("metric,time,value\nx,2026-01-05T09:00:00Z,1\nx,2026-01-05T09:00:00Z,1,2\n")
    assert where(error) == ("E601", 2, None)


def test_empty_file_is_refused() -> None:
    assert reject("").code == "E601"


def test_file_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(MeasurementError) as info:
        read_measurements(b"m\xe9tric,time,value\n", "csv")
    assert info.value.code == "E601"


def test_unknown_extension_is_an_error_never_guessed() -> None:
    with pytest.raises(MeasurementError) as info:
        read_measurements(b"metric,time,value\n", filename="batch.txt")
    assert info.value.code == "E602"
    assert ".csv" in (info.value.hint or "")


def test_bytes_without_name_or_format_are_refused() -> None:
    with pytest.raises(MeasurementError) as info:
        read_measurements(b"metric,time,value\n")
    assert info.value.code == "E602"


def test_unknown_format_name_is_refused() -> None:
    with pytest.raises(MeasurementError) as info:
        read_measurements(b"", "xlsx")
    assert info.value.code == "E602"


def test_missing_file_is_unreadable(tmp_path: object) -> None:
    with pytest.raises(MeasurementError) as info:
        read_measurements(f"{tmp_path}/nowhere.csv")
    assert info.value.code == "E601"


def test_error_prints_row_field_and_hint() -> None:
    error = reject(HEADER + "resolution_time,2026-01-05T10:00:00,3600,,,P1\n")
    assert str(error).startswith("row 1, field `time`: ")
    assert "hint:" in str(error)
    assert error.to_dicts()[0] == {
        "code": "E606",
        "message": error.message,
        "row": 1,
        "field": "time",
        "hint": error.hint,
    }


def test_row_rule_in_an_early_row_is_reported_before_a_later_unreadable_time() -> None:
    """Row 1 gives a value and start/end; row 2's time has no offset: row 1 is reported."""
    error = reject(
        HEADER
        + "resolution_time,,3600,2026-01-05T09:00:00Z,2026-01-05T10:00:00Z,P1\n"
        + "resolution_time,2026-01-05T10:00:00,3600,,,P1\n"
    )
    assert where(error) == ("E610", 1, "value")


def test_end_before_start_is_reported_before_a_later_bad_value() -> None:
    error = reject(
        HEADER
        + "resolution_time,,,2026-01-05T10:00:00Z,2026-01-05T09:00:00Z,P1\n"
        + "resolution_time,2026-01-05T10:00:00Z,x,,,P1\n"
    )
    assert where(error) == ("E612", 1, "end")
