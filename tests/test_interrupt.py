"""Ctrl-C at any moment of a history scan: the scan stops (exit 130), no process left, no output at all.

How fast it stops (the target: within a second) is measured by benchmarks/interrupt.py, not asserted
here: a wall-time bound fails on a loaded machine whatever the code does."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SRC, make_repo, shared_tmp
from histories import fast_import_history

BLOBS = 6000
"""Enough content (6,000 distinct blobs of 10 KB, 60 MB) that the scan is still running at every moment below."""


@pytest.fixture(scope="session")
def big_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One repository for the session, built by the first xdist worker that needs it (the tests only read it)."""
    folder = shared_tmp(tmp_path_factory) / "interrupt"
    folder.mkdir(exist_ok=True)
    with (folder / ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        repo = folder / "repo"
        if not (folder / "built").exists():
            shutil.rmtree(repo, ignore_errors=True)
            fast_import_history(make_repo(repo), BLOBS)
            (folder / "built").touch()
    return repo


def _session_processes(session: int) -> list[str]:
    """Processes still alive in the session the scan was started in (its children included)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            alive.append(entry.name)
    return alive


def _interrupt(command: str, cwd: Path, moment: float, report: Path, timeout: float) -> tuple[bool, int, str, int]:
    """Start ``credsweep COMMAND --format json -o REPORT`` in a session of its own and, once the scan is
    running (its worker processes exist), send SIGINT ``moment`` seconds later: (was it still running,
    exit code, stderr, session id). ``timeout`` only guards a hang."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen([sys.executable, "-m", "credsweep", command, "--format", "json", "-o", str(report)],
                            cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    started = time.monotonic()
    # the scan says it is running by forking its workers: wait for that, not for a guessed start-up time
    while proc.poll() is None and len(_session_processes(proc.pid)) < 2 and time.monotonic() - started < timeout:
        time.sleep(0.02)
    time.sleep(moment)
    still_running = proc.poll() is None
    if still_running:
        os.kill(proc.pid, signal.SIGINT)
    try:
        code = proc.wait(timeout=timeout)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    return still_running, code, proc.stderr.read().decode() if proc.stderr else "", proc.pid


def _processes_left(session: int) -> list[str]:
    """``_session_processes`` once children killed at exit have had up to 10 s to be reaped by init
    (a leftover one stays: the wait ends)."""
    deadline = time.monotonic() + 10
    while _session_processes(session) and time.monotonic() < deadline:
        time.sleep(0.05)
    return _session_processes(session)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find leftover processes")
@pytest.mark.parametrize("moment", [0.0, 0.1, 0.3, 0.5])
def test_interrupt_exits_130_and_leaves_nothing(big_history: Path, tmp_path: Path, moment: float) -> None:
    report = tmp_path / "report.json"
    # the timeout is a hang guard only: benchmarks/interrupt.py times the exit
    still_running, code, stderr, session = _interrupt("history", big_history, moment, report, timeout=60)
    assert still_running, "the scan ended before the interrupt: make the repository bigger"
    # 130, or killed by SIGINT itself (the shell's 130) while Hyperscan compiles, before any child exists
    assert code in (130, -signal.SIGINT), stderr
    assert _processes_left(session) == []
    # the interrupt stopped the scan before its end: no report (a scan that ran on to the end despite
    # the interrupt would have written it), and never a partial or temporary file
    assert not report.exists(), "the scan ran to its end despite the interrupt"
    assert not list(tmp_path.glob(".report.json*"))


@pytest.fixture(scope="module")
def one_big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One file of 40,000 token assignments: its matches are judged by forked processes (executors.split)."""
    import random
    import zlib

    from conftest import ALNUM
    from credsweep.content.validators import base62

    # GitHub tokens with valid checksums, as conftest.fake_github_token makes them, from a seeded
    # generator: 1.2 million secrets.choice calls took seconds, and these values need no secrecy
    rng = random.Random(40_000)
    bodies = ("".join(rng.choices(ALNUM, k=30)) for _ in range(40_000))
    tokens = (f"ghp_{body}{base62(zlib.crc32(body.encode()) & 0xFFFFFFFF)}" for body in bodies)
    repo = make_repo(tmp_path_factory.mktemp("interrupt-one") / "repo")
    (repo / "tokens.py").write_text("".join(f'token_{i} = "{token}"\n' for i, token in enumerate(tokens)))
    return repo


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find leftover processes")
@pytest.mark.parametrize("moment", [0.0, 0.2, 0.5])
def test_interrupting_a_scan_of_one_huge_file_leaves_no_worker(one_big_file: Path, tmp_path: Path,
                                                                moment: float) -> None:
    report = tmp_path / "report.json"
    still_running, code, stderr, session = _interrupt("scan", one_big_file, moment, report, timeout=5)
    assert still_running, "the scan ended before the interrupt: make the file bigger"
    assert code in (130, -signal.SIGINT), stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert _processes_left(session) == []
    assert not report.exists() and not list(tmp_path.glob(".report.json*"))


def test_an_error_raised_while_an_interrupt_is_handled_is_the_interrupt(capsys: pytest.CaptureFixture[str]) -> None:
    """CI saw ``internal error (RuntimeError)`` and exit 2 for a Ctrl-C at the moment a history scan's pool
    started: a cleanup step failed while the interrupt unwound. Such an error is the interrupt's: 130."""
    from credsweep.errors import ExitCode, exit_code_of

    def interrupted_cleanup() -> object:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise RuntimeError("cannot join thread before it is started") from None

    def plain_failure() -> object:
        raise RuntimeError("a bug")

    assert exit_code_of(interrupted_cleanup) == ExitCode.INTERRUPTED
    assert "interrupted" in capsys.readouterr().err
    assert exit_code_of(plain_failure) == ExitCode.ERROR
    assert "internal error (RuntimeError)" in capsys.readouterr().err
