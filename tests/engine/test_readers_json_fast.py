"""The fast JSON path (engine/json_fast.py) gives the precise path's frame, or declines.

Every lax reading of polars' JSON reader (``2`` as ``"2"``, ``true`` as 1, an
unknown field ignored, the first of two equal keys kept) must make the fast
path decline, so that the precise msgspec path names the fault exactly.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import json_fast
from engine.json_input import read_json_frame, read_ndjson_frame
from engine.measurements import MeasurementError

GOOD = '{"metric": "uptime", "time": "2026-01-05T09:00:00Z", "value": 0.5, "dims": {"priority": "P1"}}'


def ndjson(*lines: str) -> bytes:
    return "\n".join(lines).encode()


def test_plain_rows_take_the_fast_path_and_match_the_precise_one() -> None:
    data = ndjson(GOOD, GOOD.replace('"P1"', "null"), '{"metric": "uptime", "start": "a", "end": "b"}')
    frame = json_fast.ndjson_frame(data)
    assert frame is not None
    assert frame.equals(read_ndjson_frame(data, fast=False))
    assert frame.columns == ["metric", "time", "start", "end", "value", "priority"]
    assert frame["priority"].to_list() == ["P1", None, None]


def test_escapes_are_decoded_as_the_precise_path_decodes_them() -> None:
    """\\u00e9 is é, \\" a quote, \\/ a slash, in the fast path as in msgspec."""
    line = GOOD.replace('"P1"', '"Z\\u00fcrich \\"north\\" \\/ \\\\ \\t"')
    frame = json_fast.ndjson_frame(ndjson(line))
    assert frame is not None
    assert frame["priority"].to_list() == ['Zürich "north" / \\ \t']


def test_pretty_printed_rows_document_takes_the_fast_path() -> None:
    """Rows spanning lines (json.dumps(indent=2)) are still one row each."""
    rows = [json.loads(GOOD), {**json.loads(GOOD), "value": 7}]
    data = json.dumps({"measurements": rows}, indent=2).encode()
    frame = read_json_frame(data)
    assert frame.equals(read_json_frame(data, fast=False))
    assert frame["value"].to_list() == [0.5, 7.0]


def test_a_row_of_a_document_is_one_line_even_when_written_over_several() -> None:
    """A line break inside a row is whitespace: the row still reads as one, through the fast path."""
    rows = json.dumps(json.loads(GOOD), indent=1).encode()
    frame = json_fast.raw_rows_frame([msgspec.Raw(rows), msgspec.Raw(b'{"metric": "x", "value": 1}')])
    assert frame is not None
    assert frame["metric"].to_list() == ["uptime", "x"]
    assert frame["priority"].to_list() == ["P1", None]


@pytest.mark.parametrize(
    "line",
    [
        GOOD.replace("0.5", "true"),  # true is not 1
        GOOD.replace("0.5", '"0.5"'),  # a string is not a number
        GOOD.replace('"P1"', "2"),  # 2 is not "2"
        GOOD.replace('"P1"', "false"),
        GOOD.replace('"uptime"', "1"),
        GOOD.replace('"uptime"', '["uptime"]'),
        GOOD.replace('"metric"', '"site": "x", "metric"'),  # an unknown field
        GOOD.replace('"metric": "uptime"', '"metric": "a", "metric": "uptime"'),  # the last one counts
        GOOD.replace('"priority": "P1"', '"priority": "P1", "priority": "P2"'),
        GOOD.replace('{"priority": "P1"}', "null"),  # dims is an object
        GOOD.replace('"P1"', '"P\t1"'),  # a raw control character
        GOOD.replace('"P1"', '"\\ud800"'),  # a lone surrogate
        GOOD.replace('"priority"', '"time"'),  # a reserved name inside dims
        GOOD.replace('"priority"', '"Priority"'),  # not a dimension name
        GOOD.replace("0.5", "1e400"),  # out of range
        GOOD.replace("0.5", "NaN"),
        GOOD[:-1],  # not JSON
        "[1]",
        "{}",
    ],
)
def test_the_fast_path_declines_what_it_cannot_prove_strict(line: str) -> None:
    assert json_fast.ndjson_frame(ndjson(GOOD, line)) is None


def test_fields_in_another_order_take_the_fast_path_when_every_row_keeps_it() -> None:
    """The pattern follows the order of the first rows: here value, metric, time; region before priority."""
    first = '{"value": 1, "metric": "a", "time": "t", "dims": {"region": "north", "priority": "P1"}}'
    second = '{"metric": "b", "time": "u", "dims": {"priority": "P2"}}'
    data = ndjson(first, second)
    frame = json_fast.ndjson_frame(data)
    assert frame is not None
    assert frame.equals(read_ndjson_frame(data, fast=False))
    assert frame.columns[-2:] == ["region", "priority"]


def test_rows_disagreeing_on_the_order_of_fields_take_the_precise_path() -> None:
    data = ndjson(
        GOOD, '{"time": "t", "metric": "a", "value": 1}', '{"metric": "a", "time": "t", "value": 2}'
    )
    assert json_fast.ndjson_frame(data) is None
    assert read_ndjson_frame(data)["value"].to_list() == [0.5, 1.0, 2.0]


@pytest.mark.parametrize(("count", "fast"), [(12, True), (13, False), (40, False)])
def test_more_than_twelve_dimensions_take_the_precise_path(count: int, fast: bool) -> None:
    """The pattern grows with the square of the dimensions; 40 would exceed polars' regex size limit."""
    dims = {f"d{i}": str(i) for i in range(count)}
    data = ndjson(*[json.dumps({"metric": "a", "time": "t", "value": 1, "dims": dims})] * 3)
    assert (json_fast.ndjson_frame(data) is not None) == fast
    frame = read_ndjson_frame(data)
    assert frame.columns[5:] == list(dims)
    assert frame["d7"].to_list() == ["7"] * 3


def test_a_dimension_first_seen_late_sends_the_batch_to_the_precise_path() -> None:
    """The fast path knows the dimension names of the first 1,000 rows only; the result is the same."""
    late = GOOD.replace('"priority": "P1"', '"priority": "P1", "site": "Leeds"')
    data = ndjson(*[GOOD] * 1000, late)
    assert json_fast.ndjson_frame(data) is None
    frame = read_ndjson_frame(data)
    assert frame.columns[-2:] == ["priority", "site"]
    assert frame["site"].to_list()[-2:] == [None, "Leeds"]


TEXT = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=6),
    st.sampled_from(["2026-01-05T09:00:00Z", "2026-01-05T10:00:00+01:00", "uptime", ""]),
)
ANY = st.one_of(TEXT, st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=False))
NAMES = st.sampled_from(["metric", "time", "value", "start", "end", "dims", "site"])
DIM_NAMES = st.sampled_from(["priority", "region", "time", "Site"])


@st.composite
def rows(draw: st.DrawFn) -> dict[str, Any]:
    """A row object, mostly well typed, sometimes not, its keys in any order."""
    row: dict[str, Any] = {}
    for name in draw(st.lists(NAMES, unique=True, max_size=6)):
        if name == "dims":
            row[name] = draw(st.dictionaries(DIM_NAMES, st.one_of(TEXT, TEXT, ANY), max_size=3))
        elif name == "value":
            row[name] = draw(st.one_of(st.floats(allow_nan=False), st.integers(-(10**20), 10**20), ANY))
        else:
            row[name] = draw(st.one_of(TEXT, TEXT, TEXT, ANY))
    return row


def outcome(read: Any, data: bytes) -> Any:
    try:
        return read(data)
    except MeasurementError as error:
        return (error.code, error.row, error.field, str(error))


@settings(max_examples=150, deadline=None)
@given(st.lists(rows(), min_size=1, max_size=5), st.booleans(), st.sampled_from([None, ",", ", "]))
def test_fast_and_precise_paths_read_every_document_alike(
    batch: list[dict[str, Any]], ascii_only: bool, comma: str | None
) -> None:
    """Whatever the rows, the two paths give equal frames or the same error."""
    lines = [json.dumps(row, ensure_ascii=ascii_only) for row in batch]
    layout: dict[str, Any] = {"indent": 2} if comma is None else {"separators": (comma, ":")}
    document = json.dumps({"measurements": batch}, ensure_ascii=ascii_only, **layout)
    for read, data in ((read_ndjson_frame, "\n".join(lines).encode()), (read_json_frame, document.encode())):
        fast = outcome(read, data)
        precise = outcome(lambda d, read=read: read(d, fast=False), data)
        if isinstance(fast, tuple) or isinstance(precise, tuple):
            assert fast == precise
        else:
            assert fast.equals(precise)
            assert fast.schema == precise.schema


@st.composite
def typed_rows(draw: st.DrawFn) -> dict[str, Any]:
    """A well-typed row (the fast path's case): text or null, a number or null, dims in a fixed order."""
    row: dict[str, Any] = {"metric": draw(TEXT)}
    for name in draw(st.lists(st.sampled_from(["time", "value", "start", "end", "dims"]), unique=True)):
        if name == "value":
            row[name] = draw(st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)))
        elif name == "dims":
            row[name] = {n: draw(TEXT) for n in ("priority", "region") if draw(st.booleans())}
        else:
            row[name] = draw(TEXT)
    return {name: row[name] for name in ("metric", "time", "value", "start", "end", "dims") if name in row}


@settings(max_examples=100, deadline=None)
@given(st.lists(typed_rows(), min_size=1, max_size=5), st.booleans())
def test_well_typed_rows_take_the_fast_path_with_the_precise_frame(
    batch: list[dict[str, Any]], ascii_only: bool
) -> None:
    """Strings of any characters (escaped or not) and any finite float come out as msgspec reads them."""
    data = "\n".join(json.dumps(row, ensure_ascii=ascii_only) for row in batch).encode()
    fast = json_fast.ndjson_frame(data)
    surrogates = ascii_only and any(
        ord(c) > 0xFFFF for row in batch for c in json.dumps(row, ensure_ascii=False)
    )
    if fast is None:
        assert surrogates  # only a surrogate pair is left to the precise path
        return
    assert fast.equals(read_ndjson_frame(data, fast=False))
