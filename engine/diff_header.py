"""Diff rules for the header: parties, fee, caps, time zone, calendars and metric declarations.

Header changes have no clause: their records carry ``clause: None`` and
``old``/``new`` in canonical statement text.
"""

from __future__ import annotations

from dsl import ast
from dsl.formatter import format_statement

from .diff_change import Change, Verdict, record
from .diff_favour import CLIENT, PROVIDER, UNCLEAR, Sign, favour, fee_share, order

NO_TERM = "no credit, target or obligation changes, so it favours neither party"


def _text(statement: ast.Statement | None) -> str | None:
    """The statement's canonical text on one line (the formatter wraps long ones)."""
    if statement is None:
        return None
    return " ".join(line.strip() for line in format_statement(statement).splitlines())


def header_changes(old: ast.Policy, new: ast.Policy) -> list[Change]:
    """One change per header statement whose meaning differs, in canonical header order."""
    changes: list[Change] = []

    def add(
        field: str, a: ast.Statement | None, b: ast.Statement | None, verdict: Verdict, subject: str
    ) -> None:
        changes.append(record(None, field, _text(a), _text(b), verdict, subject, new))

    named = (("policy", old.name, new.name), ("client", old.client, new.client))
    for field, a, b in (*named, ("provider", old.provider, new.provider)):
        if a != b:
            add(field, a, b, _named(a, b), "Policy name" if field == "policy" else field.capitalize())
    if old.fee != new.fee:
        add("fee", old.fee, new.fee, _fee(old.fee, new.fee), "Fee")
    if old.cap != new.cap:
        add("cap", old.cap, new.cap, _cap(old, new), "Cap")
    if old.annual_cap != new.annual_cap:
        add(
            "annual_cap",
            old.annual_cap,
            new.annual_cap,
            _annual_cap(old.annual_cap, new.annual_cap),
            "Annual cap",
        )
    if old.zone != new.zone:
        why = "windows and business hours move to another clock, which can move a breach either way"
        verdict = Verdict(UNCLEAR, f"time zone changed from {old.zone} to {new.zone}", why)
        add("timezone", old.timezone, new.timezone, verdict, "Time zone")
    changes += _calendar_changes(old, new)
    changes += _metric_changes(old, new)
    return changes


def _named(a: ast.TextHeader | None, b: ast.TextHeader | None) -> Verdict:
    before = f'"{a.value}"' if a else "none"
    after = f'"{b.value}"' if b else "none"
    return Verdict(UNCLEAR, f"the name changes from {before} to {after}", NO_TERM)


def _fee(a: ast.Fee | None, b: ast.Fee | None) -> Verdict:
    before = _text(a) or "no fee"
    after = _text(b) or "no fee"
    why = (
        "the fee is both the price the client pays and the base of every percentage credit and cap, "
        "so the schedule alone cannot say who gains"
    )
    return Verdict(UNCLEAR, f"`{before}` becomes `{after}`", why)


def _cap(old: ast.Policy, new: ast.Policy) -> Verdict:
    """A higher cap lets more credit through, for the client; no cap at all is the highest."""
    a, b = old.cap, new.cap
    if a is None or b is None:
        added = a is None
        text = f"added: `{_text(b)}`" if added else f"removed (was `{_text(a)}`)"
        return Verdict(PROVIDER if added else CLIENT, text)
    sign = order(fee_share(a.amount, old), fee_share(b.amount, new))
    return _by_sign(sign, f"`{_text(a)}` becomes `{_text(b)}`", "amount at risk")


def _annual_cap(a: ast.AnnualCap | None, b: ast.AnnualCap | None) -> Verdict:
    if a is None or b is None:
        added = a is None
        text = f"added: `{_text(b)}`" if added else f"removed (was `{_text(a)}`)"
        return Verdict(PROVIDER if added else CLIENT, text)
    return _by_sign(
        order(a.share.fraction, b.share.fraction), f"`{_text(a)}` becomes `{_text(b)}`", "annual cap"
    )


def _by_sign(sign: Sign, text: str, what: str) -> Verdict:
    if sign is None:
        why = (
            "one is a percentage and the other an amount, "
            "and the policy gives no fee in that currency to compare them"
        )
        return Verdict(UNCLEAR, text, why)
    if sign == 0:
        return Verdict(
            UNCLEAR, text, f"the {what} is the same share of the fee, so nothing changes in effect"
        )
    word = "raised" if sign > 0 else "lowered"
    return Verdict(favour(sign, CLIENT), f"{what} {word}: {text}")


# --- calendars ----------------------------------------------------------------


def _minutes(hours: tuple[ast.HoursRange, ...]) -> frozenset[int]:
    """Business minutes of the week (0 is Monday 00:00)."""
    return frozenset(
        day * 1440 + minute for r in hours for day in r.days for minute in range(r.start_minute, r.end_minute)
    )


def _bounds(policy: ast.Policy, calendar: str | None) -> set[tuple[ast.BusinessUnit, bool]]:
    """(unit, is an upper bound) of each clause target measured in business time in ``calendar``."""
    found = set()
    for clause in policy.clauses:
        use = clause.option(ast.UseCalendar)
        threshold = clause.condition.threshold
        if (use.name if use else None) == calendar and isinstance(threshold, ast.BusinessDuration):
            found.add((threshold.unit, clause.condition.op.is_upper))
    return found


def _business_time(old: ast.Policy, calendar: str | None, sign: Sign, what: str, only_hours: bool) -> Verdict:
    """More business time counted makes measured durations longer: harder under an upper bound."""
    text = what
    bounds = _bounds(old, calendar)
    if not bounds:
        return Verdict(UNCLEAR, text, "no clause counts business time in it, so nothing changes in effect")
    uppers = {upper for _, upper in bounds}
    days = only_hours and any(unit is ast.BusinessUnit.DAYS for unit, _ in bounds)
    if sign is None or len(uppers) > 1 or days:
        why = (
            "the business time counted changes in a way whose effect on targets depends on when work happens"
        )
        if days:
            why = "the length of a business day changes too, so business-day targets may move either way"
        return Verdict(UNCLEAR, text, why)
    return Verdict(favour(sign, CLIENT if uppers == {True} else PROVIDER), text)


def _calendar_changes(old: ast.Policy, new: ast.Policy) -> list[Change]:
    changes: list[Change] = []
    names = [c.name for c in old.calendars] + [c.name for c in new.calendars if old.calendar(c.name) is None]
    for name in names:
        a, b = old.calendar(name), new.calendar(name)
        subject = "Default calendar" if name is None else f"Calendar {name}"
        if a is None or b is None:
            why = (
                "business time is counted against another calendar, which can move measured times either way"
            )
            verdict = Verdict(UNCLEAR, f"calendar {'added' if a is None else 'removed'}", why)
            changes.append(record(None, "calendar", _text(a), _text(b), verdict, subject, new))
            continue
        ma, mb = _minutes(a.hours), _minutes(b.hours)
        if ma != mb:
            sign = 1 if mb > ma else -1 if mb < ma else None
            word = {1: "business hours extended", -1: "business hours shortened"}.get(
                sign or 0, "business hours changed"
            )
            verdict = _business_time(old, name, sign, word, only_hours=True)
            changes.append(record(None, "calendar", _text(a), _text(b), verdict, subject, new))
        if frozenset(a.holidays) != frozenset(b.holidays):
            ha, hb = frozenset(a.holidays), frozenset(b.holidays)
            more = 1 if hb > ha else -1 if hb < ha else None
            word = {1: "holidays added", -1: "holidays removed"}.get(more or 0, "holidays changed")
            word += " (" + ", ".join(str(day) for day in sorted(ha ^ hb)) + ")"
            # A holiday is not business time: more holidays count less, the opposite of longer hours.
            verdict = _business_time(old, name, None if more is None else -more, word, only_hours=False)
            changes.append(record(None, "holidays", _text(a), _text(b), verdict, subject, new))
    return changes


def _metric_changes(old: ast.Policy, new: ast.Policy) -> list[Change]:
    """Metric declarations by name: any change is unclear, a definition is the agreed measurement method."""
    olds = {m.name: m for m in old.metrics}
    news = {m.name: m for m in new.metrics}
    changes = []
    for name in [*olds, *(n for n in news if n not in olds)]:
        a, b = olds.get(name), news.get(name)
        if a == b:
            continue
        if a is None or b is None:
            text = f"declaration {'added' if a is None else 'removed'}"
            why = "a declaration only states the kind and method of a metric that clauses already use"
        else:
            text = "declaration changed"
            why = (
                "the agreed measurement method changes, and whether results rise or fall depends on the data"
            )
        verdict = Verdict(UNCLEAR, text, why)
        changes.append(record(None, "metric", _text(a), _text(b), verdict, f"Metric {name}", new))
    return changes
