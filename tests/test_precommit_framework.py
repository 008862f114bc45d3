"""The real `pre-commit` tool running this repository's `credsweep` hook (`pre-commit run`).

Each test is a project whose `.pre-commit-config.yaml` names this checkout (a snapshot of its working
tree, as `pre-commit try-repo` would use); the hook environment is installed once per session and
shared (``pre_commit_hooks`` in conftest, precommit_env.py).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import commit_all, fake_github_token, git, make_repo, write
from precommit_env import HookRepo


def _project(tmp_path: Path, hooks: HookRepo) -> Path:
    """A repository with one commit holding its README and the pre-commit config."""
    repo = make_repo(tmp_path / "project")
    write(repo, "README.md", "# project\n")
    write(repo, ".pre-commit-config.yaml", hooks.config())
    commit_all(repo, "init")
    return repo


def _run(repo: Path, hooks: HookRepo) -> subprocess.CompletedProcess[str]:
    """`pre-commit run`: the hooks of the pre-commit stage on what is staged."""
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--verbose"], cwd=repo, env=hooks.env(),
                          capture_output=True, text=True, check=False, timeout=900)


def _ran_credsweep(proc: subprocess.CompletedProcess[str]) -> bool:
    """The framework really ran the credsweep hook (not skipped: it has no files filter to skip on)."""
    return "- hook id: credsweep\n" in proc.stdout


def test_clean_staged_change_passes(tmp_path: Path, pre_commit_hooks: HookRepo) -> None:
    repo = _project(tmp_path, pre_commit_hooks)
    write(repo, "app.py", "print('hello')\n")
    git(repo, "add", "app.py")
    clean = _run(repo, pre_commit_hooks)
    assert clean.returncode == 0 and _ran_credsweep(clean), clean.stdout + clean.stderr


def test_token_in_working_tree_but_not_staged_does_not_block(tmp_path: Path, pre_commit_hooks: HookRepo) -> None:
    repo = _project(tmp_path, pre_commit_hooks)
    write(repo, "scratch.py", f"T = '{fake_github_token()}'\n")  # untracked
    write(repo, "README.md", f"# project\nT = '{fake_github_token()}'\n")  # tracked, changed, not staged
    write(repo, "notes.md", "notes\n")
    git(repo, "add", "notes.md")
    unstaged = _run(repo, pre_commit_hooks)
    assert unstaged.returncode == 0 and _ran_credsweep(unstaged), unstaged.stdout + unstaged.stderr


def test_staged_token_is_blocked_with_the_actionable_message(tmp_path: Path, pre_commit_hooks: HookRepo) -> None:
    repo = _project(tmp_path, pre_commit_hooks)
    write(repo, "service.py", f"import os\nAPI_TOKEN = '{fake_github_token()}'\n")
    git(repo, "add", "service.py")
    blocked = _run(repo, pre_commit_hooks)
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0 and "service.py:2" in out and "credsweep blocked this commit" in out, out
    assert "credsweep:allow" in out


def test_staged_env_file_is_blocked(tmp_path: Path, pre_commit_hooks: HookRepo) -> None:
    repo = _project(tmp_path, pre_commit_hooks)
    write(repo, ".env", "DEBUG=1\n")
    git(repo, "add", ".env")
    env_file = _run(repo, pre_commit_hooks)
    out = env_file.stdout + env_file.stderr
    assert env_file.returncode != 0 and _ran_credsweep(env_file) and ".env" in out, out


def test_baselined_finding_does_not_block(tmp_path: Path, pre_commit_hooks: HookRepo) -> None:
    """The baseline is named in the project's config, as users set it up."""
    repo = _project(tmp_path, pre_commit_hooks)
    write(repo, "legacy.py", f"KEY = '{fake_github_token()}'\n")
    git(repo, "add", "legacy.py")
    unbaselined = _run(repo, pre_commit_hooks)  # without the baseline, the same staged token blocks
    assert unbaselined.returncode != 0 and "legacy.py:1" in unbaselined.stdout + unbaselined.stderr, unbaselined
    write(repo, ".credsweep.toml", 'baseline = ".credsweep-baseline.json"\nhygiene = false\n')
    created = subprocess.run([sys.executable, "-m", "credsweep", "baseline", "create"], cwd=repo,
                             capture_output=True, text=True, check=False)
    assert created.returncode == 0, created.stderr
    git(repo, "add", ".credsweep.toml", ".credsweep-baseline.json")
    baselined = _run(repo, pre_commit_hooks)
    assert baselined.returncode == 0 and _ran_credsweep(baselined), baselined.stdout + baselined.stderr
