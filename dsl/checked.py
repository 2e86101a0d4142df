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
    takes its kind from its first use other than ``count``; one used only with
    ``count`` is a ``number``). ``warnings`` are the W5xx findings of a policy
    that is valid but almost certainly not what its authors meant, in text
    order (docs/checks.md lists them).
    """

    policy: ast.Policy
    clause_ids: tuple[str, ...]
    metric_kinds: Mapping[str, ast.MetricKind]
    warnings: tuple[Diagnostic, ...] = ()
