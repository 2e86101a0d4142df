"""The gateway to the policy language and the engine: every ``dsl``/``engine`` call of the service.

Functions here raise the domain's own errors (:class:`dsl.PolicyError`,
:class:`engine.measurements.MeasurementError`); :mod:`api.errors` turns them
into HTTP responses, in that one place. Routes and stores never import
``dsl`` or ``engine`` themselves.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import polars as pl

import dsl
import engine
from dsl import ast
from dsl.errors import SlaError
from dsl.formatter import format_amount, format_quantity, format_statement
from engine.diff import diff as diff_policies
from engine.instants import range_bound
from engine.measurements import MeasurementError as MeasurementError
from engine.readers import read_measurements
from engine.replay import replay as replay_policies

PolicyError = dsl.PolicyError
PolicyLimitError = dsl.PolicyLimitError
Measurements = engine.Measurements


class RangeError(SlaError):
    """An evaluation range that is not a range: unreadable bounds, or ``from`` not before ``to``."""

    code = "E700"

    def __init__(self, message: str, *, field: str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.hint = hint

    def to_dicts(self) -> list[dict[str, Any]]:
        item: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not None:
            item["field"] = self.field
        if self.hint is not None:
            item["hint"] = self.hint
        return [item]


@dataclass(frozen=True, slots=True)
class PolicyText:
    """A valid policy text with what the service stores and shows of it."""

    source: str
    canonical: str
    content_hash: str
    checked: dsl.CheckedPolicy

    def clauses(self) -> list[dict[str, Any]]:
        """Each clause as ``{"id", "kind", "name", "text"}``, in text order."""
        return clause_list(self.checked)

    def header(self) -> dict[str, Any]:
        """The header statements: parties, fee, caps, timezone, calendars and metrics."""
        return policy_header(self.checked.policy)

    def warnings(self) -> list[dict[str, Any]]:
        return [w.to_dict() for w in self.checked.warnings]


def content_hash(canonical: str) -> str:
    """The SHA-256 of the canonical text, in hex: a version's identity and the compiled-cache key."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_policy(source: str, filename: str | None = None) -> PolicyText:
    """Parse, check and format ``source`` (``filename`` only names it in errors).

    Returns the :class:`PolicyText`. Raises :class:`dsl.PolicyError` (a
    :class:`dsl.PolicyLimitError` for a text over the language's limits).
    """
    policy = dsl.parse(source, filename=filename)
    checked = dsl.check(policy, source=source, filename=filename)
    canonical = dsl.format_policy(policy)
    text = PolicyText(source, canonical, content_hash(canonical), checked)
    _CHECKED.put(text.content_hash, checked)
    return text


class StoredVersion(Protocol):
    """What a stored version keeps of its text (a ``PolicyVersionRecord``)."""

    source: str
    canonical: str
    content_hash: str


def stored_policy(version: StoredVersion) -> PolicyText:
    """A stored version read back; checked once per content hash, then from memory."""
    canonical = version.canonical
    checked = _CHECKED.get_or_make(
        version.content_hash, lambda: dsl.check(dsl.parse(canonical), source=canonical)
    )
    return PolicyText(version.source, canonical, version.content_hash, checked)


def format_source(source: str) -> str:
    """The canonical form of ``source``; raises :class:`dsl.PolicyError` when it does not parse."""
    return dsl.format_policy(dsl.parse(source))


def check_source(source: str) -> dict[str, Any]:
    """``{"ok", "errors", "warnings", "clauses"}`` for ``source``; policy errors are a result here."""
    try:
        text = read_policy(source)
    except dsl.PolicyError as exc:
        return {"ok": False, "errors": exc.to_dicts(), "warnings": [], "clauses": []}
    return {"ok": True, "errors": [], "warnings": text.warnings(), "clauses": text.clauses()}


def clause_list(checked: dsl.CheckedPolicy) -> list[dict[str, Any]]:
    return [
        {"id": clause_id, "kind": clause.kind.value, "name": clause.name, "text": dsl.format_clause(clause)}
        for clause_id, clause in zip(checked.clause_ids, checked.policy.clauses, strict=True)
    ]


def policy_header(policy: ast.Policy) -> dict[str, Any]:
    def text(node: ast.TextHeader | None) -> str | None:
        return node.value if node is not None else None

    fee = policy.fee
    return {
        "policy": text(policy.name),
        "client": text(policy.client),
        "provider": text(policy.provider),
        "fee": None
        if fee is None
        else {"amount": str(fee.amount.amount), "currency": fee.amount.currency, "period": fee.period.value},
        "cap": format_amount(policy.cap.amount) if policy.cap is not None else None,
        "annual_cap": format_quantity(policy.annual_cap.share) if policy.annual_cap is not None else None,
        "timezone": text(policy.timezone),
        "calendars": [format_statement(c) for c in policy.calendars],
        "metrics": [
            {"name": m.name, "kind": m.kind.value, "definition": m.definition} for m in policy.metrics
        ],
    }


# --- measurements and evaluation ----------------------------------------------


def read_batch(body: bytes, format: str) -> engine.Measurements:
    """Read and validate a posted batch; raises :class:`MeasurementError` naming the bad row and field."""
    return read_measurements(body, format)


def batch_frame(measurements: engine.Measurements) -> tuple[pl.DataFrame, tuple[str, ...]]:
    """The frame to store and the names of its dimension columns."""
    return measurements.frame, measurements.dimensions


def measurements_of(frame: pl.DataFrame) -> engine.Measurements:
    """Stored rows, read back in the frame's own shape, as measurements to evaluate."""
    return engine.Measurements(frame)


def admit(text: PolicyText, measurements: engine.Measurements) -> None:
    """Refuse a batch with a row that evaluations of ``text`` would refuse (raises MeasurementError)."""
    engine.validate(compiled(text), measurements)


def compiled(text: PolicyText) -> engine.CompiledPolicy:
    """The compiled policy, from memory when its content hash was compiled before."""
    found: engine.CompiledPolicy = _COMPILED.get_or_make(
        text.content_hash, lambda: engine.compile(text.checked)
    )
    return found


def bound(value: str | None, text: PolicyText, field: str) -> datetime | None:
    """An evaluation bound as :func:`engine.instants.range_bound` reads it (without an offset, in the
    policy's time zone). Raises :class:`RangeError` when ``value`` is not one.
    """
    if value is None:
        return None
    # A query string's unescaped "+01:00" arrives as " 01:00".
    written = value.replace(" ", "+") if "T" in value else value
    try:
        return range_bound(written, compiled(text).zone)
    except ValueError:
        raise RangeError(
            f"`{value}` is not a date or a date and time",
            field=field,
            hint="write 2026-01-01, or 2026-01-01T00:00:00+01:00",
        ) from None


def evaluate(
    text: PolicyText,
    measurements: engine.Measurements,
    *,
    start: datetime | None,
    end: datetime | None,
    version: int,
) -> dict[str, Any]:
    """The report of ``text`` over ``measurements`` as JSON types.

    Raises :class:`MeasurementError` for a row invalid against the policy and
    :class:`RangeError` for an empty range.
    """
    try:
        report = engine.evaluate(compiled(text), measurements, start=start, end=end, version=version)
    except ValueError as exc:
        raise RangeError(str(exc), hint="`from` must be before `to`") from None
    return report.to_dict()


class StoredRowError(MeasurementError):
    """An invalid stored row, found when evaluating: located by its batch and its row in that batch."""

    def __init__(self, error: MeasurementError, batch: int, row: int) -> None:
        super().__init__(error.message, row=row, field=error.field, hint=error.hint, code=error.code)
        self.batch = batch

    def to_dicts(self) -> list[dict[str, Any]]:
        return [{**item, "batch": self.batch} for item in super().to_dicts()]


def locate(error: MeasurementError, batches: list[tuple[int, int]]) -> MeasurementError:
    """``error`` about row r of stored batches concatenated, told as (batch id, row within it).

    ``batches`` gives each batch's id and row count, in the order they were concatenated.
    """
    if error.row is None:
        return error
    row = error.row
    for batch, rows in batches:
        if row <= rows:
            return StoredRowError(error, batch, row)
        row -= rows
    return error


# --- diff ---------------------------------------------------------------------


class SidedPolicyError(dsl.PolicyError):
    """An invalid text of a diff; each error says which text, ``old`` or ``new``."""

    def __init__(self, side: str, error: dsl.PolicyError) -> None:
        super().__init__(error.diagnostics)
        self.side = side

    def to_dicts(self) -> list[dict[str, Any]]:
        return [{**item, "policy": self.side} for item in super().to_dicts()]


def read_sides(old: str, new: str) -> tuple[PolicyText, PolicyText]:
    """Both texts of a diff, read; raises :class:`SidedPolicyError` naming the invalid one."""
    texts = []
    for side, source in (("old", old), ("new", new)):
        try:
            texts.append(read_policy(source))
        except dsl.PolicyLimitError:
            raise
        except dsl.PolicyError as exc:
            raise SidedPolicyError(side, exc) from None
    return texts[0], texts[1]


def diff(old: PolicyText, new: PolicyText) -> dict[str, Any]:
    """``{"changes": [...]}``: the semantic diff of two versions (interfaces.md, The diff)."""
    return diff_policies(old.checked, new.checked).to_dict()


def replay(
    old: PolicyText,
    new: PolicyText,
    measurements: engine.Measurements,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
) -> dict[str, Any]:
    """What each version would have credited on ``measurements`` (the diff's ``"replay"``).

    Raises :class:`MeasurementError` for a row invalid against either version
    and :class:`RangeError` for an empty range.
    """
    try:
        result = replay_policies(old.checked, new.checked, measurements, start=start, end=end)
    except ValueError as exc:
        raise RangeError(str(exc), hint="`from` must be before `to`") from None
    return result.to_dict()


def read_json_batch(document: dict[str, Any]) -> engine.Measurements:
    """Measurements given inside a JSON request (rows or columns); raises :class:`MeasurementError`."""
    return read_measurements(json.dumps(document).encode("utf-8"), "json")


class _LruCache:
    """A small thread-safe LRU map from a content hash to what was derived from that text."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._gates: dict[str, threading.Lock] = {}

    def get_or_make(self, key: str, make: Callable[[], Any]) -> Any:
        """The value for ``key``, made once even when many requests ask for it at the same moment."""
        value = self.get(key)
        if value is not None:
            return value
        with self._lock:
            gate = self._gates.setdefault(key, threading.Lock())
        with gate:
            value = self.get(key)
            if value is None:
                value = make()
                self.put(key, value)
        with self._lock:
            self._gates.pop(key, None)
        return value

    def get(self, key: str) -> Any:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


_CHECKED = _LruCache(256)
_COMPILED = _LruCache(256)


def set_cache_size(size: int) -> None:
    """Keep at most ``size`` checked and compiled policies in memory."""
    _CHECKED.size = _COMPILED.size = size
