"""The result of :func:`dsl.check`: a policy that obeys every rule of the language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from . import ast
from .errors import Diagnostic


@dataclass(frozen=True, slots=True)
class CheckedPolicy:
    """A valid policy and what checking it established.

    ``clause_ids`` runs parallel to ``policy.clauses``. ``metric_kinds`` gives
    the kind of every metric the policy declares or uses (an undeclared metric
    takes its kind from its first use; one used only with ``count`` is a
    ``number``). ``warnings`` are valid-but-suspicious findings, in text order.
    """

    policy: ast.Policy
    clause_ids: tuple[str, ...]
    metric_kinds: Mapping[str, ast.MetricKind]
    warnings: tuple[Diagnostic, ...] = ()
