"""Admission of a batch against a policy: the row rules that need the policy's metric kinds.

The readers check what any batch must obey (times with offsets, finite
numbers, value or start/end). A store of measurements must also refuse, at
the door, rows that every evaluation of the policy would refuse later (a
negative duration, a ratio of 99.95); otherwise one stored row would make
every later evaluation of the stored data fail.
"""

from __future__ import annotations

from .compiler import CompiledPolicy
from .measurements import Measurements
from .rows import validate as _validate_rows


def validate(compiled: CompiledPolicy, measurements: Measurements) -> None:
    """Check every row of a metric the policy's clauses use against that metric's kind.

    Rows of other metrics pass (an evaluation counts them as ``unused_rows``).
    Raises :class:`MeasurementError` naming the first offending row (1-based) and field,
    exactly as :func:`engine.evaluate` would for the same batch.
    """
    _validate_rows(measurements.frame, compiled.used_kinds)
