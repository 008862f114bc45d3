"""Hygiene checks: credential files, .gitignore coverage and file modes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from credsweep.config import Config
from credsweep.models import Finding


def check_worktree(root: Path, repo: Any, paths: list[str], secrets: list[Finding], config: Config) -> list[Finding]:
    """Hygiene findings for a working-tree scan (filled in by the Hygiene issue)."""
    return []
