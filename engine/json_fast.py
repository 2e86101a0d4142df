"""A fast path for JSON rows and NDJSON: proved strict by one regular expression, decoded by polars.

The precise path (:mod:`engine.json_input`) decodes every row into a msgspec
struct and then builds columns from a million Python objects; that second step
costs more than the decoding. Here the rows are decoded by polars' native,
multi-threaded NDJSON reader straight into columns. polars' reader is lax,
though (it turns ``2`` into ``"2"``, ignores unknown fields, takes the first of
two equal keys), so before it runs, every line is matched against a regular
expression of the strict row grammar, run by polars' Rust regex engine over all
lines at once:

- an object whose keys are among ``metric``, ``time``, ``value``, ``start``,
  ``end``, ``dims``, each at most once, in the order of the first rows;
- text fields are JSON strings or ``null``, ``value`` a JSON number or ``null``;
- ``dims`` an object whose keys are the dimension names seen in the first rows
  (at most 12 of them), each at most once and in the order of the first rows,
  with string or ``null`` values.

Anything else (another key order, a new dimension name late in the file, a
``\\u`` surrogate escape, any fault at all) returns None, and the caller takes
the precise path, which names the row and field of a fault exactly as before.
The fast path never reports an error itself, so it cannot weaken one.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from itertools import pairwise

import msgspec
import polars as pl

from .measurements import FIXED_COLUMNS

_WS = r"[ \t\r]*"
# A JSON string, strictly: no raw control characters, only the escapes JSON allows, no surrogate
# escapes (a lone one is an error in msgspec; a pair is rare enough to leave to the precise path).
_STR = r'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u(?:[0-9a-cA-CefEF][0-9a-fA-F]{3}|[dD][0-7][0-9a-fA-F]{2}))*"'
_NUM = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"
_TEXT = f"(?:{_STR}|null)"
_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_SAMPLE = 1000
# The pattern grows with the square of the number of dimensions: beyond this many, it costs more to
# compile than it saves (and polars' regex size limit is near at 30).
_MOST_DIMENSIONS = 12
_FIELDS = ("metric", "time", "value", "start", "end", "dims")
_TEXT_FIELDS = ("metric", "time", "start", "end")
_SAMPLE_ROWS = msgspec.json.Decoder(list[dict[str, object]])


def ndjson_frame(data: bytes) -> pl.DataFrame | None:
    """The frame of NDJSON rows when every line is a strict row of known shape, else None.

    The frame is the precise path's: ``metric``, ``time``, ``start``, ``end``
    (String), ``value`` (Float64), then one String column per dimension in the
    order first seen. Returns None (never raises) for anything the fast path
    does not prove strict.
    """
    try:
        lines = pl.read_csv(
            io.BytesIO(data),
            has_header=False,
            separator="\x01",  # a raw control character is never in valid JSON, so lines stay whole
            quote_char=None,
            new_columns=["line"],
            schema={"line": pl.String},
        )["line"]
    except (pl.exceptions.PolarsError, ValueError):
        return None
    lines = lines.drop_nulls()  # blank lines, which are not rows (nor are they to polars' reader)
    if lines.len() == 0:
        return None
    sample = _sample(lines.head(_SAMPLE))
    if sample is None:
        return None
    names, fields, dims_order = sample
    pattern = _line_pattern(fields, dims_order)
    try:
        if not (_all_match(lines.head(_SAMPLE), pattern) and _all_match(lines, pattern)):
            return None  # a fault in the first rows is found before all lines are matched
    except pl.exceptions.PolarsError:
        return None  # the pattern too large for polars' regex engine, say
    schema: dict[str, pl.DataType] = {name: pl.String() for name in _TEXT_FIELDS}
    schema["value"] = pl.Float64()
    if names:
        schema["dims"] = pl.Struct(dict.fromkeys(names, pl.String))
    try:
        frame = pl.read_ndjson(io.BytesIO(data), schema=schema)
    except (pl.exceptions.PolarsError, ValueError):
        return None  # a number out of range, say: the precise path names it
    if frame.height != lines.len():
        return None
    dims = pl.col("dims")
    return frame.select(
        *_TEXT_FIELDS,
        "value",
        *(dims.struct.field(name).alias(name) for name in names),
    )


def raw_rows_frame(rows: list[msgspec.Raw]) -> pl.DataFrame | None:
    """The frame of a rows document's row objects, each raw JSON text that msgspec found well formed.

    Returns None as :func:`ndjson_frame` does.
    """
    if not rows:
        return None
    lines = b"\n".join(rows)
    if lines.count(b"\n") != len(rows) - 1:
        # In well-formed JSON a line break can only be whitespace between tokens, so it becomes a space
        # and each row one line; \x1e (a raw control character) cannot occur in it: it marks the row ends.
        lines = b"\x1e".join(rows).replace(b"\n", b" ").replace(b"\x1e", b"\n")
    return ndjson_frame(lines)


def _sample(sample: pl.Series) -> tuple[list[str], tuple[str, ...], tuple[str, ...]] | None:
    """From the first rows: the dimension names as first seen (the columns), and the orders of the pattern.

    The pattern takes a row's fields, and its dimensions, in one order only: one
    that every sampled row follows, when there is one. Returns None when the
    precise path must judge (an unknown field, a reserved or invalid dimension name).
    """
    try:
        rows = _SAMPLE_ROWS.decode(("[" + ",".join(sample.to_list()) + "]").encode())
    except msgspec.MsgspecError:
        return None
    if any(not isinstance(row.get("dims", {}), dict) for row in rows):
        return None
    dims: list[dict[str, object]] = [row.get("dims") or {} for row in rows]  # type: ignore[misc]
    names = list(dict.fromkeys(name for row in dims for name in row))
    if len(names) > _MOST_DIMENSIONS or any(
        name in FIXED_COLUMNS or not _NAME.fullmatch(name) for name in names
    ):
        return None
    fields = _common_order(rows, _FIELDS)
    if fields is None:
        return None
    return names, fields, _common_order(dims, names) or ()


def _common_order(rows: list[dict[str, object]], known: Sequence[str]) -> tuple[str, ...] | None:
    """An order of the ``known`` keys that every row's keys follow, if there is one; None for an unknown key.

    Each row says which of its keys comes before which; the order takes, at each
    step, the earliest ``known`` key that no remaining key must precede. Rows
    disagreeing give some order all the same, and the pattern then sends them
    to the precise path.
    """
    before: dict[str, set[str]] = {key: set() for key in known}
    for row in rows:  # the sample only, at most 1,000 rows
        keys = list(row)
        if not before.keys() >= set(keys):
            return None
        for earlier, later in pairwise(keys):
            before[later].add(earlier)
    order: list[str] = []
    while len(order) < len(known):
        free = [key for key in known if key not in order and before[key] <= set(order)]
        order.append(free[0] if free else next(key for key in known if key not in order))
    return tuple(order)


def _all_match(lines: pl.Series, pattern: str) -> bool:
    """Whether every line matches: one slice per polars thread, as one regex match runs on one core."""
    pieces = max(1, min(pl.thread_pool_size(), lines.len() // 100_000))
    size = -(-lines.len() // pieces)
    slices = [lines.slice(start, size) for start in range(0, lines.len(), size)]
    if len(slices) == 1:
        return bool(lines.str.contains(pattern).all())
    with ThreadPoolExecutor(len(slices)) as pool:  # polars lets go of the GIL while it matches
        return all(pool.map(lambda piece: bool(piece.str.contains(pattern).all()), slices))


@lru_cache(maxsize=32)
def _line_pattern(fields: tuple[str, ...], names: tuple[str, ...]) -> str:
    """The regular expression of one strict row: ``fields`` and dimension ``names`` in the order given."""
    dims = r"\{" + _WS + f"(?:{_in_order([_member(n, _TEXT) for n in names])})?" + _WS + r"\}"
    values = dict.fromkeys(_FIELDS, _TEXT) | {"value": f"(?:{_NUM}|null)", "dims": dims}
    members = [_member(field, values[field]) for field in fields]
    return "^" + _WS + r"\{" + _WS + _in_order(members) + _WS + r"\}" + _WS + "$"


def _member(key: str, value: str) -> str:
    return f'"{key}"{_WS}:{_WS}{value}'


def _in_order(members: list[str]) -> str:
    """Some of ``members``, at least one, each at most once, in the given order, comma-separated.

    One alternative per first member, the later ones each optional: quadratic in
    the number of members, not exponential.
    """
    comma = f"{_WS},{_WS}"
    alternatives = [
        first + "".join(f"(?:{comma}{later})?" for later in members[index + 1 :])
        for index, first in enumerate(members)
    ]
    return "(?:" + "|".join(alternatives) + ")"
