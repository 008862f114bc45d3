"""Finding 5: ``fix --apply`` wrote what a file name said: a tracked dotenv file named
``.env.x<newline>!.env`` became two ``.gitignore`` lines, un-ignoring the user's ``.env`` (``git add -A``
then staged it). A ``.gitignore`` that is a tracked folder ended ``fix`` with an internal error, and
``chmod 600`` followed a hard link to a file outside the repository.

Now a name with control characters never becomes an ignore line (a note says so), a ``.gitignore``
that is not a regular file is reported and left alone, and a file with other hard links is not chmodded."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from conftest import commit_all, git, make_repo, write
from hostile.common import run

DOTENV = "DB_PASSWORD=Xk9mP2vL8qR4wzTb\n"


def test_a_name_holding_a_newline_never_becomes_ignore_lines(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write(repo, ".env.x\n!.env", DOTENV)
    commit_all(repo, "add config")
    write(repo, ".gitignore", ".env\n")
    write(repo, ".env", "MY_OWN_SECRET=Qz8mT3vN6pW2xR\n")  # the user's own, ignored
    plan = run("fix", str(repo))
    assert not [line for line in plan.stdout.splitlines() if "printf" in line and ".env.x" in line], plan
    result = run("fix", str(repo), "--apply")
    assert result.code == 0, result
    assert (repo / ".gitignore").read_text() == ".env\n"
    assert "Not ignored:" in result.stdout and "control characters" in result.stdout
    git(repo, "add", "-A")
    assert ".env" not in git(repo, "diff", "--cached", "--name-only").split("\n")  # still ignored


def test_a_gitignore_that_is_a_folder_is_reported_not_a_crash(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write(repo, ".gitignore/keep", "x\n")
    write(repo, "deploy.env", DOTENV)
    git(repo, "add", ".gitignore")
    commit_all(repo)
    result = run("fix", str(repo), "--apply")
    assert result.code == 0 and "internal error" not in result.stderr, result
    assert ".gitignore is not a regular file" in result.stdout
    assert (repo / ".gitignore").is_dir()


def test_chmod_never_follows_a_hard_link_out_of_the_repository(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write(repo, ".gitignore", ".env\n")
    commit_all(repo)
    outside = tmp_path / "elsewhere.env"
    outside.write_text(DOTENV)
    outside.chmod(0o644)
    os.link(outside, repo / ".env")  # another name for a file outside the repository
    result = run("fix", str(repo), "--apply")
    assert result.code == 0, result
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644
    assert "other hard links" in result.stdout, result


def test_the_plan_and_apply_still_fix_an_ordinary_file(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write(repo, ".env", DOTENV, mode=0o644)
    commit_all(repo)
    assert run("fix", str(repo), "--apply").code == 0
    assert ".env" in (repo / ".gitignore").read_text().splitlines()  # the catalogue's line for dotenv files
    assert stat.S_IMODE((repo / ".env").stat().st_mode) == 0o600
