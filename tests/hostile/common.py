"""What the hostile corpus shares: the real CLI with a hang guard, escape-laden names, a repository
holding a secret in history under a hostile author and subject."""

from __future__ import annotations

import faulthandler
import os
import subprocess
import sys
from pathlib import Path

from conftest import SRC, Result, commit_all, fake_github_token, git, make_repo, run_cli, write

HANG_GUARD = 600.0
"""Seconds after which a command is declared hung (a guard, not a timing assertion: every command here
finishes in seconds once the rules are compiled, which on a cold cache and a loaded machine can take a
minute or two; the bugs reproduced made them run forever or until memory ran out)."""
ESCAPES = "\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2J\x1b[31m\x9b1m"
"""An OSC 52 clipboard write, a bell, clear-screen, a colour and a C1 CSI: what must never reach a terminal raw."""
RAW = ("\x1b", "\x07", "\x9b")


def run(*args: str, cwd: Path | None = None, input: str | None = None, env: dict[str, str] | None = None,
        timeout: float = HANG_GUARD, process: bool = False) -> Result:
    """The real CLI, failing the test (not hanging it) when it does not end: in this process through
    ``cli.main(argv)`` (conftest's ``run_cli``) under a watchdog that ends the worker with every
    thread's traceback (pytest-xdist reports the test as failed), or, with ``process=True`` (a file
    the command must not read from this process, such as ``/dev/stdin``; a deadline that kills a
    child), as ``python -m credsweep`` killed at ``timeout``."""
    if not process:
        faulthandler.dump_traceback_later(timeout, exit=True)
        try:
            return run_cli(*args, cwd=cwd, input=input, env=env)
        finally:
            faulthandler.cancel_dump_traceback_later()
    full = dict(os.environ)
    full["PYTHONPATH"] = str(SRC) + os.pathsep + full.get("PYTHONPATH", "")
    full.update(env or {})
    try:
        proc = subprocess.run([sys.executable, "-m", "credsweep", *args], cwd=cwd, capture_output=True, text=True,
                              input=input, env=full, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"credsweep {' '.join(args)} did not end within {timeout:g} s") from None
    return Result(proc)


def assert_no_raw_escapes(*texts: str) -> None:
    """No ESC, BEL or C1 CSI byte anywhere in what a person would see."""
    for text in texts:
        for char in RAW:
            assert char not in text, f"raw {char!r} in output: {text[max(0, text.find(char) - 60):][:160]!r}"


def hostile_history(path: Path) -> tuple[Path, str]:
    """A repository whose commit adding a secret has an escape-laden author and subject, and whose file
    names hold escapes too. Returns (repository, the secret)."""
    repo = make_repo(path)
    token = fake_github_token()
    write(repo, f"conf/evil{ESCAPES}.py", f'TOKEN = "{token}"\n')
    write(repo, "app.py", f'GITHUB_TOKEN = "{token}"\n')
    git(repo, "add", "-A")
    env_author = {"GIT_AUTHOR_NAME": f"Eve{ESCAPES}", "GIT_AUTHOR_EMAIL": "eve@example.invalid"}
    proc = subprocess.run(["git", "commit", "-q", "--no-verify", "-m", f"add config {ESCAPES} done"], cwd=repo,
                          env={**os.environ, **env_author}, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return repo, token


__all__ = ["ESCAPES", "assert_no_raw_escapes", "commit_all", "hostile_history", "run"]
