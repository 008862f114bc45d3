"""Finding 10: files and limits. Report files were written at the umask's mode (0644: a ``--show-secrets``
report readable by every local user); a tracked ``.credsweep-baseline.json`` symlink was followed out of
the repository (a 2 GB target read whole); ``history`` and ``fleet`` counted skipped large blobs but did
not name them; a ``.gitleaksignore`` line with a 5,000-digit line number ended ``baseline import`` with
an internal error. And ``fleet report -o`` replaced a symlink and refused a FIFO, unlike ``scan -o``.

Now reports are created 0600 through the one output writer (every command's ``-o``), a baseline the
repository holds is read only as a regular file inside it, skipped blobs are named with their size,
and the line number is reported as out of range."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

from conftest import commit_all, fake_github_token, make_repo, write
from hostile.common import run


def _leaky(path: Path) -> Path:
    repo = make_repo(path)
    write(repo, "a.py", f'TOKEN = "{fake_github_token()}"\n')
    commit_all(repo)
    return repo


def test_reports_are_created_private_and_an_existing_one_keeps_its_mode(tmp_path: Path) -> None:
    repo = _leaky(tmp_path / "repo")
    store = f"sqlite:///{tmp_path / 'fleet.sqlite3'}"
    assert run("fleet", "scan", str(repo), "--store", store).code == 1
    previous = os.umask(0o022)
    try:
        for name, args in (("scan.txt", ["scan", str(repo), "--show-secrets"]),
                           ("history.json", ["history", str(repo), "--format", "json", "--show-secrets"]),
                           ("fleet.md", ["fleet", "report", "--store", store, "--format", "markdown"]),
                           ("fleet-scan.json", ["fleet", "scan", str(repo), "--store", store, "--format", "json"])):
            out = tmp_path / name
            result = run(*args, "-o", str(out))
            assert result.code in (0, 1), result
            assert stat.S_IMODE(out.stat().st_mode) == 0o600, name
        kept = tmp_path / "shared.txt"
        kept.write_text("old\n")
        kept.chmod(0o644)
        assert run("fleet", "report", "--store", store, "-o", str(kept)).code == 0
        assert stat.S_IMODE(kept.stat().st_mode) == 0o644 and kept.read_text() != "old\n"
    finally:
        os.umask(previous)


def test_fleet_report_o_follows_a_symlink_and_writes_a_fifo_like_scan_o(tmp_path: Path) -> None:
    repo = _leaky(tmp_path / "repo")
    store = f"sqlite:///{tmp_path / 'fleet.sqlite3'}"
    assert run("fleet", "scan", str(repo), "--store", store).code == 1
    target = tmp_path / "reports" / "latest.txt"
    target.parent.mkdir()
    link = tmp_path / "report.txt"
    link.symlink_to(target)
    assert run("fleet", "report", "--store", store, "-o", str(link)).code == 0
    assert link.is_symlink() and "credsweep fleet report" in target.read_text()
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run("fleet", "report", "--store", store, "-o", str(fifo))
    reader.join(60)
    assert result.code == 0, result
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and b"credsweep fleet report" in received[0]


def test_a_tracked_baseline_linking_out_of_the_repository_is_not_read(tmp_path: Path) -> None:
    repo = _leaky(tmp_path / "repo")
    outside = tmp_path / "huge.json"
    outside.write_text('{"version": 2, "salt": "00", "entries": []}')
    (repo / ".credsweep-baseline.json").symlink_to(outside)
    commit_all(repo, "baseline")
    for args in (["scan", str(repo)], ["baseline", "audit", str(repo), "--list"]):
        result = run(*args)
        assert result.code == 2 and "outside the repository" in result.stderr, result
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    (repo / ".credsweep-baseline.json").unlink()
    os.mkfifo(repo / ".credsweep-baseline.json")  # a FIFO would have blocked the scan forever
    result = run("scan", str(repo))
    assert result.code == 2 and "not a regular file" in result.stderr, result


def test_history_and_fleet_name_the_blobs_skipped_for_size(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    size = len(write(repo, "data/dump.sql", "INSERT INTO t VALUES (1);\n" * 4000).read_bytes())  # ~100 KB
    write(repo, "a.py", "x = 1\n")
    commit_all(repo)
    text = run("history", str(repo), "--max-file-size", "10KB")
    assert f"data/dump.sql  (too large, {size:,} bytes)" in text.stdout, text
    data = run("history", str(repo), "--max-file-size", "10KB", "--format", "json").json()
    assert {"path": "data/dump.sql", "reason": "too large", "size": size} in data["summary"]["skipped_files"]
    store = f"sqlite:///{tmp_path / 'fleet.sqlite3'}"
    fleet = run("fleet", "scan", str(repo), "--store", store, "--max-file-size", "10KB", "--format", "json")
    assert "data/dump.sql" in fleet.stderr and "too large" in fleet.stderr, fleet
    assert fleet.json()["repositories"][0]["skipped_files"] == [
        {"path": "data/dump.sql", "reason": "too large", "size": size}]


def test_a_gitleaksignore_line_number_of_5000_digits_is_reported_not_a_crash(tmp_path: Path) -> None:
    repo = _leaky(tmp_path / "repo")
    ignore = tmp_path / ".gitleaksignore"
    ignore.write_text(f"a.py:github-pat:{'9' * 5000}\n")
    result = run("baseline", "import", str(ignore), str(repo))
    assert result.code == 0 and "internal error" not in result.stderr, result
    assert "line number out of range" in result.stdout
