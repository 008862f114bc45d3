"""``credsweep fleet``: scan many repositories into a store, report, mark secrets, run workers.

Each function returns an exit code; click wiring is in ``cli.py``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from credsweep.errors import ExitCode, InputError
from credsweep.fleet.specs import hook_delay
from credsweep.util.pathnames import display
from credsweep.util.sanitize import line
from credsweep.util.sanitize import report as report_text

if TYPE_CHECKING:
    from credsweep.fleet.run import FleetOptions, RepoOutcome, RunResult
    from credsweep.fleet.views import NewFinding

REPORT_FORMATS = ("text", "json", "markdown", "html")
SCAN_FORMATS = ("text", "json")
SKIPPED_SHOWN = 20
"""Blobs not scanned (too large) named per repository on stderr; JSON names every one."""
FEATURE = "`credsweep fleet`"


def require_fleet(*more: str) -> None:
    """The fleet's optional dependencies (the ``fleet`` extra), or one line naming the install command
    (exit 2): never an internal error, and checked before anything is read or written."""
    from credsweep.errors import require

    require(FEATURE, "sqlalchemy", "alembic", *more)


@contextmanager
def store_errors(url: str) -> Iterator[None]:
    """A database failure (server gone, disk full, permissions) as one line naming the store."""
    from sqlalchemy.exc import SQLAlchemyError

    from credsweep.store.db import display_url

    try:
        yield
    except SQLAlchemyError as exc:
        first = str(getattr(exc, "orig", None) or type(exc).__name__).strip().splitlines()
        raise InputError(f"store {display_url(url)}: {first[0] if first else type(exc).__name__}") from None


def _progress(outcome: RepoOutcome) -> None:
    name = line(outcome.name)  # a repository path or URL may hold any character
    if outcome.status == "failed":
        click.echo(f"credsweep: {name}: FAILED: {line(outcome.reason or '')}", err=True)
    elif outcome.status == "unchanged":
        click.echo(f"credsweep: {name}: unchanged", err=True)
    else:
        click.echo(f"credsweep: {name}: scanned ({outcome.blobs_read} blobs read, "
                   f"{outcome.new_findings} new)", err=True)
    for path, size in outcome.too_large[:SKIPPED_SHOWN]:
        click.echo(f"credsweep: {name}: not scanned (too large, {size:,} bytes): {display(path)}", err=True)
    if len(outcome.too_large) > SKIPPED_SHOWN:
        click.echo(f"credsweep: {name}: ... and {len(outcome.too_large) - SKIPPED_SHOWN} more blobs not scanned "
                   "(too large; every one is in --format json)", err=True)


def scan(specs: Sequence[str], options: FleetOptions, *, workers: int, fmt: str, output: Path | None,
         executor: str = "local", broker: str | None = None, notify_url: str | None = None,
         wait_timeout: float = 86400.0, fail_on: str | None = None) -> int:
    """Run a fleet scan; prints the findings new in this run; exit code per README (1: a new finding, at
    least as urgent as ``fail_on`` when given)."""
    require_fleet(*(("celery",) if executor == "celery" else ()))
    from credsweep.fleet.run import run_local
    from credsweep.fleet.views import new_in_run
    from credsweep.store.db import open_store

    if notify_url:
        from credsweep.fleet.notify import check_url

        check_url(notify_url)  # a webhook that can never work fails now, not after the whole run
    with store_errors(options.store_url):
        if executor == "celery":
            from credsweep.fleet.celery_app import run_celery

            if not broker:
                raise InputError("--executor celery needs --broker URL (e.g. redis://host:6379/0)")
            result = run_celery(specs, options, broker, progress=_progress, wait_timeout=wait_timeout)
        else:
            result = run_local(specs, options, workers=workers, progress=_progress, delay=hook_delay())
        new = new_in_run(open_store(options.store_url), result.run_id)
    text = render_scan_json(result, new) if fmt == "json" else render_scan_text(result, new)
    _write(text, output)
    if notify_url:
        from credsweep.fleet.notify import NotifyError, notify

        try:
            notify(notify_url, result, new)
        except NotifyError as exc:
            click.echo(f"credsweep: warning: {exc} (the run is stored; exit code unchanged)", err=True)
    if result.failed:
        return ExitCode.REPOSITORY_FAILED
    from credsweep.enrich.advice import reaches

    if reaches((n.finding for n in new), fail_on):
        return ExitCode.FINDINGS
    if new:
        click.echo(f"credsweep: {len(new)} new finding location(s), none of {fail_on} urgency or above "
                   f"(--fail-on {fail_on}): exit 0", err=True)
    return ExitCode.CLEAN


FORGE_RATE_WAIT = 60.0
"""Seconds a forge listing may wait on rate limits before it fails with its reason."""


def forge_queries(github_orgs: Sequence[str] = (), github_users: Sequence[str] = (),
                  gitlab_groups: Sequence[str] = (), bitbucket_workspaces: Sequence[str] = (),
                  gitea_orgs: Sequence[str] = (), forge_url: str | None = None, include_archived: bool = False,
                  include_forks: bool = False) -> list[Any]:
    """The forge listings the command line asks for (``--github-org`` and the like)."""
    from credsweep.net.forges import ForgeQuery

    wanted = [("github", "org", github_orgs), ("github", "user", github_users), ("gitlab", "group", gitlab_groups),
              ("bitbucket", "workspace", bitbucket_workspaces), ("gitea", "org", gitea_orgs)]
    forges = {forge for forge, _, names in wanted if names}
    if forge_url and len(forges) > 1:
        raise InputError("--forge-url names one self-hosted forge: list one forge's repositories per command")
    if forge_url and forges == {"bitbucket"}:
        raise InputError("--forge-url: Bitbucket Cloud only (api.bitbucket.org)")
    return [ForgeQuery(forge, name, kind, forge_url, include_archived, include_forks)
            for forge, kind, names in wanted for name in names]


def discover_specs(queries: Sequence[Any], environ: Any = None, ssh: bool = False) -> tuple[list[str], list[str]]:
    """Every repository the ``queries`` list (clone URLs, each listing's count said on stderr; ``ssh``:
    their ssh URLs where the forge gives one), and the listings that failed (one line each: not found,
    token rejected, rate limited too long...)."""
    from credsweep.net.client import NetClient
    from credsweep.net.config import NetConfig
    from credsweep.net.forges import ForgeError, discover

    env = os.environ if environ is None else environ
    urls: list[str] = []
    failures: list[str] = []
    with NetClient(NetConfig.from_env(env, rate_wait_budget=FORGE_RATE_WAIT)) as client:
        for query in queries:
            try:
                found = discover(query, client, env)
            except ForgeError as exc:
                click.echo(f"credsweep: {exc}", err=True)
                failures.append(str(exc))
                continue
            click.echo(f"credsweep: {query.describe()}: {len(found)} repositories", err=True)
            urls.extend((repo.ssh_url if ssh and repo.ssh_url else repo.clone_url) for repo in found)
    return list(dict.fromkeys(urls)), failures


def _write(text: str, output: Path | None) -> None:
    """The one output writer of every command (``commands.output.write_output``): ``-o`` follows a
    symlink, writes a FIFO in place and creates a new report 0600, exactly as ``scan -o`` does."""
    from credsweep.commands.output import write_output

    write_output(text, output)


def _new_report(new: Sequence[NewFinding], run_id: int) -> Any:
    from credsweep import __version__
    from credsweep.models import Report, ScanStats

    return Report(command="fleet scan", root=f"run {run_id}", findings=tuple(n.finding for n in new),
                  stats=ScanStats(), tool_version=__version__)


def render_scan_json(result: RunResult, new: list[NewFinding]) -> str:
    """The new findings in ``history``'s JSON, each with its ``repository`` and task ``key``; one group
    per task (a file problem is one per repository); plus the run's outcomes."""
    from credsweep.enrich.advice import Group
    from credsweep.reporters.json import as_dict
    from credsweep.util.pathnames import dumps

    data = as_dict(_new_report(new, result.run_id))
    data["findings"] = [{**n.finding.to_dict(), "repository": n.repository, "key": n.key} for n in new]
    tasks: dict[str, list[NewFinding]] = {}
    for item in new:
        tasks.setdefault(item.key, []).append(item)
    data["groups"] = [{**Group(key, tuple(n.finding for n in items)).to_dict(),
                       "repositories": list(dict.fromkeys(n.repository for n in items))}
                      for key, items in tasks.items()]
    data["run"] = {"id": result.run_id, "interrupted": result.interrupted}
    data["repositories"] = [{"repository": o.repository, "name": o.name, "status": o.status, "reason": o.reason,
                             "new_findings": o.new_findings, "blobs_read": o.blobs_read,
                             "seconds": round(o.millis / 1000, 3),
                             "skipped_files": [{"path": path, "reason": "too large", "size": size}
                                               for path, size in o.too_large]} for o in result.outcomes]
    data["summary"]["repositories"] = len(result.outcomes)
    data["summary"]["failed"] = len(result.failed)
    return dumps(data, indent=2) + "\n"


def render_scan_text(result: RunResult, new: list[NewFinding]) -> str:
    """One line per new task (with every repository and path), then the failures."""
    from credsweep.models import LEVELS
    from credsweep.reporters.fleet import plural

    tasks: dict[str, list[NewFinding]] = {}
    for item in new:
        tasks.setdefault(item.key, []).append(item)
    scanned = sum(1 for o in result.outcomes if o.status == "scanned")
    unchanged = sum(1 for o in result.outcomes if o.status == "unchanged")
    secrets = sum(1 for items in tasks.values() if items[0].finding.kind == "secret")
    lines = [(f"credsweep fleet run {result.run_id}: {plural(len(result.outcomes), 'repository', 'repositories')} "
              f"({scanned} scanned, {unchanged} unchanged, {len(result.failed)} failed), "
              f"{plural(secrets, 'new secret')} and {plural(len(tasks) - secrets, 'new file problem')}")]
    ordered = sorted(tasks.items(), key=lambda kv: -max(LEVELS.index(n.finding.advice.urgency) for n in kv[1]))
    for key, items in ordered:
        first = items[0].finding
        urgency = max((n.finding.advice.urgency for n in items), key=LEVELS.index)
        ident = first.shown_identifier()
        checked = next((n.finding.validation for n in items if n.finding.validation is not None), None)
        lines.append(f"  {urgency.upper():8} {line(first.name)} ({line(first.rule)})"
                     + (f" {line(first.redacted)}" if first.redacted else "")
                     + (f" (id {line(ident)})" if ident else "") + f"  id {line(key)}"
                     + (f"  [{line(checked.label())}]" if checked else ""))
        lines.extend(f"      {place}" for place in dict.fromkeys(
            f"{line(n.repository)}: {display(n.finding.path)}" + (f":{n.finding.line}" if n.finding.line else "")
            + (f" @ {line(n.finding.commit[:7])}" if n.finding.commit else "") for n in items))
        lines.append(f"      -> {line(first.advice.summary)}")
    for outcome in result.failed:
        lines.append(f"  FAILED {line(outcome.repository)}: {line(outcome.reason or '')}")
    if result.failed:
        lines.append("  (retried on the next run; `credsweep fleet forget REPO` removes one that should not be there)")
    for outcome in result.outcomes:
        lines.extend(f"  not scanned (too large, {size:,} bytes): {line(outcome.repository)}: {display(path)}"
                     for path, size in outcome.too_large)
    return report_text("\n".join(lines) + "\n")


def report(store_url: str, since: str | None, fmt: str, output: Path | None) -> int:
    """Render the fleet report from the store (which must exist: a typo is an error, not "0 secrets")."""
    require_fleet()
    from credsweep.fleet import views as fleet_report
    from credsweep.store.db import open_store

    with store_errors(store_url):
        built = fleet_report.build_report(open_store(store_url, create=False), since)
    if fmt == "json":
        text = fleet_report.render_json(built)
    elif fmt == "markdown":
        text = fleet_report.render_markdown(built)
    elif fmt == "html":
        from credsweep.reporters.html import render_fleet

        text = render_fleet(built)
    else:
        text = fleet_report.render_text(built)
    _write(text, output)
    return ExitCode.CLEAN


def mark(store_url: str, secret: str, status: str, reason: str | None) -> int:
    """Mark a task rotated or accepted (a secret: resolved in every repository; a file problem: in its
    own), or clear the mark (``open``)."""
    require_fleet()
    from credsweep.store.db import open_store

    with store_errors(store_url):
        key = open_store(store_url, create=False).mark_secret(secret, None if status == "open" else status, reason)
    click.echo(f"{line(key)}: {'mark cleared' if status == 'open' else 'marked ' + status}")
    return ExitCode.CLEAN


def repos(store_url: str, fmt: str) -> int:
    """List the store's repositories with the outcome of their last attempt (failed ones first)."""
    require_fleet()
    from credsweep.fleet.views import build_report
    from credsweep.reporters.fleet import plural
    from credsweep.store.db import open_store
    from credsweep.util.pathnames import dumps

    with store_errors(store_url):
        listed = build_report(open_store(store_url, create=False)).repositories
    order = {"failed": 0, "pending": 1}
    listed = tuple(sorted(listed, key=lambda r: (order.get(r.status, 2), r.repository)))
    if fmt == "json":
        click.echo(dumps([r.to_dict() for r in listed], indent=2))
        return ExitCode.CLEAN
    for repo in listed:
        open_count = sum(1 for f in repo.findings if f[1] != "resolved")
        when = (repo.scanned_at or "never scanned").replace("T", " ")[:16]
        # names and failure reasons come from repositories and their servers: one escaped line each
        state = (f"FAILED  {line(repo.reason or '')} ({plural(repo.failures, 'failed attempt')})"
                 if repo.status == "failed" else f"{repo.status:9} {plural(open_count, 'open finding')}")
        click.echo(f"{line(repo.repository)}\n    {state}; last scan {line(when)}")
    failed = sum(1 for r in listed if r.status == "failed")
    click.echo(f"{plural(len(listed), 'repository', 'repositories')}, {failed} failed"
               + ("; `credsweep fleet forget REPO` removes one" if listed else ""))
    return ExitCode.CLEAN


def forget(store_url: str, spec: str) -> int:
    """Remove a repository and everything found in it from the store (a mistyped path, a retired repository)."""
    require_fleet()
    from credsweep.store.db import open_store

    with store_errors(store_url):
        store = open_store(store_url, create=False)
        repository_id, url = store.find_repository(spec)
        findings, tasks = store.forget(repository_id)
    click.echo(f"Forgot {line(url)}: {findings} finding(s) and {tasks} task(s) only it held removed from the store "
               f"(a later `fleet scan` of it starts afresh).")
    return ExitCode.CLEAN


def worker(broker: str, concurrency: int, queue: str, loglevel: str, *, every: float | None = None,
           cron: str | None = None, repos_file: Path | None = None, options: FleetOptions | None = None,
           notify_url: str | None = None, pool_check_every: float = 5.0) -> int:
    """Start a Celery worker for fleet tasks (blocks until stopped); with ``every``/``cron``, it also
    runs Celery beat and sweeps ``repos_file`` on that schedule. Its pool checks its processes every
    ``pool_check_every`` seconds."""
    require_fleet("celery")
    from credsweep.fleet.celery_app import beat_schedule, start_worker

    schedule = None
    schedule_file = None
    if notify_url:
        from credsweep.fleet.notify import check_url

        check_url(notify_url)
    if every or cron:
        if repos_file is None or options is None:
            raise InputError("--beat-every/--beat-cron need --repos-file and --store")
        if not repos_file.is_file():
            raise InputError(f"{repos_file}: repos file not found")
        schedule = beat_schedule(every, cron, str(repos_file.resolve()), options, broker, notify_url)
        state = Path(options.cache).parent / "celerybeat-schedule"
        state.parent.mkdir(parents=True, exist_ok=True)
        schedule_file = str(state)
    start_worker(broker, concurrency=concurrency, queue=queue, loglevel=loglevel, schedule=schedule,
                 schedule_file=schedule_file, pool_check_every=pool_check_every)
    return ExitCode.CLEAN


def options_from(store: str | None, cache: Path | None, config_file: Path | None, engine: str, timeout: float,
                 no_hygiene: bool, max_file_size: str | None, min_confidence: str | None,
                 repo_timeout: float | None = None) -> FleetOptions:
    """FleetOptions from the command line."""
    from credsweep.config import parse_size
    from credsweep.fleet.run import FleetOptions
    from credsweep.git.mirror import default_cache
    from credsweep.store.db import default_url, engine_url

    url = store or os.environ.get("CREDSWEEP_STORE") or default_url()
    engine_url(url)  # refuses unknown schemes now, before any repository is touched
    if config_file is not None and not config_file.is_file():
        raise InputError(f"{config_file}: config file not found")
    return FleetOptions(store_url=url, cache=str((cache or default_cache()).resolve()),
                        config_file=str(config_file.resolve()) if config_file else None, engine=engine,
                        timeout=timeout, hygiene=not no_hygiene,
                        max_file_size=parse_size(max_file_size, "--max-file-size") if max_file_size else None,
                        min_confidence=min_confidence, repo_timeout=repo_timeout)
