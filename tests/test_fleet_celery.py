"""`credsweep fleet scan --executor celery`: real Redis, real PostgreSQL, real worker processes, and a
worker process killed (SIGKILL) in the middle of a repository: every repository is still scanned
exactly once in the store."""

from __future__ import annotations

import _thread
import itertools
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import SRC, commit_all, fake_github_token, make_repo, run_cli, write
from services import free_port, postgres_server, redis_server


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def _session(sid: int) -> list[int]:
    """Live processes of the session ``sid`` (a worker and whatever it started: pool processes, beat)."""
    alive = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid and fields[0] != "Z":
                alive.append(int(entry))
    return alive


def start_worker(broker: str, log: Path, env: dict[str, str], *options: str) -> subprocess.Popen[bytes]:
    """A `credsweep fleet worker` process in a session of its own, its output in ``log``."""
    with log.open("w") as handle:
        return subprocess.Popen([sys.executable, "-m", "credsweep", "fleet", "worker", "--broker", broker, *options],
                                stdout=handle, stderr=subprocess.STDOUT, env=env, start_new_session=True)


def stop(procs: list[subprocess.Popen[bytes]]) -> list[int]:
    """Cold shutdown of every worker at once (SIGQUIT: the running task is abandoned, the pool and beat
    processes are ended; a warm shutdown waits a second or two for the broker connection, and no test
    here is about it), then every process left in their sessions killed after 15 s: the pids that were
    still alive then (none expected)."""
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGQUIT)
    deadline = time.monotonic() + 15
    left: list[int] = []
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        while _session(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        left += _session(proc.pid)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    return left


class Worker:
    """One `credsweep fleet worker --concurrency 1` process with its log file."""

    def __init__(self, broker: str, log: Path, env: dict[str, str], *options: str) -> None:
        self.log = log
        self.proc = start_worker(broker, log, env, "--concurrency", "1", "--loglevel", "INFO", *options)

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, pattern: str, timeout: float = 90.0, every: float = 0.05) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.text())
            if found:
                return found
            assert self.proc.poll() is None, self.text()[-3000:]
            time.sleep(every)
        raise AssertionError(f"worker never logged {pattern!r}:\n{self.text()[-3000:]}")


@pytest.fixture(scope="module")
def _servers() -> Iterator[tuple[str, str]]:
    """One Redis and one PostgreSQL server for the module's tests (a server's start and stop cost about a
    second of wall time): each test has databases of its own on them (``services``)."""
    with redis_server() as broker, postgres_server() as store:
        yield broker, store


_DATABASES = itertools.count(1)


@pytest.fixture
def services(_servers: tuple[str, str]) -> tuple[str, str]:
    """(broker, store) of this test alone: a Redis database (its queues) and a PostgreSQL database (its
    store) made for it on the module's servers, so no test sees another's tasks, runs or findings."""
    import psycopg

    broker, store = _servers
    number = next(_DATABASES)  # Redis has databases 0 to 15; the module's tests use 1, 2...
    with psycopg.connect(store, autocommit=True) as db:
        db.execute(f"CREATE DATABASE test_{number}")
    return f"{broker.rsplit('/', 1)[0]}/{number}", f"{store.rsplit('/', 1)[0]}/test_{number}"


def test_celery_workers_one_killed_mid_task_every_repository_once(tmp_path: Path, services: tuple[str, str],
                                                                  beat_worker: BeatWorker) -> None:
    """(``beat_worker``: the next test's worker, started here once this test only waits, see there.)"""
    import psycopg

    broker, store = services
    env = dict(os.environ, PYTHONPATH=str(SRC))
    # One worker. Its first repository is held between its scan and its write (60 s: the kill, once the
    # hold is taken, ends it), so the kill lands mid-task; the hold is taken once (by the task that removes
    # the file), so the same repository redelivered to the pool process that replaces the killed one runs
    # at once, as does every other. (Celery may notice a killed pool process only at its next pool check:
    # every 5 s by default, every 0.2 s with --pool-check-every.)
    hold = tmp_path / "hold-once"
    hold.write_text("")
    victim = Worker(broker, tmp_path / "worker-victim.log",
                    dict(env, CREDSWEEP_TEST_DELAY_BEFORE_WRITE="60", CREDSWEEP_TEST_DELAY_ONCE=str(hold)),
                    "--pool-check-every", "0.2")
    workers = [victim]
    try:
        shared = fake_github_token()
        repos = []
        for i in range(5):
            repo = make_repo(tmp_path / f"service-{i}")
            write(repo, "config/settings.py", f"TOKEN = '{shared if i < 2 else fake_github_token()}'\n")
            commit_all(repo, "init")
            repos.append(repo)
        marker = tmp_path / "ext-ran"
        ext_url = f"ext::sh -c touch% {marker}"
        unreachable = f"https://127.0.0.1:{free_port()}/org/gone.git"
        specs = [str(repos[0]), unreachable, *map(str, repos[1:3]), ext_url, *map(str, repos[3:])]
        # the scan (in this process: the client is not what is killed) enqueues while the victim starts; the
        # victim, the only worker, takes the first repository of the queue, and its pool process is killed
        # mid-task by a thread watching its log
        def kill_mid_task() -> None:
            victim.wait_for(r"credsweep: scanning /\S*service-0", timeout=90, every=0.01)
            deadline = time.monotonic() + 90
            while hold.exists() and time.monotonic() < deadline:  # scanned, now holding before its write
                time.sleep(0.01)
            (child,) = _children(victim.proc.pid)
            os.kill(child, signal.SIGKILL)

        killer = ThreadPoolExecutor(1).submit(kill_mid_task)
        guard = threading.Timer(180, _thread.interrupt_main)  # a hang fails the test (Ctrl-C ends the wait)
        guard.start()
        try:
            scan = run_cli("fleet", "scan", *specs, "--executor", "celery", "--broker", broker, "--store", store,
                           "--format", "json")
        finally:
            guard.cancel()
        killer.result()
        # the worker's shutdown (Celery's pool takes about 2 s to end) runs beside the store's checks below
        stopping = ThreadPoolExecutor(1).submit(stop, [worker.proc for worker in workers])
        beat_worker.start()
        out = scan.stdout
        assert scan.code == 4, scan.stderr[-3000:]
        assert not marker.exists()
        assert not hold.exists()  # the killed task took the hold (between its scan and its write)
        # the task was running when its process died (an idle pool process dying logs no WorkerLostError),
        # and the repository was redelivered: scanned twice, written once (below)
        assert re.search(r"WorkerLostError", victim.text()), victim.text()[-3000:]
        assert len(re.findall(r"credsweep: scanning /\S*service-0 ", victim.text())) == 2, victim.text()[-3000:]

        import json

        data = json.loads(out)
        statuses = {r["repository"]: (r["status"], r["reason"]) for r in data["repositories"]}
        assert {statuses[str(r)][0] for r in repos} == {"scanned"}
        assert statuses[unreachable][0] == "failed" and "unreachable" in statuses[unreachable][1]
        assert statuses[ext_url][0] == "failed" and "not allowed" in statuses[ext_url][1]
        new = {}
        for finding in data["findings"]:
            new.setdefault(finding["secret_id"], set()).add(finding["repository"])
        assert len(new) == 4 and {str(repos[0]), str(repos[1])} in new.values()

        with psycopg.connect(store.replace("postgresql://", "postgresql://", 1)) as db:
            per_repo = db.execute("SELECT r.url, count(*) FROM repository_runs rr JOIN repositories r "
                                  "ON r.id = rr.repository_id GROUP BY r.url").fetchall()
            assert sorted(per_repo) == sorted((s, 1) for s in specs)  # every repository exactly once
            assert db.execute("SELECT count(*), count(DISTINCT (repository_id, secret_key)) FROM findings").fetchone() \
                == (5, 5)
            assert db.execute("SELECT count(*) FROM secrets").fetchone() == (4,)
            assert db.execute("SELECT count(*) FROM locations").fetchone() == (5,)
            assert db.execute("SELECT status FROM runs").fetchall() == [("finished",)]

        report = run_cli("fleet", "report", "--format", "json", "--store", store)
        assert report.code == 0, report
        both = [s for s in report.json()["secrets"] if len(s["repositories"]) == 2]
        assert len(both) == 1 and sorted(both[0]["repositories"]) == sorted([str(repos[0]), str(repos[1])])
        assert stopping.result() == []
    finally:
        stop([worker.proc for worker in workers])


def test_celery_executor_refuses_a_local_sqlite_store(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    write(repo, "a.txt", "x\n")
    commit_all(repo)
    result = run_cli("fleet", "scan", str(repo), "--executor", "celery", "--broker", "redis://127.0.0.1:1/0",
                     "--store", f"sqlite:///{tmp_path / 's.sqlite3'}")
    assert result.code == 2 and "postgresql" in result.stderr and "Traceback" not in result.stderr


class BeatWorker:
    """A `credsweep fleet worker` running Celery beat, once started: it sweeps ``repos`` (its repos file)
    every second into ``store``, its log in ``log``."""

    def __init__(self, broker: str, store: str, folder: Path, repos: list[Path]) -> None:
        self.broker, self.store, self.repos = broker, store, repos
        self.listing, self.log = folder / "repos.txt", folder / "beat.log"
        self.listing.write_text("".join(f"{r}\n" for r in repos))
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> subprocess.Popen[bytes]:
        """The worker's process, started at the first call."""
        if self.proc is None:
            self.proc = start_worker(self.broker, self.log, dict(os.environ, PYTHONPATH=str(SRC)), "--concurrency", "2",
                                     "--beat-every", "1", "--repos-file", str(self.listing), "--store", self.store)
        return self.proc


@pytest.fixture(scope="module")
def beat_worker(_servers: tuple[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[BeatWorker]:
    """The beat test's worker, started by the killed-worker test once that test has nothing left but waiting
    (for its worker's shutdown: Celery's pool takes about 2 s to end), so that the worker's start, its beat's
    first interval (at least 1 s) and its first sweep, 3 s of waiting when the beat test started them, mostly
    run meanwhile (the two tests use databases of their own); started by the beat test when it runs first or
    alone. Stopped by the beat test, else when the module ends."""
    import psycopg

    broker, store = _servers
    number = next(_DATABASES)
    with psycopg.connect(store, autocommit=True) as db:
        db.execute(f"CREATE DATABASE test_{number}")
    folder = tmp_path_factory.mktemp("celery-beat")
    repos = []
    for i in range(2):
        repo = make_repo(folder / f"beat-{i}")
        write(repo, "app.py", f"TOKEN = '{fake_github_token()}'\n")
        commit_all(repo, "init")
        repos.append(repo)
    worker = BeatWorker(f"{broker.rsplit('/', 1)[0]}/{number}", f"{store.rsplit('/', 1)[0]}/test_{number}", folder, repos)
    try:
        yield worker
    finally:
        if worker.proc is not None:
            stop([worker.proc])


def test_celery_beat_worker_sweeps_the_repos_file_on_schedule(beat_worker: BeatWorker) -> None:
    import psycopg

    proc, log, store, repos = beat_worker.start(), beat_worker.log, beat_worker.store, beat_worker.repos
    deadline = time.monotonic() + 120
    finished: list[tuple[int, int]] = []
    while time.monotonic() < deadline and not finished:
        assert proc.poll() is None, log.read_text()[-3000:]
        try:
            with psycopg.connect(store) as db:
                finished = db.execute("SELECT id, repositories FROM runs WHERE status = 'finished' "
                                      "ORDER BY id").fetchall()
        except psycopg.Error:
            pass  # the schema is created by the first sweep
        if not finished:
            time.sleep(0.1)  # a sweep a second: the first finished run is seen within 0.1 s
    assert finished, log.read_text()[-3000:]
    with psycopg.connect(store) as db:
        first_run = finished[0][0]
        done = db.execute("SELECT r.url, rr.status FROM repository_runs rr JOIN repositories r "
                          "ON r.id = rr.repository_id WHERE rr.run_id = %s", (first_run,)).fetchall()
    assert sorted(done) == sorted((str(r), "scanned") for r in repos)
    assert stop([proc]) == []  # the worker, its pool and its beat process all ended


def test_the_workers_pool_checks_its_processes_every_pool_check_every_seconds() -> None:
    """`fleet worker --pool-check-every` reaches the pool (``fleet.celery_pool``): its periodic pool check,
    Celery's 5 s by default, is what notices a pool process killed at a bad moment (the killed-worker test
    runs a worker with it)."""
    pytest.importorskip("celery")
    from credsweep.fleet.celery_app import make_app
    from credsweep.fleet.celery_pool import POOL_CHECK_SETTING, CheckedAsynPool, CheckedTaskPool, pool_check_period

    app = make_app("redis://127.0.0.1:1/0")  # never connected to
    assert pool_check_period(app) == 5.0
    app.conf[POOL_CHECK_SETTING] = 0.25
    assert pool_check_period(app) == 0.25
    assert CheckedTaskPool.Pool is CheckedAsynPool
    pool = CheckedAsynPool.__new__(CheckedAsynPool)  # its timers, without forking its processes
    assert pool.timers == {pool.maintain_pool: 5.0}
    pool.check_every = 0.25
    assert pool.timers == {pool.maintain_pool: 0.25}
