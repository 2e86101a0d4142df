"""Syntax errors as sentences: what was expected, in words, and a hint.

lark reports the terminals it expected (``MONTHLY``, ``__ANON_3``); a legal author
needs "a window such as `monthly`" and "did you mean `monthly`?".
"""

from __future__ import annotations

import re
from difflib import get_close_matches

from lark import Lark
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr, Token

from . import tokens
from .errors import Diagnostic
from .tokens import KEYWORDS

AGGREGATIONS_TEXT = "p95 (any percentile pNN or pNN.N), median, mean, min, max, sum, count"
WINDOWS = ("daily", "weekly", "monthly", "quarterly", "yearly")
COMPARATORS = ("<", "<=", ">", ">=")
_COMPARATOR_STARTS = frozenset(text.split()[0] for text in tokens.COMPARATORS)
"""The tokens a comparison can start with: the symbols and the words (``below``, ``at`` of ``at most``)."""
_SHORT_UNITS = ("ms", "s", "m", "h", "d", "w")
_NUMBER_BEFORE = re.compile(r"(?<![\w.])(\d[\d_]*(?:\.\d+)?)\s+$")

_DESCRIPTIONS = {
    "NAME": "a name",
    "STRING": 'a quoted text such as "P1"',
    "NUMBER": "a number",
    "PERCENT": "a percentage such as 95%",
    "DURATION": "a duration such as 4h",
    "PERCENTILE": "a percentile such as p95",
    "CURRENCY": "a currency code such as EUR",
    "MONTH": "a month such as February",
    "$END": "the end of the statement",
}


def _literal(parser: Lark, terminal: str) -> str | None:
    try:
        pattern = parser.get_terminal(terminal).pattern
    except KeyError:
        return None
    return pattern.value if isinstance(pattern, PatternStr) else None


def _expected_words(parser: Lark, expected: set[str]) -> tuple[list[str], list[str]]:
    """Keywords/symbols expected, and descriptions of the other terminals expected."""
    literals, others = [], []
    for terminal in sorted(expected):
        literal = _literal(parser, terminal)
        if literal is not None:
            literals.append(literal)
        else:
            others.append(_DESCRIPTIONS.get(terminal, terminal.lower()))
    return literals, others


def _phrase(literals: list[str], others: list[str]) -> str:
    groups: list[str] = []
    remaining = list(literals)
    if set(WINDOWS) <= set(remaining):
        # LALR lookaheads also hold words of other contexts; after a threshold it is the window.
        return "a window (" + ", ".join(WINDOWS) + ", or `per month`)"
    if set(COMPARATORS) <= set(remaining):
        groups.append("a comparison (<, <=, >, >=, or words such as `at most`)")
        remaining = [w for w in remaining if w not in _COMPARATOR_STARTS]
    if {"median", "mean"} <= set(remaining):
        groups.append("an aggregation (" + AGGREGATIONS_TEXT + ")")
        remaining = [
            w
            for w in remaining
            if w not in ("median", "mean", "avg", "average", "min", "max", "sum", "count")
        ]
    words = groups + [f"`{w}`" for w in remaining] + others
    if not words:
        return "something else"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def describe(parser: Lark, error: UnexpectedInput, text: str) -> Diagnostic:
    """A diagnostic for ``error`` in the statement ``text``; line and column relative to it."""
    line = getattr(error, "line", 1) or 1
    column = getattr(error, "column", 1) or 1
    if isinstance(error, UnexpectedCharacters):
        return _bad_character(text, error, line, column)
    assert isinstance(error, UnexpectedToken)
    token = error.token
    expected = set(error.expected)
    literals, others = _expected_words(parser, expected)
    found = "the end of the statement" if token.type == "$END" else f"`{token}`"
    width = max(1, len(str(token))) if token.type != "$END" else 1
    if token.type == "$END":
        # Point just past the last character of the statement.
        lines = text.rstrip().split("\n")
        line, column = len(lines), len(lines[-1]) + 1
    hint = None
    word = str(token)
    if token.type != "$END" and word != word.lower() and word.lower() in KEYWORDS:
        # `SLA`, `KPI`, `MAX` lex as currency codes; the fault is the case, as for `Monthly`.
        return _not_lower_case(word, line, column)
    split = _split_word(text, token)
    if split is not None:
        word, column = split
        if word[:1].isdigit():
            return _not_a_quantity(word, line, column)
        close = get_close_matches(word, sorted(KEYWORDS), n=1, cutoff=0.6)
        return Diagnostic(
            "E108",
            f"`{word}` is not a word of the language here",
            line,
            column,
            hint=f"did you mean `{close[0]}`?" if close else None,
            width=len(word),
        )
    if {"median", "mean"} <= set(literals) and str(token) in _COMPARATOR_STARTS:
        return Diagnostic(
            "E101",
            "the condition has no aggregation",
            line,
            column,
            hint="choose one of " + AGGREGATIONS_TEXT + ", e.g. `resolution_time p95 < 4h`",
            width=width,
        )
    if "NAME" in expected and str(token) in KEYWORDS:
        return Diagnostic(
            "E102",
            f"`{token}` is a keyword and cannot be used as a name",
            line,
            column,
            hint=f"choose another name, such as `{token}_value`",
            width=width,
        )
    words = [w for w in literals if w.isalpha()]
    close = get_close_matches(str(token).lower(), words, n=1, cutoff=0.6)
    number = _NUMBER_BEFORE.search(text[: token.start_pos]) if token.type != "$END" else None
    if str(token) in _SHORT_UNITS and number and "samples" not in literals:
        # `4 h`: the unit was split from its number, which then reads as a bare number.
        hint = f"write a short unit next to its number: `{number.group(1)}{token}`"
    elif close:
        hint = f"did you mean `{close[0]}`?"
    elif str(token) == "=" and text[: token.start_pos].endswith("="):
        hint = "equality is a single `=`"
    elif token.type == "NAME" and "PERCENT" in expected and "NAME" not in expected:
        hint = "a share condition reads `95% of METRIC <= 4h`"
    message = f"expected {_phrase(literals, others)}, but found {found}"
    return Diagnostic("E100", message, line, column, hint=hint, width=width)


def _split_word(text: str, token: Token) -> tuple[str, int] | None:
    """The whole word when the lexer took a keyword off its front (``maxx`` -> ``max`` ``x``)."""
    start = token.start_pos
    if token.type == "$END" or start is None or start == 0 or not str(token)[:1].isalnum():
        return None
    if not text[start - 1].isalnum():
        return None
    begin = start
    while begin > 0 and (text[begin - 1].isalnum() or text[begin - 1] == "_"):
        begin -= 1
    end = start
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    column = begin - (text.rfind("\n", 0, begin) + 1) + 1
    return text[begin:end], column


def _not_a_quantity(word: str, line: int, column: int) -> Diagnostic:
    return Diagnostic(
        "E106",
        f"`{word}` is not a number or quantity",
        line,
        column,
        hint="quantities read like 12, 12.5, 120_000, 99.9%, 4h, 1h30m, 30 minutes or 5000 EUR",
        width=len(word),
    )


def _bad_character(text: str, error: UnexpectedCharacters, line: int, column: int) -> Diagnostic:
    rest = text.split("\n")[line - 1][column - 1 :]
    char = rest[:1]
    if char == '"':
        return Diagnostic(
            "E103", "the text in quotes is not closed", line, column, hint='add the closing `"`'
        )
    if char in "+-" and rest[1:2].isdigit():
        return Diagnostic(
            "E104",
            "a number never has a sign",
            line,
            column,
            hint="write the comparison the other way round, e.g. `>= 0` instead of `> -1`",
        )
    if char.isalpha() and char.isupper():
        return _not_lower_case(rest.split()[0].rstrip(",:"), line, column)
    if char.isdigit():
        return _not_a_quantity(rest.split()[0].rstrip(","), line, column)
    shown = repr(char)[1:-1] if char else "end of line"
    return Diagnostic("E107", f"unexpected character `{shown}`", line, column)


def _not_lower_case(word: str, line: int, column: int) -> Diagnostic:
    return Diagnostic(
        "E105",
        f"`{word}` is not lower case",
        line,
        column,
        hint=f"names and keywords are lower case: `{word.lower()}`",
        width=len(word),
    )
