"""``sla eval POLICY MEASUREMENTS``: evaluate a policy over a measurement file.

Exit statuses (interfaces.md): 0 evaluated, breaches included; 1 bad input
(an invalid policy, or an invalid measurement row, printed compiler style as
``FILE:row N: FIELD: error[CODE]: message`` and a hint); 2 usage (an unknown
option, a missing file, a ``--from`` that is not a time with an offset).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import dsl
import engine
from engine.readers import FORMATS, read_measurements

from .cli import UsageError, add_measurement_options, display_name, load_policy, range_bounds
from .scorecard import render_scorecard

BAD_INPUT = 1


def add_parser(subparsers: Any) -> None:
    """Register ``eval`` on the ``sla`` command's subparsers."""
    parser = subparsers.add_parser(
        "eval",
        help="evaluate a policy over measurements",
        description="Evaluate POLICY over MEASUREMENTS; print the scorecard (terminal) or the report JSON.",
    )
    parser.add_argument("policy", metavar="POLICY", help="the policy file (.sla)")
    parser.add_argument(
        "measurements",
        metavar="MEASUREMENTS",
        help="CSV, JSON, NDJSON, Parquet or Arrow file, by extension; - reads stdin (needs --input-format)",
    )
    add_measurement_options(parser, FORMATS, "the range")
    parser.add_argument(
        "--format",
        dest="output",
        choices=("table", "json"),
        help="table (default on a terminal) or json (default otherwise)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Evaluate and print; returns the exit status (raises :class:`UsageError` for status 2)."""
    try:
        checked = load_policy(args.policy)
    except dsl.PolicyError as exc:
        print(exc, file=sys.stderr)
        return BAD_INPUT
    start, end = range_bounds(checked, args.start, args.end)
    name = display_name(args.measurements)
    try:
        batch = _read(args.measurements, args.input_format)
        report = engine.evaluate(engine.compile(checked), batch, start=start, end=end)
    except engine.MeasurementError as exc:
        print(measurement_error_text(name, exc), file=sys.stderr)
        return BAD_INPUT
    except ValueError as exc:
        # The engine refuses a range it cannot evaluate (an empty one): the options were wrong.
        raise UsageError(str(exc)) from None
    output = args.output or ("table" if sys.stdout.isatty() else "json")
    if output == "json":
        sys.stdout.write(report.to_json() + "\n")
    else:
        color = sys.stdout.isatty()
        sys.stdout.write(render_scorecard(report.to_dict(), checked.metric_kinds, color=color))
    return 0


def measurement_error_text(filename: str, error: engine.MeasurementError) -> str:
    """``FILE:row N: FIELD: error[CODE]: message`` then ``  hint: ...``, leaving out what is unknown."""
    where = filename
    if error.row is not None:
        where += f":row {error.row}"
    if error.field is not None:
        where += f": {error.field}"
    text = f"{where}: error[{error.code}]: {error.message}"
    if error.hint:
        text += f"\n  hint: {error.hint}"
    return text


def _read(name: str, input_format: str | None) -> engine.Measurements:
    if name == "-":
        if input_format is None:
            raise UsageError("reading measurements from stdin needs --input-format")
        return read_measurements(sys.stdin.buffer.read(), input_format)
    return read_file(name, input_format)


def read_file(name: str, input_format: str | None) -> engine.Measurements:
    """The measurements in the file ``name``; raises :class:`UsageError` when there is no such file."""
    path = Path(name)
    if not path.is_file():
        raise UsageError(f"{name}: no such file")
    return read_measurements(path, input_format)
