"""Hygiene checks: credential files, .gitignore coverage and file modes.

Kept import-light: the pre-commit path imports only the catalogue.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from credsweep.git.repo import RepoInfo
    from credsweep.hygiene.checks import HygieneResult
    from credsweep.models import Finding


KEY_PROVIDERS = frozenset({"private-key", "putty"})
"""Providers of private-key rules: a file whose first line starts such a key may be a key file by content."""


def run_checks(root: Path, repo: RepoInfo | None, paths: list[str], secrets: list[Finding]) -> HygieneResult:
    """Findings and fix actions for the working tree at ``root``."""
    from credsweep.hygiene.checks import HygieneChecker

    secret_paths = [f.path for f in secrets if f.kind == "secret"]
    key_paths = [f.path for f in secrets if f.kind == "secret" and f.provider in KEY_PROVIDERS]
    return HygieneChecker(root, repo).run(paths, secret_paths, key_paths)


def check_worktree(root: Path, repo: RepoInfo | None, paths: list[str], secrets: list[Finding],
                   hides: Callable[[str], bool]) -> list[Finding]:
    """Hygiene findings for a working-tree scan, without those at paths ``hides`` (the pipeline's path
    allowlist, which counts what it hides: ``Judge.hides_file``)."""
    return [f for f in run_checks(root, repo, paths, secrets).findings if not hides(f.path)]
