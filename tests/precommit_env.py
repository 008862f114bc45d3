"""The real `pre-commit` tool with this checkout's hooks, its environment installed once per test session.

`pre-commit try-repo` builds a new store (a new virtualenv and a `pip install` of credsweep, 6-15 s)
on every call, whatever PRE_COMMIT_HOME says. The tests instead name a snapshot of this checkout as
an ordinary `repo:` in their `.pre-commit-config.yaml` and share one PRE_COMMIT_HOME: pre-commit
installs the hook environment the first time and reuses it, as it does for its users.

The snapshot is what `try-repo` would install: HEAD plus the working tree's changes (modified,
deleted and untracked files that are not ignored), committed in a clone. It and the store live in a
folder of the system's temporary folder named by a digest of what the hook environment is built from
(the package's sources, rulesets and metadata, the hooks' definitions, the Python and pre-commit
running the tests: ``interpreter``, not the venv's path), so every xdist worker uses the same ones (a
file lock makes the first worker build the snapshot; pre-commit's own store lock serialises the
install), and a later session of the same content, in this checkout or another, finds the environment
installed, as a user's second commit does (a change to any of those files gives a new digest: a fresh
snapshot and install).

``start_install`` begins the install in the background as soon as collection shows a test needs it,
so the ~10 s it costs overlaps other tests instead of being charged to one test's setup.
"""

from __future__ import annotations

import fcntl
import functools
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOOK_IDS = ("credsweep", "credsweep-pre-push")
_INSTALLS: list[subprocess.Popen[bytes]] = []


@dataclass(frozen=True)
class HookRepo:
    """A snapshot of this checkout that pre-commit can clone, and the session's pre-commit store."""

    path: Path
    rev: str
    home: Path
    """PRE_COMMIT_HOME: the store holding the one installed hook environment."""

    @property
    def url(self) -> str:
        """The snapshot as a ``file://`` URL: what every test's config names (pre-commit's store keys its
        environments by the exact repo string and rev, so one spelling means one install)."""
        return self.path.as_uri()

    def config(self, *hook_ids: str) -> str:
        """A `.pre-commit-config.yaml` using this checkout's hooks (all of them by default)."""
        hooks = "".join(f"      - id: {hook}\n" for hook in hook_ids or HOOK_IDS)
        return f"repos:\n  - repo: {self.url}\n    rev: {self.rev}\n    hooks:\n{hooks}"

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """``base`` (default: this process's environment) with the session's store."""
        return {**(os.environ if base is None else base), "PRE_COMMIT_HOME": str(self.home),
                "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _tool_env_base() -> dict[str, str]:
    """This process's environment without git's repository overrides, and no system or user git config."""
    env = {key: value for key, value in os.environ.items() if key not in ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE")}
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    return env


def _tool_env(folder: Path) -> dict[str, str]:
    """Environment for the snapshot's git commands and the background install: nothing from the real
    home (git config, pip and virtualenv caches), a pinned identity."""
    home = folder / "home"
    home.mkdir(exist_ok=True)
    env = _tool_env_base()
    env.update(HOME=str(home), XDG_CACHE_HOME=str(folder / "cache"), XDG_DATA_HOME=str(folder / "data"),
               XDG_CONFIG_HOME=str(home / ".config"), GIT_CONFIG_NOSYSTEM="1", PRE_COMMIT_HOME=str(folder / "store"),
               PIP_DISABLE_PIP_VERSION_CHECK="1", GIT_AUTHOR_NAME="Test Author",
               GIT_AUTHOR_EMAIL="author@example.invalid", GIT_COMMITTER_NAME="Test Committer",
               GIT_COMMITTER_EMAIL="committer@example.invalid")
    return env


def _git(cwd: Path, env: dict[str, str], *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
    return proc.stdout


def _snapshot(dest: Path, env: dict[str, str]) -> str:
    """Clone this checkout into ``dest`` and commit its working tree's changes there; the commit id."""
    _git(dest.parent, env, "clone", "-q", str(ROOT), str(dest))
    changed = _git(ROOT, env, "ls-files", "-z", "--modified", "--others", "--exclude-standard").split("\0")
    deleted = set(_git(ROOT, env, "ls-files", "-z", "--deleted").split("\0"))
    for rel in filter(None, changed):
        target = dest / rel
        if rel in deleted:
            target.unlink(missing_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    _git(dest, env, "add", "-A")
    _git(dest, env, "commit", "-q", "--allow-empty", "--no-verify", "-m", "snapshot of the checkout under test")
    return _git(dest, env, "rev-parse", "HEAD").strip()


_INSTALLED_FROM = ("src", "rulesets", "pyproject.toml", "README.md", ".gitignore", ".pre-commit-hooks.yaml")
"""The files `pip install .` of the snapshot reads (hatchling: the package, the rulesets it includes, the
metadata and readme, the ignore rules) and pre-commit's hook definitions."""
KEPT_FOR = 2 * 3600
"""Seconds a snapshot and store nobody used stay (the newest two always stay): each is about 100 MB."""


def interpreter(*packages: str) -> str:
    """The Python running the tests as the kept folders' digests name it: its base interpreter (a venv's
    ``python`` is a link to it; the hook environment's virtualenv is made from it) and version, and the
    installed versions of ``packages``. Not the venv's own path: another checkout of the same content on
    this machine (a second worktree, CI's fresh clone) finds what the first built, as the product's own
    caches are keyed by what they are made from (and still checked when read)."""
    from importlib import metadata

    base = os.path.realpath(getattr(sys, "_base_executable", None) or sys.executable)
    versions = []
    for package in packages:
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} -")
    return "|".join([base, sys.version, *versions])


@functools.lru_cache(maxsize=1)
def kept_folder() -> Path:
    """The snapshot's and store's folder for this checkout's content (see the module's docstring)."""
    import hashlib
    import tempfile

    from pre_commit.constants import VERSION

    env = _tool_env_base()
    digest = hashlib.sha256(f"{interpreter()}|{VERSION}|".encode())
    # what the hook environment is built from (the wheel's files and metadata, the hooks' definitions),
    # as the snapshot holds them: a change to the tests or the docs keeps the installed environment
    listed = _git(ROOT, env, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *_INSTALLED_FROM)
    for rel in sorted(set(filter(None, listed.split("\0")))):
        digest.update(b"\0" + rel.encode("utf-8", "surrogateescape") + b"\0")
        if (ROOT / rel).is_file():  # a deleted file is listed (cached) but not in the snapshot
            digest.update((ROOT / rel).read_bytes())
    return Path(tempfile.gettempdir()) / f"credsweep-tests-{os.getuid()}" / f"pre-commit-{digest.hexdigest()[:24]}"


def _prune(keep: Path) -> None:
    """Snapshots and stores of other contents, unused for ``KEPT_FOR`` seconds, are removed (the newest two stay)."""
    import time

    try:
        folders = sorted(keep.parent.glob("pre-commit-*"), key=lambda path: path.stat().st_mtime, reverse=True)
        for stale in folders[2:]:
            if stale != keep and stale.stat().st_mtime < time.time() - KEPT_FOR:
                shutil.rmtree(stale, ignore_errors=True)
    except OSError:
        pass  # another session pruned meanwhile


def hook_repo(shared: Path) -> HookRepo:
    """The snapshot and store of this checkout's content (built by the first caller that needs them)."""
    del shared  # kept in the signature: the session's folder no longer holds them (see kept_folder)
    folder = kept_folder()
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder / ".lock"):
        rev_file = folder / "rev"
        if not rev_file.exists():
            if not (ROOT / ".git").exists():
                raise AssertionError(f"{ROOT} is not a git checkout: pre-commit needs one to install its hooks from")
            rev_file.write_text(_snapshot(folder / "credsweep", _tool_env(folder)))
        rev = rev_file.read_text()
    return HookRepo(folder / "credsweep", rev, folder / "store")


def parsed_rules(hooks: HookRepo, key: str) -> list[Path]:
    """The hook environment's built-in rules parsed once per installed environment, as the product's cache
    files signed with ``key``: the hook's first run in each test worker parsed its 1,300 ruleset files
    (0.8 CPU-s; its cache entry is named by the installed files' paths and times, which only this
    environment has). Made the first time a session needs them, kept beside the store."""
    folder = hooks.path.parent / "parsed"
    with _locked(hooks.path.parent / ".parsed-lock"):
        if not (folder / "done").exists():
            env = {name: value for name, value in _tool_env(hooks.path.parent).items() if name != "PYTHONPATH"}
            env.update(XDG_CACHE_HOME=str(folder), CREDSWEEP_CACHE_KEY=key)
            for python in sorted(hooks.home.glob("repo*/py_env-*/bin/python")):
                subprocess.run([str(python), "-I", "-c", "from credsweep.rules import loader; loader.load_rulesets()"],
                               env=env, capture_output=True, check=False)
            folder.mkdir(exist_ok=True)
            (folder / "done").write_text("done")
    return sorted((folder / "credsweep").glob("rules-*.cache"))


def start_install(shared: Path) -> None:
    """Begin `pre-commit install-hooks` for the session's snapshot in the background (once per session)."""
    hooks = hook_repo(shared)
    folder = hooks.path.parent
    try:
        marker = os.open(shared / "pre-commit-install-started", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return  # another worker started it: pre-commit's store lock makes everyone else wait for it
    os.close(marker)
    os.utime(folder)
    _prune(folder)
    config = folder / "install-config.yaml"
    config.write_text(hooks.config())
    # installed by an earlier session of this content: install-hooks only checks it (about 0.3 s)
    log = (shared / "pre-commit-install.log").open("wb")
    # at a low priority: it has most of the session to finish, and the tests running meanwhile come first
    _INSTALLS.append(subprocess.Popen([sys.executable, "-m", "pre_commit", "install-hooks", "--config", str(config)],
                                      cwd=hooks.path, env=_tool_env(folder), stdout=log, stderr=subprocess.STDOUT,
                                      preexec_fn=lambda: os.nice(15), start_new_session=True))
    log.close()


def wait_for_install(shared: Path) -> None:
    """Wait for this process's background install, failing with its log when it failed."""
    while _INSTALLS:
        proc = _INSTALLS.pop()
        if proc.wait() != 0:
            log = shared / "pre-commit-install.log"
            raise AssertionError(f"pre-commit install-hooks failed ({proc.returncode}):\n{log.read_text()[-4000:]}")


def stop_install() -> None:
    """End of session: a background install nobody waited for is ended, with every process it started
    (pip and its builds run in the install's own process group)."""
    while _INSTALLS:
        proc = _INSTALLS.pop()
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait()
