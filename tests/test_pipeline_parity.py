"""One pipeline: the same content is judged the same by scan and history, and by staged and pre-push."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import commit_all, fake_aws_pair, fake_github_token, git, make_repo, run_cli, write
from precommit_env import HookRepo

ZERO = "0" * 40


def _files() -> dict[str, str]:
    """Content every source must judge alike: encoded, minified, config, .env, test fixture."""
    key_id, secret = fake_aws_pair()
    wrapped = base64.b64encode(f"auth:\n  token: {fake_github_token()}\n".encode()).decode()
    return {
        "deploy/values.yaml": f"config_blob: {wrapped}\n",
        "web/dist/app.min.js": "!function(){var a={" + "b:1,c:2," * 200 + 'password:"Zq8#mTp2vL9x"};}();\n',
        "config/app.yml": f"aws:\n  access_key_id: {key_id}\n  secret_access_key: {secret}\n",
        ".env": "DATABASE_PASSWORD=Rk7vQ2mX9pLs4T\nDEBUG=1\n",
        "src/service.py": f"TOKEN = '{fake_github_token()}'\n",
        "package-lock.json": '{"integrity": "sha512-' + "Ab3dEf9hIj2" * 6 + '"}\n',
    }


def _secret_keys(findings: list[dict[str, object]]) -> set[tuple[object, ...]]:
    return {(f["path"], f["rule"], f["line"], f["confidence"], f["secret_id"])
            for f in findings if f["kind"] == "secret"}


@pytest.mark.parametrize("threshold", ["medium", "low"])
def test_scan_and_history_judge_head_alike(tmp_path: Path, threshold: str) -> None:
    repo = make_repo(tmp_path / "repo")
    for rel, text in _files().items():
        write(repo, rel, text)
    commit_all(repo, "add")
    scan = run_cli("scan", "--format", "json", "--min-confidence", threshold, cwd=repo)
    history = run_cli("history", "--format", "json", "--min-confidence", threshold, cwd=repo)
    assert scan.code == history.code == 1, (scan, history)
    in_scan = _secret_keys(scan.json()["findings"])
    in_history = _secret_keys([f for f in history.json()["findings"] if f.get("in_head")])
    assert in_scan == in_history
    paths = {key[0] for key in in_scan}
    # the base64-wrapped token is found by both; the minified bundle and the lockfile by neither
    assert "deploy/values.yaml" in paths and "src/service.py" in paths and ".env" in paths
    assert "web/dist/app.min.js" not in paths and "package-lock.json" not in paths
    assert any(key[0] == "config/app.yml" and key[1].startswith("aws.") for key in in_scan)


def test_staged_and_pre_push_judge_a_commit_alike(tmp_path: Path) -> None:
    remote = make_repo(tmp_path / "remote.git", bare=True)
    repo = make_repo(tmp_path / "work")
    git(repo, "remote", "add", "origin", str(remote))
    for rel, text in _files().items():
        write(repo, rel, text)
    git(repo, "add", "-A")
    staged = run_cli("staged", "--whole-files", "--format", "json", cwd=repo)
    tip = commit_all(repo, "first commit")
    pushed = run_cli("pre-push", "origin", str(remote), "--format", "json", cwd=repo,
                     input=f"refs/heads/main {tip} refs/heads/main {ZERO}\n")
    assert staged.code == pushed.code == 1, (staged, pushed)
    assert _secret_keys(staged.json()["findings"]) == _secret_keys(pushed.json()["findings"])
    # and a push scans what it adds: nothing once the remote has it
    git(repo, "push", "-q", "origin", "main")
    again = run_cli("pre-push", "origin", str(remote), cwd=repo, input=f"refs/heads/main {tip} refs/heads/main {tip}\n")
    assert again.code == 0, again


def test_pre_push_without_refs_scans_every_unpushed_commit(tmp_path: Path) -> None:
    """pre-commit passes no refs for a push whose range holds a root commit: never scan nothing."""
    repo = make_repo(tmp_path / "work")
    write(repo, "app.py", f"TOKEN = '{fake_github_token()}'\n")
    commit_all(repo, "root commit with a token")
    write(repo, "README.md", "# app\n")
    commit_all(repo, "docs")
    result = run_cli("pre-push", "origin", "https://example.invalid/app.git", cwd=repo, input="")
    assert result.code == 1 and "app.py:1" in result.stderr, result


def test_first_push_through_pre_commit_framework_is_blocked(tmp_path: Path, pre_commit_hooks: HookRepo) -> None:
    """The real framework, this repository's `credsweep-pre-push` hook id, a first push to an empty remote."""
    env = pre_commit_hooks.env()
    remote = make_repo(tmp_path / "remote.git", bare=True)
    repo = make_repo(tmp_path / "project")
    git(repo, "remote", "add", "origin", str(remote))
    write(repo, ".pre-commit-config.yaml", pre_commit_hooks.config("credsweep-pre-push"))
    write(repo, "app.py", f"API_TOKEN = '{fake_github_token()}'\n")
    commit_all(repo, "first commit")
    install = subprocess.run([sys.executable, "-m", "pre_commit", "install", "-t", "pre-push"], cwd=repo, env=env,
                             capture_output=True, text=True, check=False)
    assert install.returncode == 0, install.stdout + install.stderr
    push = subprocess.run(["git", "push", "origin", "main"], cwd=repo, env=env, capture_output=True, text=True,
                          check=False, timeout=900)
    out = push.stdout + push.stderr
    assert push.returncode != 0 and "credsweep blocked this push" in out and "app.py:1" in out, out
    assert git(remote, "for-each-ref").strip() == ""  # nothing reached the remote
