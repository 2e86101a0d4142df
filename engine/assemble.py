"""From per-window verdicts to the report: earn-back, chronic failure, fee periods, explanations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from dsl import ast

from . import outcomes
from .caps import Claim, settle
from .compiler import CompiledClause, CompiledPolicy
from .credits import Award, Terms
from .explain import money, test_text
from .report import Chronic, ClauseReport, PeriodReport, Report, WindowReport
from .windows import RANK, Span, zone_info

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Range:
    """The evaluated range: rows with ``first <= time < stop``; ``shown_end`` is the reported ``to``."""

    first: int
    stop: int
    shown_end: int
    explicit_end: bool


@dataclass(frozen=True, slots=True)
class Verdict:
    """One window of one clause before the money is settled."""

    span: Span
    samples: int
    value: float | None
    status: str
    final: bool
    computation: str
    credit: Award
    bonus: Award


def assemble(
    compiled: CompiledPolicy,
    verdicts: Sequence[Sequence[Verdict]],
    span: Range | None,
    terms: Terms,
    unused_rows: int,
    version: int | None,
) -> Report:
    """Settle the money of every window and build the :class:`Report`."""
    flags: list[list[bool]] = []
    claims: list[Claim] = []
    for clause, windows in zip(compiled.clauses, verdicts, strict=True):
        after = clause.consequences.earn_back
        statuses = [v.status for v in windows]
        earned = (
            outcomes.earned_back(statuses, [v.final for v in windows], after)
            if after
            else [False] * len(windows)
        )
        flags.append(earned)
        rank = RANK[clause.grouping.window.period]
        for index, verdict in enumerate(windows):
            claims.append(
                Claim(
                    clause.index,
                    index,
                    verdict.span,
                    rank,
                    verdict.credit.money or ZERO,
                    earned[index],
                    verdict.bonus.money or ZERO,
                )
            )
    paid: dict[tuple[int, int], Decimal] = {}
    periods: list[PeriodReport] = []
    if compiled.fee is not None and span is not None:
        paid, periods = settle(
            claims,
            terms,
            compiled.fee,
            compiled.annual_cap,
            zone_info(compiled.zone),
            span.first,
            span.stop - 1,
        )
    has_fee = terms.fee is not None
    clauses = tuple(
        _clause(compiled, clause, windows, flags[clause.index], paid, terms)
        for clause, windows in zip(compiled.clauses, verdicts, strict=True)
    )
    return Report(
        policy=compiled.name,
        version=version,
        currency=compiled.currency,
        zone=compiled.zone,
        range=(span.first, span.shown_end) if span else None,
        clauses=clauses,
        periods=tuple(periods),
        total_credit=sum((p.credit for p in periods), ZERO) if has_fee else None,
        total_bonus=sum((p.bonus for p in periods), ZERO) if has_fee else None,
        unused_rows=unused_rows,
    )


def _clause(
    compiled: CompiledPolicy,
    clause: CompiledClause,
    verdicts: Sequence[Verdict],
    earned: list[bool],
    paid: dict[tuple[int, int], Decimal],
    terms: Terms,
) -> ClauseReport:
    has_fee = terms.fee is not None
    windows = []
    owed = ZERO
    target = f"target {test_text(clause.target)}"
    for index, verdict in enumerate(verdicts):
        before = verdict.credit.money
        after = paid.get((clause.index, index), before or ZERO) if has_fee else None
        if after is not None and not earned[index]:
            owed += after
        windows.append(
            WindowReport(
                span=verdict.span,
                samples=verdict.samples,
                value=verdict.value,
                status=verdict.status,
                credit_percent=verdict.credit.percent,
                credit=after,
                bonus_percent=verdict.bonus.percent,
                bonus=(verdict.bonus.money or ZERO) if has_fee else None,
                earned_back=earned[index],
                final=verdict.final,
                explanation=_explanation(clause, target, verdict, earned[index], before, after, terms),
            )
        )
    statuses = [v.status for v in verdicts]
    chronic = None
    rule = clause.consequences.chronic
    if rule is not None:
        found = outcomes.chronic(statuses, rule.breaches, rule.of_windows)
        if found is not None:
            chronic = Chronic(verdicts[found[0]].span.start, found[1], rule.of_windows)
    threshold = None
    if clause.share_test is not None:
        threshold = (clause.share_test.op.value, clause.share_test.exact)
    return ClauseReport(
        id=clause.id,
        kind=clause.kind.value,
        text=clause.text,
        metric=clause.metric,
        definition=compiled.definitions.get(clause.metric),
        owner=clause.owner,
        aggregation=clause.aggregation,
        target=(clause.target.op.value, clause.target.exact),
        threshold=threshold,
        windows=tuple(windows),
        breaches=statuses.count("breached"),
        credit=owed if has_fee else None,
        chronic=chronic,
    )


def _explanation(
    clause: CompiledClause,
    target: str,
    verdict: Verdict,
    earned: bool,
    before: Decimal | None,
    after: Decimal | None,
    terms: Terms,
) -> str:
    if verdict.status == "no_data":
        text = f"no values in this window; {target}: no_data"
    elif verdict.status == "insufficient":
        text = (
            f"{verdict.computation}; {verdict.samples} of the minimum {clause.min_samples} samples; "
            f"{target}: insufficient"
        )
    else:
        text = f"{verdict.computation}; {target}: {verdict.status}"
    if verdict.credit.arithmetic:
        text += "; " + verdict.credit.arithmetic
        if before is not None and after is not None and after != before and not earned:
            text += f"; reduced by the cap to {money(after, terms.currency)}"
        if earned and clause.consequences.earn_back:
            count = clause.consequences.earn_back
            text += f"; earned back: the next {count} window{'s' if count != 1 else ''} were met"
    if verdict.bonus.arithmetic:
        text += "; " + verdict.bonus.arithmetic
    if not verdict.final:
        text += "; provisional: the range ends before the window does"
    if clause.kind is ast.ClauseKind.KPI and verdict.status == "breached":
        text += " (kpi: no consequence)"
    return text
