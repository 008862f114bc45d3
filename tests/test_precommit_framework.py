"""The real `pre-commit` tool running this repository's hooks (`pre-commit try-repo`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, commit_all, fake_github_token, git, make_repo, write


def _try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "credsweep", "--verbose"],
                          cwd=repo, env=env, capture_output=True, text=True, check=False, timeout=900)


def test_pre_commit_try_repo_scenarios(tmp_path: Path) -> None:
    """One test, several commits: the hook's environment is built once (it installs credsweep)."""
    home = tmp_path / "pre-commit-home"
    repo = make_repo(tmp_path / "project")
    write(repo, "README.md", "# project\n")
    commit_all(repo, "init")

    # a clean staged change passes
    write(repo, "app.py", "print('hello')\n")
    git(repo, "add", "app.py")
    clean = _try_repo(repo, home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    commit_all(repo, "clean")

    # the same token in the working tree but not staged does not block
    token = fake_github_token()
    write(repo, "scratch.py", f"T = '{token}'\n")
    write(repo, "notes.md", "notes\n")
    git(repo, "add", "notes.md")
    unstaged = _try_repo(repo, home)
    assert unstaged.returncode == 0, unstaged.stdout + unstaged.stderr
    commit_all(repo, "notes")  # commit_all adds everything: scratch.py too (hooks are not run here)

    # a staged token is blocked, with the actionable message
    write(repo, "service.py", f"import os\nAPI_TOKEN = '{fake_github_token()}'\n")
    git(repo, "add", "service.py")
    blocked = _try_repo(repo, home)
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0 and "service.py:2" in out and "credsweep blocked this commit" in out
    assert "credsweep:allow" in out
    git(repo, "reset", "-q", "service.py")

    # a staged .env is blocked
    write(repo, ".env", "DEBUG=1\n")
    git(repo, "add", ".env")
    env_file = _try_repo(repo, home)
    assert env_file.returncode != 0 and ".env" in env_file.stdout + env_file.stderr
    git(repo, "reset", "-q", ".env")
    (repo / ".env").unlink()

    # a baselined finding does not block (baseline named in the project's config)
    write(repo, "legacy.py", f"KEY = '{fake_github_token()}'\n")
    write(repo, ".credsweep.toml", 'baseline = ".credsweep-baseline.json"\nhygiene = false\n')
    (repo / "service.py").unlink()
    created = subprocess.run([sys.executable, "-m", "credsweep", "baseline", "create"], cwd=repo,
                             capture_output=True, text=True, check=False)
    assert created.returncode == 0, created.stderr
    git(repo, "add", "legacy.py", ".credsweep.toml", ".credsweep-baseline.json")
    baselined = _try_repo(repo, home)
    assert baselined.returncode == 0, baselined.stdout + baselined.stderr
