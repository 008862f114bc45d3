"""The Celery executor: one task per repository, any number of workers, one shared store.

``fleet scan --executor celery --broker URL`` opens a run in the store, enqueues one
``credsweep.fleet.scan_repository`` task per repository and waits for every repository's outcome
to appear in the store (no result backend: the store is the result). ``fleet worker`` runs a
Celery worker that executes those tasks.

Delivery guarantees: tasks are acknowledged late (after the repository's transaction committed) and
rejected back to the queue when their worker process dies (``task_reject_on_worker_lost``), so a
worker killed mid-scan loses nothing: another worker redoes that repository. Redoing is safe: a
repository's results are one transaction whose first write claims (run, repository), so a task
delivered twice writes once. Unexpected errors (a store connection dropped) are retried with backoff;
a repository's own problems (unreachable, refused transport) are outcomes, not errors.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import asdict, replace
from typing import TYPE_CHECKING, Any

from credsweep.errors import CredsweepError, InputError

if TYPE_CHECKING:
    from celery import Celery

    from credsweep.fleet.run import FleetOptions, Progress, RunResult

TASK = "credsweep.fleet.scan_repository"
SWEEP_TASK = "credsweep.fleet.sweep"
QUEUE = "credsweep"
SWEEP_QUEUE = "credsweep-sweeps"
MAX_RETRIES = 3
VISIBILITY_ENV = "CREDSWEEP_CELERY_VISIBILITY_TIMEOUT"
"""Seconds before Redis hands an unacknowledged task to another worker when its whole worker
vanished (a killed pool process is requeued at once); default 3600, longer than any one scan."""


def make_app(broker: str) -> Celery:
    """The Celery application for ``broker`` with the fleet task registered."""
    from celery import Celery

    app = Celery("credsweep", broker=broker, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,  # a worker holds only the repository it is scanning
        task_default_queue=QUEUE,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": int(os.environ.get(VISIBILITY_ENV, "3600"))},
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
    )
    app.task(name=TASK, bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES)(_scan_task)
    # a sweep only enqueues and waits: acknowledged early, so a lost sweep is not redone on top of the next
    app.task(name=SWEEP_TASK, acks_late=False)(_sweep_task)
    return app


def _scan_task(task: Any, spec: str, run_id: int, options: dict[str, Any]) -> dict[str, Any]:
    """Scan one repository into the store (see module docstring)."""
    import logging

    from credsweep.fleet.run import FleetOptions, scan_repository
    from credsweep.fleet.specs import hook_delay

    logging.getLogger("credsweep.fleet").warning("credsweep: scanning %s (run %s)", spec, run_id)
    try:
        outcome = scan_repository(spec, run_id, FleetOptions(**options), delay=hook_delay())
    except Exception as exc:  # anything unexpected is retried, then recorded as a failure
        if task.request.retries >= MAX_RETRIES:
            _record_internal_failure(spec, run_id, options, exc)
            return {"repository": spec, "status": "failed"}
        raise task.retry(exc=exc, countdown=2 ** task.request.retries) from None
    return {"repository": outcome.repository, "status": outcome.status}


def _sweep_task(repos_file: str, options: dict[str, Any], broker: str, notify_url: str | None) -> dict[str, Any]:
    """A scheduled run (Celery beat): the repos file as it is now, one task per repository, then notify."""
    from pathlib import Path

    from credsweep.fleet.run import FleetOptions
    from credsweep.fleet.specs import read_specs
    from credsweep.store.db import open_store

    # a sweep still running when the next one is due: the next one gives way (sweeps must never fill
    # every worker slot with waiting)
    with open_store(options["store_url"]).exclusive("credsweep-fleet-sweep") as mine:
        if not mine:
            return {"skipped": "a sweep is already running"}
        result = run_celery(read_specs((), Path(repos_file)), FleetOptions(**options), broker)
    if notify_url:
        from credsweep.fleet.notify import NotifyError, notify
        from credsweep.fleet.views import new_in_run

        try:
            notify(notify_url, result, new_in_run(open_store(options["store_url"]), result.run_id))
        except NotifyError as exc:
            import logging

            logging.getLogger("credsweep.fleet").warning("credsweep: %s", exc)
    return {"run": result.run_id, "failed": len(result.failed)}


def _record_internal_failure(spec: str, run_id: int, options: dict[str, Any], exc: Exception) -> None:
    """Give up on a repository after the retries: record it failed so the run can finish."""
    from credsweep.git.mirror import SourceRefused, _safe, parse_source
    from credsweep.store.db import open_store

    try:
        source = parse_source(spec)
        key, name = source.key, source.name
    except SourceRefused:
        key = name = _safe(spec.strip())
    store = open_store(options["store_url"])
    state = store.repository(key, name)
    store.write_failure(run_id, state.id, f"internal error after {MAX_RETRIES} retries ({type(exc).__name__})", 0)


def expected_keys(specs: Sequence[str]) -> dict[str, str]:
    """Store key → display name of every repository of the run, as ``scan_repository`` will record them."""
    from credsweep.git.mirror import SourceRefused, _safe, parse_source

    keys: dict[str, str] = {}
    for spec in specs:
        try:
            source = parse_source(spec)
            keys[source.key] = source.name
        except SourceRefused:
            keys[_safe(spec.strip())] = _safe(spec.strip())
    return keys


def run_celery(specs: Sequence[str], options: FleetOptions, broker: str, progress: Progress | None = None,
               wait_timeout: float = 86400.0, poll: float = 0.5) -> RunResult:
    """Enqueue one task per repository and wait until the store has every repository's outcome."""
    from credsweep.fleet.run import RepoOutcome, RunResult, repository_digest
    from credsweep.git.mirror import shareable
    from credsweep.store.db import open_store

    store = open_store(options.store_url)
    if store.dialect == "sqlite":
        raise InputError("--executor celery needs a store every worker can reach: --store postgresql://...")
    keys = expected_keys(specs)
    # a worker's concurrency is its parallelism: one process per repository scan
    options = replace(options, history_workers=options.history_workers or 1)
    run_id = store.begin_run(repository_digest(options), len(keys), "celery")
    app = make_app(broker)
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=3)
            for spec in specs:
                # a refused URL's credential never reaches the broker (the worker records the refusal)
                app.send_task(TASK, args=[shareable(spec), run_id, asdict(options)], queue=QUEUE, connection=conn)
    except Exception as exc:  # kombu raises its own and the transports' errors
        store.finish_run(run_id, "failed")
        if isinstance(exc, CredsweepError):
            raise
        raise InputError(f"cannot enqueue on the broker: {type(exc).__name__}: {str(exc)[:200]}") from None
    seen: dict[str, RepoOutcome] = {}
    deadline = time.monotonic() + wait_timeout
    try:
        while len(seen) < len(keys):
            for url, status, reason, new in store.run_outcomes(run_id):
                if url in keys and url not in seen:
                    seen[url] = RepoOutcome(url, keys[url], status, reason, new)
                    if progress:
                        progress(seen[url])
            if len(seen) < len(keys):
                if time.monotonic() > deadline:
                    store.finish_run(run_id, "incomplete")
                    raise InputError(f"timed out waiting for {len(keys) - len(seen)} repositories from the "
                                     "workers (are `credsweep fleet worker` processes running on this broker?)")
                time.sleep(poll)
    except KeyboardInterrupt:
        store.finish_run(run_id, "interrupted")
        raise
    store.finish_run(run_id)
    return RunResult(run_id, tuple(seen[k] for k in keys))


def beat_schedule(every: float | None, cron: str | None, repos_file: str, options: FleetOptions, broker: str,
                  notify_url: str | None) -> dict[str, Any]:
    """Celery beat's schedule for one recurring sweep (every N seconds, or a five-field cron line)."""
    from datetime import timedelta

    from celery.schedules import crontab

    if cron:
        fields = cron.split()
        if len(fields) != 5:
            raise InputError(f"--beat-cron needs five fields (minute hour day month weekday), got '{cron}'")
        when: Any = crontab(minute=fields[0], hour=fields[1], day_of_month=fields[2], month_of_year=fields[3],
                            day_of_week=fields[4])
    else:
        when = timedelta(seconds=every or 86400)
    return {"credsweep-fleet-sweep": {"task": SWEEP_TASK, "schedule": when,
                                      "args": [repos_file, asdict(options), broker, notify_url],
                                      "options": {"queue": SWEEP_QUEUE}}}


PRELOADED = ("psycopg", "sqlalchemy.orm", "credsweep.fleet.run", "credsweep.scans.history", "credsweep.hygiene.head",
             "credsweep.store.db", "credsweep.store.models")
"""Modules a fleet task imports, imported by the worker before its pool forks (``_preload``); psycopg:
the Celery executor's stores are PostgreSQL."""


def _preload() -> None:
    """What every task needs that no task changes, loaded once in the worker before its pool forks: each
    pool process (and one that replaces a killed process) starts with the scan's and the store's modules
    imported, detect-secrets' heuristic imported and the built-in rules decoded, instead of paying them
    (about half a second of CPU) on its first repository. Nothing here opens a file or a connection that
    a forked process would share."""
    import importlib

    from credsweep.content import ds_adapter
    from credsweep.rules.loader import load_rulesets

    for name in PRELOADED:
        importlib.import_module(name)
    ds_adapter.warm_up()
    load_rulesets()


def start_worker(broker: str, concurrency: int = 1, queue: str = QUEUE, loglevel: str = "INFO",
                 schedule: dict[str, Any] | None = None, schedule_file: str | None = None,
                 pool_check_every: float = 5.0) -> None:
    """Run a Celery worker for fleet tasks in this process (returns when the worker stops).

    With ``schedule``, the worker also runs Celery beat (``-B``) and consumes the sweep queue: a sweep
    holds one slot while it waits, so such a worker needs a concurrency of at least 2. Its pool checks
    its processes every ``pool_check_every`` seconds (``fleet.celery_pool``): a repository whose pool
    process died is back in the queue within that time."""
    from credsweep.fleet.celery_pool import POOL_CHECK_SETTING

    _preload()
    app = make_app(broker)
    # the prefork pool, as ours: ``--pool=prefork`` takes the worker_pool setting when there is one
    app.conf.worker_pool = "credsweep.fleet.celery_pool:CheckedTaskPool"
    app.conf[POOL_CHECK_SETTING] = pool_check_every
    argv = ["worker", f"--concurrency={concurrency}", f"--loglevel={loglevel}", "--pool=prefork",
            "--without-gossip", "--without-mingle", "--without-heartbeat"]
    if schedule:
        if concurrency < 2:
            raise InputError("a worker running the schedule needs --concurrency 2 or more "
                             "(one slot waits for the sweep, the others scan)")
        app.conf.beat_schedule = schedule
        argv += ["-B", f"--queues={queue},{SWEEP_QUEUE}"]
        if schedule_file:
            argv.append(f"--schedule={schedule_file}")
    else:
        argv.append(f"--queues={queue}")
    app.worker_main(argv=argv)
