"""Write the sample measurement files beside this script, one per policy in policies/.

Deterministic (fixed seeds), so that the checked-in files can be rebuilt and
reviewed: each month's data is drawn to give the outcome noted beside it
(met, breached, insufficient, tiers, earn-back, chronic failure, caps). The
expected reports are then made with ``sla eval POLICY FILE --format json``,
indented with ``python -m json.tool --indent 2``,
and reviewed by hand (see docs/measurements.md, Examples).

    .venv/bin/python policies/examples/generate.py
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).parent
Row = dict[str, object]


def at(zone: str, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone))


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def weekdays(year: int, month: int, count: int) -> Iterator[date]:
    """The first ``count`` Monday-to-Friday dates of the month, cycling when count exceeds them."""
    days = [date(year, month, d) for d in range(1, 29) if date(year, month, d).weekday() < 5]
    for index in range(count):
        yield days[index % len(days)]


def spread(
    rng: random.Random, count: int, low: float, high: float, slow: int, slow_low: float, slow_high: float
) -> list[float]:
    """``count`` values in [low, high], ``slow`` of them in [slow_low, slow_high], shuffled."""
    values = [round(rng.uniform(low, high)) for _ in range(count - slow)]
    values += [round(rng.uniform(slow_low, slow_high)) for _ in range(slow)]
    rng.shuffle(values)
    return values


def write_csv(name: str, columns: list[str], rows: list[Row]) -> None:
    rows.sort(key=lambda r: str(r.get("time") or r.get("end")))
    with (HERE / f"{name}.csv").open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def it_service_desk() -> None:
    """Jan-Jun 2026. P1 response breached Feb, May; P1 resolution breached Feb (5h), Mar (6h), May (9h, 8%
    tier): chronic at May; P2 breached Jan (earned back by Feb-Apr) and May; P3 insufficient in Feb,
    breached May; out-of-hours breached May; May totals 16% > cap 15%. KPIs: first-time fix missed
    Feb; satisfaction insufficient Apr, missed Jun."""
    zone, rng, rows = "Europe/London", random.Random(1), []
    for month in range(1, 7):
        for i, day in enumerate(weekdays(2026, month, 8)):
            logged = at(zone, day, 10 + i % 6, 5 * i)
            slow_response = month in (2, 5) and i == 3
            response = rng.randint(1500, 2400) if slow_response else rng.randint(240, 840)
            rows.append(
                {
                    "metric": "response_time",
                    "time": iso(logged + timedelta(seconds=response)),
                    "value": response,
                    "priority": "P1",
                    "channel": "phone",
                }
            )
            resolution = rng.randint(3600, 12_000)
            if i == 5 and month in (2, 3, 5):
                resolution = {2: 18_000, 3: 21_600, 5: 32_400}[month]
            rows.append(
                {
                    "metric": "resolution_time",
                    "time": iso(logged + timedelta(seconds=resolution)),
                    "value": resolution,
                    "priority": "P1",
                    "channel": "phone",
                }
            )
        late = 5 if month in (1, 5) else 1
        for i, day in enumerate(weekdays(2026, month, 25)):
            start = at(zone, day, 9, 15)
            end = at(zone, day + timedelta(days=1), 17) if i < late else at(zone, day, 9 + 1 + i % 6, 40)
            if i < late and day.weekday() == 4:  # a Friday ticket resolved on Monday: still late
                end = at(zone, day + timedelta(days=3), 17)
            rows.append(
                {
                    "metric": "resolution_time",
                    "start": iso(start),
                    "end": iso(end),
                    "priority": "P2",
                    "channel": "email",
                }
            )
        count = 40 if month == 2 else 55
        slow = 11 if month == 5 else 2
        business_day = 10 * 3600
        for i, value in enumerate(
            spread(
                rng, count, 0.5 * business_day, 2.5 * business_day, slow, 3.2 * business_day, 6 * business_day
            )
        ):
            day = list(weekdays(2026, month, count))[i]
            rows.append(
                {
                    "metric": "resolution_time",
                    "time": iso(at(zone, day, 16, i % 60)),
                    "value": value,
                    "priority": "P3",
                    "channel": "portal",
                }
            )
        slow_phone = 3 if month == 5 else 0
        for i, value in enumerate(spread(rng, 12, 600, 6000, slow_phone, 8000, 20_000)):
            day = list(weekdays(2026, month, 12))[i]
            rows.append(
                {
                    "metric": "response_time",
                    "time": iso(at(zone, day, 19, i)),
                    "value": value,
                    "priority": "P2" if i % 2 else "P3",
                    "channel": "phone",
                }
            )
        fixed_share = 0.6 if month == 2 else 0.78
        for i, day in enumerate(weekdays(2026, month, 40)):
            rows.append(
                {
                    "metric": "first_time_fix",
                    "time": iso(at(zone, day, 11, i)),
                    "value": 1 if i < round(40 * fixed_share) else 0,
                    "priority": "P4",
                    "channel": "phone",
                }
            )
        surveys = 25 if month == 4 else 32
        for i, day in enumerate(weekdays(2026, month, surveys)):
            score = rng.choice([3, 4, 4, 5]) if month == 6 else rng.choice([4, 5, 5, 4, 5, 3])
            rows.append(
                {
                    "metric": "satisfaction",
                    "time": iso(at(zone, day, 15, i)),
                    "value": score,
                    "priority": "P3",
                    "channel": "email",
                }
            )
    write_csv("it-service-desk", ["metric", "time", "value", "start", "end", "priority", "channel"], rows)


def cloud_hosting() -> None:
    """Calendar 2026. Availability (daily figures) breached Feb (99.92%: 10%), Mar (99.8%: 15%), May, Aug and
    Dec (99.4%, 99.3%: 25%), Oct (15%), Nov (10%): chronic at May; API p99 over >= 1000 samples in Jan (met),
    Mar and May (breached), too few samples in the other months; a 5h production restore in Apr (5000 EUR);
    May's 30% is held to the 25% cap, and the annual cap (10% of twelve months' fees, 50,400 EUR) binds in
    the autumn."""
    zone, rng, rows = "Europe/Berlin", random.Random(2), []
    monthly = dict(
        enumerate(
            [0.9998, 0.9992, 0.998, 0.9997, 0.994, 0.9999, 0.9998, 0.994, 0.9996, 0.998, 0.9992, 0.993], 1
        )
    )
    for month, mean in monthly.items():
        first = date(2026, month, 1)
        days = ((first.replace(month=month + 1) if month < 12 else date(2027, 1, 1)) - first).days
        for d in range(days):
            rows.append(
                {
                    "metric": "availability",
                    "time": iso(at(zone, first + timedelta(days=d), 23, 59)),
                    "value": mean,
                    "tier": "production",
                }
            )
        samples = 1000 if month in (1, 3, 5) else 60
        slow = 30 if month in (3, 5) else 5 if month == 1 else 0
        for i, value in enumerate(spread(rng, samples, 30, 180, slow, 520, 1400)):
            moment = at(zone, first, 0) + timedelta(minutes=37 * i + 3)
            rows.append(
                {"metric": "api_latency", "time": iso(moment), "value": value / 1000, "tier": "production"}
            )
    restores = [
        (date(2026, 2, 10), 2, "production"),
        (date(2026, 4, 14), 5, "production"),
        (date(2026, 4, 20), 6, "staging"),
        (date(2026, 6, 3), 1, "production"),
    ]
    for day, hours, tier in restores:
        start = at(zone, day, 8, 30)
        rows.append(
            {
                "metric": "restore_time",
                "start": iso(start),
                "end": iso(start + timedelta(hours=hours)),
                "tier": tier,
            }
        )
    write_csv("cloud-hosting", ["metric", "time", "value", "start", "end", "tier"], rows)


def contact_centre_bpo() -> None:
    """Jan-Feb 2026. Speed of answer on five days (13, 14 Jan and 9 Feb breached: 40% of the pool each);
    abandonment 7% in Jan; January's credits exceed the 12% cap; first contact resolution
    insufficient in Feb; call quality 82 in Feb."""
    zone, rng, rows = "Europe/Dublin", random.Random(3), []
    answer_days = {
        date(2026, 1, 12): 0.9,
        date(2026, 1, 13): 0.7,
        date(2026, 1, 14): 0.75,
        date(2026, 2, 9): 0.74,
        date(2026, 2, 10): 0.92,
    }
    for day, share in answer_days.items():
        count = 110
        fast = round(count * share)
        for i in range(count):
            value = rng.randint(2, 20) if i < fast else rng.randint(21, 240)
            rows.append(
                {
                    "metric": "answer_time",
                    "time": iso(at(zone, day, 8) + timedelta(minutes=6 * i)),
                    "value": value,
                    "queue": "billing" if i % 3 else "moves",
                }
            )
    for month, rate in ((1, 0.07), (2, 0.04)):
        for i in range(200):
            day = date(2026, month, 1 + i % 28)
            rows.append(
                {
                    "metric": "abandoned",
                    "time": iso(at(zone, day, 9 + i % 10, i % 60)),
                    "value": 1 if i < 200 * rate else 0,
                    "queue": "billing",
                }
            )
        resolved = 520 if month == 1 else 300
        for i in range(resolved):
            day = date(2026, month, 1 + i % 28)
            rows.append(
                {
                    "metric": "resolved_first_contact",
                    "time": iso(at(zone, day, 12, i % 60)),
                    "value": 1 if rng.random() < 0.8 else 0,
                    "queue": "billing",
                }
            )
        for i in range(12):
            score = rng.randint(84, 95) if month == 1 else rng.randint(76, 88)
            rows.append(
                {
                    "metric": "quality_score",
                    "time": iso(at(zone, date(2026, month, 2 + 2 * i), 17)),
                    "value": score,
                    "queue": "moves",
                }
            )
    write_csv("contact-centre-bpo", ["metric", "time", "value", "queue"], rows)


def field_service() -> None:
    """Service months 16 Jan - 16 Jul 2026 (JSON rows). Critical attendance breached in service months 1,
    3, 4: chronic at month 4; month 5 has 8 critical faults (insufficient attendance); critical fix
    breached month 2; routine fix (business days, Mon-Sat 07:00-19:00) breached month 6; planned
    maintenance 95% in month 3."""
    zone, rng, rows = "Europe/Amsterdam", random.Random(4), []
    for m in range(6):
        first = date(2026, 1 + m, 16)
        critical = 8 if m == 4 else 12
        for i in range(critical):
            reported = at(zone, first + timedelta(days=2 * i + 1), 6 + i % 12, 10)
            attend = rng.randint(30, 100) if not (m in (0, 2, 3) and i in (2, 7)) else rng.randint(150, 240)
            fix = rng.randint(120, 420) if not (m == 1 and i in (1, 4)) else rng.randint(600, 900)
            rows.append(
                {
                    "metric": "attendance_time",
                    "start": iso(reported),
                    "end": iso(reported + timedelta(minutes=attend)),
                    "dims": {"severity": "critical"},
                }
            )
            rows.append(
                {
                    "metric": "fix_time",
                    "start": iso(reported),
                    "end": iso(reported + timedelta(minutes=fix)),
                    "dims": {"severity": "critical"},
                }
            )
        for i in range(20):
            reported = at(zone, first + timedelta(days=i), 10)
            late = m == 5 and i < 4
            days = 5 if late else 1 + i % 2
            rows.append(
                {
                    "metric": "fix_time",
                    "start": iso(reported),
                    "end": iso(reported + timedelta(days=days)),
                    "dims": {"severity": "routine", "region": "north" if i % 2 else "south"},
                }
            )
        completed = 0.95 if m == 2 else 0.99
        rows.append(
            {
                "metric": "ppm_completed",
                "time": iso(at(zone, first + timedelta(days=27), 18)),
                "value": completed,
                "dims": {"region": "all"},
            }
        )
    rows.sort(key=lambda r: str(r.get("time") or r.get("end")))
    text = json.dumps({"measurements": rows}, indent=1)
    (HERE / "field-service.json").write_text(text + "\n", encoding="utf-8")


def finance_back_office() -> None:
    """Q1-Q3 2026. Invoice accuracy breached Q1 (99.2%), earned back by Q2 and Q3; payments on time
    breached Q2, not earned back (no Q4 yet); month-end close late in Feb and Jul; supplier queries
    breached in May."""
    zone, rng, rows = "America/New_York", random.Random(5), []
    for quarter, errors in ((1, 8), (2, 2), (3, 3)):
        for i in range(1000):
            month = 3 * (quarter - 1) + 1 + i % 3
            moment = at(zone, date(2026, month, 1 + i % 28), 9 + i % 8, i % 60)
            rows.append(
                {
                    "metric": "invoice_accuracy",
                    "time": iso(moment),
                    "value": 0 if i < errors else 1,
                    "entity": "UK" if i % 4 == 0 else "US",
                }
            )
        late = 9 if quarter == 2 else 2
        for i in range(200):
            month = 3 * (quarter - 1) + 1 + i % 3
            moment = at(zone, date(2026, month, 1 + i % 28), 15)
            rows.append(
                {
                    "metric": "payment_on_time",
                    "time": iso(moment),
                    "value": 0 if i < late else 1,
                    "entity": "US",
                }
            )
    for month in range(1, 10):
        days = {2: 6, 7: 7}.get(month, rng.randint(3, 5))
        rows.append(
            {
                "metric": "close_days",
                "time": iso(at(zone, date(2026, month, 12), 18)),
                "value": days,
                "entity": "group",
            }
        )
        slow = 4 if month == 5 else 1
        for i, day in enumerate(weekdays(2026, month, 30)):
            start = at(zone, day, 10)
            if i < slow:
                end = start + timedelta(days=7)
            else:
                end = start + timedelta(hours=rng.choice([2, 5, 24, 26]))
            rows.append({"metric": "query_resolution", "start": iso(start), "end": iso(end), "entity": "US"})
    write_csv("finance-back-office", ["metric", "time", "value", "start", "end", "entity"], rows)


def business_outcomes() -> None:
    """Jan-Mar 2026. Orders 47,000 in Jan (3% bonus), 37,500 in Feb (3 steps of 1000 under: 6%), 30,000 in
    Mar (20%, held to max 10%); same-day dispatch on three days, one breached; picking accuracy
    99.97% in Jan (bonus), 99.7% in Feb (breached); returns processed under 3000 in Mar."""
    zone, rng, rows = "Europe/London", random.Random(6), []
    totals = {1: 47_000, 2: 37_500, 3: 30_000}
    accuracy = {1: 0.9997, 2: 0.997, 3: 0.9985}
    returns = {1: 3300, 2: 3100, 3: 2700}
    for month, total in totals.items():
        first = date(2026, month, 1)
        days = 31 if month in (1, 3) else 28
        shares = [total // days] * days
        shares[-1] += total - sum(shares)
        for d, orders in enumerate(shares):
            moment = iso(at(zone, first + timedelta(days=d), 23, 30))
            rows.append({"metric": "orders_dispatched", "time": moment, "value": orders, "site": "Daventry"})
            rows.append(
                {"metric": "picking_accuracy", "time": moment, "value": accuracy[month], "site": "Daventry"}
            )
            value = returns[month] // days + (returns[month] % days if d == days - 1 else 0)
            rows.append({"metric": "returns_processed", "time": moment, "value": value, "site": "Daventry"})
    for day, late in ((date(2026, 1, 14), 2), (date(2026, 2, 11), 9), (date(2026, 3, 11), 3)):
        for i in range(210):
            released = at(zone, day, 6) + timedelta(minutes=3 * i)
            hours = rng.uniform(9, 20) if i < late else rng.uniform(0.5, 7.5)
            end = released + timedelta(minutes=round(hours * 60))
            # Windowed by the day the order was released, so `time` is given beside start and end.
            rows.append(
                {
                    "metric": "dispatch_time",
                    "time": iso(released),
                    "start": iso(released),
                    "end": iso(end),
                    "site": "Daventry",
                }
            )
    write_csv("business-outcomes", ["metric", "time", "value", "start", "end", "site"], rows)


if __name__ == "__main__":
    it_service_desk()
    cloud_hosting()
    contact_centre_bpo()
    field_service()
    finance_back_office()
    business_outcomes()
