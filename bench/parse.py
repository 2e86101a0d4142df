"""Benchmark: parse + check + format of a generated 1,000-clause policy.

    .venv/bin/python bench/parse.py [--clauses N] [--runs N]

The policy is deterministic: clauses cycle through the shapes of the example
schedules in policies/ (percentiles, shares with business hours, tiers, linear
credits, pools, earn-backs, chronic clauses, kpis) with varied names, metrics,
filters and thresholds. Prints the median of the runs for each stage and the
total, clauses per second, and the ratio to the 150 ms target.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import dsl

TARGET_SECONDS = 0.150

HEADER = """\
policy "Generated Schedule"
client "Client Ltd"
provider "Provider plc"
fee 250000 EUR monthly
cap 15%
annual cap 10%
timezone "Europe/London"
calendar "Mon-Fri 08:00-18:00" holidays "2026-12-25", "2026-12-28", "2027-01-01"
calendar extended "Mon-Fri 07:00-22:00, Sat 08:00-14:00"
"""

SHAPES = (
    'sla "P{i} resolution {i}": resolution_time_{m} p95 < {h}h monthly where priority = "P{p}", credit {c}%',
    'sla "P{i} response {i}": 95% of response_time_{m} <= {h} business hours monthly '
    'where priority = "P{p}", min 20 samples, credit {c}%',
    'sla "Availability {i}": availability_{m} mean >= 99.{n}% monthly, credit {c}%, 10% if < 99.5%, '
    "20% if < 99%, chronic 3 of 6",
    'sla "Backlog {i}": backlog_{m} max <= {b} weekly, credit 1% per 10 over, max 5%',
    'sla "Accuracy {i}": accuracy_{m} mean >= 98% quarterly, credit {c}%, earn back after 2 met',
    'sla "Orders {i}": orders_{m} sum >= {b}000 monthly, credit 2% per 1000 under, max 10%, '
    "bonus 2% if >= {b}500",
    'kpi "Handle time {i}": handle_time_{m} mean <= {h}m monthly, owner "Team {p}"',
    'sla "Routine {i}": 90% of fix_time_{m} <= 3 business days monthly from day 16 '
    'where severity in ("routine", "minor"), credit 2%, calendar extended',
)


def generate(clauses: int) -> str:
    lines = [HEADER]
    for i in range(clauses):
        shape = SHAPES[i % len(SHAPES)]
        lines.append(
            shape.format(i=i, m=i % 17, h=i % 9 + 1, p=i % 4 + 1, c=i % 5 + 1, n=i % 4 + 6, b=i % 90 + 10)
        )
    return "\n".join(lines) + "\n"


def median_seconds(action: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--clauses", type=int, default=1000)
    options.add_argument("--runs", type=int, default=15)
    args = options.parse_args()

    text = generate(args.clauses)
    policy = dsl.parse(text)
    checked = dsl.check(policy, source=text)
    assert not checked.warnings, checked.warnings
    assert dsl.format_policy(dsl.parse(dsl.format_policy(policy))) == dsl.format_policy(policy)

    parse = median_seconds(lambda: dsl.parse(text), args.runs)
    check = median_seconds(lambda: dsl.check(policy, source=text), args.runs)
    fmt = median_seconds(lambda: dsl.format_policy(policy), args.runs)
    total = median_seconds(
        lambda: dsl.format_policy(dsl.check(dsl.parse(text), source=text).policy), args.runs
    )

    print(f"policy: {args.clauses} clauses, {len(text):,} bytes; median of {args.runs} runs")
    print(f"  parse   {parse * 1000:8.1f} ms")
    print(f"  check   {check * 1000:8.1f} ms")
    print(f"  format  {fmt * 1000:8.1f} ms")
    print(f"  total   {total * 1000:8.1f} ms  (parse + check + format in one pass)")
    print(f"  {args.clauses / total:,.0f} clauses per second")
    print(f"  target {TARGET_SECONDS * 1000:.0f} ms: total / target = {total / TARGET_SECONDS:.2f}")


if __name__ == "__main__":
    main()
