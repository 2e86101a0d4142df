"""The policy language: text -> typed AST -> checked policy -> canonical text.

Public surface: :func:`parse`, :func:`check`, :func:`format_policy`, the AST in
:mod:`dsl.ast` and the errors in :mod:`dsl.errors`.
"""

from __future__ import annotations

from . import ast
from .checked import CheckedPolicy
from .checker import check
from .errors import (
    Diagnostic,
    PolicyCheckError,
    PolicyError,
    PolicyLimitError,
    PolicySyntaxError,
    Severity,
    SlaError,
)
from .formatter import format_clause, format_policy
from .parser import decode, parse

__all__ = [
    "CheckedPolicy",
    "Diagnostic",
    "PolicyCheckError",
    "PolicyError",
    "PolicyLimitError",
    "PolicySyntaxError",
    "Severity",
    "SlaError",
    "ast",
    "check",
    "decode",
    "format_clause",
    "format_policy",
    "parse",
]
