"""``sla diff OLD NEW``: the semantic diff of two policies, optionally replayed on measurements.

Exit statuses (interfaces.md): 0 the versions mean the same, 1 they differ,
2 an error (an invalid policy or measurement file, a missing file, a bad option).
The text form is written to be pasted into an email; ``--format json`` prints
``{"changes": [...], "replay": {...}}`` as interfaces.md shows.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from typing import Any

import dsl
import engine
from engine.diff import PolicyDiff, diff
from engine.readers import FORMATS
from engine.replay import Replay, replay
from engine.windows import isoformat, zone_info

from .cli import USAGE, UsageError, add_measurement_options, load_policy, range_bounds
from .eval_command import measurement_error_text, read_file

UNCHANGED, CHANGED = 0, 1


def add_parser(subparsers: Any) -> None:
    """Register ``diff`` on the ``sla`` command's subparsers."""
    parser = subparsers.add_parser(
        "diff",
        help="semantic diff of two policies",
        description="Compare two versions of a policy clause by clause; say whom each change favours.",
    )
    parser.add_argument("old", metavar="OLD", help="the earlier policy (.sla)")
    parser.add_argument("new", metavar="NEW", help="the later policy (.sla)")
    parser.add_argument(
        "--replay", metavar="MEASUREMENTS", help="also show what each version credits on these measurements"
    )
    add_measurement_options(parser, FORMATS, "the replay")
    parser.add_argument(
        "--format", dest="output", choices=("text", "json"), default="text", help="default: text"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Diff, replay where asked, print; returns the exit status (2 by :class:`UsageError` for usage)."""
    if (args.start is not None or args.end is not None) and args.replay is None:
        raise UsageError("--from and --to bound a replay: give --replay MEASUREMENTS")
    try:
        old, new = load_policy(args.old), load_policy(args.new)
    except dsl.PolicyError as exc:
        print(exc, file=sys.stderr)
        return USAGE
    # Bounds without an offset are read in the old version's time zone: the contract in force.
    start, end = range_bounds(old, args.start, args.end)
    result = diff(old, new)
    replayed = None
    if args.replay is not None:
        try:
            batch = read_file(args.replay, args.input_format)
            replayed = replay(old, new, batch, start=start, end=end)
        except engine.MeasurementError as exc:
            print(measurement_error_text(args.replay, exc), file=sys.stderr)
            return USAGE
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    if args.output == "json":
        document: dict[str, Any] = result.to_dict()
        if replayed is not None:
            document["replay"] = replayed.to_dict()
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_text(result, args.old, args.new, replayed, args.replay))
    return CHANGED if result.changed else UNCHANGED


# --- the text a commercial manager pastes into an email ------------------------


def render_text(result: PolicyDiff, old: str, new: str, replayed: Replay | None, source: str | None) -> str:
    """The diff as numbered sentences, then the replay's totals, clauses and fee periods."""
    changes = result.changes
    if not changes:
        lines = [f"No changes: {old} and {new} mean the same."]
    else:
        counts = [
            (sum(c.favours == side for c in changes), label)
            for side, label in (
                ("client", "in favour of the client"),
                ("provider", "in favour of the provider"),
                ("unclear", "unclear"),
            )
        ]
        tally = ", ".join(f"{n} {label}" for n, label in counts if n)
        noun = "change" if len(changes) == 1 else "changes"
        lines = [f"{len(changes)} {noun} from {old} to {new} ({tally}):", ""]
        lines += [f"{number}. {change.summary}" for number, change in enumerate(changes, 1)]
    if replayed is not None and source is not None:
        lines += ["", *_replay_lines(replayed, source)]
    return "\n".join(lines) + "\n"


def _money(amount: Decimal | None, currency: str | None) -> str:
    if amount is None:
        return "no money figure (no fee)"
    return f"{amount:,.2f}" + (f" {currency}" if currency else "")


def _signed(amount: Decimal | None) -> str:
    return "" if amount is None else f" ({amount:+,.2f})"


def _replay_lines(replayed: Replay, source: str) -> list[str]:
    report = replayed.new_report
    currency = report.currency or replayed.old_report.currency
    span = report.range or replayed.old_report.range
    zone = zone_info(report.zone)
    when = f" from {isoformat(span[0], zone)[:10]} to {isoformat(span[1], zone)[:10]}" if span else ""
    lines = [
        f"Replayed on {source}{when}:",
        f"  Total credit: {_money(replayed.old_total_credit, currency)} under the old version, "
        f"{_money(replayed.new_total_credit, currency)} under the new{_signed(replayed.difference)}.",
        "  By clause (old -> new):",
    ]
    for clause in replayed.by_clause:
        name = (
            clause.clause if clause.new_id in (None, clause.old_id) else f"{clause.old_id} -> {clause.new_id}"
        )
        if currency is None:
            figures = f"{_breaches(clause.old_breaches)} -> {_breaches(clause.new_breaches)} breached windows"
        else:
            difference = None if clause.old is None or clause.new is None else clause.new - clause.old
            figures = f"{_figure(clause.old)} -> {_figure(clause.new)}{_signed(difference)}"
        lines.append(f"    {name}: {figures}")
    if replayed.by_period:
        lines.append("  By fee period (old -> new):")
        for period in replayed.by_period:
            difference = None if period.old is None or period.new is None else period.new - period.old
            days = f"{isoformat(period.start, zone)[:10]} to {isoformat(period.end, zone)[:10]}"
            lines.append(f"    {days}: {_figure(period.old)} -> {_figure(period.new)}{_signed(difference)}")
    return lines


def _figure(amount: Decimal | None) -> str:
    return "absent" if amount is None else f"{amount:,.2f}"


def _breaches(count: int | None) -> str:
    return "absent" if count is None else str(count)
