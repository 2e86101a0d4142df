"""Canonical form: ``parse(format(p)) == p`` and formatting is idempotent (language.md, Canonical form)."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings

import dsl
from dsl import ast

from .strategies import policies

_settings = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_settings
@given(policies())
@example(dsl.parse("x p95 < 0.5ms daily"))
@example(dsl.parse("x p95 < 2w daily, 5% if > 1s0.5ms"))
@example(dsl.parse('policy "a \\"quoted\\" \\\\ name"'))
def test_canonical_form_parse_of_format_is_identity(policy: ast.Policy) -> None:
    text = dsl.format_policy(policy)
    assert dsl.parse(text) == policy, text


@_settings
@given(policies())
def test_canonical_form_format_is_idempotent(policy: ast.Policy) -> None:
    once = dsl.format_policy(policy)
    assert dsl.format_policy(dsl.parse(once)) == once
