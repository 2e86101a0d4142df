"""The engine agrees with the simple reference evaluator on generated policies and measurements.

Every window's span, samples, figure, status, finality, credit percentage,
credit, bonus and earn-back; every clause's breaches, credit and chronic
failure; every fee period's credits before and after the caps; the totals.
Engine decisions the property confirms are pinned by ``@example``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings

import dsl
import engine
from engine.report import Report
from tests.engine import reference
from tests.engine.helpers import frame
from tests.engine.strategies_reference import frame_rows, measurements, policies

_EPOCH = datetime(1970, 1, 1, tzinfo=ZoneInfo("UTC"))


def _micros(moment: datetime) -> int:
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _same_figure(a: float | None, b: float | None, aggregation: str) -> bool:
    """Figures are equal to the last bit, except sums and means to 1e-12.

    The engine sums with numpy (``np.add.reduceat``), whose unrolled summation adds
    ascending values in another grouping than ``v1 + v2 + ... + vn`` and may differ in
    the last bit (semantics.md section 4 says "in ascending order"); reported, not pinned.
    """
    if a is None or b is None:
        return a is b
    if aggregation in ("sum", "mean"):
        return abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))
    return a == b


def _same_percent(a: Decimal | None, b: Decimal) -> bool:
    """Percentages of money credits are quotients (amount / fee x 100), equal to 1e-12."""
    return a is not None and abs(a - b) <= Decimal("1e-12") * max(Decimal(1), abs(b))


def assert_agrees(report: Report, want: reference.RefReport, zone: str) -> None:
    """Every figure of ``report`` equals the reference's."""
    for clause, expected in zip(report.clauses, want.clauses, strict=True):
        spans = [(w.span.start, w.span.end) for w in clause.windows]
        assert spans == [(_micros(w.start), _micros(w.end)) for w in expected.windows], clause.id
        for got, w in zip(clause.windows, expected.windows, strict=True):
            where = (clause.id, got, w)
            assert (got.samples, got.status, got.final, got.earned_back) == (
                w.samples,
                w.status,
                w.final,
                w.earned_back,
            ), where
            assert _same_figure(got.value, w.value, clause.aggregation), where
            assert _same_percent(got.credit_percent, w.credit_percent), where
            assert _same_percent(got.bonus_percent, w.bonus_percent), where
            assert (got.credit, got.bonus) == (w.credit, w.bonus), where
        assert (clause.breaches, clause.credit) == (expected.breaches, expected.credit), clause.id
        chronic = clause.chronic
        assert (None if chronic is None else (chronic.window_start, chronic.breaches, chronic.of)) == (
            None if expected.chronic is None else (_micros(expected.chronic[0]), *expected.chronic[1:])
        ), clause.id
    periods = [
        (p.span.start, p.span.end, p.credit_before_cap, p.credit, p.capped, p.bonus) for p in report.periods
    ]
    assert periods == [
        (_micros(p.start), _micros(p.end), p.credit_before_cap, p.credit, p.capped, p.bonus)
        for p in want.periods
    ]
    assert (report.total_credit, report.total_bonus) == (want.total_credit, want.total_bonus)


def _check(text: str, drawn: tuple[list[reference.Row], datetime, datetime | None, datetime | None]) -> None:
    rows, _, start, end = drawn
    policy = dsl.parse(text)
    compiled = engine.compile(dsl.check(policy))
    report = engine.evaluate(compiled, frame(frame_rows(rows)), start=start, end=end)
    assert_agrees(report, reference.evaluate(policy, rows, start, end), policy.zone)
    # The JSON shape writes every window in the policy's zone, with its offset.
    document = report.to_dict()
    for clause in document["clauses"]:
        for window in clause["windows"]:
            assert datetime.fromisoformat(window["start"]).utcoffset() == (
                datetime.fromisoformat(window["start"]).astimezone(ZoneInfo(policy.zone)).utcoffset()
            )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policies(), measurements())
def test_engine_agrees_with_the_reference(
    text: str, drawn: tuple[list[reference.Row], datetime, datetime | None, datetime | None]
) -> None:
    _check(text, drawn)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policies(business=True), measurements())
def test_engine_agrees_with_the_reference_on_business_durations(
    text: str, drawn: tuple[list[reference.Row], datetime, datetime | None, datetime | None]
) -> None:
    _check(text, drawn)
