"""Hypothesis generators of valid policies and measurements for the reference property tests.

Policies draw on every construct the reference evaluator covers: all windows and
anchors, three time zones (two with daylight saving), monthly / quarterly /
yearly fees, percentage and money credits, caps and maxima, tiers, linear and
pool credits, earn-back, chronic, bonuses, ``min N samples``, filters on
dimensions that rows may lack, the share form, and business durations under a
default or a named calendar. Measurements fall in one of a few stretches of
time chosen to cross month, quarter and year ends and the daylight-saving
changes of London and New York.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from dsl.tokens import MONTHS as TOKEN_MONTHS
from tests.engine.reference import Row

ZONES = (
    "UTC",
    "Europe/London",
    "America/New_York",
    "Australia/Adelaide",  # half-hour offsets, southern summer
    "Asia/Kolkata",  # +05:30, no daylight saving
    "America/Havana",  # skips midnight on 8 March 2026, shows it twice on 1 November
    "America/Santiago",  # skips midnight on 6 September 2026
)
OPS = ("<", "<=", ">", ">=")
WINDOWS = (
    "daily",
    "weekly",
    "monthly",
    "monthly from day 16",
    "monthly from day 28",
    "quarterly",
    "quarterly from day 1 of February",
    "quarterly from day 10 of March",
    "yearly",
    "yearly from day 1 of April",
)
MONTHS = tuple(TOKEN_MONTHS)
FILTERS = (
    "",
    ' where p = "a"',
    ' where p != "a"',
    ' where p in ("a", "b")',
    ' where p not in ("b")',
    ' where p = "a" and q != "u"',
    ' where q in ("u") and p != "b"',
)
CALENDARS = (
    '"Mon-Fri 09:00-17:30" holidays "2026-03-30", "2026-10-26", "2026-12-25"',
    '"Mon-Fri 22:00-24:00, Tue-Sat 00:00-06:00"',
    '"Mon-Sun 00:00-24:00"',
    '"Sun 00:00-04:00, Mon-Fri 08:00-12:00, Mon-Fri 13:00-17:00" holidays "2026-03-08"',
    '"Sat-Sun 01:00-03:00, Mon 09:00-18:00, Tue-Fri 09:00-13:00"',
    '"Mon-Wed 09:00-17:00, Thu-Sat 09:00-15:00"',
)


@dataclass(frozen=True)
class Scale:
    """Quantities of one kind of window value, in ascending order of size."""

    ladder: tuple[str, ...]
    steps: tuple[str, ...]
    aggregations: tuple[str, ...]


NUMBER = Scale(
    tuple(str(n) for n in range(2, 19)), ("1", "2", "0.5"), ("p50", "p90", "p99.9", "p7", "median")
)
RATIO = Scale(
    ("50%", "90%", "95%", "97%", "98%", "99%", "99.5%", "99.9%"), ("0.5%", "1%", "5%"), ("p50", "p90")
)
DURATION = Scale(("30m", "1h", "2h", "4h", "8h", "1d"), ("30m", "1h"), ("p50", "p90", "p95"))
BUSINESS = Scale(
    ("1 business hours", "2 business hours", "4 business hours", "1 business days", "2 business days"),
    ("1 business hours", "4 business hours"),
    ("p50", "p90", "p95"),
)
SHARE = Scale(("50%", "80%", "90%", "95%", "100%"), ("5%", "10%"), ())
STRETCHES = (
    (datetime(2026, 1, 1, tzinfo=UTC), 75),  # months, a quarter end
    (datetime(2026, 2, 20, tzinfo=UTC), 50),  # New York and Havana 8 Mar, London 29 Mar, Adelaide 5 Apr
    (datetime(2026, 9, 1, tzinfo=UTC), 70),  # Santiago 6 Sep, Adelaide 4 Oct, London 25 Oct, New York 1 Nov
    (datetime(2026, 12, 10, tzinfo=UTC), 60),  # the year end
    (datetime(2025, 11, 20, tzinfo=UTC), 560),  # years, annual caps
)
EDGE_SECONDS = (
    *(3600 * h for h in (0, 1, 2, 4, 5, 6, 7, 9, 13, 17, 22, 23)),  # midnights and clock changes in UTC
    48_600,  # Adelaide midnight (summer), 13:30 UTC
    52_200,  # Adelaide midnight (winter), 14:30 UTC
    59_400,  # Adelaide's clock change, 16:30 UTC
    66_600,  # Kolkata midnight, 18:30 UTC
    86_399,
)
BOUND_HOURS = (0.0, 4.0, 5.0, 7.0, 13.5, 14.5, 18.5, 23.0)
"""Hours after UTC midnight at which a range may start or end: local midnights of the zones."""


@st.composite
def clause(
    draw: st.DrawFn, index: int, fee: bool, cap: bool, calendars: tuple[bool, bool], durations: bool
) -> str:
    """One valid clause: ``calendars`` says whether the default and the named calendar exist;
    ``durations`` makes it (mostly) a clause on the duration metric in business time."""
    kpi = index > 0 and draw(st.booleans())
    metric = "t" if durations and draw(st.integers(0, 4)) else draw(st.sampled_from(["x", "x", "a", "t"]))
    op = draw(st.sampled_from(OPS))
    business = metric == "t" and any(calendars) and draw(st.integers(0, 3)) > (0 if durations else 1)
    scale = {"x": NUMBER, "a": RATIO, "t": BUSINESS if business else DURATION}[metric]
    share = draw(st.integers(0, 3)) == 0
    inner = scale
    if share:
        condition_head = f"{draw(st.sampled_from([50, 80, 95, 100]))}% of {metric} {op} "
        aggregation = "share"
        scale = SHARE
    else:
        aggregation = draw(st.sampled_from((*inner.aggregations, "mean", "min", "max", "sum", "count")))
        if aggregation == "count":
            scale = NUMBER
        condition_head = f"{metric} {aggregation} {op} "
    level = draw(st.integers(0, len(inner.ladder if share else scale.ladder) - 1))
    condition = condition_head + (inner if share else scale).ladder[level]
    # Clauses on durations often share window and filter, so that clauses that differ only in
    # their clock (elapsed, the default or the named calendar) meet in one grouping.
    window = draw(st.sampled_from(("weekly", "monthly") if durations else (*WINDOWS, "anchored")))
    if window == "anchored":
        month = draw(st.sampled_from(MONTHS))
        window = draw(
            st.sampled_from(
                [
                    f"monthly from day {draw(st.integers(1, 28))}",
                    f"quarterly from day {draw(st.integers(1, 28))} of {month}",
                    f"yearly from day {draw(st.integers(1, 28))} of {month}",
                ]
            )
        )
    filters = FILTERS[:2] if durations else FILTERS
    text = f'{"kpi" if kpi else "sla"} "c{index}": {condition} {window}{draw(st.sampled_from(filters))}'
    options = []
    if draw(st.booleans()):
        options.append(f"min {draw(st.integers(1, 4))} samples")
    chosen = business and calendars[1] and (not calendars[0] or draw(st.booleans()))
    if not kpi:
        options += draw(_consequences(scale, share, op, fee, cap))
    if chosen:
        options.append("calendar support")
    if draw(st.booleans()):
        options.append('owner "Ops"')
    return text + "".join(", " + o for o in options)


def _amount(draw: st.DrawFn, fee: bool, low: int, high: int) -> str:
    if fee and draw(st.booleans()):
        return f"{draw(st.sampled_from(['1', '12.5', '250', '999.99', '5000']))} EUR"
    return f"{draw(st.integers(low, high))}%"


@st.composite
def _consequences(draw: st.DrawFn, scale: Scale, share: bool, op: str, fee: bool, cap: bool) -> list[str]:
    upper = op in ("<", "<=") and not share
    kinds = ["fixed", "linear", "none", *(["pool"] if cap else [])]
    kind = draw(st.sampled_from(kinds))
    options = []
    if kind == "fixed":
        options.append(f"credit {_amount(draw, fee, 1, 30)}")
    elif kind == "linear":
        options.append(
            f"credit {draw(st.integers(1, 5))}% per {draw(st.sampled_from(scale.steps))} "
            f"{'over' if upper else 'under'}"
        )
    elif kind == "pool":
        options.append(f"credit {draw(st.sampled_from([10, 40, 100]))}% of pool")
    if kind in ("fixed", "linear"):
        for _ in range(draw(st.integers(0, 2))):
            threshold = draw(st.sampled_from(scale.ladder))
            options.append(f"{_amount(draw, fee, 1, 40)} if {'>' if upper else '<'} {threshold}")
    if kind != "none" and draw(st.booleans()):
        options.append(f"max {_amount(draw, fee, 5, 25)}")
    if kind != "none" and draw(st.integers(0, 2)) > 0:
        options.append(f"earn back after {draw(st.sampled_from([1, 1, 2]))} met")
    if draw(st.booleans()):
        options.append(f"chronic {draw(st.integers(1, 3))} of {draw(st.integers(3, 5))}")
    if draw(st.booleans()):
        better = "<=" if upper else ">="
        options.append(f"bonus {_amount(draw, fee, 1, 5)} if {better} {draw(st.sampled_from(scale.ladder))}")
    return options


@st.composite
def policies(draw: st.DrawFn, business: bool = False) -> str:
    """A valid policy text; with ``business`` it always has calendars and durations as start/end."""
    lines = []
    fee = draw(st.booleans()) if not business else draw(st.integers(0, 3)) > 0
    cap = fee and draw(st.booleans())
    if fee:
        amount = draw(st.sampled_from(["1000", "85000", "999.99", "30000.5"]))
        lines.append(f"fee {amount} EUR {draw(st.sampled_from(['monthly', 'quarterly', 'yearly']))}")
        if cap:
            cap_text = f"{draw(st.integers(1, 20))}%" if draw(st.booleans()) else "150.25 EUR"
            lines.append(f"cap {cap_text}")
        if draw(st.booleans()):
            lines.append(f"annual cap {draw(st.integers(5, 30))}%")
    lines.append(f'timezone "{draw(st.sampled_from(ZONES))}"')
    default = draw(st.booleans()) or business
    named = draw(st.booleans())
    if default:
        lines.append(f"calendar {draw(st.sampled_from(CALENDARS))}")
    if named:
        lines.append(f"calendar support {draw(st.sampled_from(CALENDARS))}")
    lines.append("metric x number\nmetric a ratio\nmetric t duration")
    count = draw(st.integers(1, 3))
    lines += [draw(clause(i, fee, cap, (default, named), business)) for i in range(count)]
    return "\n".join(lines) + "\n"


@st.composite
def measurements(draw: st.DrawFn) -> tuple[list[Row], datetime, datetime | None, datetime | None]:
    """Rows in one stretch of time, and the range bounds to evaluate (each may be None)."""
    base, days = draw(st.sampled_from(STRETCHES))
    # Rows gather on a few active days (a run of consecutive days, or days spread out), so that
    # windows hold several values and runs of met windows (earn-back) occur.
    first = draw(st.integers(0, days - 1))
    run = [min(first + i, days - 1) for i in range(draw(st.integers(1, 12)))]
    spread = draw(st.lists(st.integers(0, days - 1), min_size=1, max_size=10))
    active = draw(st.sampled_from([run, spread, run + spread]))
    rows = []
    for _ in range(draw(st.integers(5, 120))):
        metric = draw(st.sampled_from(["x", "a", "t", "t", "z"]))
        seconds = draw(st.one_of(st.sampled_from(EDGE_SECONDS), st.integers(0, 86_399)))
        when = base + timedelta(days=draw(st.sampled_from(active)), seconds=seconds)
        dims = {
            k: v
            for k, v in (
                ("p", draw(st.sampled_from(["a", "b", None]))),
                ("q", draw(st.sampled_from(["u", "v", None]))),
            )
            if v
        }
        if metric == "t" and draw(st.integers(0, 3)) > 0:
            length = timedelta(
                seconds=draw(
                    st.sampled_from([0, 1800, 3600, 10_800, 30_600, 93_600, 259_200, 777_600, 3_456_000])
                )
            )
            length += timedelta(
                seconds=draw(st.integers(0, 7200)), microseconds=draw(st.sampled_from([0, 1, 250_000]))
            )
            opened = when - length
            rows.append(
                Row(metric, opened if draw(st.integers(0, 4)) == 0 else when, None, opened, when, dims)
            )
            continue
        value: float = draw(_values(metric))
        rows.append(Row(metric, when, value, None, None, dims))
    bounds = [
        None,
        *(base + timedelta(days=d, hours=h) for d in (0, 3, days // 2, days) for h in BOUND_HOURS),
    ]
    start = draw(st.sampled_from(bounds[: 1 + 2 * len(BOUND_HOURS)]))
    end = draw(st.sampled_from([None, *bounds[1 + 2 * len(BOUND_HOURS) :]]))
    return rows, base, start, end


def _values(metric: str) -> st.SearchStrategy[float]:
    if metric == "a":
        return st.sampled_from([0.0, 0.5, 0.9, 0.95, 0.97, 0.98, 0.985, 0.99, 0.995, 0.999, 0.9995, 1.0])
    if metric == "t":
        return st.sampled_from(
            [0.0, 60.0, 1800.0, 3600.0, 7200.0, 14_400.0, 28_800.0, 30_600.0, 86_400.0, 172_800.0]
        )
    return st.one_of(st.integers(-2, 22).map(float), st.sampled_from([0.1, 0.2, 0.3, 2.5, 17.75]))


def frame_rows(rows: list[Row]) -> list[dict[str, Any]]:
    """The rows as ``tests.engine.helpers.frame`` takes them (times in varied UTC offsets)."""
    out = []
    for r in rows:
        row: dict[str, Any] = {"metric": r.metric, "time": r.time.isoformat(), "value": r.value, **r.dims}
        if r.start is not None and r.end is not None:
            row["start"], row["end"] = r.start.isoformat(), r.end.isoformat()
        out.append(row)
    return out


@st.composite
def many_values(draw: st.DrawFn) -> tuple[str, list[Row]]:
    """A policy of percentile clauses over one month and 500 to 3000 values of ``x`` in it, so that
    nearest ranks are taken over large windows (``p99.9`` of 2500 values is rank 2498)."""
    random = draw(st.randoms(use_true_random=False))
    zone = draw(st.sampled_from(ZONES))
    lines = [f'fee 1000 EUR monthly\ntimezone "{zone}"\nmetric x number']
    for index in range(draw(st.integers(1, 4))):
        percentile = draw(st.sampled_from(["p7", "p50", "p90", "p95", "p99", "p99.9", "median"]))
        op = draw(st.sampled_from(OPS))
        window = draw(st.sampled_from(["daily", "weekly", "monthly"]))
        if draw(st.booleans()):
            condition, credit = f"{draw(st.sampled_from([90, 95, 99.5]))}% of x {op} 500", "1% per 1% under"
        else:
            direction = "over" if op in ("<", "<=") else "under"
            condition, credit = f"x {percentile} {op} {draw(st.integers(0, 1000))}", f"1% per 100 {direction}"
        lines.append(f'sla "c{index}": {condition} {window}, credit {credit}')
    base = datetime(2026, 3, 1, tzinfo=UTC)
    rows = [
        Row("x", base + timedelta(seconds=random.randrange(31 * 86_400)), float(random.randrange(1001)))
        for _ in range(draw(st.integers(500, 3000)))
    ]
    return "\n".join(lines) + "\n", rows


def csv_text(rows: list[Row], zone: str) -> bytes:
    """The rows as a CSV file: times in the policy's zone with its offset, ``time`` left empty where it
    is the ``end``, an empty cell where a row lacks a dimension."""
    local = ZoneInfo(zone)

    def when(moment: datetime | None) -> str:
        return "" if moment is None else moment.astimezone(local).isoformat()

    lines = ["metric,time,value,start,end,p,q"]
    for r in rows:
        time = "" if r.end is not None and r.time == r.end else when(r.time)
        value = "" if r.value is None else repr(r.value)
        dims = ",".join(r.dims.get(k, "") for k in ("p", "q"))
        lines.append(f"{r.metric},{time},{value},{when(r.start)},{when(r.end)},{dims}")
    return ("\n".join(lines) + "\n").encode()
