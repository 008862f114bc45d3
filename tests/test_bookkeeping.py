"""Location predicates: scanner bookkeeping files are recognised by name, at any depth."""

from __future__ import annotations

import pytest

from credsweep.baseline.format import DEFAULT_FILE
from credsweep.judgement.location import is_scanner_bookkeeping


@pytest.mark.parametrize("path", [
    ".gitleaksignore", "services/api/.gitleaksignore", ".secrets.baseline", "ci/.secrets.baseline",
    ".credsweep-baseline.json", DEFAULT_FILE, ".betterleaksignore",
])
def test_bookkeeping_files(path: str) -> None:
    assert is_scanner_bookkeeping(path)


@pytest.mark.parametrize("path", [
    ".gitignore", "secrets.baseline.py", "docs/.secrets.baseline.md", ".env", "baseline.json",
    "gitleaksignore", "config/.credsweep.toml", ".gitleaksignore/readme.txt",
])
def test_other_files(path: str) -> None:
    assert not is_scanner_bookkeeping(path)
