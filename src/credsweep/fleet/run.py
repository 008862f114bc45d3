"""One fleet run: each repository mirrored (URLs) or read in place (paths), scanned when its tips
moved (history of all refs + HEAD hygiene), and written to the store in its own transaction.

``scan_repository`` is the unit of work: the local executor runs it in this process or in a pool
of processes, the Celery executor in workers on any machine. It never raises for a repository's
own problem (refused transport, unreachable URL, corrupt objects, disk full): that becomes a
failed outcome with its reason, so the other repositories complete.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from credsweep.errors import CredsweepError

if TYPE_CHECKING:
    from credsweep.config import Config
    from credsweep.git.mirror import Source
    from credsweep.pipeline import Pipeline
    from credsweep.store.db import Store

Progress = Callable[["RepoOutcome"], None]


@dataclass(frozen=True)
class FleetOptions:
    """What every repository of a run is scanned with (picklable: sent to workers and Celery tasks)."""

    store_url: str
    """Store URL (``sqlite:///...`` or ``postgresql://...``)."""
    cache: str
    """Folder of the URL mirrors."""
    config_file: str | None = None
    """Config file (the scanned repositories' own config is never read: they are untrusted)."""
    engine: str = "auto"
    """Matching engine."""
    timeout: float = 600.0
    """Seconds allowed per clone or fetch."""
    history_workers: int | None = None
    """Processes for one repository's history (None: one per core)."""
    hygiene: bool = True
    """HEAD hygiene and committed credential files."""
    max_file_size: int | None = None
    """Override of the config's max_file_size."""
    min_confidence: str | None = None
    """Override of the config's min_confidence."""
    validate: bool = False
    """``--validate``: ask each secret's provider (``enrich.validation``); every repository is read
    again, its matched blobs re-matched for their values (the store keeps none); a secret the
    provider says is revoked is marked ``rotated``."""
    validate_self_hosted: bool = False
    """``--validate-self-hosted``."""
    validate_timeout: float = 10.0
    """``--validate-timeout``: seconds per provider call."""
    repo_timeout: float | None = None
    """Seconds one repository may take (clone or fetch and scan); past it, a failed outcome. None: no limit."""


class RepositoryTimeout(CredsweepError):
    """A repository's scan ran past ``--repo-timeout``: a failed outcome, retried on the next run."""


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise ``RepositoryTimeout`` in this block after ``seconds`` (wall time). The scan below unwinds
    as on Ctrl-C: the pool's workers and every git process are ended, the transaction not begun.
    Needs SIGALRM and the main thread (every executor runs a repository there); elsewhere, no limit."""
    import signal
    import threading

    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise RepositoryTimeout(f"timed out after {seconds:g} s (--repo-timeout)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class RepoOutcome:
    """What happened to one repository in a run."""

    repository: str
    """Store key: URL without credentials, or absolute path."""
    name: str
    """Display name."""
    status: str
    """scanned, unchanged or failed."""
    reason: str | None = None
    """Why it failed."""
    new_findings: int = 0
    """Findings new or reopened in this run."""
    blobs_read: int = 0
    """Blobs whose content was matched (the rest came from the store or were skipped)."""
    millis: int = 0
    """Wall time."""
    too_large: tuple[tuple[str, int], ...] = ()
    """(path, bytes) of every blob not scanned for its size, so output names what was not read."""


@dataclass(frozen=True)
class RunResult:
    """A finished (or interrupted) run."""

    run_id: int
    outcomes: tuple[RepoOutcome, ...]
    interrupted: bool = False

    @property
    def failed(self) -> tuple[RepoOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status == "failed")


def load_fleet_config(options: FleetOptions) -> Config:
    """The run's config: ``--config FILE`` or the defaults, with the command-line overrides."""
    from credsweep.config import Config, load_config

    config = load_config(Path(options.config_file).parent, Path(options.config_file)) if options.config_file \
        else Config()
    return config.with_overrides(max_file_size=options.max_file_size, min_confidence=options.min_confidence,
                                 hygiene=options.hygiene)


_DIGESTS: dict[FleetOptions, str] = {}


def repository_digest(options: FleetOptions) -> str:
    """Digest of everything a repository's findings depend on besides its refs: credsweep's code, the
    ruleset files and the config. A repository whose tips did not move is skipped only under the same
    digest; any upgrade, rule or setting change rescans it once (its blobs still come from the store
    when the content stage's own ``Pipeline.digest`` did not change).

    Computed without building the pipeline, so a run where nothing changed never compiles rules."""
    cached = _DIGESTS.get(options)
    if cached is not None:
        return cached
    import credsweep
    from credsweep import __version__
    from credsweep.rules.loader import ruleset_files

    config = load_fleet_config(options)
    h = hashlib.sha256(f"{__version__}\x1f{replace(config, source=None, baseline=None)!r}\x1f{options.engine}".encode())
    package = Path(credsweep.__file__).parent
    for path in sorted(package.rglob("*.py")) + ruleset_files(config.rulesets):
        h.update(str(path.relative_to(package) if path.is_relative_to(package) else path.name).encode())
        h.update(path.read_bytes())
    _DIGESTS[options] = digest = h.hexdigest()
    return digest


_PIPELINES: dict[tuple[str | None, str, int | None, str | None, bool, bytes], Pipeline] = {}


def store_identity_salt(store: Store) -> bytes:
    """The identity key of this store's secrets: derived from the user's report salt (``$CREDSWEEP_SALT``
    on workers of several machines) and the store's own salt. The store holds only the latter, so a
    copy of it cannot be used to test guesses of a weak password against its ``secret_id``s."""
    from credsweep.identity import derived_salt, report_salt

    return derived_salt(report_salt(), store.salt.encode())


def pipeline_for(options: FleetOptions, salt: bytes) -> Pipeline:
    """The pipeline for these options and identity key, built once per process (rules compiled once per
    worker)."""
    key = (options.config_file, options.engine, options.max_file_size, options.min_confidence, options.hygiene, salt)
    cached = _PIPELINES.get(key)
    if cached is None:
        from credsweep.pipeline import build_pipeline

        cached = _PIPELINES[key] = build_pipeline(load_fleet_config(options), options.engine, salt=salt)
    return cached


def read_tips(git_dir: Path) -> dict[str, str]:
    """Every ref's object id, and HEAD's commit (HEAD hygiene depends on it): one ``show-ref --head``."""
    from credsweep.git.repo import run_git

    tips: dict[str, str] = {}
    # exit status 1 only means "no refs" (an empty repository): nothing to scan, not an error
    for line in run_git(git_dir, "show-ref", "--head", check=False).decode("utf-8", "surrogateescape").splitlines():
        oid, _, ref = line.partition(" ")
        if ref:
            tips[ref] = oid
    return tips


def local_tips(path: Path) -> dict[str, str] | None:
    """Tips of a local repository read with one git process, or None when that cannot tell (not a
    repository, unreadable): the full path then records why."""
    import subprocess

    from credsweep.git.repo import git_command, safe_env

    try:
        proc = subprocess.run(git_command("show-ref", "--head"), cwd=path, capture_output=True, env=safe_env(),
                              check=False)
    except OSError:
        return None
    if proc.returncode not in (0, 1):  # 1: no refs at all
        return None
    tips: dict[str, str] = {}
    for line in proc.stdout.decode("utf-8", "surrogateescape").splitlines():
        oid, _, ref = line.partition(" ")
        if ref:
            tips[ref] = oid
    return tips


def triage(store: Store, specs: Sequence[str], run_id: int, digest: str) -> tuple[list[str], list[RepoOutcome]]:
    """Settle every local repository whose tips did not move, in one pass: one git process each, one
    read of the store, one transaction for all of them. Returns (specs still to scan, unchanged outcomes).

    URLs always go through ``scan_repository``: their tips are known only after the fetch."""
    from credsweep.git.mirror import SourceRefused, parse_source

    local: dict[str, tuple[str, Source]] = {}
    rest: list[str] = []
    for spec in specs:
        try:
            source = parse_source(spec)
        except SourceRefused:
            rest.append(spec)
            continue
        if source.kind == "path" and Path(source.location).is_dir():
            local[source.key] = (spec, source)
        else:
            rest.append(spec)
    states = store.states({key: source.name for key, (_, source) in local.items()})
    unchanged: list[RepoOutcome] = []
    ids: list[int] = []
    for key, (spec, source) in local.items():
        state = states[key]
        tips = local_tips(Path(source.location)) if state.tips_digest and state.ruleset_digest == digest else None
        if tips is not None and tips_digest(tips) == state.tips_digest and state.status in ("scanned", "unchanged"):
            ids.append(state.id)
            unchanged.append(RepoOutcome(state.url, state.name, "unchanged"))
        else:
            rest.append(spec)
    store.write_unchanged_many(run_id, ids)
    return rest, unchanged


def tips_digest(tips: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(tips, sort_keys=True).encode()).hexdigest()


def scan_repository(spec: str, run_id: int, options: FleetOptions, delay: float = 0.0) -> RepoOutcome:
    """Scan one repository into the store (see module docstring); idempotent within a run.

    ``delay`` (seconds, tests only) holds the finished scan before it is written, so a test can kill
    the worker while the repository is mid-task."""
    from credsweep.git.mirror import SourceRefused, _safe, parse_source
    from credsweep.store.db import open_store

    store = open_store(options.store_url)
    started = time.monotonic()
    try:
        source = parse_source(spec)
    except SourceRefused as exc:
        state = store.repository(_safe(spec.strip()), _safe(spec.strip()))
        return _failed(store, run_id, state.id, state.url, state.name, str(exc), started)
    state = store.repository(source.key, source.name)
    if store.done_in_run(run_id, state.id):
        return _recorded(store, run_id, state.url, state.name)
    try:
        return _scan(store, run_id, state, source, options, started, delay)
    except (CredsweepError, OSError) as exc:
        reason = str(exc) if isinstance(exc, CredsweepError) else _os_reason(exc)
        return _failed(store, run_id, state.id, state.url, state.name, reason, started)
    except Exception as exc:
        # the type only: an exception's text may quote the content it choked on
        return _failed(store, run_id, state.id, state.url, state.name, f"internal error ({type(exc).__name__})",
                       started)


def failed_spec(store_url: str, run_id: int, spec: str, reason: str) -> RepoOutcome:
    """Record ``spec`` as failed in the run when its worker could not (the process died)."""
    from credsweep.git.mirror import SourceRefused, _safe, parse_source
    from credsweep.store.db import open_store

    store = open_store(store_url)
    try:
        source = parse_source(spec)
        key, name = source.key, source.name
    except SourceRefused:
        key = name = _safe(spec.strip())
    state = store.repository(key, name)
    return _failed(store, run_id, state.id, state.url, state.name, reason, time.monotonic())


def _os_reason(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ENOSPC:
        return "disk full"
    return f"{exc.strerror or type(exc).__name__}"


def _failed(store: Store, run_id: int, repository_id: int, key: str, name: str, reason: str,
            started: float) -> RepoOutcome:
    millis = int((time.monotonic() - started) * 1000)
    if not store.write_failure(run_id, repository_id, reason, millis):
        return _recorded(store, run_id, key, name)
    return RepoOutcome(key, name, "failed", reason, millis=millis)


def _recorded(store: Store, run_id: int, key: str, name: str) -> RepoOutcome:
    """The outcome an earlier delivery of this task already wrote."""
    for url, status, reason, new in store.run_outcomes(run_id):
        if url == key:
            return RepoOutcome(key, name, status, reason, new)
    return RepoOutcome(key, name, "failed", "outcome missing from the store")


def _scan(store: Store, run_id: int, state: Any, source: Source, options: FleetOptions, started: float,
          delay: float) -> RepoOutcome:
    with deadline(options.repo_timeout):
        scanned = _scan_only(store, run_id, state, source, options, started, delay)
    if isinstance(scanned, RepoOutcome):
        return scanned
    result, report = scanned
    new = store.write_scan(run_id, state.id, result)  # after the deadline: a write is never cut short
    if new is None:
        return _recorded(store, run_id, state.url, state.name)
    too_large = tuple((s.path, s.size or 0) for s in report.stats.skipped_files if s.reason == "too large")
    return RepoOutcome(state.url, state.name, "scanned", None, new, result.blobs_read, result.millis, too_large)


def _scan_only(store: Store, run_id: int, state: Any, source: Source, options: FleetOptions, started: float,
               delay: float) -> RepoOutcome | tuple[Any, Any]:
    """Mirror and scan one repository (under the caller's deadline): its ``ScanResult`` and report, or the
    outcome when its tips did not move."""
    from credsweep.errors import GitError
    from credsweep.git.mirror import ensure_mirror
    from credsweep.git.repo import discover
    from credsweep.scans.history import HistoryOptions, scan_history
    from credsweep.store.db import ScanResult, StoreContentCache

    if source.kind == "url":
        git_dir = ensure_mirror(source, Path(options.cache), options.timeout)
    else:
        path = Path(source.location)
        if not path.is_dir():
            raise GitError(f"{source.location}: no such directory")
        repo = discover(path)
        if repo is None:
            raise GitError(f"{source.location}: not a git repository")
        git_dir = repo.top or repo.git_dir
    digest = repository_digest(options)
    tips = read_tips(git_dir)
    tips_id = tips_digest(tips)
    unchanged = state.tips_digest == tips_id and state.ruleset_digest == digest
    if unchanged and state.status in ("scanned", "unchanged") and not options.validate:
        millis = int((time.monotonic() - started) * 1000)
        if not store.write_unchanged(run_id, state.id, millis):
            return _recorded(store, run_id, state.url, state.name)
        return RepoOutcome(state.url, state.name, "unchanged", millis=millis)
    pipeline = pipeline_for(options, store_identity_salt(store))
    config = pipeline.config
    cache = StoreContentCache(store)
    report = scan_history(git_dir, config, HistoryOptions(workers=options.history_workers, command="fleet scan"),
                          pipeline=pipeline, content_cache=_RematchSecrets(cache) if options.validate else cache)
    findings = list(report.findings)
    if config.hygiene and "HEAD" in tips:
        from credsweep.hygiene.head import head_hygiene

        findings.extend(head_hygiene(git_dir, pipeline.skips, pipeline.salt))
    if options.validate:
        from credsweep.enrich.validation import ValidateOptions, validate_report

        checks = ValidateOptions(self_hosted=options.validate_self_hosted, deadline=options.validate_timeout)
        findings = list(validate_report(replace(report, findings=tuple(findings)), checks).findings)
    if delay:
        from credsweep.fleet.specs import hold_taken

        if hold_taken():
            time.sleep(delay)
    millis = int((time.monotonic() - started) * 1000)
    # what was read is exactly what the cache was told about (the rest came from the store)
    blobs_read = len(cache.recorded)
    result = ScanResult(digest=pipeline.digest, repository_digest=digest, tips=tips, tips_digest=tips_id,
                        findings=tuple(findings),
                        blob_results=dict(cache.recorded), blobs_read=blobs_read, millis=millis)
    return result, report


class _RematchSecrets:
    """The store's content cache for ``--validate``: a blob whose stored matches hold a secret is read
    and matched again (the store keeps no value; validation needs it), every other blob still comes
    from the store. Few blobs hold a secret, so this reads few blobs."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def lookup(self, digest: str, blob_ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
        return {oid: matches for oid, matches in self.inner.lookup(digest, blob_ids).items() if not matches}

    def record(self, digest: str, results: Any) -> None:
        self.inner.record(digest, results)


def run_local(specs: Sequence[str], options: FleetOptions, workers: int = 1, progress: Progress | None = None,
              delay: float = 0.0) -> RunResult:
    """Scan every repository with this machine's processes (``workers`` repositories at a time)."""
    from credsweep.store.db import open_store

    store = open_store(options.store_url)
    digest = repository_digest(options)
    run_id = store.begin_run(digest, len(specs), "local")
    outcomes: list[RepoOutcome] = []

    def done(outcome: RepoOutcome) -> None:
        outcomes.append(outcome)
        if progress:
            progress(outcome)

    try:
        # --validate reads every repository again: its secrets' values are needed to ask their providers
        specs, unchanged = (list(specs), []) if options.validate else triage(store, specs, run_id, digest)
        for outcome in unchanged:
            done(outcome)
        if workers <= 1 or len(specs) <= 1:
            for spec in specs:
                done(scan_repository(spec, run_id, options, delay))
        else:
            _run_pool(specs, run_id, replace(options, history_workers=1), workers, done, delay)
    except KeyboardInterrupt:
        store.finish_run(run_id, "interrupted")
        raise
    store.finish_run(run_id)
    return RunResult(run_id, tuple(outcomes))


def _init_pool_worker() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles ^C and ends the pool


def _run_pool(specs: Iterable[str], run_id: int, options: FleetOptions, workers: int,
              done: Callable[[RepoOutcome], None], delay: float) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # spawn, not fork: the parent holds store connections and threads that must not be inherited
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init_pool_worker)
    try:
        futures = {pool.submit(scan_repository, spec, run_id, options, delay): spec for spec in specs}
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except Exception as exc:
                outcome = failed_spec(options.store_url, run_id, futures[future],
                                      f"worker process ended ({type(exc).__name__})")
            done(outcome)
    except BaseException:
        # a killed worker rolls its transaction back: only whole repositories stay in the store
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
