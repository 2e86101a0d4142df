"""The ``sla`` command: ``check``, ``fmt``, ``eval``, ``diff`` and ``serve``.

Exit statuses follow interfaces.md: ``check`` 0 valid (warnings allowed),
1 invalid, 2 usage; ``fmt`` 0, or 1 with ``--check`` and changes. Usage errors
(an unknown option, a missing file) always exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import NoReturn

import dsl
from engine.instants import range_bound

USAGE = 2

# Subcommands that live in their own modules; each offers
# ``add_parser(subparsers) -> None`` and sets ``run(args) -> int`` as the parser default.
COMMAND_MODULES: tuple[str, ...] = ("api.serve_command", "api.eval_command", "api.diff_command")


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with ``usage:`` on stderr, as interfaces.md says for usage errors."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(USAGE, f"{self.prog}: error: {message}\n")


class UsageError(Exception):
    """A command was called wrongly (a missing file): exit status 2."""


def display_name(name: str) -> str:
    """How diagnostics name FILE: ``<stdin>`` for ``-``."""
    return "<stdin>" if name == "-" else name


def read_text(name: str) -> str:
    """The text of FILE, or of stdin for ``-``.

    Raises :class:`UsageError` when the file cannot be read, and
    :class:`dsl.PolicySyntaxError` (E109, with line and column) when it is not UTF-8.
    """
    if name == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(name).read_bytes()
        except FileNotFoundError:
            raise UsageError(f"{name}: no such file") from None
        except OSError as exc:
            raise UsageError(f"{name}: cannot read: {exc.strerror or exc}") from None
    return dsl.decode(data, display_name(name))


def load_policy(name: str) -> dsl.CheckedPolicy:
    """Parse and check the policy in FILE; raises :class:`dsl.PolicyError` or :class:`UsageError`."""
    source = read_text(name)
    filename = display_name(name)
    return dsl.check(dsl.parse(source, filename=filename), source=source, filename=filename)


def add_measurement_options(parser: argparse.ArgumentParser, formats: tuple[str, ...], what: str) -> None:
    """``--input-format``, ``--from`` and ``--to``, as ``sla eval`` and ``sla diff --replay`` share them;
    ``what`` names the range in the help ("the range", "the replay")."""
    parser.add_argument(
        "--input-format", choices=formats, help="the measurements' format, whatever the extension"
    )
    when = "date or ISO 8601 time; no offset: policy's zone"
    parser.add_argument("--from", dest="start", metavar="T", help=f"start of {what}, inclusive ({when})")
    parser.add_argument("--to", dest="end", metavar="T", help=f"end of {what}, exclusive ({when})")


def range_bounds(
    checked: dsl.CheckedPolicy, start: str | None, end: str | None
) -> tuple[datetime | None, datetime | None]:
    """``--from`` and ``--to`` read as :func:`engine.instants.range_bound` reads them, in the
    policy's time zone when they carry no offset; raises :class:`UsageError` for a bad or empty range."""
    zone = checked.policy.zone
    bounds: list[datetime | None] = []
    for option, text in (("--from", start), ("--to", end)):
        try:
            bounds.append(None if text is None else range_bound(text, zone))
        except ValueError as exc:
            raise UsageError(f"{option}: {exc}") from None
    first, last = bounds
    if first is not None and last is not None and last <= first:
        raise UsageError("--to must be later than --from")
    return first, last


def _check(args: argparse.Namespace) -> int:
    status = 0
    for name in args.files:
        try:
            checked = load_policy(name)
        except dsl.PolicyError as exc:
            print(exc, file=sys.stderr)
            status = 1
            continue
        for warning in checked.warnings:
            print(warning, file=sys.stderr)
    return status


def _fmt(args: argparse.Namespace) -> int:
    status = 0
    for name in args.files:
        filename = display_name(name)
        try:
            source = read_text(name)
            canonical = dsl.format_policy(dsl.parse(source, filename=filename))
        except dsl.PolicyError as exc:
            print(exc, file=sys.stderr)
            status = 1
            continue
        if name == "-":
            sys.stdout.write(canonical)
        elif canonical != source:
            if args.check:
                print(f"{name} would be reformatted", file=sys.stderr)
                status = 1
            else:
                Path(name).write_text(canonical, encoding="utf-8")
                print(f"reformatted {name}", file=sys.stderr)
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sla", description="Service-level policies: check, format, evaluate, diff, serve.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = commands.add_parser("check", help="parse and type-check policies")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.set_defaults(run=_check)
    fmt = commands.add_parser("fmt", help="rewrite policies in canonical form")
    fmt.add_argument("--check", action="store_true", help="only report files that would change")
    fmt.add_argument("files", nargs="+", metavar="FILE", help="files, or - for stdin to stdout")
    fmt.set_defaults(run=_fmt)
    for module in COMMAND_MODULES:
        importlib.import_module(module).add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``sla`` with ``argv`` (default: the process arguments); returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.run(args)
    except UsageError as exc:
        print(f"sla {args.command}: {exc}", file=sys.stderr)
        return USAGE
    return status


if __name__ == "__main__":
    sys.exit(main())
