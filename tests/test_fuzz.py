"""Property-based fuzzing of every parser credsweep owns (small budget; see tests/fuzz_targets.py).

Property: a parser returns, or raises the documented error family with a one-line message; parsers
of scanned content never raise. ``benchmarks/fuzz_campaign.py`` runs the same targets at 100,000+
inputs each (results in docs/SECURITY-TESTING.md).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from fuzz_targets import TARGETS, Target, check

BUDGET = settings(max_examples=60, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
def test_parser_never_crashes(target: Target) -> None:
    @BUDGET
    @given(target.inputs)
    def run(value: Any) -> None:
        check(target, value)

    run()


def test_every_parser_has_a_target() -> None:
    names = {t.name for t in TARGETS}
    assert {"config", "credential-files", "encoded-runs", "scan-notebook-json", "baseline-load", "baseline-import",
            "prepush-input", "ruleset"} <= names
