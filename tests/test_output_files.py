"""`-o/--output` never damages its target: FIFOs and devices are written in place, symlinks are
followed, regular files are replaced atomically; files credsweep owns are never written through a link.

Never the real /dev/null: every special file here lives in a temporary folder.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import SRC, fake_github_token, run_cli, write
from credsweep.util.fsutil import atomic_write, write_output


@pytest.fixture
def leaky(repo: Path) -> Path:
    write(repo, "a.txt", fake_github_token() + "\n")
    return repo


def _read_fifo_in_thread(fifo: Path) -> tuple[threading.Thread, list[bytes]]:
    received: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as handle:  # blocks until the writer opens the FIFO
            received.append(handle.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    return thread, received


def test_output_into_a_fifo_reaches_its_reader_and_stays_a_fifo(leaky: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    thread, received = _read_fifo_in_thread(fifo)
    result = run_cli("scan", "--format", "json", "-o", str(fifo), cwd=leaky)
    thread.join(timeout=30)
    assert result.code == 1, result
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    report = json.loads(received[0])
    assert {f["path"] for f in report["findings"]} == {"a.txt"}
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".report.fifo.")]


def test_output_through_a_symlink_writes_its_target(leaky: Path, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    target = reports / "real.json"
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    result = run_cli("scan", "--format", "json", "-o", str(link), cwd=leaky)
    assert result.code == 1, result
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text())["findings"][0]["path"] == "a.txt"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # an existing report keeps its mode


def test_output_through_a_chain_and_a_dangling_link(leaky: Path, tmp_path: Path) -> None:
    target = tmp_path / "new-report.sarif"
    first = tmp_path / "first"
    second = tmp_path / "second"
    second.symlink_to(target)  # dangling: its target is created, as a shell redirection would
    first.symlink_to(second)
    assert run_cli("scan", "--format", "sarif", "-o", str(first), cwd=leaky).code == 1
    assert first.is_symlink() and second.is_symlink()
    assert json.loads(target.read_text())["version"] == "2.1.0"


def _own_dev_stdout(tmp_path: Path) -> Path:
    """What Linux's /dev/stdout is (a symlink to the process's descriptor 1, /proc/self/fd/1), made in the
    temporary folder: the real /dev/stdout may be missing on a minimal machine, and writing to a /dev path
    that does not exist would create a regular file in /dev (as root, it can)."""
    if not Path("/proc/self/fd/1").exists():
        pytest.skip("no /proc/self/fd: the descriptor links /dev/stdout points to")
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    return link


def test_output_to_dev_stdout_of_a_pipe_and_of_a_file(leaky: Path, tmp_path: Path) -> None:
    stdout = _own_dev_stdout(tmp_path)
    piped = run_cli("scan", "--format", "json", "-o", str(stdout), cwd=leaky, process=True)
    assert piped.code == 1 and json.loads(piped.stdout)["findings"]
    out = tmp_path / "redirected.json"
    env = dict(os.environ, PYTHONPATH=str(SRC))
    with open(out, "wb") as handle:  # `credsweep scan -o /dev/stdout > redirected.json`
        code = subprocess.run([sys.executable, "-m", "credsweep", "scan", "--format", "json", "-o", str(stdout)],
                              cwd=leaky, stdout=handle, env=env, check=False).returncode
    assert code == 1 and json.loads(out.read_text())["findings"]
    assert stdout.is_symlink() and sorted(p.name for p in tmp_path.iterdir() if p != leaky) == [
        "redirected.json", "stdout"]  # nothing written beside it


def test_output_to_a_character_device_is_written_in_place(tmp_path: Path) -> None:
    node = tmp_path / "null"
    try:  # a private null device node inside the temporary folder, never the real /dev/null
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("cannot create a device node here (needs CAP_MKNOD)")
    write_output(node, "report\n")
    assert stat.S_ISCHR(os.lstat(node).st_mode)
    assert os.major(os.lstat(node).st_rdev) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["null"]  # no temporary file left beside it


def test_new_report_is_private_whatever_the_umask_and_a_folder_is_an_error(leaky: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.txt"
    previous = os.umask(0o022)  # a common umask: new files readable by every local user
    try:
        write_output(out, "x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # a report may hold --show-secrets values
    link = tmp_path / "to-folder"
    link.symlink_to(tmp_path)
    result = run_cli("scan", "-o", str(link), cwd=leaky)
    assert result.code == 2 and "is a directory" in result.stderr and "Traceback" not in result.stderr
    with pytest.raises(IsADirectoryError):
        write_output(link, "x")
    assert link.is_symlink()


def test_atomic_write_refuses_special_files_and_never_follows_links(tmp_path: Path) -> None:
    fifo = tmp_path / "baseline.fifo"
    os.mkfifo(fifo)
    with pytest.raises(OSError):
        atomic_write(fifo, "{}")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    link = tmp_path / "baseline.json"
    link.symlink_to(victim)
    atomic_write(link, "{}\n")
    assert victim.read_text() == "keep me\n"  # the link is replaced, its target untouched
    assert not link.is_symlink() and link.read_text() == "{}\n"


def test_baseline_pointed_at_a_fifo_is_a_one_line_error(leaky: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "baseline.fifo"
    os.mkfifo(fifo)
    result = run_cli("baseline", "create", "--force", "--file", str(fifo), cwd=leaky)
    assert result.code == 2 and "cannot write baseline" in result.stderr, result
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
