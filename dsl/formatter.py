"""``dsl.format_policy``: the one printer; its output is the canonical text of a policy.

Canonical form (language.md): header statements in the order of the table
(policy, client, provider, fee, cap, annual cap, timezone, calendars), then
metrics, then clauses in their order, groups separated by a blank line;
symbols for comparators, short units (``4h``, ``1h30m``), ``sla``/``kpi``
always written, options in a fixed order. Comments are kept: each statement's
comments are printed on their own lines above it, after a blank line; a blank
line also separates a run of ``kpi`` clauses from the ``sla`` clauses before
it. A statement longer than :data:`WIDTH` characters is filled onto lines
indented by four spaces, broken after a comma or before ``where``/``holidays``.

``parse(format_policy(p)) == p`` for every valid policy, and formatting is idempotent.
"""

from __future__ import annotations

from decimal import Decimal

from . import ast
from .ast import format_decimal
from .hours import format_hours
from .tokens import MONTHS

WIDTH = 100
INDENT = "    "
_MS_UNITS = (("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1))
_WEEK_MS = 604_800_000


def format_policy(policy: ast.Policy) -> str:
    """The canonical text of ``policy``, ending with a newline."""
    headers: list[ast.Statement] = [
        node
        for node in (
            policy.name,
            policy.client,
            policy.provider,
            policy.fee,
            policy.cap,
            policy.annual_cap,
            policy.timezone,
        )
        if node is not None
    ]
    headers.extend(policy.calendars)
    groups: list[list[ast.Statement]] = [headers, list(policy.metrics), list(policy.clauses)]
    blocks: list[str] = []
    for group in groups:
        if not group:
            continue
        lines: list[str] = []
        for index, statement in enumerate(group):
            if index and (statement.comments or _starts_kind(group[index - 1], statement)):
                lines.append("")
            lines.extend(_comment(c) for c in statement.comments)
            lines.append(format_statement(statement))
        blocks.append("\n".join(lines))
    if policy.trailing_comments:
        blocks.append("\n".join(_comment(c) for c in policy.trailing_comments))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _starts_kind(previous: ast.Statement, statement: ast.Statement) -> bool:
    """Whether ``statement`` opens a run of the other clause kind (``kpi`` after ``sla``)."""
    return (
        isinstance(previous, ast.Clause)
        and isinstance(statement, ast.Clause)
        and previous.kind != statement.kind
    )


def _comment(text: str) -> str:
    return f"# {text}" if text else "#"


def format_statement(statement: ast.Statement) -> str:
    """One statement in canonical form (several lines where it is long)."""
    match statement:
        case ast.TextHeader(keyword=keyword, value=value):
            return f"{keyword} {quote(value)}"
        case ast.Fee(amount=amount, period=period):
            return f"fee {format_amount(amount)} {period.adverb}"
        case ast.Cap(amount=amount):
            return f"cap {format_amount(amount)}"
        case ast.AnnualCap(share=share):
            return f"annual cap {format_quantity(share)}"
        case ast.Calendar():
            return _calendar(statement)
        case ast.MetricDecl(name=name, kind=kind, definition=definition):
            text = f"metric {name} {kind.value}"
            return text + (f" {quote(definition)}" if definition is not None else "")
        case ast.Clause():
            items = _clause_items(statement)
            return _pack(_condition_and_window(statement), items, keep_first=bool(statement.filter))


def format_clause(clause: ast.Clause) -> str:
    """The canonical text of one clause on a single line (as shown in reports)."""
    return _condition_and_window(clause) + "".join(sep + text for sep, text in _clause_items(clause))


def _clause_items(clause: ast.Clause) -> list[tuple[str, str]]:
    """What follows a clause's window, each part with the separator before it: filter, options."""
    items = [(" ", "where " + _filter(clause))] if clause.filter else []
    return items + [(", ", format_option(o)) for o in clause.options]


def _calendar(calendar: ast.Calendar) -> str:
    head = "calendar " + (f"{calendar.name} " if calendar.name else "") + quote(format_hours(calendar.hours))
    if not calendar.holidays:
        return head
    days = [quote(day.isoformat()) for day in calendar.holidays]
    return _pack(head, [(" ", f"holidays {days[0]}"), *((", ", day) for day in days[1:])])


def _pack(head: str, items: list[tuple[str, str]], keep_first: bool = False) -> str:
    """``head`` and each ``(separator, text)`` item on one line when it fits :data:`WIDTH`.

    Otherwise the head stands alone on the first line (with the first item too
    when ``keep_first`` and it fits), and the other items fill the following
    lines, indented; a comma stays at the end of the line it closes.
    """
    one_line = head + "".join(separator + text for separator, text in items)
    if len(one_line) <= WIDTH or not items:
        return one_line
    current, rest = head, items
    if keep_first and len(head + items[0][0] + items[0][1]) <= WIDTH:
        current, rest = head + items[0][0] + items[0][1], items[1:]
    lines: list[str] = []
    for separator, text in rest:
        candidate = current + separator + text
        if lines and len(candidate) <= WIDTH:
            current = candidate
        else:
            lines.append(current + separator.rstrip())
            current = INDENT + text
    return "\n".join([*lines, current])


def _condition_and_window(clause: ast.Clause) -> str:
    text = clause.kind.value
    if clause.name is not None:
        text += f" {quote(clause.name)}:"
    return text + f" {format_condition(clause.condition)} {format_window(clause.window)}"


def _filter(clause: ast.Clause) -> str:
    return " and ".join(format_test(t) for t in clause.filter)


def format_condition(condition: ast.Condition) -> str:
    match condition:
        case ast.AggregateCondition(metric=metric, aggregation=aggregation, op=op, threshold=threshold):
            return f"{metric} {aggregation.label} {op.value} {format_quantity(threshold)}"
        case ast.ShareCondition(share=share, metric=metric, op=op, threshold=threshold):
            return f"{format_quantity(share)} of {metric} {op.value} {format_quantity(threshold)}"


def format_window(window: ast.Window) -> str:
    text = window.period.adverb
    if window.anchor_day is not None or window.anchor_month is not None:
        text += f" from day {window.anchor_day or 1}"
        if window.anchor_month is not None:
            text += f" of {MONTHS[window.anchor_month - 1]}"
    return text


def format_test(test: ast.DimensionTest) -> str:
    if test.op in (ast.FilterOp.EQ, ast.FilterOp.NE):
        return f"{test.dimension} {test.op.value} {quote(test.values[0])}"
    return f"{test.dimension} {test.op.value} (" + ", ".join(quote(v) for v in test.values) + ")"


def format_option(option: ast.Option) -> str:
    match option:
        case ast.MinSamples(count=count):
            return f"min {count} sample" + ("" if count == 1 else "s")
        case ast.FixedCredit(amount=amount):
            return f"credit {format_amount(amount)}"
        case ast.LinearCredit(rate=rate, step=step, direction=direction):
            return f"credit {format_quantity(rate)} per {format_quantity(step)} {direction.value}"
        case ast.PoolCredit(share=share):
            return f"credit {format_quantity(share)} of pool"
        case ast.Tier():
            return _conditional(option)
        case ast.MaxCredit(amount=amount):
            return f"max {format_amount(amount)}"
        case ast.EarnBack(after_met=after):
            return f"earn back after {after} met"
        case ast.Chronic(breaches=breaches, of_windows=windows):
            return f"chronic {breaches} of {windows}"
        case ast.Bonus():
            return "bonus " + _conditional(option)
        case ast.UseCalendar(name=name):
            return f"calendar {name}"
        case ast.Owner(name=name):
            return f"owner {quote(name)}"


def _conditional(option: ast.Tier | ast.Bonus) -> str:
    return f"{format_amount(option.amount)} if {option.op.value} {format_quantity(option.threshold)}"


def format_amount(amount: ast.Amount | ast.Money) -> str:
    if isinstance(amount, ast.Money):
        return f"{format_decimal(amount.amount)} {amount.currency}"
    return format_quantity(amount)


def format_quantity(quantity: ast.Quantity) -> str:
    """A quantity as written canonically: ``4h``, ``8 business hours``, ``99.9%``, ``50``."""
    match quantity:
        case ast.Duration(seconds=seconds):
            return format_duration(seconds)
        case ast.BusinessDuration(amount=amount, unit=unit):
            word = unit.value if amount != 1 else unit.value[:-1]
            return f"{format_decimal(amount)} business {word}"
        case ast.Ratio(fraction=fraction):
            return format_decimal(fraction * 100) + "%"
        case ast.Number(value=value):
            return format_decimal(value)


def format_duration(seconds: Decimal) -> str:
    """Seconds in short compound units: ``14400`` -> ``4h``, ``5400`` -> ``1h30m``, ``0.5`` -> ``500ms``."""
    total = seconds * 1000
    whole = int(total)
    fraction = total - whole
    if whole and not fraction and whole % _WEEK_MS == 0:
        return f"{whole // _WEEK_MS}w"
    parts = []
    for unit, size in _MS_UNITS:
        count, whole = divmod(whole, size)
        if unit == "ms" and fraction:
            parts.append(format_decimal(count + fraction) + "ms")
        elif count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
