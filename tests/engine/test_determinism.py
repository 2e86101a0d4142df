"""The same measurements give byte-identical reports, whatever their order or the thread count."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap

import pytest

import engine
from tests.engine.helpers import compiled, frame

POLICY = """fee 1000 EUR monthly
cap 10%
sla "mean": x mean <= 0.5 weekly, credit 1%
sla "p90": x p90 <= 0.9 monthly where region != "EU", credit 2%
sla "sum": x sum >= 100 daily, credit 1% per 10 under, max 5%
sla "share": 90% of x <= 0.95 monthly, credit 3%
"""


def _rows(seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    return [
        {
            "metric": "x",
            "time": f"2026-01-{rng.randint(1, 31):02d}T{rng.randint(0, 23):02d}:00:00Z",
            "value": rng.random() / 3 * rng.choice([1, 3, 1e-3]),
            "region": rng.choice(["EU", "US", None]),
        }
        for _ in range(5000)
    ]


def test_shuffled_rows_give_the_same_report_bytes() -> None:
    """Sums run over each window's values in sorted order, so row order cannot move the last bit."""
    rows = _rows()
    policy = compiled(POLICY)
    first = engine.evaluate(policy, frame(rows)).to_json()
    random.Random(1).shuffle(rows)
    assert engine.evaluate(policy, frame(rows)).to_json() == first


SCRIPT = textwrap.dedent(
    """
    import hashlib
    from tests.engine.test_determinism import POLICY, _rows
    from tests.engine.helpers import compiled, frame
    import engine
    text = engine.evaluate(compiled(POLICY), frame(_rows())).to_json()
    print(hashlib.sha256(text.encode()).hexdigest())
    """
)


@pytest.mark.slow
def test_thread_count_does_not_change_the_report() -> None:
    digests = set()
    for threads in ("1", "2"):
        environment = {**os.environ, "POLARS_MAX_THREADS": threads}
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT], env=environment, capture_output=True, text=True, check=True
        )
        digests.add(done.stdout.strip())
    assert len(digests) == 1
