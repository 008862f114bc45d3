"""Real Redis and PostgreSQL servers for tests, started on 127.0.0.1 in temporary folders.

Debian packages ``redis-server`` and ``postgresql`` (``.ci/run`` installs them when it runs as
root). Tests using them skip, with the reason, only when the binaries are missing. As root,
PostgreSQL runs as the ``postgres`` user (it refuses root), in a folder that user owns.

    with redis_server() as broker, postgres_server() as store:
        ...  # broker = "redis://127.0.0.1:PORT/0", store = "postgresql://postgres@127.0.0.1:PORT/postgres"
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


@contextmanager
def redis_server() -> Iterator[str]:
    """A throwaway redis-server (no persistence); yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (Debian package redis-server; .ci/run installs it)")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="credsweep-redis-") as folder:
        proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                 "--appendonly", "no", "--dir", folder, "--protected-mode", "yes"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            _wait_port(port)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            os.killpg(proc.pid, signal.SIGKILL)  # its own process group: nothing of it outlives the test
            proc.wait()


def _pg_binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


INITDB_ARGS = ("-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8")


def _initdb_template(initdb: str, prefix: list[str], owner: tuple[int, int] | None) -> Path:
    """A stopped cluster made by ``initdb`` once for this PostgreSQL, kept in the system's temporary folder
    (a folder of its own per initdb binary and arguments; a file lock makes one process build it). initdb
    runs the server in bootstrap mode several times (2 s of a Celery test's wall time here); copying its
    result takes a tenth of that."""
    import fcntl
    import hashlib

    binary = Path(initdb).resolve()
    stat = binary.stat()
    key = hashlib.sha256(f"{binary}|{stat.st_size}|{stat.st_mtime_ns}|{INITDB_ARGS}".encode()).hexdigest()[:16]
    kept = Path(tempfile.gettempdir()) / f"credsweep-tests-{os.getuid()}" / f"pg-template-{key}"
    cluster = kept / "data"
    kept.mkdir(parents=True, exist_ok=True)
    with (kept / ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (cluster / "PG_VERSION").exists():
            staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=kept))
            if owner is not None:  # initdb runs as the postgres user (``prefix``)
                os.chown(staging, *owner)
            proc = subprocess.run([*prefix, initdb, "-D", str(staging / "data"), *INITDB_ARGS], capture_output=True,
                                  text=True, check=False)
            if proc.returncode != 0:
                shutil.rmtree(staging, ignore_errors=True)
                raise AssertionError(f"initdb failed: {proc.stderr[-2000:]}")
            shutil.rmtree(cluster, ignore_errors=True)
            os.rename(staging / "data", cluster)
            shutil.rmtree(staging, ignore_errors=True)
    return cluster


@contextmanager
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster (trust auth, 127.0.0.1 only, fsync off); yields its URL."""
    initdb, pg_ctl = _pg_binary("initdb"), _pg_binary("pg_ctl")
    if initdb is None or pg_ctl is None:
        pytest.skip("PostgreSQL is not installed (Debian package postgresql; .ci/run installs it)")
    as_root = os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix="credsweep-pg-", dir="/tmp"))
    data, sockets, log = folder / "data", folder / "sockets", folder / "log"
    sockets.mkdir()
    prefix: list[str] = []
    owner: tuple[int, int] | None = None
    if as_root:  # PostgreSQL refuses to run as root: hand the folder to the postgres user
        import pwd

        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user (install the postgresql package)")
        for path in (folder, sockets):
            os.chown(path, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
        owner = (user.pw_uid, user.pw_gid)
    port = free_port()

    def run(*args: str) -> None:
        proc = subprocess.run([*prefix, *args], capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise AssertionError(f"{args[0]} failed: {proc.stderr[-2000:]}")

    template = _initdb_template(initdb, prefix, owner)
    # a copy of a cluster initdb made once (``_initdb_template``): each test's server starts from a new one
    run("cp", "-a", str(template), str(data))
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off -c max_connections=100"
    run(pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start")
    try:
        _wait_port(port)
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)
