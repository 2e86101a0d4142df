"""``dsl.parse``: policy text -> :class:`dsl.ast.Policy`.

The text is split into statements (dsl/lines.py), each parsed by one cached
LALR parser, so that every statement's syntax error is reported in one pass.
Statements are then grouped into a :class:`Policy` in canonical order; a header
given twice is an error here.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

from lark import Lark
from lark.exceptions import UnexpectedInput

from . import ast
from .errors import Diagnostic, PolicyLimitError, PolicySyntaxError
from .lines import StatementText, source_lines, split_statements
from .syntax import describe
from .tokens import FIRST_LINE, Fault
from .transformer import ToAst

MAX_SOURCE_BYTES = 1024 * 1024
MAX_CLAUSES = 10_000
_BUILDER = ToAst()


def _grammar_path() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "grammar.lark", here.parent / "grammar.lark"):
        if candidate.exists():
            return candidate
    raise FileNotFoundError("grammar.lark is missing from the installation")


@functools.cache
def parser() -> Lark:
    """The one LALR parser, built on first use."""
    return Lark(
        _grammar_path().read_text(encoding="utf-8"),
        parser="lalr",
        strict=True,
        maybe_placeholders=True,
        **_accelerator(),
    )


def _accelerator() -> dict[str, object]:
    """lark-cython's compiled lexer and parser where installed (about 30% faster); same trees."""
    try:
        import lark_cython  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - the pure-Python parser gives the same results
        return {}
    return {"_plugins": lark_cython.plugins}


def parse(source: str, filename: str | None = None) -> ast.Policy:
    """Parse a policy's text.

    Returns the :class:`~dsl.ast.Policy`. Raises :class:`PolicySyntaxError` with
    every syntax error of the text, or :class:`PolicyLimitError` for a text over
    1 MiB or over 10,000 clauses.
    """
    _check_size(source, filename)
    # A UTF-8 file saved with a byte order mark (Windows editors) is still UTF-8 text.
    source = source.removeprefix("\ufeff")
    lines = source_lines(source)
    statements, trailing = split_statements(lines)
    if len(statements) > MAX_CLAUSES + 100:
        _too_many(len(statements), filename)
    nodes: list[ast.Statement] = []
    diagnostics: list[Diagnostic] = []
    for statement in statements:
        node = _parse_statement(statement, diagnostics, lines)
        if node is not None:
            nodes.append(node)
    policy = _build(nodes, trailing, diagnostics, lines)
    if len(policy.clauses) > MAX_CLAUSES:
        _too_many(len(policy.clauses), filename)
    if diagnostics:
        raise PolicySyntaxError([d.with_filename(filename) for d in diagnostics])
    return policy


def decode(data: bytes, filename: str | None = None) -> str:
    """A policy file's bytes as text: policies are UTF-8 (a byte order mark is allowed).

    Raises :class:`PolicySyntaxError` (E109) naming the line and column of the first
    byte that is not UTF-8, with the hint to save the file as UTF-8.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        snippet = data.split(b"\n")[line - 1].decode("utf-8", errors="replace").rstrip("\r")
        raise PolicySyntaxError(
            [
                Diagnostic(
                    "E109",
                    f"the file is not UTF-8 text: byte 0x{data[exc.start]:02x} cannot start a character here",
                    line,
                    column,
                    snippet=snippet,
                    hint="save the policy as UTF-8 (most editors offer it under Save As or Encoding)",
                    filename=filename,
                )
            ]
        ) from None


def _check_size(source: str, filename: str | None) -> None:
    size = len(source.encode("utf-8"))
    if size > MAX_SOURCE_BYTES:
        raise PolicyLimitError(
            [
                Diagnostic(
                    "E901",
                    f"the policy is {size:,} bytes; the limit is {MAX_SOURCE_BYTES:,} (1 MiB)",
                    hint="split the schedule into several policies",
                    filename=filename,
                )
            ]
        )


def _too_many(count: int, filename: str | None) -> None:
    raise PolicyLimitError(
        [
            Diagnostic(
                "E902",
                f"the policy has {count:,} statements; the limit is {MAX_CLAUSES:,} clauses",
                hint="split the schedule into several policies",
                filename=filename,
            )
        ]
    )


def _parse_statement(
    statement: StatementText, diagnostics: list[Diagnostic], lines: list[str]
) -> ast.Statement | None:
    token = FIRST_LINE.set(statement.line)
    try:
        node = _BUILDER.transform(parser().parse(statement.text))
    except UnexpectedInput as error:
        relative = describe(parser(), error, statement.text)
        diagnostics.append(_located(relative, statement.line + (relative.line or 1) - 1, lines))
        return None
    except Fault as error:
        fault = error.diagnostic
        diagnostics.append(_located(fault, fault.line or statement.line, lines))
        return None
    finally:
        FIRST_LINE.reset(token)
    return _whole_statement(node, statement)


def _located(diagnostic: Diagnostic, line: int, lines: list[str]) -> Diagnostic:
    snippet = lines[line - 1] if 0 < line <= len(lines) else None
    return replace(diagnostic, line=line, snippet=snippet)


def _whole_statement(node: ast.Statement, statement: StatementText) -> ast.Statement:
    """The node with its comments, its span starting at the statement's first character
    (lark drops keyword tokens, so the rule's own span starts after ``fee``, ``calendar``...)."""
    first = statement.text.split("\n", 1)[0]
    column = len(first) - len(first.lstrip()) + 1
    end = node.span or ast.Span(statement.line, column, statement.line, column + 1)
    return replace(
        node,
        span=ast.Span(statement.line, column, end.end_line, end.end_column),
        comments=statement.comments,
    )


_SINGLE_HEADERS = {"policy": "name", "client": "client", "provider": "provider", "timezone": "timezone"}


def _build(
    nodes: list[ast.Statement], trailing: tuple[str, ...], diagnostics: list[Diagnostic], lines: list[str]
) -> ast.Policy:
    fields: dict[str, object] = {}
    seen_spans: dict[str, ast.Span | None] = {}
    calendars: list[ast.Calendar] = []
    metrics: list[ast.MetricDecl] = []
    clauses: list[ast.Clause] = []

    def once(key: str, label: str, node: ast.Statement) -> None:
        if key in fields:
            first = seen_spans[key]
            where = f" (first given on line {first.line})" if first else ""
            diagnostics.append(
                _at(
                    node.span,
                    "E201",
                    f"`{label}` is given twice{where}",
                    "give each header statement once",
                    lines,
                )
            )
            return
        fields[key] = node
        seen_spans[key] = node.span

    for node in nodes:
        match node:
            case ast.TextHeader():
                once(_SINGLE_HEADERS[node.keyword], node.keyword, node)
            case ast.Fee():
                once("fee", "fee", node)
            case ast.Cap():
                once("cap", "cap", node)
            case ast.AnnualCap():
                once("annual_cap", "annual cap", node)
            case ast.Calendar():
                if any(c.name == node.name for c in calendars):
                    label = f"calendar {node.name}" if node.name else "calendar"
                    diagnostics.append(
                        _at(
                            node.span,
                            "E202",
                            f"`{label}` is given twice",
                            "give each calendar a different name",
                            lines,
                        )
                    )
                else:
                    calendars.append(node)
            case ast.MetricDecl():
                metrics.append(node)
            case ast.Clause():
                clauses.append(node)
    calendars.sort(key=lambda c: c.name is not None)
    return ast.Policy(
        **fields,  # type: ignore[arg-type]
        calendars=tuple(calendars),
        metrics=tuple(metrics),
        clauses=tuple(clauses),
        trailing_comments=trailing,
    )


def _at(span: ast.Span | None, code: str, message: str, hint: str | None, lines: list[str]) -> Diagnostic:
    line = span.line if span else 1
    column = span.column if span else 1
    return _located(Diagnostic(code, message, line, column, hint=hint), line, lines)
