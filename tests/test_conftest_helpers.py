"""The repository builders every other test stands on (tests/conftest.py): ``make_repo`` copies what one
``git init`` made instead of running it per test, and ``commit_all`` reads the new commit from git's own
files instead of asking ``git rev-parse``. Both must give exactly what the git commands give."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from conftest import commit_all, git, head_commit, make_repo, write


def _tree(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every entry under ``folder``: its relative path -> (mode, content; empty for a folder)."""
    entries = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        entries[str(path.relative_to(folder))] = (mode, b"" if stat.S_ISDIR(mode) else path.read_bytes())
    return entries


@pytest.mark.parametrize("bare", [False, True], ids=["worktree", "bare"])
def test_make_repo_is_what_git_init_makes(tmp_path: Path, bare: bool) -> None:
    made = make_repo(tmp_path / "made", bare=bare)
    real = tmp_path / "real"
    real.mkdir()
    git(real, "init", "-q", "-b", "main", *(["--bare"] if bare else []))
    git_dir = "." if bare else ".git"
    assert _tree(made / git_dir) == _tree(real / git_dir)
    assert git(made, "rev-parse", "--is-bare-repository").strip() == ("true" if bare else "false")
    assert git(made, "symbolic-ref", "HEAD").strip() == "refs/heads/main"
    assert (made / git_dir / "hooks" / "pre-commit.sample").exists()  # git's template, as `git init` gives


def test_make_repo_twice_keeps_the_repository(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write(repo, "a.txt", "one\n")
    first = commit_all(repo, "first")
    assert make_repo(repo) == repo  # `git init` again: a no-op on an existing repository, never a fresh copy
    assert git(repo, "rev-parse", "HEAD").strip() == first
    bare = make_repo(tmp_path / "bare.git", bare=True)
    git(repo, "push", "-q", str(bare), "main")
    make_repo(bare, bare=True)
    assert git(bare, "rev-parse", "main").strip() == first


def test_make_repo_runs_git_init_when_a_global_configuration_could_change_it(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    template = tmp_path / "template"
    (template / "info").mkdir(parents=True)
    (template / "info" / "exclude").write_text("from-the-template\n")
    (Path(os.environ["HOME"]) / ".gitconfig").write_text(f"[init]\n\ttemplateDir = {template}\n")
    repo = make_repo(tmp_path / "repo")
    assert (repo / ".git" / "info" / "exclude").read_text() == "from-the-template\n"
    assert not (repo / ".git" / "hooks").exists()


def test_commit_all_returns_what_rev_parse_says(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write(repo, "a.txt", "one\n")
    first = commit_all(repo, "first")
    assert first == git(repo, "rev-parse", "HEAD").strip() and len(first) == 40
    git(repo, "pack-refs", "--all")  # refs/heads/main now lives in packed-refs only
    assert not (repo / ".git" / "refs" / "heads" / "main").exists()
    assert head_commit(repo) == first
    write(repo, "b.txt", "two\n")
    second = commit_all(repo, "second")
    assert second != first and second == git(repo, "rev-parse", "HEAD").strip()
    git(repo, "checkout", "-q", "--detach", first)  # HEAD holds the commit itself
    assert head_commit(repo) == first
    git(repo, "worktree", "add", "-q", str(tmp_path / "linked"), "main")  # a `.git` file, not a folder
    write(tmp_path / "linked", "c.txt", "three\n")
    third = commit_all(tmp_path / "linked", "third")
    assert third == git(tmp_path / "linked", "rev-parse", "HEAD").strip() != second
    (repo / "sub").mkdir()
    assert head_commit(repo / "sub") == first  # a folder inside the tree: git finds the repository
    proc = subprocess.run(["git", "log", "--format=%s", "main"], cwd=repo, capture_output=True, text=True, check=True)
    assert proc.stdout.split() == ["third", "second", "first"]
