"""The checker's collector of diagnostics: it places each finding in the source text.

Every rule module reports through :class:`Findings`, which turns a node's span
into a line, column, snippet and caret width. The parser drops keywords from
the spans of options (``credit 5%`` spans only ``5%``), so a finding may widen
its span over the keywords around it, read from the source.
"""

from __future__ import annotations

import re

from . import ast
from .errors import Diagnostic, Severity, text_order
from .lines import source_lines


class Findings:
    """Errors and warnings found in one policy, placed in its ``source``."""

    def __init__(self, source: str | None, filename: str | None):
        self.lines = source_lines(source) if source is not None else []
        self.filename = filename
        self.errors: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []

    def error(
        self,
        code: str,
        message: str,
        span: ast.Span | None,
        hint: str | None = None,
        *,
        before: tuple[str, ...] = (),
        after: tuple[str, ...] = (),
    ) -> None:
        """Record an error at ``span``, widened over the keywords ``before`` and ``after`` it."""
        self.errors.append(self._place(code, message, span, hint, Severity.ERROR, before, after))

    def warning(
        self,
        code: str,
        message: str,
        span: ast.Span | None,
        hint: str | None = None,
        *,
        before: tuple[str, ...] = (),
        after: tuple[str, ...] = (),
    ) -> None:
        """Record a warning at ``span``, widened like :meth:`error`."""
        self.warnings.append(self._place(code, message, span, hint, Severity.WARNING, before, after))

    def sorted_warnings(self) -> tuple[Diagnostic, ...]:
        """The warnings in text order."""
        return tuple(sorted(self.warnings, key=text_order))

    def _place(
        self,
        code: str,
        message: str,
        span: ast.Span | None,
        hint: str | None,
        severity: Severity,
        before: tuple[str, ...],
        after: tuple[str, ...],
    ) -> Diagnostic:
        if span is None:
            return Diagnostic(code, message, hint=hint, severity=severity, filename=self.filename)
        snippet = self.lines[span.line - 1] if 0 < span.line <= len(self.lines) else None
        column = span.column
        end = span.end_column if span.end_line == span.line else None
        if snippet is not None:
            column = _widen_left(snippet, column, before)
            end = _widen_right(snippet, end, after) if end is not None else len(snippet.rstrip()) + 1
        width = max(1, end - column) if end is not None else 1
        return Diagnostic(
            code,
            message,
            span.line,
            column,
            snippet=snippet,
            hint=hint,
            severity=severity,
            width=width,
            filename=self.filename,
        )


def _words(phrase: str) -> str:
    return r"\s+".join(re.escape(word) for word in phrase.split())


def _widen_left(line: str, column: int, keywords: tuple[str, ...]) -> int:
    head = line[: column - 1]
    for keyword in keywords:
        match = re.search(rf"(?<![\w]){_words(keyword)}\s*$", head)
        if match:
            return match.start() + 1
    return column


def _widen_right(line: str, end_column: int, keywords: tuple[str, ...]) -> int:
    tail = line[end_column - 1 :]
    for keyword in keywords:
        match = re.match(rf"\s*{_words(keyword)}(?![\w])", tail)
        if match:
            return end_column + match.end()
    return end_column


OPTION_WORDS: dict[type, tuple[tuple[str, ...], tuple[str, ...]]] = {
    ast.MinSamples: (("min",), ("samples", "sample")),
    ast.FixedCredit: (("credit",), ("per breach",)),
    ast.LinearCredit: (("credit",), ()),
    ast.PoolCredit: (("credit",), ("of pool",)),
    ast.Tier: ((), ()),
    ast.MaxCredit: (("max",), ()),
    ast.EarnBack: (("earn back after",), ("met",)),
    ast.Chronic: (("chronic",), ()),
    ast.Bonus: (("bonus",), ()),
    ast.UseCalendar: (("calendar",), ()),
    ast.Owner: (("owner",), ()),
}
"""The keywords the parser leaves out of each option's span, before and after it."""


def option_error(
    findings: Findings, option: ast.Option, code: str, message: str, hint: str | None = None
) -> None:
    """Record an error covering the whole of ``option``, keywords included."""
    before, after = OPTION_WORDS[type(option)]
    findings.error(code, message, option.span, hint, before=before, after=after)


def option_warning(
    findings: Findings, option: ast.Option, code: str, message: str, hint: str | None = None
) -> None:
    """Record a warning covering the whole of ``option``, keywords included."""
    before, after = OPTION_WORDS[type(option)]
    findings.warning(code, message, option.span, hint, before=before, after=after)
