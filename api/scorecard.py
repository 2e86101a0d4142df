"""The scorecard: an evaluation report as a table a person reads in a terminal.

One block per clause (window, figure, target, samples, status, credit), each
figure in the clause's own units (``3h40m``, ``99.95%``, ``41,250``); a chronic
failure gets its own marked line; then the fee periods with their totals and
caps. Clauses with many windows (daily ones) list only the windows that were
not met and say how many met windows were left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from dsl import ast

MANY_WINDOWS = 14
# The clause's name as the canonical text writes it: sla "P1 resolution": ...
_NAMED = re.compile(r'^(?:sla|kpi) "((?:[^"\\]|\\.)*)":')

_STATUS = {"met": "met", "breached": "BREACHED", "insufficient": "insufficient", "no_data": "no data"}
_RED, _YELLOW, _GREEN, _DIM, _BOLD, _RESET = (
    "\x1b[31m",
    "\x1b[33m",
    "\x1b[32m",
    "\x1b[2m",
    "\x1b[1m",
    "\x1b[0m",
)
_STATUS_COLOR = {"met": _GREEN, "breached": _RED, "insufficient": _YELLOW, "no_data": _DIM}
_HEAD = ("window", "figure", "target", "samples", "status", "credit")


def render_scorecard(
    report: Mapping[str, Any], kinds: Mapping[str, ast.MetricKind], *, color: bool = False
) -> str:
    """The scorecard text for ``report`` (``Report.to_dict()``); ``kinds`` maps metric names to kinds.

    Returns the text, ending in a newline; ``color`` adds ANSI colours.
    """
    paint = _painter(color)
    currency = report.get("currency")
    lines = [_title(report, paint), ""]
    for clause in report["clauses"]:
        lines.extend(_clause_block(clause, kinds.get(clause["metric"]), currency, paint))
        lines.append("")
    lines.extend(_periods_block(report, currency, paint))
    return "\n".join(lines).rstrip("\n") + "\n"


def _title(report: Mapping[str, Any], paint: Any) -> str:
    name = report.get("policy") or "Policy"
    version = f" v{report['version']}" if report.get("version") is not None else ""
    span = report.get("range") or {}
    when = f"{span['from']} to {span['to']}" if span.get("from") else "no measurements in range"
    money = f"  fees in {report['currency']}" if report.get("currency") else ""
    return paint(_BOLD, f"{name}{version}") + f"  ({when}){money}"


def _clause_block(
    clause: Mapping[str, Any], kind: ast.MetricKind | None, currency: str | None, paint: Any
) -> list[str]:
    named = _NAMED.match(clause.get("text") or "")
    name = f"{named.group(1)} ({clause['id']})" if named else clause["id"]
    tag = "kpi" if clause["kind"] == "kpi" else "sla"
    header = paint(_BOLD, name) + f"  [{tag}] {clause['metric']} {_target(clause, kind)}"
    if clause.get("owner"):
        header += f"  owner: {clause['owner']}"
    if clause.get("chronic"):
        header += "  " + paint(_RED + _BOLD, "[CHRONIC]")
    lines = [header]
    windows = list(clause["windows"])
    shown = windows
    if len(windows) > MANY_WINDOWS:
        quiet = ("met", "no_data")
        shown = [w for w in windows if w["status"] not in quiet or w.get("credit") or w.get("bonus_percent")]
    rows = [_window_row(w, clause, kind, currency) for w in shown]
    lines.extend(
        _table(_HEAD, rows, indent="  ", paint=paint, status_column=4, statuses=[w["status"] for w in shown])
    )
    if len(shown) < len(windows):
        listed = {id(w) for w in shown}
        met = sum(1 for w in windows if id(w) not in listed and w["status"] == "met")
        empty = len(windows) - len(shown) - met
        hidden = f"{met} met" + (f" and {empty} no-data" if empty else "")
        lines.append(paint(_DIM, f"  ... {hidden} windows not listed ({len(windows)} windows in all)"))
    summary = f"  breaches {clause['breaches']}"
    if tag == "sla" and currency is None:
        # Without a fee the report gives percentages only; their sum is what a reader would add up.
        owed = sum(w["credit_percent"] or 0 for w in windows if not w.get("earned_back"))
        summary += f" · credit {_percent_number(owed)}% of the fee"
    elif tag == "sla":
        summary += f" · credit {_money(clause.get('credit'), currency)}"
    lines.append(summary)
    chronic = clause.get("chronic")
    if chronic:
        text = (
            f"  !! CHRONIC FAILURE: {chronic['breaches']} breaches within {chronic['of']}"
            f" consecutive windows, first in the window from {_date(chronic['window_start'])}"
        )
        lines.append(paint(_RED + _BOLD, text))
    return lines


def _window_row(
    window: Mapping[str, Any], clause: Mapping[str, Any], kind: ast.MetricKind | None, currency: str | None
) -> list[str]:
    figure = "-" if window["value"] is None else _figure(window["value"], clause, kind)
    status = _STATUS.get(window["status"], window["status"]) + ("" if window["final"] else "*")
    if clause["kind"] == "kpi":
        credit = ""
    elif currency is None:
        credit = f"{_percent_number(window['credit_percent'])}%" if window["credit_percent"] else "-"
    else:
        credit = _money(window["credit"], currency) if window["credit"] else "-"
        if window["credit_percent"] and not window["credit"] and window["status"] == "breached":
            credit = f"({_percent_number(window['credit_percent'])}%)"
    if window.get("earned_back"):
        credit += " earned back"
    if window.get("bonus"):
        credit = ("" if credit == "-" else credit + " ") + f"bonus {_money(window['bonus'], currency)}"
    elif window.get("bonus_percent") and currency is None:
        credit = (
            "" if credit == "-" else credit + " "
        ) + f"bonus {_percent_number(window['bonus_percent'])}%"
    return [
        _window_label(window["start"], window["end"]),
        figure,
        _short_target(clause, kind),
        str(window["samples"]),
        status,
        credit,
    ]


def _periods_block(report: Mapping[str, Any], currency: str | None, paint: Any) -> list[str]:
    periods = report.get("periods") or []
    if not periods:
        return ["The policy states no fee: credits are percentages of the fee."]
    rows = []
    for period in periods:
        rows.append(
            [
                _window_label(period["start"], period["end"]),
                _money(period["credit_before_cap"], currency),
                _money(period["credit"], currency),
                "CAPPED" if period["capped"] else "",
                _money(period["bonus"], currency),
            ]
        )
    lines = [paint(_BOLD, "Fee periods")]
    lines.extend(_table(("period", "before cap", "credit", "cap", "bonus"), rows, indent="  ", paint=paint))
    total = f"Total credit {_money(report.get('total_credit'), currency)} {currency}"
    total += f" · total bonus {_money(report.get('total_bonus'), currency)} {currency}"
    lines.append(paint(_BOLD, total))
    if any(not w["final"] for c in report["clauses"] for w in c["windows"]):
        lines.append("* provisional: the range ends before this window does")
    return lines


def _table(
    head: tuple[str, ...],
    rows: list[list[str]],
    *,
    indent: str,
    paint: Any,
    status_column: int | None = None,
    statuses: list[str] | None = None,
) -> list[str]:
    widths = [
        max(len(head[i]), *(len(r[i]) for r in rows)) if rows else len(head[i]) for i in range(len(head))
    ]
    numeric = {1, 3, 5} if len(head) == 6 else {1, 2, 4}
    out = [
        indent
        + paint(
            _DIM,
            "  ".join(
                h.ljust(w) if i not in numeric else h.rjust(w)
                for i, (h, w) in enumerate(zip(head, widths, strict=True))
            ).rstrip(),
        )
    ]
    for index, row in enumerate(rows):
        cells = []
        for i, (cell, width) in enumerate(zip(row, widths, strict=True)):
            text = cell.rjust(width) if i in numeric else cell.ljust(width)
            if i == status_column and statuses is not None:
                text = paint(_STATUS_COLOR.get(statuses[index], ""), text)
            cells.append(text)
        out.append(indent + "  ".join(cells).rstrip())
    return out


def _target(clause: Mapping[str, Any], kind: ast.MetricKind | None) -> str:
    target = clause["target"]
    if clause["aggregation"] == "share":
        threshold = clause["threshold"]
        inner = _quantity(threshold["value"], kind, business="business" in clause["text"])
        return f"{_percent(target['value'])} of values {threshold['op']} {inner}"
    return f"{clause['aggregation']} {target['op']} {_short_value(target['value'], clause, kind)}"


def _short_target(clause: Mapping[str, Any], kind: ast.MetricKind | None) -> str:
    target = clause["target"]
    if clause["aggregation"] == "share":
        return f"{target['op']} {_percent(target['value'])}"
    return f"{target['op']} {_short_value(target['value'], clause, kind)}"


def _short_value(value: float, clause: Mapping[str, Any], kind: ast.MetricKind | None) -> str:
    if clause["aggregation"] == "count":
        return _number(value)
    return _quantity(value, kind, business="business" in clause["text"])


def _figure(value: float, clause: Mapping[str, Any], kind: ast.MetricKind | None) -> str:
    if clause["aggregation"] == "share":
        return _percent(value, places=2)
    return _short_value(value, clause, kind)


def _quantity(value: float, kind: ast.MetricKind | None, *, business: bool = False) -> str:
    if kind is ast.MetricKind.DURATION and business:
        # Business days differ in length between calendars: business time is shown in hours.
        return _duration(value, largest="h") + " business"
    if kind is ast.MetricKind.DURATION:
        return _duration(value)
    if kind is ast.MetricKind.RATIO:
        return _percent(value)
    return _number(value)


def _duration(seconds: float, largest: str = "d") -> str:
    """Seconds as ``1d2h``, ``3h40m``, ``45s``, ``250ms``: the two largest units, none above ``largest``."""
    if seconds < 0:
        return "-" + _duration(-seconds, largest)
    if seconds < 1:
        return f"{round(seconds * 1000):d}ms" if seconds else "0s"
    every: tuple[tuple[str, int], ...] = (("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1))
    units = every[[u for u, _ in every].index(largest) :]
    parts: list[str] = []
    rest = round(seconds)
    for unit, size in units:
        if rest >= size:
            parts.append(f"{rest // size}{unit}")
            rest %= size
        if len(parts) == 2:
            break
    return "".join(parts) or "0s"


def _percent(fraction: float, places: int = 3) -> str:
    return f"{_percent_number(fraction * 100, places)}%"


def _percent_number(value: float, places: int = 3) -> str:
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return text or "0"


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def _money(amount: float | None, currency: str | None) -> str:
    if amount is None:
        return "-"
    return f"{amount:,.2f}"


def _date(text: str) -> str:
    return text[:10]


def _window_label(start_text: str, end_text: str) -> str:
    """``2026-01`` (a calendar month), ``2026-Q1``, ``2026``, ``2026-01-05`` (a day), else ``start..end``."""
    start, end = datetime.fromisoformat(start_text), datetime.fromisoformat(end_text)
    months = (end.year - start.year) * 12 + end.month - start.month
    on_day_one = start.day == 1 and end.day == 1 and start.hour == 0 and end.hour == 0
    if on_day_one and months == 1:
        return f"{start:%Y-%m}"
    if on_day_one and months == 3 and start.month in (1, 4, 7, 10):
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if on_day_one and months == 12 and start.month == 1:
        return f"{start.year}"
    days = (end.date() - start.date()).days
    if days == 1:
        return f"{start:%Y-%m-%d}"
    if days == 7 and start.weekday() == 0:
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{start:%Y-%m-%d}..{end:%m-%d}"


def _painter(color: bool) -> Any:
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if color and code else text

    return paint
