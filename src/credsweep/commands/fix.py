"""``credsweep fix``: plan (or apply) .gitignore lines, ``git rm --cached`` and chmod 600."""

from __future__ import annotations

from pathlib import Path

import click

from credsweep.config import Config
from credsweep.errors import ExitCode
from credsweep.scans.common import resolve_root
from credsweep.scans.worktree import scan_worktree
from credsweep.util.sanitize import terminal


def run_fix(path: Path, config: Config, apply: bool, include_fixtures: bool = False) -> int:
    """Print the plan, or carry it out with ``apply``; never deletes files or rewrites history, and
    leaves test fixtures tracked unless ``include_fixtures``."""
    from credsweep.hygiene import fix as fixer
    from credsweep.hygiene import run_checks
    from credsweep.sources.worktree import list_paths

    root, _, repo = resolve_root(path)
    secrets = list(scan_worktree(path, config).findings)
    result = run_checks(root, repo, list_paths(root, repo, False), secrets)
    plan = fixer.plan(result.actions, include_fixtures)
    notes = fixer.notes(plan, result.refused)
    if not plan.actions:
        click.echo("Nothing to fix.")
    elif not apply:
        click.echo("Plan (run with --apply to make these changes):")
        for action in plan.actions:
            click.echo(f"  {terminal(action.describe())}")
    else:
        done = fixer.apply(root, plan.actions)
        changed = any(not fixer.skipped(said) for _, said in done)
        click.echo("Changed:" if changed else "Nothing changed:" if done
                   else "Nothing changed: the plan was already carried out.")
        for _, change in done:
            click.echo(f"  {terminal(change)}")
        for step in fixer.next_steps(done):
            click.echo(terminal(step))
    for note in notes:
        click.echo(terminal(note))
    if plan.actions and apply:
        click.echo("Done. Rotate every credential these files held: untracking does not remove them from history.")
    return ExitCode.FINDINGS if plan.actions and not apply else ExitCode.CLEAN
