"""Pre-push: git's protocol, only the commits being pushed, and plain hooks from install-hooks."""

from __future__ import annotations

import base64
import secrets
import subprocess
from pathlib import Path

from conftest import commit_all, fake_github_token, git, hook_env, make_repo, run_cli, write

ZERO = "0" * 40


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    remote = make_repo(tmp_path / "remote.git", bare=True)
    repo = make_repo(tmp_path / "work")
    git(repo, "remote", "add", "origin", str(remote))
    write(repo, "README.md", "# app\n")
    commit_all(repo, "init")
    git(repo, "push", "-q", "origin", "main")
    return repo, remote


def _branch_with_added_then_removed_secret(repo: Path) -> str:
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, "app.py", "print('one')\n")
    commit_all(repo, "clean")
    write(repo, "app.py", f"print('one')\nTOKEN = '{fake_github_token()}'\n")
    commit_all(repo, "oops")
    write(repo, "app.py", "import os\nprint('one')\nTOKEN = os.environ['TOKEN']\n")
    return commit_all(repo, "remove token")


def test_pre_push_protocol_blocks_secret_removed_later(tmp_path: Path) -> None:
    repo, remote = _setup(tmp_path)
    tip = _branch_with_added_then_removed_secret(repo)
    stdin = f"refs/heads/feature {tip} refs/heads/feature {ZERO}\n"
    result = run_cli("pre-push", "origin", str(remote), cwd=repo, input=stdin)
    assert result.code == 1, result
    assert "app.py:2" in result.stderr and "blocked this push" in result.stderr
    # deleting a remote branch pushes nothing
    assert run_cli("pre-push", "origin", str(remote), cwd=repo, input=f"(delete) {ZERO} refs/heads/x {tip}\n").code == 0
    # already-pushed history is not scanned again: only the new commits are
    main = git(repo, "rev-parse", "main").strip()
    assert run_cli("pre-push", "origin", str(remote), cwd=repo,
                   input=f"refs/heads/main {main} refs/heads/main {main}\n").code == 0


def test_install_hooks_blocks_real_push(tmp_path: Path) -> None:
    repo, _ = _setup(tmp_path)
    result = run_cli("install-hooks", "--pre-push", cwd=repo)
    assert result.code == 0 and "pre-push" in result.stdout
    hook = repo / ".git" / "hooks" / "pre-push"
    assert hook.exists() and hook.stat().st_mode & 0o111
    _branch_with_added_then_removed_secret(repo)
    push = subprocess.run(["git", "push", "origin", "feature"], cwd=repo, capture_output=True, text=True, check=False,
                          env=hook_env(tmp_path))
    assert push.returncode != 0 and "credsweep blocked this push" in push.stderr
    assert run_cli("install-hooks", cwd=repo).code == 0  # ours: may be replaced
    (repo / ".git" / "hooks" / "pre-commit").write_text("#!/bin/sh\necho mine\n")
    refused = run_cli("install-hooks", cwd=repo)
    assert refused.code == 2 and "already exists" in refused.stderr
    assert run_cli("install-hooks", "--force", cwd=repo).code == 0


def test_pre_commit_hook_from_install_hooks(repo: Path, tmp_path: Path) -> None:
    assert run_cli("install-hooks", cwd=repo).code == 0
    write(repo, "a.py", f"T = '{fake_github_token()}'\n")
    git(repo, "add", "a.py")
    commit = subprocess.run(["git", "commit", "-m", "x"], cwd=repo, capture_output=True, text=True, check=False,
                            env=hook_env(tmp_path))
    assert commit.returncode != 0 and "credsweep blocked this commit" in commit.stderr


def test_pre_push_fail_on_lists_less_urgent_findings_without_blocking(tmp_path: Path) -> None:
    repo, remote = _setup(tmp_path)
    git(repo, "checkout", "-q", "-b", "feature")
    body = base64.b64encode(secrets.token_bytes(600)).decode()
    key = "\n".join(body[i:i + 64] for i in range(0, len(body), 64))
    # the tests' own key: a fixture, low urgency
    write(repo, "tests/fixtures/id_ed25519", f"-----BEGIN OPENSSH PRIVATE KEY-----\n{key}\n-----END OPENSSH PRIVATE KEY-----\n")
    tip = commit_all(repo, "fixture")
    stdin = f"refs/heads/feature {tip} refs/heads/feature {ZERO}\n"
    assert run_cli("pre-push", "origin", str(remote), cwd=repo, input=stdin).code == 1  # default: any finding
    passed = run_cli("pre-push", "origin", str(remote), "--fail-on", "medium", cwd=repo, input=stdin)
    assert passed.code == 0, passed
    assert "not blocking this push" in passed.stderr and "tests/fixtures/id_ed25519" in passed.stderr
    write(repo, "deploy.py", f"TOKEN = '{fake_github_token()}'\n")
    tip = commit_all(repo, "deploy")
    stdin = f"refs/heads/feature {tip} refs/heads/feature {ZERO}\n"
    blocked = run_cli("pre-push", "origin", str(remote), "--fail-on", "medium", cwd=repo, input=stdin)
    assert blocked.code == 1 and "credsweep blocked this push" in blocked.stderr, blocked
