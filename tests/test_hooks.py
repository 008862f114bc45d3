"""Hooks from `install-hooks`: every piece of advice they print, followed literally, works.

Each test makes a real repository, installs the real hooks, lets git run them (`git commit`,
`git push`), takes the commands the block message prints, runs them as printed, and checks that the
next commit or push passes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import commit_all, fake_github_token, git, hook_env, make_repo, run_cli, write


def _git_run(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """git with the hooks running (no --no-verify)."""
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=False)


def _printed_commands(message: str) -> list[str]:
    """The commands a block message prints: its lines indented by six spaces."""
    return [line[6:] for line in message.splitlines() if line.startswith("      ") and line[6:7] != " "]


def _follow(repo: Path, env: dict[str, str], command: str, ok: tuple[int, ...] = (0,)) -> None:
    """Run a printed command as printed, in a shell, as a user would paste it."""
    done = subprocess.run(command, shell=True, cwd=repo, env=env, capture_output=True, text=True, check=False)
    assert done.returncode in ok, f"{command!r} failed: {done.stdout}{done.stderr}"


def _one(commands: list[str], pattern: str) -> str:
    found = [c for c in commands if re.fullmatch(pattern, c)]
    assert len(found) == 1, (pattern, commands)
    return found[0]


def _project(root: Path) -> Path:
    repo = make_repo(root)
    write(repo, "README.md", "# project\n")
    commit_all(repo, "init")
    return repo


# --- commits (staged) -----------------------------------------------------------------------------------

def test_commit_advice_works_as_printed(tmp_path: Path) -> None:
    repo = _project(tmp_path / "repo")
    env = hook_env(tmp_path)
    assert run_cli("install-hooks", cwd=repo).code == 0
    write(repo, ".env", "DEBUG=1\n")
    write(repo, "app.py", f"import os\nTOKEN = '{fake_github_token()}'\n")
    git(repo, "add", ".env", "app.py")
    blocked = _git_run(repo, env, "commit", "-m", "add app")
    assert blocked.returncode != 0 and "credsweep blocked this commit" in blocked.stderr, blocked.stderr
    assert "rebase" not in blocked.stderr and "--amend" not in blocked.stderr  # advice for commits, not pushes
    commands = _printed_commands(blocked.stderr)
    _follow(repo, env, _one(commands, r"git restore --staged -- :/\.env"))
    assert ".env" not in git(repo, "diff", "--cached", "--name-only")
    # the token: recorded in the baseline as printed (exit 3: the baseline was rewritten), then staged
    _follow(repo, env, _one(commands, r"credsweep staged --update-baseline"), ok=(3,))
    _follow(repo, env, _one(commands, r"git add -- :/\.credsweep-baseline\.json"))
    passed = _git_run(repo, env, "commit", "-m", "add app")
    assert passed.returncode == 0, passed.stderr
    assert set(git(repo, "show", "--name-only", "--format=", "HEAD").split()) == {"app.py", ".credsweep-baseline.json"}


def test_allow_comment_advice_works(tmp_path: Path) -> None:
    repo = _project(tmp_path / "repo")
    env = hook_env(tmp_path)
    assert run_cli("install-hooks", cwd=repo).code == 0
    token = fake_github_token()
    write(repo, "fixture.py", f"TOKEN = '{token}'\n")
    git(repo, "add", "fixture.py")
    blocked = _git_run(repo, env, "commit", "-m", "fixture")
    assert blocked.returncode != 0 and "Add `credsweep:allow` in a comment on that line" in blocked.stderr
    write(repo, "fixture.py", f"TOKEN = '{token}'  # credsweep:allow\n")
    git(repo, "add", "fixture.py")
    assert _git_run(repo, env, "commit", "-m", "fixture").returncode == 0


def test_hook_with_its_own_baseline_prints_commands_that_use_it(tmp_path: Path) -> None:
    repo = _project(tmp_path / "repo")
    env = hook_env(tmp_path)
    installed = run_cli("install-hooks", "--baseline", "ci/credsweep.json", cwd=repo)
    assert installed.code == 0 and "does not exist yet" in installed.stdout, installed
    script = (repo / ".git/hooks/pre-commit").read_text()
    assert "credsweep staged --baseline ci/credsweep.json" in script
    write(repo, "old.py", f"T = '{fake_github_token()}'\n")
    git(repo, "add", "old.py")
    # the baseline the hook names does not exist: one line saying how to create it, followed as printed
    missing = _git_run(repo, env, "commit", "-m", "old")
    assert missing.returncode != 0 and len(missing.stderr.strip().splitlines()) == 1, missing.stderr
    create = re.search(r"`(credsweep baseline create --baseline [^`]+)`", missing.stderr)
    assert create, missing.stderr
    _follow(repo, env, create.group(1))
    assert (repo / "ci/credsweep.json").is_file()
    assert _git_run(repo, env, "commit", "-m", "old").returncode == 0  # old.py is in the working tree: recorded
    # a new secret: the printed commands name the hook's baseline, and work from a sub-folder too
    write(repo, "pkg/new.py", f"T = '{fake_github_token()}'\n")
    git(repo, "add", "pkg/new.py")
    blocked = _git_run(repo, env, "commit", "-m", "new")
    assert blocked.returncode != 0
    commands = _printed_commands(blocked.stderr)
    _follow(repo / "pkg", env, _one(commands, r"credsweep staged --update-baseline --baseline ci/credsweep\.json"),
            ok=(3,))
    _follow(repo / "pkg", env, _one(commands, r"git add -- :/ci/credsweep\.json"))
    assert _git_run(repo, env, "commit", "-m", "new").returncode == 0


def test_hooks_find_credsweep_on_path_and_say_how_to_fix_it_when_missing(tmp_path: Path) -> None:
    repo = _project(tmp_path / "repo")
    assert run_cli("install-hooks", "--pre-push", cwd=repo).code == 0
    for name in ("pre-commit", "pre-push"):
        script = (repo / ".git/hooks" / name).read_text()
        assert sys.executable not in script and str(Path(sys.executable).parent) not in script
        assert "command -v credsweep" in script
    write(repo, "app.py", "print('hello')\n")
    git(repo, "add", "app.py")
    bare_env = {**hook_env(tmp_path), "PATH": os.pathsep.join(p for p in os.defpath.split(os.pathsep) if p)}
    assert subprocess.run(["sh", "-c", "command -v credsweep"], env=bare_env, check=False,
                          capture_output=True).returncode != 0, "this test needs a PATH without credsweep"
    blocked = _git_run(repo, bare_env, "commit", "-m", "hello")
    assert blocked.returncode != 0, "a check that cannot run blocks"
    assert blocked.stderr.strip().count("\n") == 0 and "'credsweep' command is not on PATH" in blocked.stderr
    # the advice: put the bin folder of the virtualenv that has credsweep on PATH
    assert _git_run(repo, hook_env(tmp_path), "commit", "-m", "hello").returncode == 0


# --- pushes (pre-push) ----------------------------------------------------------------------------------

def _pushing(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    remote = make_repo(tmp_path / "remote.git", bare=True)
    repo = _project(tmp_path / "work")
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "--no-verify", "origin", "main")
    assert run_cli("install-hooks", "--pre-push", cwd=repo).code == 0
    git(repo, "checkout", "-q", "-b", "feature")
    return repo, hook_env(tmp_path)


def _added_then_removed(repo: Path) -> None:
    write(repo, "app.py", f"print('one')\nTOKEN = '{fake_github_token()}'\n")
    commit_all(repo, "oops")
    write(repo, "app.py", "import os\nprint('one')\nTOKEN = os.environ['TOKEN']\n")
    commit_all(repo, "read the token from the environment")


def _blocked_push(repo: Path, env: dict[str, str]) -> str:
    push = _git_run(repo, env, "push", "origin", "feature")
    assert push.returncode != 0 and "credsweep blocked this push" in push.stderr, push.stderr
    assert "git restore" not in push.stderr and "--staged" not in push.stderr  # advice for commits, not pushes
    return push.stderr


def test_push_advice_amend_the_last_commit(tmp_path: Path) -> None:
    repo, env = _pushing(tmp_path)
    write(repo, "app.py", f"TOKEN = '{fake_github_token()}'\n")
    commit_all(repo, "app")
    message = _blocked_push(repo, env)
    amend = _one(_printed_commands(message), r"git commit --amend --no-edit -- :/app\.py")
    write(repo, "app.py", "import os\nTOKEN = os.environ['TOKEN']\n")  # "remove the value from app.py"
    _follow(repo, env, amend)
    assert _git_run(repo, env, "push", "origin", "feature").returncode == 0


def test_push_advice_squash_the_commit_that_removed_it(tmp_path: Path) -> None:
    repo, env = _pushing(tmp_path)
    _added_then_removed(repo)
    oops = git(repo, "rev-parse", "HEAD~1").strip()
    message = _blocked_push(repo, env)
    rebase = _one(_printed_commands(message), rf"git rebase -i {oops[:12]}~1")
    # in the editor: mark the commit that removed it `fixup` (it is the second line of the todo list)
    _follow(repo, {**env, "GIT_SEQUENCE_EDITOR": "sed -i -e '2s/^pick/fixup/'"}, rebase)
    assert git(repo, "rev-list", "--count", "main..feature").strip() == "1"
    assert _git_run(repo, env, "push", "origin", "feature").returncode == 0


def test_push_advice_fixup_that_cancels_the_commit_out_leaves_no_empty_commit(tmp_path: Path) -> None:
    """The later commit only took the secret back out: the fixup would be empty, git stops ("No changes /
    Could not apply"), and the printed next step drops the pair instead of leaving an empty commit."""
    repo, env = _pushing(tmp_path)
    write(repo, "config.py", f"TOKEN = '{fake_github_token()}'\n")
    commit_all(repo, "oops")
    git(repo, "rm", "-q", "config.py")
    git(repo, "commit", "-q", "--no-verify", "-m", "take it back out")
    oops = git(repo, "rev-parse", "HEAD~1").strip()
    commands = _printed_commands(_blocked_push(repo, env))
    rebase = _one(commands, rf"git rebase -i {oops[:12]}~1")
    stopped = subprocess.run(rebase, shell=True, cwd=repo, capture_output=True, text=True, check=False,
                             env={**env, "GIT_SEQUENCE_EDITOR": "sed -i -e '2s/^pick/fixup/'"})
    assert stopped.returncode != 0 and "would make" in stopped.stdout + stopped.stderr, stopped
    _follow(repo, env, _one(commands, r"git reset --soft HEAD~1 && git rebase --continue"))
    assert not (repo / ".git/rebase-merge").exists()
    assert git(repo, "rev-list", "--count", "main..feature").strip() == "0"  # neither commit, no empty one
    assert git(repo, "status", "--porcelain") == ""
    assert _git_run(repo, env, "push", "origin", "feature").returncode == 0


def test_push_advice_edit_a_root_commit(tmp_path: Path) -> None:
    remote = make_repo(tmp_path / "remote.git", bare=True)
    repo = make_repo(tmp_path / "work")
    git(repo, "remote", "add", "origin", str(remote))
    write(repo, "app.py", f"TOKEN = '{fake_github_token()}'\n")
    commit_all(repo, "first")
    write(repo, "README.md", "# project\n")
    commit_all(repo, "readme")
    env = hook_env(tmp_path)
    assert run_cli("install-hooks", "--pre-push", cwd=repo).code == 0
    push = _git_run(repo, env, "push", "origin", "main")
    assert push.returncode != 0 and "git restore" not in push.stderr
    rebase = _one(_printed_commands(push.stderr), r"git rebase -i --root")
    # mark it `edit`, remove the value, `git commit --amend --all --no-edit`, `git rebase --continue`
    _follow(repo, {**env, "GIT_SEQUENCE_EDITOR": "sed -i -e '1s/^pick/edit/'"}, rebase)
    write(repo, "app.py", "import os\nTOKEN = os.environ['TOKEN']\n")
    _follow(repo, env, "git commit --amend --all --no-edit")
    _follow(repo, env, "git rebase --continue")
    assert _git_run(repo, env, "push", "origin", "main").returncode == 0


def test_push_advice_record_history_in_the_baseline(tmp_path: Path) -> None:
    repo, env = _pushing(tmp_path)
    _added_then_removed(repo)
    message = _blocked_push(repo, env)
    _follow(repo, env, _one(_printed_commands(message), r"credsweep baseline create --history"))
    assert _git_run(repo, env, "push", "origin", "feature").returncode == 0
    # with a baseline now in place the advice updates it instead, and that works too
    _added_then_removed(repo)
    message = _blocked_push(repo, env)
    _follow(repo, env, _one(_printed_commands(message), r"credsweep baseline update --history"))
    assert _git_run(repo, env, "push", "origin", "feature").returncode == 0


def test_pre_push_honours_a_working_tree_baseline(tmp_path: Path) -> None:
    """`baseline create` without --history records the secrets still in the working tree, by identity:
    pushing the commits that added them passes."""
    repo, env = _pushing(tmp_path)
    write(repo, "legacy.py", f"KEY = '{fake_github_token()}'\n")
    commit_all(repo, "legacy")
    write(repo, "legacy.py", f"# moved down\n\nKEY = '{(repo / 'legacy.py').read_text().split(chr(39))[1]}'\n")
    commit_all(repo, "move it")  # line numbers differ between the commit and the working tree
    _blocked_push(repo, env)
    assert run_cli("baseline", "create", cwd=repo).code == 0
    assert _git_run(repo, env, "push", "origin", "feature").returncode == 0
