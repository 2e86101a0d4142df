"""The comparison rule: values within a relative difference of 1e-9 count as equal.

Aggregates are computed in binary floating point, so ``0.98`` against ``99%``
minus ``1%`` must not turn on the last bit (language.md, Semantics: Comparison).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from dsl import ast

TOLERANCE = 1e-9


def nearly_equal(left: float, right: float) -> bool:
    """True when ``left`` and ``right`` differ by at most 1e-9 of the larger magnitude."""
    return abs(left - right) <= TOLERANCE * max(abs(left), abs(right))


def holds(op: ast.Op, left: float, right: float) -> bool:
    """``left OP right`` under the 1e-9 rule: nearly equal values are equal."""
    if nearly_equal(left, right):
        return op in (ast.Op.LE, ast.Op.GE)
    return op.holds(left, right)


def holds_array(op: ast.Op, left: NDArray[np.float64], right: float) -> NDArray[np.bool_]:
    """:func:`holds` for every element of ``left``.

    Values nearly equal to ``right`` lie within ``1.000000001e-9 * |right|`` of it (only
    ``±0`` when ``right`` is 0), so outside a band twice as wide the plain comparison is the
    answer; the 1e-9 rule is applied to the few values inside the band (and infinities) alone.
    """
    match op:
        case ast.Op.LT:
            result = left < right
        case ast.Op.LE:
            result = left <= right
        case ast.Op.GT:
            result = left > right
        case ast.Op.GE:
            result = left >= right
    band = 2 * TOLERANCE * abs(right)
    # An infinite value "nearly equals" any threshold under the rule as written: keep it so.
    near = np.flatnonzero(((left >= right - band) & (left <= right + band)) | np.isinf(left))
    if near.size:
        result[near] = _holds_exactly(op, left[near], right)
    return result


def _holds_exactly(op: ast.Op, left: NDArray[np.float64], right: float) -> NDArray[np.bool_]:
    equal = np.abs(left - right) <= TOLERANCE * np.maximum(np.abs(left), abs(right))
    match op:
        case ast.Op.LT:
            return (left < right) & ~equal
        case ast.Op.LE:
            return (left <= right) | equal
        case ast.Op.GT:
            return (left > right) & ~equal
        case ast.Op.GE:
            return (left >= right) | equal


def whole_steps(distance: float, step: float) -> int:
    """The number of started steps in ``distance`` (at least one for a miss).

    A quotient within 1e-9 of a whole number is that whole number, so a miss of
    98% against 99% with steps of 1% is one step, not two.
    """
    quotient = distance / step
    nearest = round(quotient)
    steps = nearest if nearly_equal(quotient, float(nearest)) else math.ceil(quotient)
    return max(1, int(steps))
