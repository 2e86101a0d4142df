"""Benchmark: the semantic diff of two versions of a generated policy.

    .venv/bin/python bench/diff.py [--clauses N] [--runs N]

The policy is bench/parse.py's generated schedule. Three cases, each the
median of the runs: the policy against itself (every clause matched by id),
every target written in hours loosened by one hour (matched by id, one
record each), and every clause renamed (matched as renames). Issue 6 sets no target; the figures show
the diff stays interactive on large schedules.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from parse import generate, median_seconds

import dsl
from engine.diff import diff


def checked(text: str) -> dsl.CheckedPolicy:
    return dsl.check(dsl.parse(text), source=text)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--clauses", type=int, default=1000)
    options.add_argument("--runs", type=int, default=7)
    args = options.parse_args()

    text = generate(args.clauses)
    old = checked(text)
    # Every duration target one hour longer, e.g. `p95 < 3h` -> `p95 < 4h`.
    loosened = checked(re.sub(r"(<=?) (\d+)h ", lambda m: f"{m[1]} {int(m[2]) + 1}h ", text))
    renamed = checked(re.sub(r'^(sla|kpi) "([^"]*)"', r'\1 "\2 (renamed)"', text, flags=re.M))
    cases = (("itself", old), ("hour targets +1h", loosened), ("all renamed", renamed))
    print(f"policy: {args.clauses} clauses; median of {args.runs} runs")
    for label, new in cases:
        records = len(diff(old, new).changes)
        seconds = median_seconds(lambda new=new: diff(old, new), args.runs)
        print(f"  {label:16} {seconds * 1000:8.1f} ms  ({records:,} change records)")


if __name__ == "__main__":
    main()
