"""``credsweep install-hooks``: plain git hooks for repositories without the pre-commit framework."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from credsweep.baseline.format import DEFAULT_FILE, as_typed, locate
from credsweep.errors import ExitCode, InputError


def run_install_hooks(path: Path, with_pre_push: bool, force: bool, baseline_file: Path | None,
                      config_file: Path | None) -> int:
    """Write the hooks and say which baseline they will use and whether they can find credsweep."""
    from credsweep.git.repo import discover
    from credsweep.scans.common import config_for
    from credsweep.scans.hooks import install

    if not path.is_dir():
        raise InputError(f"{path}: not a directory")
    repo = discover(path)
    if repo is None:
        raise InputError(f"{path}: not a git repository")
    config = config_for(path, config_file)
    for written in install(repo, with_pre_push, force, None if baseline_file is None else str(baseline_file)):
        click.echo(f"installed {written}")
    location = locate(path, baseline_file, config.baseline, creating=True)
    assert location is not None
    shown = as_typed(location)
    if location.origin == "option":
        click.echo(f"The hooks pass --baseline {baseline_file} ({shown}).")
    elif location.origin == "config":
        click.echo(f"The hooks use the baseline named in the configuration ({shown}).")
    else:
        click.echo(f"The hooks use {DEFAULT_FILE} at the repository root when it exists.")
    if location.origin != "default" and not location.exists:
        click.echo(f"note: {shown} does not exist yet, and the hooks fail until it does: "
                   f"credsweep baseline create" + (f" --baseline {baseline_file}" if baseline_file else ""))
    if shutil.which("credsweep") is None:
        click.echo("note: 'credsweep' is not on PATH here; the hooks run the credsweep found on PATH and block "
                   "until there is one (pipx install credsweep, or put its virtualenv's bin folder on PATH).")
    return ExitCode.CLEAN
