"""Diagnostics and the error hierarchy.

Every error the project raises on purpose derives from :class:`SlaError`::

    SlaError
    ├── PolicyError            a policy text is not valid; carries diagnostics
    │   ├── PolicySyntaxError  it does not parse (E1xx, E2xx)
    │   ├── PolicyCheckError   it parses but breaks a rule of the language (E3xx, E4xx)
    │   └── PolicyLimitError   it is larger than we accept (E9xx)
    └── (engine.MeasurementError and others, defined where they are raised)

A :class:`Diagnostic` prints compiler style::

    policy.sla:3:14: error[E101]: the condition has no aggregation
      resolution_time < 4h monthly
                      ^
      hint: choose one of p95, median, mean, min, max, sum, count

and ``to_dict()`` gives the JSON shape of the HTTP API's ``errors`` list.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Any


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One error or warning at a place in a policy's text."""

    code: str
    message: str
    line: int | None = None
    column: int | None = None
    snippet: str | None = None
    hint: str | None = None
    severity: Severity = Severity.ERROR
    width: int = 1
    filename: str | None = None

    def with_filename(self, filename: str | None) -> Diagnostic:
        return replace(self, filename=filename)

    def __str__(self) -> str:
        where = self.filename or "<policy>"
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        text = f"{where}: {self.severity.value}[{self.code}]: {self.message}"
        if self.snippet is not None and self.column is not None:
            caret = " " * (self.column - 1) + "^" * max(1, self.width)
            text += f"\n  {self.snippet}\n  {caret}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "severity": self.severity.value, "message": self.message}
        for key in ("line", "column", "snippet", "hint"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data


class SlaError(Exception):
    """Root of every error the project raises on purpose."""

    code = "E000"

    def to_dicts(self) -> list[dict[str, Any]]:
        return [{"code": self.code, "message": str(self)}]


class PolicyError(SlaError):
    """A policy text is not valid. ``diagnostics`` holds every error found, in text order."""

    def __init__(self, diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]):
        self.diagnostics = tuple(sorted(diagnostics, key=text_order))
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def to_dicts(self) -> list[dict[str, Any]]:
        return [d.to_dict() for d in self.diagnostics]


class PolicySyntaxError(PolicyError):
    """The text does not parse."""


class PolicyCheckError(PolicyError):
    """The text parses but breaks a rule of the language."""


class PolicyLimitError(PolicyError):
    """The text is larger than the service accepts."""


def text_order(d: Diagnostic) -> tuple[int, int]:
    """Sort key putting diagnostics in the order of the text (unplaced ones first)."""
    return (d.line or 0, d.column or 0)
