"""Hygiene checks: credential files, .gitignore coverage and file modes."""

from __future__ import annotations

from pathlib import Path

from credsweep.config import Config
from credsweep.git import RepoInfo
from credsweep.hygiene.checks import Action, HygieneChecker, HygieneResult
from credsweep.models import Finding

__all__ = ["Action", "HygieneChecker", "HygieneResult", "check_worktree", "run_checks"]


def run_checks(root: Path, repo: RepoInfo | None, paths: list[str], secrets: list[Finding]) -> HygieneResult:
    """Findings and fix actions for the working tree at ``root``."""
    secret_paths = [f.path for f in secrets if f.kind == "secret"]
    return HygieneChecker(root, repo).run(paths, secret_paths)


def check_worktree(root: Path, repo: RepoInfo | None, paths: list[str], secrets: list[Finding],
                   config: Config) -> list[Finding]:
    """Hygiene findings for a working-tree scan (allowlisted paths excluded)."""
    import pathspec

    allow = pathspec.GitIgnoreSpec.from_lines(config.allowlist.paths)
    return [f for f in run_checks(root, repo, paths, secrets).findings
            if not (config.allowlist.paths and allow.match_file(f.path))]
