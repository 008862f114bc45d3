"""``credsweep baseline create|update|audit|import`` (the hooks' baseline step is ``commands.hook``).

The click wiring is in ``cli.py``; these functions return an exit code and print with ``click.echo``.
Every baseline path goes through ``baseline.locate``: relative to the repository root, from
``--baseline``, else the config key ``baseline``, else ``.credsweep-baseline.json``.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from credsweep.baseline.format import (
    STATUSES,
    Baseline,
    Location,
    as_typed,
    create,
    locate,
    prefix_table,
    repository_root,
)
from credsweep.config import Config
from credsweep.errors import ExitCode, InputError
from credsweep.models import Finding
from credsweep.scans.common import config_for
from credsweep.util.pathnames import display
from credsweep.util.sanitize import line


def baseline_prefixes(config: Config) -> dict[str, tuple[str, ...]]:
    from credsweep.rules.loader import load_rulesets

    return prefix_table(load_rulesets(config.rulesets))


def _findings(path: Path, config: Config, include_history: bool) -> list[Finding]:
    """Everything a baseline should cover: the whole repository holding ``path`` (run from a sub-folder,
    an update must not drop the rest as stale), its working tree, and its history when asked."""
    from credsweep.scans.worktree import scan_worktree

    path = repository_root(path)
    findings = list(scan_worktree(path, config).findings)
    if include_history:
        from credsweep.scans.history import scan_history

        findings.extend(scan_history(path, config).findings)
    return findings


def _require_folder(path: Path) -> None:
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    if not path.is_dir():
        raise InputError(f"{path}: not a directory")


def _existing(path: Path, baseline_file: Path | None, config: Config) -> Location:
    location = locate(path, baseline_file, config.baseline)
    if location is None:
        raise InputError("no baseline: .credsweep-baseline.json does not exist at the repository root "
                         "(create it with `credsweep baseline create`)")
    return location


def _statuses(entries: list[str], baseline: Baseline) -> str:
    counts = Counter(baseline.entries[e].status for e in entries)
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "none"


def run_create(path: Path, baseline_file: Path | None, config_file: Path | None, include_history: bool,
               force: bool) -> int:
    """``baseline create``: record every current finding (unaudited) in a new baseline."""
    _require_folder(path)
    config = config_for(path, config_file)
    location = locate(path, baseline_file, config.baseline, creating=True)
    assert location is not None  # creating: always a place
    if location.exists and not force:
        raise InputError(f"{location.path}: already exists; use `credsweep baseline update` or --force")
    created = create(location.path, _findings(path, config, include_history), baseline_prefixes(config))
    created.save()
    click.echo(f"Wrote {as_typed(location)} with {len(created.entries)} entries, all unaudited: hooks (staged, "
               f"pre-push) no longer block on them; scan and history report them until you audit them "
               f"(credsweep baseline audit).")
    return ExitCode.CLEAN


def run_update(path: Path, baseline_file: Path | None, config_file: Path | None, include_history: bool) -> int:
    """``baseline update``: add new findings (unaudited), drop stale entries, keep statuses and reasons."""
    _require_folder(path)
    config = config_for(path, config_file)
    location = _existing(path, baseline_file, config)
    current = location.load()
    current.prefixes = baseline_prefixes(config)
    added, removed = current.update(_findings(path, config, include_history))
    current.save()
    click.echo(f"{as_typed(location)}: {added} added, {removed} stale removed, {len(current.entries)} entries.")
    return ExitCode.CLEAN


def _show(entry_id: str, current: Baseline) -> str:
    """One entry on one line. Every field comes from a file anyone with push access may have written:
    each is shown escaped (``sanitize.line``), so none can drive the terminal or forge a line."""
    e = current.entries[entry_id]
    prefix = f"{line(e.prefix)}…" if e.prefix else "-"
    paths = ", ".join(display(p) for p in e.paths[:3]) + (f" (+{len(e.paths) - 3})" if len(e.paths) > 3 else "")
    return (f"{line(e.id[:12])}  {e.status:14} {line(e.rule):32} {prefix:12} {paths}"
            + (f"  # {line(e.reason)}" if e.reason else ""))


def run_audit(path: Path, baseline_file: Path | None, config_file: Path | None, entry_id: str | None,
              status: str | None, reason: str, rotated_on: str | None, list_only: bool, every: bool) -> int:
    """``baseline audit``: list, mark one entry, mark every unaudited entry, or ask about each on a terminal."""
    config = config_for(path, config_file)
    location = _existing(path, baseline_file, config)
    current = location.load()
    if list_only or (entry_id is None and not every and not sys.stdin.isatty()):
        for entry_key in current.entries:
            click.echo(_show(entry_key, current))
        click.echo(f"{len(current.entries)} entries ({_statuses(list(current.entries), current)})")
        if current.migrated:
            click.echo(f"note: {as_typed(location)} uses an older format that kept parts of secrets; "
                       f"rewrite it with `credsweep baseline update`")
        return ExitCode.CLEAN
    if entry_id is not None or every:
        if status is None:
            raise InputError("--entry and --all need --status")
        if entry_id is not None and every:
            raise InputError("use either --entry or --all")
        targets = [current.select(entry_id).id] if entry_id is not None else \
            [e.id for e in current.entries.values() if e.status == "unaudited"]
        for target in targets:
            current.set_status(target, status, reason, rotated_on)
        current.save()
        click.echo(f"{len(targets)} entr{'y' if len(targets) == 1 else 'ies'} marked {status}")
        return ExitCode.CLEAN
    return _interactive(current, location)


def _interactive(current: Baseline, location: Location) -> int:
    """Ask about each unaudited entry; the file is saved after every answer, so ^C or end of input loses nothing."""
    pending = [e.id for e in current.entries.values() if e.status == "unaudited"]
    click.echo(f"{len(pending)} unaudited entries in {as_typed(location)}; every answer is saved at once.")
    changed = 0
    for number, entry_id in enumerate(pending, 1):
        click.echo(f"\n[{number}/{len(pending)}] {_show(entry_id, current)}")
        choice = click.prompt("status", type=click.Choice((*STATUSES, "skip", "quit")), default="skip")
        if choice == "quit":
            break
        if choice == "skip":
            continue
        current.set_status(entry_id, choice)
        current.save()
        changed += 1
        why = click.prompt("reason (kept in the baseline)", default="", show_default=False)
        if why:
            current.set_status(entry_id, choice, why, current.entries[entry_id].rotated_on)
            current.save()
    click.echo(f"{changed} entries updated")
    return ExitCode.CLEAN


def run_import(source: Path, path: Path, baseline_file: Path | None, config_file: Path | None) -> int:
    """``baseline import``: a detect-secrets baseline or a .gitleaksignore, audit state kept."""
    from credsweep.baseline.importers import import_file

    _require_folder(path)
    if not source.is_file():
        raise InputError(f"{source}: file not found")
    config = config_for(path, config_file)
    location = locate(path, baseline_file, config.baseline, creating=True)
    assert location is not None
    target = location.load() if location.exists else Baseline(path=location.path)
    target.prefixes = baseline_prefixes(config)
    before = set(target.entries)
    result = import_file(source, _findings(path, config, include_history=False), target)
    target.save()
    fresh = [e for e in target.entries if e not in before]
    click.echo(f"Imported {result.mapped} entries from {display(str(source))} into {display(as_typed(location))}: "
               f"{result.entries_added} new credsweep entries ({_statuses(fresh, target)}).")
    for item in result.unmapped:
        click.echo(f"  not mapped: {line(item)}")
    return ExitCode.CLEAN


