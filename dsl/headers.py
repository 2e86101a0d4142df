"""Rules on header statements and on what clauses refer to: fee, cap, time zone, calendars.

A percentage ``cap`` or ``annual cap`` is a share of a fee, so it needs one
(E322); a money cap needs a fee in its currency (E323, E324). The time zone
must be an IANA zone (E403). A clause's ``calendar NAME`` must name a calendar
of the policy (E401), and a business duration needs a calendar to count in
(E402). Calendars are given once per name (E202, normally caught by the parser).
"""

from __future__ import annotations

import functools
import zoneinfo
from difflib import get_close_matches

from . import ast
from .consequences import check_money
from .findings import Findings, option_error
from .formatter import format_quantity


def check_headers(policy: ast.Policy, findings: Findings) -> None:
    """Report E322-E324 on the caps, E403 on the time zone and E202 on calendars."""
    if policy.cap is not None:
        if isinstance(policy.cap.amount, ast.Ratio):
            if policy.fee is None:
                findings.error(
                    "E322",
                    f"`cap {format_quantity(policy.cap.amount)}` is a share of the fee, "
                    "but the policy has no `fee`",
                    policy.cap.span,
                    "add a header statement such as `fee 100000 EUR monthly`, "
                    "or cap an amount: `cap 20000 EUR`",
                )
        else:
            check_money(policy.cap.amount, policy, findings)
    if policy.annual_cap is not None and policy.fee is None:
        findings.error(
            "E322",
            f"`annual cap {format_quantity(policy.annual_cap.share)}` is a share of the fees, "
            "but the policy has no `fee`",
            policy.annual_cap.span,
            "add a header statement such as `fee 100000 EUR monthly`",
        )
    if policy.timezone is not None:
        _check_zone(policy.timezone, findings)
    seen: set[str | None] = set()
    for calendar in policy.calendars:
        if calendar.name in seen:
            label = f"calendar {calendar.name}" if calendar.name else "calendar"
            findings.error(
                "E202", f"`{label}` is given twice", calendar.span, "give each calendar a different name"
            )
        seen.add(calendar.name)


@functools.cache
def _zones() -> frozenset[str]:
    # ``localtime`` and ``posixrules`` are files of the host, not IANA zones: a policy must
    # mean the same on every machine.
    return frozenset(zoneinfo.available_timezones() - {"localtime", "posixrules"}) | {"UTC"}


def _check_zone(header: ast.TextHeader, findings: Findings) -> None:
    zone = header.value
    if zone in _zones():
        return
    by_lower = {z.lower(): z for z in _zones()}
    if zone.lower() in by_lower:
        hint = f"zone names are case-sensitive: did you mean `{by_lower[zone.lower()]}`?"
    else:
        close = get_close_matches(zone, sorted(_zones()), n=1, cutoff=0.7)
        hint = (
            f"did you mean `{close[0]}`?"
            if close
            else 'write an IANA time zone such as "Europe/London", "America/New_York" or "UTC"'
        )
    span = header.span
    if span is not None and span.end_line == span.line:
        # Point at the quoted zone name, the last thing on the statement.
        width = len(zone) + 2
        span = ast.Span(span.line, max(span.column, span.end_column - width), span.line, span.end_column)
    findings.error("E403", f'"{zone}" is not an IANA time zone', span, hint)


def business_durations(clause: ast.Clause) -> list[ast.BusinessDuration]:
    """Every business duration a clause compares with: its target, tiers, bonus and step."""
    found = [clause.condition.threshold]
    for option in clause.options:
        if isinstance(option, ast.Tier | ast.Bonus):
            found.append(option.threshold)
        elif isinstance(option, ast.LinearCredit):
            found.append(option.step)
    return [q for q in found if isinstance(q, ast.BusinessDuration)]


def check_calendar_use(clause: ast.Clause, policy: ast.Policy, findings: Findings) -> None:
    """A named calendar must exist (E401); business durations need a calendar (E402)."""
    named = sorted(c.name for c in policy.calendars if c.name is not None)
    chosen = clause.option(ast.UseCalendar)
    if chosen is not None and policy.calendar(chosen.name) is None:
        close = get_close_matches(chosen.name, named, n=1, cutoff=0.6)
        if close:
            hint = f"did you mean `calendar {close[0]}`?"
        elif named:
            hint = "the named calendars are " + ", ".join(f"`{n}`" for n in named)
        else:
            hint = f'define it with `calendar {chosen.name} "Mon-Fri 09:00-17:30"`'
        option_error(findings, chosen, "E401", f"there is no calendar named `{chosen.name}`", hint)
        return
    durations = business_durations(clause)
    if durations and chosen is None and policy.calendar(None) is None:
        first = durations[0]
        if named:
            message = f"{format_quantity(first)} needs a calendar, but the policy has no default calendar"
            hint = f"choose one for the clause with `calendar {named[0]}`, or add an unnamed calendar"
        else:
            message = f"{format_quantity(first)} needs a calendar, but the policy has none"
            hint = (
                'add a header statement such as `calendar "Mon-Fri 09:00-17:30"`, or write elapsed time (8h)'
            )
        findings.error("E402", message, first.span, hint)
