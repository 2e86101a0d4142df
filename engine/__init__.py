"""The evaluation engine: a checked policy compiled into evaluators over columnar measurements.

Public surface: :func:`compile` (once per policy), :func:`evaluate` (per batch
of measurements) and the :class:`Report` it returns; :func:`validate` refuses a
batch that every evaluation of the policy would refuse; :class:`Measurements` is
the one shape readers produce, :class:`MeasurementError` the error for an
invalid batch.
"""

from __future__ import annotations

from .admission import validate
from .compiler import CompiledPolicy, compile
from .evaluate import evaluate
from .measurements import MeasurementError, Measurements
from .report import Report

__all__ = ["CompiledPolicy", "MeasurementError", "Measurements", "Report", "compile", "evaluate", "validate"]
