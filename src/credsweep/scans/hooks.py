"""Plain git hooks for users without the pre-commit framework (``credsweep install-hooks``).

A hook runs the ``credsweep`` found on PATH, never a virtualenv's absolute path (deleting or
recreating that virtualenv would break every commit). When there is none it prints one line saying
how to fix it and exits 1: blocking is the safe choice for a check that could not run
(``--no-verify`` skips it once, knowingly).
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from credsweep.baseline.format import DEFAULT_FILE, Location, as_typed
from credsweep.errors import InputError
from credsweep.git.repo import RepoInfo, config_value, run_git
from credsweep.models import BlockContext, Report
from credsweep.util.invocation import credsweep_command

MARKER = "# installed by credsweep"
HOOKS = {"pre-commit": "staged", "pre-push": "pre-push"}
"""git hook name → credsweep command it runs."""


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


def missing_message(hook: str) -> str:
    """The one line a hook prints when credsweep is not on PATH."""
    action = "commit" if hook == "pre-commit" else "push"
    return (f"credsweep: this {action} is blocked because the 'credsweep' command is not on PATH; install it "
            f"(pipx install credsweep) or put the bin folder of the virtualenv that has it on PATH, then retry "
            f"(git {action} --no-verify skips the check once).")


def hook_script(hook: str, baseline: str | None = None) -> str:
    """The shell script of one hook: ``credsweep <command> [--baseline FILE]`` found on PATH."""
    args = [HOOKS[hook], *(["--baseline", baseline] if baseline else [])]
    what = "commits" if hook == "pre-commit" else "pushes"
    return (
        "#!/bin/sh\n"
        f"{MARKER}: blocks {what} that add credentials. Bypass once with --no-verify.\n"
        "# It runs the credsweep found on PATH (no virtualenv path is written here), and blocks when there is none.\n"
        "if ! command -v credsweep >/dev/null 2>&1; then\n"
        f"    echo {shlex.quote(missing_message(hook))} >&2\n"
        "    exit 1\n"
        "fi\n"
        f"exec credsweep {' '.join(shlex.quote(a) for a in args)} \"$@\"\n"
    )


def install(repo: RepoInfo, pre_push: bool, force: bool, baseline: str | None = None) -> list[Path]:
    """Write the hooks; refuses to replace a hook credsweep did not write unless ``force``."""
    target = hooks_dir(repo)
    target.mkdir(parents=True, exist_ok=True)
    wanted = ["pre-commit", *(["pre-push"] if pre_push else [])]
    written = []
    for name in wanted:
        path = target / name
        if path.is_symlink():
            raise InputError(f"{path}: is a symlink; refusing to write through it")
        if path.exists() and not force and MARKER not in path.read_text(errors="replace"):
            raise InputError(f"{path} already exists; use --force to replace it (or call credsweep from it)")
        path.write_text(hook_script(name, baseline))
        path.chmod(0o755)
        written.append(path)
    return written


def _root_commits(cwd: Path, commits: set[str]) -> frozenset[str]:
    if not commits:
        return frozenset()
    out = run_git(cwd, "rev-list", "--no-walk", "--max-parents=0", *sorted(commits), check=False)
    return frozenset(out.decode().split())


def block_context(report: Report, baseline_file: Path | None, location: Location | None) -> BlockContext:
    """What ``render_block`` needs to print commands that work: the baseline the hook uses (named on the
    printed commands only when the hook was given ``--baseline``), HEAD, and root commits."""
    from credsweep.git.repo import discover

    repo = discover(Path(report.root))
    cwd = (repo.top or repo.git_dir) if repo else Path(report.root)
    head_out = run_git(cwd, "rev-parse", "--verify", "-q", "HEAD", check=False).decode().strip() if repo else ""
    commits = {f.commit for f in report.findings if f.commit}
    args = f" --baseline {shlex.quote(str(baseline_file))}" if baseline_file is not None else ""
    return BlockContext(
        baseline_args=args,
        baseline_file=as_typed(location) if location else DEFAULT_FILE,
        baseline_exists=bool(location and location.exists),
        head=head_out or None,
        root_commits=_root_commits(cwd, commits) if repo and report.command != "staged" else frozenset(),
        credsweep=credsweep_command(),
    )
