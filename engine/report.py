"""The evaluation report: the JSON shape of interfaces.md, as frozen dataclasses.

``Report.to_dict`` gives plain JSON types (money as floats);
``Report.to_json`` gives deterministic bytes with money written to the cent
(``6000.00``), keys in the documented order.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any

from .explain import CENT
from .windows import Span, isoformat, zone_info

MoneyWriter = Callable[[Decimal | None], Any]


@dataclass(frozen=True, slots=True)
class WindowReport:
    span: Span
    samples: int
    value: float | None
    status: str
    credit_percent: Decimal | None
    credit: Decimal | None
    bonus_percent: Decimal | None
    bonus: Decimal | None
    earned_back: bool
    final: bool
    explanation: str


@dataclass(frozen=True, slots=True)
class Chronic:
    window_start: int
    breaches: int
    of: int


@dataclass(frozen=True, slots=True)
class ClauseReport:
    id: str
    kind: str
    text: str
    metric: str
    definition: str | None
    owner: str | None
    aggregation: str
    target: tuple[str, Decimal]
    threshold: tuple[str, Decimal] | None
    windows: tuple[WindowReport, ...]
    breaches: int
    credit: Decimal | None
    chronic: Chronic | None


@dataclass(frozen=True, slots=True)
class PeriodReport:
    """One fee period's account, as :func:`engine.caps.settle` settles it."""

    span: Span
    credit_before_cap: Decimal
    credit: Decimal
    capped: bool
    bonus: Decimal


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of one evaluation (interfaces.md, The evaluation report)."""

    policy: str | None
    version: int | None
    currency: str | None
    zone: str
    range: tuple[int, int] | None
    clauses: tuple[ClauseReport, ...]
    periods: tuple[PeriodReport, ...]
    total_credit: Decimal | None
    total_bonus: Decimal | None
    unused_rows: int

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON types; money as floats (``6000.0``)."""
        return self._document(lambda amount: None if amount is None else float(amount))

    def to_json(self) -> str:
        """The report as JSON text, byte for byte the same for the same evaluation.

        Money is written with exactly two decimals (``6000.00``).
        """
        return _write(self._document(lambda amount: None if amount is None else _Cents(amount)))

    def _document(self, money: MoneyWriter) -> dict[str, Any]:
        zone = zone_info(self.zone)
        written: dict[int, str] = {}

        def when(instant: int) -> str:
            # Clauses over the same windows share their instants: format each once.
            if instant not in written:
                written[instant] = isoformat(instant, zone)
            return written[instant]

        return {
            "policy": self.policy,
            "version": self.version,
            "currency": self.currency,
            "range": {
                "from": when(self.range[0]) if self.range else None,
                "to": when(self.range[1]) if self.range else None,
            },
            "clauses": [_clause(c, when, money) for c in self.clauses],
            "periods": [
                {
                    "start": when(p.span.start),
                    "end": when(p.span.end),
                    "credit_before_cap": money(p.credit_before_cap),
                    "credit": money(p.credit),
                    "capped": p.capped,
                    "bonus": money(p.bonus),
                }
                for p in self.periods
            ],
            "total_credit": money(self.total_credit),
            "total_bonus": money(self.total_bonus),
            "unused_rows": self.unused_rows,
        }


def number(value: Decimal | None) -> int | float | None:
    """A decimal as a JSON number: an integer when whole, else the nearest float."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _clause(clause: ClauseReport, when: Callable[[int], str], money: MoneyWriter) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": clause.id,
        "kind": clause.kind,
        "text": clause.text,
        "metric": clause.metric,
        "definition": clause.definition,
        "owner": clause.owner,
        "aggregation": clause.aggregation,
        "target": {"op": clause.target[0], "value": number(clause.target[1])},
    }
    if clause.threshold is not None:
        data["threshold"] = {"op": clause.threshold[0], "value": number(clause.threshold[1])}
    data["windows"] = [
        {
            "start": when(w.span.start),
            "end": when(w.span.end),
            "samples": w.samples,
            "value": w.value,
            "status": w.status,
            "credit_percent": number(w.credit_percent),
            "credit": money(w.credit),
            "bonus_percent": number(w.bonus_percent),
            "bonus": money(w.bonus),
            "earned_back": w.earned_back,
            "final": w.final,
            "explanation": w.explanation,
        }
        for w in clause.windows
    ]
    data["breaches"] = clause.breaches
    data["credit"] = money(clause.credit)
    data["chronic"] = (
        None
        if clause.chronic is None
        else {
            "window_start": when(clause.chronic.window_start),
            "breaches": clause.chronic.breaches,
            "of": clause.chronic.of,
        }
    )
    return data


class _Cents:
    """Money to be written to the cent, as a JSON number."""

    def __init__(self, amount: Decimal):
        self.text = str(amount.quantize(CENT))


def _write(value: Any) -> str:
    """JSON text as ``json.dumps(value, ensure_ascii=False)`` writes it, with :class:`_Cents` as numbers.

    Dispatch on the exact type, since a report holds only these; written out here
    because calling ``json.dumps`` for each of a large report's scalars is slow.
    """
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is dict:
        return "{" + ", ".join(f"{encode_basestring(k)}: {_write(v)}" for k, v in value.items()) + "}"
    if kind is list:
        return "[" + ", ".join(_write(v) for v in value) + "]"
    if kind is _Cents:
        return str(value.text)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        if not math.isfinite(value):
            raise ValueError("a report holds only finite numbers")
        return float.__repr__(value)
    raise TypeError(f"cannot write {kind.__name__} in a report")
