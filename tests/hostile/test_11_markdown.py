"""Finding 11: Markdown injection. ``scan --format markdown`` printed a file name holding HTML outside a
code span, a backtick in a path broke out of its code span (a ``javascript:`` link followed), and the
fleet Markdown report printed a repository path raw.

Now names go into code spans no backtick can close, and text outside them is escaped."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import commit_all, fake_github_token, make_repo, write
from hostile.common import run

HTML_NAME = "<img src=x onerror=alert(1)>.env"
TICK_NAME = "a` [click](javascript:alert(1)) `b.py"


def _unescaped(markdown: str) -> list[str]:
    """Raw HTML tags and links outside code spans (what a Markdown renderer would act on)."""
    outside = re.sub(r"^(`{3,})sh\n.*?^\1$", "", markdown, flags=re.M | re.S)  # fenced blocks are literal
    outside = re.sub(r"(`+)(.+?)\1", "", outside)  # so are code spans (any fence length)
    outside = outside.replace("\\<", "").replace("\\[", "")
    return re.findall(r"<img|\[click\]\(javascript:", outside)


def test_scan_markdown_keeps_names_in_code_spans(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write(repo, HTML_NAME, "DB_PASSWORD=Xk9mP2vL8qR4wzTb\n")
    write(repo, TICK_NAME, f'TOKEN = "{fake_github_token()}"\n')
    commit_all(repo)
    for command in ("scan", "history"):
        result = run(command, str(repo), "--format", "markdown")
        assert result.code == 1, result
        assert not _unescaped(result.stdout), result.stdout
        assert "``a` [click](javascript:alert(1)) `b.py:1" in result.stdout  # shown whole, as code


def test_fleet_markdown_escapes_repository_paths(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "[click](javascript:alert(1))")
    write(repo, TICK_NAME, f'TOKEN = "{fake_github_token()}"\n')
    commit_all(repo)
    store = f"sqlite:///{tmp_path / 'fleet.sqlite3'}"
    assert run("fleet", "scan", str(repo), "--store", store).code == 1
    report = run("fleet", "report", "--store", store, "--format", "markdown")
    assert report.code == 0, report
    assert not _unescaped(report.stdout), report.stdout
