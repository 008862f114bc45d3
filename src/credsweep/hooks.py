"""Plain git hooks for users without the pre-commit framework (``credsweep install-hooks``)."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from credsweep.errors import InputError
from credsweep.git import RepoInfo, config_value, run_git

MARKER = "# installed by credsweep"


def hooks_dir(repo: RepoInfo) -> Path:
    """Where git looks for hooks: core.hooksPath if set (read, never executed), else the common .git/hooks."""
    cwd = repo.top or repo.git_dir
    configured = config_value(cwd, "core.hooksPath", path=True)
    if configured:
        path = Path(os.path.expanduser(configured))
        return path if path.is_absolute() else (repo.top or repo.git_dir) / path
    common = run_git(cwd, "rev-parse", "--git-common-dir").decode().strip()
    base = Path(common)
    return (base if base.is_absolute() else cwd / base) / "hooks"


def hook_script(command: str) -> str:
    python = shlex.quote(sys.executable)
    return (
        "#!/bin/sh\n"
        f"{MARKER}: blocks commits/pushes that add credentials. Bypass once with --no-verify.\n"
        f"exec {python} -m credsweep {command} \"$@\"\n"
    )


def install(repo: RepoInfo, pre_push: bool, force: bool) -> list[Path]:
    """Write the hooks; refuses to replace a hook credsweep did not write unless ``force``."""
    target = hooks_dir(repo)
    target.mkdir(parents=True, exist_ok=True)
    wanted = {"pre-commit": "staged"}
    if pre_push:
        wanted["pre-push"] = "pre-push"
    written = []
    for name, command in wanted.items():
        path = target / name
        if path.is_symlink():
            raise InputError(f"{path}: is a symlink; refusing to write through it")
        if path.exists() and not force and MARKER not in path.read_text(errors="replace"):
            raise InputError(f"{path} already exists; use --force to replace it (or call credsweep from it)")
        path.write_text(hook_script(command))
        path.chmod(0o755)
        written.append(path)
    return written
