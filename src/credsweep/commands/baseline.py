"""``credsweep baseline create|update|audit|import`` (the hooks' baseline step is ``commands.hook``).

The click wiring is in ``cli.py``; these functions return an exit code and print with ``click.echo``.
Every baseline path goes through ``baseline.locate``: relative to the repository root, from
``--baseline``, else the config key ``baseline``, else ``.credsweep-baseline.json``.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
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


ANSWERS = {"a": "accepted", "accepted": "accepted", "f": "false-positive", "fp": "false-positive",
           "false-positive": "false-positive", "r": "rotated", "rotated": "rotated", "u": "unaudited",
           "unaudited": "unaudited", "s": "skip", "skip": "skip", "q": "quit", "quit": "quit"}
"""What a person may type at the audit prompt: a letter, ``fp``, or the status in full."""
ANSWER_PROMPT = "[a]ccepted, [f]alse-positive, [r]otated, [s]kip, [q]uit"


@dataclass(frozen=True)
class Place:
    """Where a baseline entry's finding is now, as a person auditing it sees it."""

    where: str
    """``path:line`` (``path`` for a file-level finding), printable; "" when the scan found it nowhere."""
    context: str
    """The line with every secret on it masked (``Finding.context``), printable; "" for file findings."""
    name: str
    """What the rule found ("GitHub personal access token"), printable."""
    more: int = 0
    """Other places holding the same finding."""


def _places(path: Path, config: Config, current: Baseline) -> dict[str, Place]:
    """Entry id → where its finding is now: the working tree first, then (for entries recorded with
    ``--history`` and not found there) history."""
    from credsweep.scans.worktree import scan_worktree

    root = repository_root(path)
    found: dict[str, list[Finding]] = {}

    def match(findings: Iterable[Finding], settled: frozenset[str] = frozenset()) -> None:
        for finding in findings:
            entry = current.find(finding)
            if entry is not None and entry.id not in settled:
                found.setdefault(entry.id, []).append(finding)

    match(scan_worktree(root, config).findings)
    if any(e not in found for e in current.entries) and _has_commits(root):
        from credsweep.scans.history import scan_history

        match(scan_history(root, config).findings, frozenset(found))  # what only history holds
    places: dict[str, Place] = {}
    for entry_id, findings in found.items():
        first = findings[0]
        where = display(first.path) + (f":{first.line}" if first.line else "")
        # the content stage's context line: every secret on the line masked, no more of any shown than
        # its redacted preview; escaped again, as the line is the scanned party's
        context = line(first.context.strip()) if first.kind == "secret" else ""
        spots = {(f.path, f.line) for f in findings}
        places[entry_id] = Place(where, context, line(first.name), len(spots) - 1)
    return places


def _has_commits(root: Path) -> bool:
    """``root`` is a repository with a commit (its history has something to scan)."""
    from credsweep.git.repo import discover, run_git

    return discover(root) is not None and bool(run_git(root, "rev-parse", "--verify", "-q", "HEAD",
                                                       check=False).strip())


def _show(entry_id: str, current: Baseline, place: Place | None) -> list[str]:
    """An entry as a person audits it: id, status, rule and where it is; then the masked line. Every
    field comes from a file anyone with push access may have written: each is shown escaped
    (``sanitize.line``, ``pathnames.display``), so none can drive the terminal or forge a line."""
    e = current.entries[entry_id]
    if place is None:
        paths = ", ".join(display(p) for p in e.paths[:3]) + (f" (+{len(e.paths) - 3})" if len(e.paths) > 3 else "")
        where = f"{paths}  (not found now: `credsweep baseline update` removes stale entries)"
    else:
        where = place.where + (f" (+{place.more} more)" if place.more else "")
    rule = f"{place.name} ({line(e.rule)})" if place else line(e.rule)
    out = [f"{line(e.id[:12])}  {e.status:14} {rule}  {where}" + (f"  # {line(e.reason)}" if e.reason else "")]
    if place and place.context:
        out.append(f"{'':14}{place.context}")
    return out


def run_audit(path: Path, baseline_file: Path | None, config_file: Path | None, entry_id: str | None,
              status: str | None, reason: str, rotated_on: str | None, list_only: bool, every: bool) -> int:
    """``baseline audit``: list, mark one entry, mark every unaudited entry, or ask about each on a terminal."""
    config = config_for(path, config_file)
    location = _existing(path, baseline_file, config)
    current = location.load()
    if list_only or (entry_id is None and not every and not sys.stdin.isatty()):
        places = _places(path, config, current)
        for entry_key in current.entries:
            for shown in _show(entry_key, current, places.get(entry_key)):
                click.echo(shown)
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
    return _interactive(current, location, _places(path, config, current))


def _answer(text: str) -> str:
    """A typed answer as a status (or skip/quit); anything else asks again."""
    answer = ANSWERS.get(text.strip().lower())
    if answer is None:
        raise click.BadParameter(f"type one of a, f (or fp), r, s, q; or a status in full ({', '.join(STATUSES)})")
    return answer


def _interactive(current: Baseline, location: Location, places: dict[str, Place]) -> int:
    """Ask about each unaudited entry; the file is saved after every answer, so ^C or end of input loses nothing."""
    pending = [e.id for e in current.entries.values() if e.status == "unaudited"]
    click.echo(f"{len(pending)} unaudited entries in {as_typed(location)}; every answer is saved at once.")
    changed = 0
    for number, entry_id in enumerate(pending, 1):
        shown = _show(entry_id, current, places.get(entry_id))
        click.echo(f"\n[{number}/{len(pending)}] {shown[0]}")
        for more in shown[1:]:
            click.echo(more)
        choice = click.prompt(ANSWER_PROMPT, default="s", value_proc=_answer)
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


