"""Property-based fuzzing of every parser credsweep owns (small budget; see tests/fuzz_targets.py).

Property: a parser returns, or raises the documented error family with a one-line message; parsers
of scanned content never raise. ``benchmarks/fuzz_campaign.py`` runs the same targets at 100,000+
inputs each (results in docs/SECURITY-TESTING.md).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from fuzz_targets import TARGETS, Target, _mutated, check

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
            "prepush-input", "ruleset", "zip-archive"} <= names


LAUGHS = "a: &a [x, y]\n" + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
                                    for i in range(24)) + "password: x9Kq2LmZ7pVr\n"

# every crash the campaign found, kept as a regression case (docs/SECURITY-TESTING.md)
FOUND = [
    ("config", ("pyproject.toml", b'"tool" = [1.5]\n')),
    ("config", ("pyproject.toml", b'[tool.credsweep]\n"min_confidence" = {}\n')),
    ("config", ("pyproject.toml", b'[tool]\ncredsweep = 3\n')),
    ("config", (".credsweep.toml", b'"allowlist" = {"V\\na" = {}}\n')),
    ("config", (".credsweep.toml", b'max_file_size = "1\\n2"\n')),
    ("config", (".credsweep.toml", b"x = " + b"1" * 5000 + b"\n")),
    ("config", (".credsweep.toml", b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n")),
    ("config", (".credsweep.toml", b'[allowlist]\nvalues = ["a{99999999999}", "(\\n"]\n')),
    ("baseline-load", b'{"salt": "00", "entries": ' + b"[" * 5000 + b"]" * 5000 + b"}"),
    ("baseline-load", b'{"salt": "00", "entries": [], "version": ' + b"9" * 5000 + b"}"),
    ("baseline-load", b'{"":0,"salt":"","kdf":{"name":"\\n"},"entries":[]}'),  # a kdf name on two lines (issue 20's suite runs)
    ("baseline-import", (".secrets.baseline", b'{"results": ["x"]}')),
    ("baseline-import", (".secrets.baseline", b'{"results": {"x": 1.5}}')),
    ("baseline-import", (".secrets.baseline", b'{"results": {"x": ["y"]}}')),
    ("baseline-import", (".secrets.baseline", b'{"results": {"x": [{"line_number": [1]}]}}')),
    ("baseline-import", (".secrets.baseline", b'{"results": {"x": [{"line_number": "seven"}]}}')),
    ("ruleset", b"rules = 1\n"),
    ("ruleset", b'rules = ["id"]\n'),
    ("ruleset", b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n"),
    ("credential-files", ("secrets.yml", LAUGHS.encode())),
    ("credential-files", ("config.json", b'{"a":' * 990 + b'{"password": "x9Kq2LmZ7pVr"}' + b"}" * 990)),
    ("prepush-input", ["refs/heads/main -x refs/heads/main " + "0" * 40]),
    ("zip-archive", _mutated((3, [(98, 0)], 0))),  # an LZMA member's damaged header: LZMAError, not an OSError
]


@pytest.mark.parametrize(("name", "value"), FOUND, ids=[f"{n}-{i}" for i, (n, _) in enumerate(FOUND)])
def test_crashes_found_by_fuzzing_stay_fixed(name: str, value: Any) -> None:
    check(next(t for t in TARGETS if t.name == name), value)
