"""The real `pre-commit` tool running this repository's `credsweep` hook (`pre-commit run`).

Each test is a project whose `.pre-commit-config.yaml` names this checkout (a snapshot of its working
tree, as `pre-commit try-repo` would use); the hook environment is installed once per session and
shared (``pre_commit_hooks`` in conftest, precommit_env.py).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

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


# --- the README's setup, and the block messages' advice, followed under the framework ------------------------

README = Path(__file__).resolve().parent.parent / "README.md"
UPSTREAM = "https://github.com/credsweep/credsweep"
PLACEHOLDER = "<full-commit-sha>"


def _readme_section() -> str:
    """The README's "As a pre-commit hook" section, as a new user reads it."""
    text = README.read_text()
    start = text.index("### As a pre-commit hook")
    return text[start:text.index("\n### ", start + 1)]


def _blocks(section: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", section, re.S)


def _user_env(hooks: HookRepo) -> dict[str, str]:
    """A user's shell: the session's pre-commit store, no credsweep on PATH, not inside a hook."""
    env = hooks.env()
    env["PATH"] = os.pathsep.join(p for p in os.defpath.split(os.pathsep) if p)
    env.pop("PRE_COMMIT", None)
    env.pop("PYTHONPATH", None)
    assert subprocess.run(["sh", "-c", "command -v credsweep"], env=env, capture_output=True,
                          check=False).returncode != 0, "this test needs a PATH without credsweep"
    return env


def _shell(repo: Path, env: dict[str, str], command: str) -> subprocess.CompletedProcess[str]:
    """A printed command run as printed, pasted into a shell."""
    return subprocess.run(command, shell=True, cwd=repo, env=env, capture_output=True, text=True, check=False,
                          timeout=600)


def _printed(message: str) -> list[str]:
    """The commands a block message prints: its lines indented by six spaces."""
    return [line[6:] for line in message.splitlines() if line.startswith("      ") and line[6:7] != " "]


def _credsweep_commands(message: str, hooks: HookRepo) -> list[str]:
    """The printed credsweep commands: each runs pre-commit's own interpreter of the hook, by absolute path."""
    found = [c for c in _printed(message) if "credsweep" in c.split(" -- ")[0] and not c.startswith("git ")]
    assert found, message
    for command in found:
        interpreter = shlex.split(command)[0]
        assert Path(interpreter).is_absolute() and Path(interpreter).is_relative_to(hooks.home), command
        assert shlex.split(command)[1:3] == ["-m", "credsweep"], command
    return found


def _pre_commit(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`pre-commit ARGS` as the user types it (pre-commit itself from this test environment)."""
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=repo, env=env, capture_output=True,
                          text=True, check=False, timeout=900)


def test_readme_setup_blocks_a_token_and_its_printed_update_baseline_runs(tmp_path: Path,
                                                                          pre_commit_hooks: HookRepo) -> None:
    hooks = pre_commit_hooks
    section = _readme_section()
    (snippet,) = [b for b in _blocks(section, "yaml") if "repos:" in b]
    (setup,) = _blocks(section, "sh")
    assert f"repo: {UPSTREAM}" in snippet and f"rev: {PLACEHOLDER}" in snippet
    assert "pre-commit try-repo" in section  # the fallback without any configuration
    commands = [line.split("#")[0].strip() for line in setup.splitlines() if line.startswith("pre-commit ")]
    env = _user_env(hooks)

    # the documented way to fill in `rev`: a full commit id of this repository, with or without a tag
    trial = make_repo(tmp_path / "trial")
    (trial / ".pre-commit-config.yaml").write_text(snippet.replace(UPSTREAM, hooks.url))
    (autoupdate,) = [c for c in commands if c.startswith("pre-commit autoupdate")]
    updated = _pre_commit(trial, env, *shlex.split(autoupdate.replace(UPSTREAM, hooks.url))[1:])
    assert updated.returncode == 0, updated.stdout + updated.stderr
    rev = re.search(r"rev: ([0-9a-f]{40})\b", (trial / ".pre-commit-config.yaml").read_text())
    assert rev and git(hooks.path, "cat-file", "-t", rev.group(1)).strip() == "commit"

    # the snippet as written, `rev` set to the commit under test (the clone's HEAD), installed as documented
    repo = make_repo(tmp_path / "project")
    write(repo, ".pre-commit-config.yaml", snippet.replace(UPSTREAM, hooks.url).replace(PLACEHOLDER, hooks.rev))
    write(repo, "README.md", "# project\n")
    commit_all(repo, "init")
    for install in (c for c in commands if c.startswith("pre-commit install")):
        done = _pre_commit(repo, env, *shlex.split(install)[1:])
        assert done.returncode == 0, done.stdout + done.stderr
    write(repo, "service.py", f"import os\nAPI_TOKEN = '{fake_github_token()}'\n")
    git(repo, "add", "service.py")
    blocked = _shell(repo, env, "git commit -m 'add the service'")
    message = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0 and "credsweep blocked this commit" in message and "service.py:2" in message
    printed = _credsweep_commands(message, hooks)
    (history,) = [c for c in printed if c.endswith(" history")]
    assert _shell(repo, env, history).returncode == 0  # nothing committed yet: history is clean
    (update,) = [c for c in printed if c.endswith("staged --update-baseline")]
    recorded = _shell(repo, env, update)
    assert recorded.returncode == 3 and (repo / ".credsweep-baseline.json").is_file(), recorded
    (stage,) = [c for c in _printed(message) if c.startswith("git add -- ")]
    assert _shell(repo, env, stage).returncode == 0
    passed = _shell(repo, env, "git commit -m 'add the service'")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert set(git(repo, "show", "--name-only", "--format=", "HEAD").split()) == {"service.py",
                                                                                   ".credsweep-baseline.json"}


def test_push_block_under_the_framework_prints_commands_that_run(tmp_path: Path, pre_commit_hooks: HookRepo) -> None:
    hooks = pre_commit_hooks
    env = _user_env(hooks)
    remote = make_repo(tmp_path / "remote.git", bare=True)
    repo = _project(tmp_path, hooks)
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "--no-verify", "origin", "main")
    installed = _pre_commit(repo, env, "install", "-t", "pre-push")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, "app.py", f"print('one')\nTOKEN = '{fake_github_token()}'\n")
    commit_all(repo, "oops")
    write(repo, "app.py", "import os\nprint('one')\nTOKEN = os.environ['TOKEN']\n")
    commit_all(repo, "read the token from the environment")
    blocked = _shell(repo, env, "git push origin feature")
    message = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0 and "credsweep blocked this push" in message, message
    printed = _credsweep_commands(message, hooks)
    (history,) = [c for c in printed if c.endswith(" history")]
    shown = _shell(repo, env, history)
    assert shown.returncode == 1 and "app.py" in shown.stdout, shown  # it shows where the token has been
    (record,) = [c for c in printed if c.endswith("baseline create --history")]
    assert _shell(repo, env, record).returncode == 0
    pushed = _shell(repo, env, "git push origin feature")
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr


def test_printed_commands_name_this_interpreter_only_under_the_framework(monkeypatch: pytest.MonkeyPatch) -> None:
    from credsweep.util.invocation import credsweep_command

    monkeypatch.delenv("PRE_COMMIT", raising=False)
    assert credsweep_command() == "credsweep"  # plain git hooks find credsweep on PATH, and say so when not
    monkeypatch.setenv("PRE_COMMIT", "1")
    assert shlex.split(credsweep_command()) == [sys.executable, "-m", "credsweep"]
