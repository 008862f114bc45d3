"""Test helpers: real git repositories in temporary folders, the real CLI in a subprocess.

Every test runs with HOME and XDG folders inside its tmp_path (nothing is written to the real
home), a pinned git identity, and a fixed report salt.
"""

from __future__ import annotations

import atexit
import functools
import gc
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import precommit_env
from credsweep.content.validators import base62

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"

# Every Python process of the suite (xdist workers, git hooks, Celery workers, the CLI run as a process)
# imports credsweep from this checkout's sources. With PYTHONDONTWRITEBYTECODE in the environment (as on a
# shared machine whose harness sets it), each one compiled its hundred modules again (90 ms a process, a
# third of a hook's start-up): the suite keeps Python's default bytecode cache (``__pycache__``, git-ignored).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def shared_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's temporary folder shared by every xdist worker (each worker's basetemp is inside it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session", autouse=True)
def _pre_commit_install_in_background(request: pytest.FixtureRequest,
                                      tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """When a collected test uses ``pre_commit_hooks``, start installing its environment now (see precommit_env)."""
    if any("pre_commit_hooks" in getattr(item, "fixturenames", ()) for item in request.session.items):
        precommit_env.start_install(shared_tmp(tmp_path_factory))
    yield
    precommit_env.stop_install()


@pytest.fixture(scope="session")
def pre_commit_hooks(tmp_path_factory: pytest.TempPathFactory) -> precommit_env.HookRepo:
    """This checkout's hooks for the real `pre-commit`, installed once per session in a shared store."""
    shared = shared_tmp(tmp_path_factory)
    precommit_env.start_install(shared)
    precommit_env.wait_for_install(shared)
    hooks = precommit_env.hook_repo(shared)
    # the hook's own parsed rules in this worker's cache (the hooks run with it), as after a user's first commit
    target = session_cache_home(tmp_path_factory) / "credsweep"
    for parsed in precommit_env.parsed_rules(hooks, SESSION_CACHE_KEY):
        target.mkdir(parents=True, exist_ok=True)
        if not (target / parsed.name).exists():
            shutil.copy2(parsed, target / parsed.name)
    return hooks


SESSION_CACHE_KEY = "test-session-cache-key"
"""``CREDSWEEP_CACHE_KEY`` of every test: one key for the session's cache (each test's own key file
would invalidate it every test)."""


def session_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``XDG_CACHE_HOME`` of every test of this worker: the compiled rules and the Hyperscan
    database of a ruleset (seconds of CPU each) are built once, not per test. One per worker, not one
    for the session: the validation answers (``validation.json``) live there too, and two workers
    rewriting that file at once could drop an answer a test counts on."""
    return tmp_path_factory.getbasetemp() / "cache"


BUILTINS_FOLDER = "builtins-cache"
"""Under the session's temporary folder: the built-in rules compiled once by the xdist controller."""
_COMPILE = ("import os, pathlib, shutil, sys, tempfile\n"
            "folder, kept = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])\n"
            "try:\n"
            "    from credsweep.content.engine import make_engine\n"
            "    from credsweep.rules import loader\n"
            "    make_engine(loader.load_rulesets().rules)\n"
            "    kept.parent.mkdir(parents=True, exist_ok=True)\n"
            "    staging = pathlib.Path(tempfile.mkdtemp(dir=kept.parent, prefix='.staging-'))\n"
            "    shutil.copytree(folder / 'credsweep', staging, dirs_exist_ok=True)\n"
            "    try:\n"
            "        os.rename(staging, kept)  # whole or not at all; a session that got there first wins\n"
            "    except OSError:\n"
            "        shutil.rmtree(staging, ignore_errors=True)\n"
            "finally:\n"
            "    (folder / 'done').write_text('done')\n")
_COMPILER = pytest.StashKey[subprocess.Popen[bytes]]()
KEPT_BUILTINS = 3
"""Compiled built-in rules kept between sessions (the newest; one per version of the code and rules)."""


def kept_builtins() -> Path:
    """Where the built-in rules compiled by an earlier session of this checkout's exact sources are kept,
    in the system's temporary folder (never the user's home): a folder named by a digest of every source
    file, ruleset and the Python running the tests (``precommit_env.interpreter``: another checkout of the
    same sources finds them), so a change to any of them compiles afresh. The
    files are the product's own signed cache files (signed with ``SESSION_CACHE_KEY``), which the product
    still verifies when it reads them."""
    import hashlib
    import tempfile

    # the packages whose versions the compiled files depend on (the product's cache keys name them too)
    digest = hashlib.sha256(precommit_env.interpreter("hyperscan", "google-re2").encode())
    for path in sorted([*SRC.rglob("*.py"), *(ROOT / "rulesets").rglob("*.toml"), ROOT / "pyproject.toml"]):
        digest.update(b"\0" + str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return Path(tempfile.gettempdir()) / f"credsweep-tests-{os.getuid()}" / f"builtins-{digest.hexdigest()[:24]}"


def _prune_kept(kept: Path) -> None:
    """The newest ``KEPT_BUILTINS`` compiled folders stay (each is a few megabytes), and any used in the
    last hour (another checkout's session may be copying it)."""
    try:
        folders = sorted(kept.parent.glob("builtins-*"), key=lambda path: path.stat().st_mtime, reverse=True)
        for stale in folders[KEPT_BUILTINS:]:
            if stale.stat().st_mtime < time.time() - 3600:
                shutil.rmtree(stale, ignore_errors=True)
    except OSError:
        pass  # another session pruned meanwhile


def _remove_old_sessions_meanwhile(config: pytest.Config) -> None:
    """Remove the folders of earlier sessions (beyond pytest's newest three, ``tmp_path_retention_count``)
    in a thread while the tests run. pytest removes them when the session ends, in the controller after
    the last test, and every file written back to this disk costs a synchronous discard to remove (2.8 ms):
    an earlier session's 20,000 files were a 15-80 s wait with no CPU at the end of a run. This is pytest's
    own clean-up (the same folders, locks and rules), run early; at the end it finds little left to do."""
    import threading

    try:
        from _pytest.pathlib import LOCK_TIMEOUT, cleanup_numbered_dir
    except ImportError:  # another pytest's internals: its own clean-up at the end is all there is
        return
    factory = config._tmp_path_factory  # type: ignore[attr-defined]
    if factory._given_basetemp is not None:  # --basetemp: no numbered folders
        return
    basetemp = factory.getbasetemp()
    keep = int(config.getini("tmp_path_retention_count"))
    threading.Thread(target=cleanup_numbered_dir, name="remove-old-pytest-sessions", daemon=True,
                     args=(basetemp.parent, "pytest-", keep, basetemp.stat().st_mtime - LOCK_TIMEOUT)).start()


MEMORY_TEMPROOT = Path("/dev/shm")
"""Where the sessions' folders go when it is a memory filesystem with room (``_temproot_in_memory``)."""
MEMORY_TEMPROOT_FREE = 4 << 30
"""Bytes it must have free: the session's tests hold a few hundred megabytes at a time (the largest, a
60 MB history), and a small one (a container's 64 MB default) is left alone."""


def _temproot_in_memory(config: pytest.Config) -> None:
    """The session's folder (every ``tmp_path``: the suite's thousands of git repositories and files) on a
    memory filesystem when the machine has one with room and nobody chose where temporary files go
    (``--basetemp``, ``TMPDIR``, ``PYTEST_DEBUG_TEMPROOT``). On a disk mounted with ``discard`` every removed
    file is a synchronous discard: the suite's system CPU time was a quarter of its CPU (27 of 111 CPU-s),
    and on tmpfs a subset of git-heavy tests used 37% less system time. The tests' processes see the same
    real files, git and filesystem semantics (modes, links, FIFOs); their own temporary files stay in the
    system's temporary folder."""
    factory = getattr(config, "_tmp_path_factory", None)
    if config.option.basetemp or any(os.environ.get(name) for name in ("TMPDIR", "PYTEST_DEBUG_TEMPROOT")) \
            or getattr(factory, "_basetemp", None) is not None:  # made already: too late to move it
        return
    try:
        with open("/proc/mounts", encoding="utf-8") as mounts:
            tmpfs = any(line.split()[1:3] == [str(MEMORY_TEMPROOT), "tmpfs"] for line in mounts if line.strip())
        usage = os.statvfs(MEMORY_TEMPROOT)
    except OSError:
        return
    if tmpfs and usage.f_bavail * usage.f_frsize >= MEMORY_TEMPROOT_FREE and os.access(MEMORY_TEMPROOT, os.W_OK | os.X_OK):
        os.environ["PYTEST_DEBUG_TEMPROOT"] = str(MEMORY_TEMPROOT)  # pytest's own setting; the workers inherit it


@pytest.hookimpl(trylast=True)  # after the tmpdir plugin's, which makes the session's folder
def pytest_configure(config: pytest.Config) -> None:
    """With ``-n``, the controller compiles the built-in rules (parsed form and Hyperscan database, seconds
    of CPU) once, in a process of its own while the workers start and collect, instead of every worker
    compiling them at its first scan, charged to whichever test came first (``_builtins_from_the_controller``
    copies them into each worker's cache). Compiled once per version of the sources: a later session of
    the same sources copies what the first kept (``kept_builtins``), as a user's second scan reads its cache."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    _temproot_in_memory(config)
    _remove_old_sessions_meanwhile(config)
    if not getattr(config.option, "numprocesses", None):
        return
    folder = config._tmp_path_factory.getbasetemp() / BUILTINS_FOLDER  # type: ignore[attr-defined]
    folder.mkdir()
    kept = kept_builtins()
    (folder / "kept").write_text(str(kept))  # for the workers (``_keep_parsed_rules``), which need not hash it all again
    try:  # an earlier session compiled these very sources: its cache files, not seconds of CPU
        os.utime(kept)  # in use: the last to be pruned
        shutil.copytree(kept, folder / "credsweep")
    except OSError:  # none yet (or removed meanwhile): compiled below
        shutil.rmtree(folder / "credsweep", ignore_errors=True)
    else:
        (folder / "done").write_text("done")
        _prune_kept(kept)
        return
    env = dict(os.environ, XDG_CACHE_HOME=str(folder), CREDSWEEP_CACHE_KEY=SESSION_CACHE_KEY,
               HOME=str(folder), XDG_DATA_HOME=str(folder / "data"), XDG_CONFIG_HOME=str(folder / "config"),
               PYTHONPATH=str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    config.stash[_COMPILER] = subprocess.Popen([sys.executable, "-c", _COMPILE, str(folder), str(kept)], env=env,
                                               stdin=subprocess.DEVNULL)


FREEZE_EVERY = 50
"""Tests between two ``gc.freeze()`` of a test process (see ``pytest_runtest_protocol``)."""
_TESTS_RUN = pytest.StashKey[int]()


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection built (modules, test items, Hypothesis' strategies) lives until the session ends:
    Python's cyclic garbage collector need not walk it again at every full collection (see below)."""
    gc.collect()
    gc.freeze()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Every ``FREEZE_EVERY`` tests, after a test's teardown: collect the garbage, then move what is
    still alive (the session's fixtures, compiled rules and caches, reports) out of the collector's reach.
    A worker's heap grows to 200,000-380,000 objects and each full collection walked all of it (17 a
    session, 0.15 s of CPU each, 1.7-3 CPU-s a worker in all); a process a test forks (pools, hooks run in
    process) inherits the frozen heap, so its own collections neither walk nor copy those pages. Nothing
    tested depends on when a cycle is collected; an object frozen here and dropped later is freed when its
    count falls to zero, as any, and only a cycle among such objects stays until the process ends."""
    yield
    count = item.config.stash.get(_TESTS_RUN, 0) + 1
    item.config.stash[_TESTS_RUN] = count
    if count % FREEZE_EVERY == 0:
        gc.collect()
        gc.freeze()


_REMOVER_CODE = ("import os, shutil, sys\n"
                 "for line in sys.stdin.buffer:\n"
                 "    if line == b'\\n':\n"
                 "        break\n"
                 "    shutil.rmtree(os.fsdecode(line[:-1]), ignore_errors=True)\n")


class _Remover:
    """The folders a test leaves (its ``tmp_path``, its home) removed by a process of their own, beside the
    tests. On this disk each directory removed waits about 2.5 ms for its block to be discarded (a file
    written seconds before costs nothing: its blocks were never allocated), with no CPU: a test's
    repositories (20-60 directories each) kept its worker idle about 60 ms at teardown, 7 s of wall time
    in 112 tests of test_hooks, test_baseline, test_history, test_fleet... The folders are removed in the
    order given; ``finish`` waits for the last (no process outlives the session, nothing is left)."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None

    def remove(self, path: str | os.PathLike[str], ignore_errors: bool = True) -> None:
        """What ``shutil.rmtree(path, ignore_errors=True)`` does, done by the remover (pytest's own removal
        of a passed test's ``tmp_path`` calls this)."""
        name = os.fsencode(path)
        if self.proc is None:
            self.proc = subprocess.Popen([sys.executable, "-c", _REMOVER_CODE], stdin=subprocess.PIPE,
                                         stdout=subprocess.DEVNULL)
        if b"\n" not in name and self.proc.poll() is None and self.proc.stdin is not None:
            try:
                self.proc.stdin.write(name + b"\n")
                self.proc.stdin.flush()
                return
            except OSError:
                pass
        shutil.rmtree(path, ignore_errors=ignore_errors)

    def finish(self) -> None:
        if self.proc is None:
            return
        try:
            if self.proc.stdin is not None:
                self.proc.stdin.write(b"\n")  # the end (a process forked by a test may hold the pipe open)
                self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=600)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


REMOVER = _Remover()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """A passed test's ``tmp_path`` goes to the remover (``_Remover``) instead of being removed at its teardown."""
    try:
        import _pytest.tmpdir as tmpdir
    except ImportError:  # another pytest's internals: its own removal, in the test's process
        return
    if callable(getattr(tmpdir, "rmtree", None)):
        session.stash[_PYTEST_RMTREE] = tmpdir.rmtree
        tmpdir.rmtree = REMOVER.remove  # type: ignore[assignment]


_PYTEST_RMTREE = pytest.StashKey[Any]()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Before pytest's own clean-up at the session's end (the session's folder, then its dead symlinks, which
    the remover could be removing meanwhile): every folder given to the remover is gone, and pytest removes
    what is left itself."""
    original = session.stash.get(_PYTEST_RMTREE, None)
    if original is not None:
        import _pytest.tmpdir as tmpdir

        tmpdir.rmtree = original
    REMOVER.finish()


def pytest_unconfigure(config: pytest.Config) -> None:
    compiler = config.stash.get(_COMPILER, None)
    if compiler is not None and compiler.poll() is None:  # an interrupted session leaves no process behind
        compiler.kill()
    if compiler is not None:
        compiler.wait()
    REMOVER.finish()


def _builtin_rules_cache() -> str | None:
    """The file name of the built-in rules' cache entry in this checkout (``loader._cache_name``: keyed by
    the ruleset files' paths and times, so another checkout of the same sources names it otherwise)."""
    from credsweep.rules import loader
    from credsweep.util import signedcache

    name = loader._cache_name(loader._ruleset_parts((), True)[0])
    return None if name is None else name + signedcache.SUFFIX


KEPT_RULES = 3
"""Parsed built-in rules of other checkouts (or of earlier file times) kept beside a compiled database."""


@pytest.fixture(scope="session")
def _builtins_from_the_controller(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A worker's cache starts with the controller's compiled built-in rules (see ``pytest_configure``),
    waiting for them at its first test: the workers' start-up and collection take about as long.

    The Hyperscan database is named by the rules' content, the parsed rules by their files' paths and
    times: a kept folder made by another checkout of the same sources (a second worktree, a fresh clone)
    holds a database this checkout uses and parsed rules it does not (each worker parsed the 1,300 files
    again, 0.7-1 CPU-s, in whichever test loaded the rules first). A worker copies only this checkout's
    parsed rules, and at its end keeps them beside the database for the sessions after it."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        yield
        return
    folder = shared_tmp(tmp_path_factory) / BUILTINS_FOLDER
    done = folder / "done"
    give_up = time.monotonic() + 300
    while folder.is_dir() and not done.exists() and time.monotonic() < give_up:
        time.sleep(0.02)
    target = session_cache_home(tmp_path_factory) / "credsweep"
    ours = _builtin_rules_cache()
    for entry in (folder / "credsweep").glob("*.cache") if done.exists() else ():
        if entry.name.startswith("rules-") and entry.name != ours:
            continue  # another checkout's: never read here, and the cache folder's room is bounded
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(entry, target / entry.name)  # signed with the session's key, whoever wrote them
    yield
    if ours:
        _keep_parsed_rules(target / ours, folder / "kept")


def _keep_parsed_rules(parsed: Path, named: Path) -> None:
    """This checkout's parsed built-in rules, written by this session, beside the kept compiled database
    (``kept_builtins``, whose path the controller wrote in ``named``) when it lacks them; the newest
    ``KEPT_RULES`` of other checkouts stay with them."""
    try:
        kept = Path(named.read_text())
        if not parsed.is_file() or not kept.is_dir() or (kept / parsed.name).exists():
            return
        staging = kept / f".{parsed.name}.{os.getpid()}"
        shutil.copy2(parsed, staging)
        os.rename(staging, kept / parsed.name)
        others = sorted(kept.glob("rules-*.cache"), key=lambda path: path.stat().st_mtime, reverse=True)
        for stale in [path for path in others if path.name != parsed.name][KEPT_RULES:]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass  # pruned meanwhile, or another worker got there first


@pytest.fixture(scope="session")
def compiled_builtins(tmp_path_factory: pytest.TempPathFactory, _builtins_from_the_controller: None) -> dict[str, bytes]:
    """The worker cache's entries for the built-in rules (name -> payload): the parsed ruleset and its
    Hyperscan database, built (or read) once (see ``seed_cache``)."""
    from credsweep.content.engine import make_engine
    from credsweep.rules import loader
    from credsweep.util import signedcache

    names: list[str] = []
    original, original_decoded = signedcache.load, signedcache.load_decoded

    def recording(name: str) -> bytes | None:  # the names the loader and the engine look up
        names.append(name)
        return original(name)

    def recording_decoded(name: str, decode: Any) -> Any:
        names.append(name)
        return original_decoded(name, decode)

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(session_cache_home(tmp_path_factory)))
        patch.setenv("CREDSWEEP_CACHE_KEY", SESSION_CACHE_KEY)
        patch.setattr(signedcache, "load", recording)
        patch.setattr(signedcache, "load_decoded", recording_decoded)
        make_engine(loader.load_rulesets().rules)
        entries = {name: original(name) for name in names}
    return {name: payload for name, payload in entries.items() if payload is not None}


def seed_cache(compiled: dict[str, bytes], xdg_cache_home: Path) -> Path:
    """A cache folder of its own for a test that needs one (a fresh validation cache, a cache signed
    with the user's key), holding the built-in rules already compiled, signed with the key in force
    now: what the user's cache holds after the first run. Returns the credsweep folder inside it."""
    from credsweep.util import signedcache

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(xdg_cache_home))
        for name, payload in compiled.items():
            signedcache.store(name, payload)
        return signedcache.folder()


def _isolate(patch: pytest.MonkeyPatch, home: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The environment every test runs in: ``home`` as HOME and the XDG folders inside it, the worker's
    cache folder and key, the fixed salt, a pinned git identity, no system git configuration."""
    patch.setenv("HOME", str(home))
    patch.setenv("XDG_CACHE_HOME", str(session_cache_home(tmp_path_factory)))
    patch.setenv("CREDSWEEP_CACHE_KEY", SESSION_CACHE_KEY)
    patch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    patch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    patch.setenv("CREDSWEEP_SALT", "test-salt")
    patch.setenv("GIT_AUTHOR_NAME", "Test Author")
    patch.setenv("GIT_AUTHOR_EMAIL", "author@example.invalid")
    patch.setenv("GIT_COMMITTER_NAME", "Test Committer")
    patch.setenv("GIT_COMMITTER_EMAIL", "committer@example.invalid")
    patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    # the tests' own git commands (fixtures' commits, pushes through hooks) start no background
    # housekeeping: after every commit git ran `maintenance run --auto`, and a push's receiving side
    # `gc --auto` (about 400 processes a session). The product's git never sees these: it drops GIT_*.
    for index, (key, value) in enumerate({"maintenance.auto": "false", "gc.auto": "0", "receive.autogc": "false"}.items()):
        patch.setenv(f"GIT_CONFIG_KEY_{index}", key)
        patch.setenv(f"GIT_CONFIG_VALUE_{index}", value)
    patch.setenv("GIT_CONFIG_COUNT", "3")
    patch.delenv("GIT_DIR", raising=False)
    patch.delenv("GIT_INDEX_FILE", raising=False)
    patch.delenv("NO_COLOR", raising=False)
    from credsweep import identity

    identity.report_salt.cache_clear()


@pytest.fixture(scope="session")
def _isolated_session(tmp_path_factory: pytest.TempPathFactory, _builtins_from_the_controller: None) -> Iterator[Path]:
    """The tests' environment (``_isolate``) for the whole session, with a home of the session's: what a
    module- or session-scoped fixture runs in, since pytest sets those up before a test's own fixtures
    (``isolated_home`` included). Without it, a module fixture that scanned (test_many_findings'
    ``judged_once``) ran in the caller's environment: it compiled the built-in rules into the caller's cache
    (12-20 s of CPU inside one test's setup), read the caller's cache key and salt from the real home, and,
    when first in its worker, judged with the caller's salt, so its report differed from the tests' own."""
    home = Path(tempfile.mkdtemp(prefix="session-home-", dir=tmp_path_factory.getbasetemp()))
    with pytest.MonkeyPatch.context() as patch:
        _isolate(patch, home, tmp_path_factory)
        yield home
    from credsweep import identity

    identity.report_salt.cache_clear()
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
                  _isolated_session: Path) -> Iterator[Path]:
    # a folder of its own, removed when the test ends (as a passed test's tmp_path is: see pyproject's
    # tmp_path_retention_policy), made with mkdtemp: a numbered ``mktemp("home")`` listed the worker's whole
    # folder to find the next number, at every test
    home = Path(tempfile.mkdtemp(prefix="home-", dir=tmp_path_factory.getbasetemp()))
    _isolate(monkeypatch, home, tmp_path_factory)
    yield home
    REMOVER.remove(home)


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` (test setup only) and return stdout."""
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
    return proc.stdout


@functools.cache
def _initialised(bare: bool) -> Path:
    """A repository made by a real ``git init -q -b main`` once per process (removed at its exit): the
    git folder ``make_repo`` copies. About 340 tests a session start from an empty repository; copying
    its 25 entries costs the test's process about 2 ms, the ``git`` process it replaces 3-8 ms of CPU."""
    folder = Path(tempfile.mkdtemp(prefix="credsweep-git-init-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    git(folder, "init", "-q", "-b", "main", *(["--bare"] if bare else []))
    return folder if bare else folder / ".git"


def _git_init_reads_user_config() -> bool:
    """Whether a ``git init`` now could read more than the built-in template: a template folder or a
    global configuration (``init.templateDir``, ``init.defaultBranch``...) set by the test."""
    home = os.environ.get("HOME", "")
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    return bool(os.environ.get("GIT_TEMPLATE_DIR") or os.environ.get("GIT_CONFIG_GLOBAL")
                or os.path.exists(os.path.join(home, ".gitconfig")) or os.path.exists(os.path.join(xdg, "git", "config")))


def make_repo(path: Path, bare: bool = False) -> Path:
    """An empty repository on ``main`` at ``path``: a copy of what ``git init -q -b main`` made in an
    empty folder of this process (its config, hooks' samples and refs, byte for byte), or that command
    itself where a copy could differ (an existing repository, a global configuration or template)."""
    path.mkdir(parents=True, exist_ok=True)
    git_dir = path if bare else path / ".git"
    if (git_dir / "HEAD").exists() or (not bare and git_dir.exists()) or _git_init_reads_user_config():
        git(path, "init", "-q", "-b", "main", *(["--bare"] if bare else []))
    else:
        shutil.copytree(_initialised(bare), git_dir, symlinks=True, dirs_exist_ok=bare)
    return path


def write(repo: Path, rel: str, text: str, mode: int | None = None) -> Path:
    target = repo / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    if mode is not None:
        target.chmod(mode)
    return target


def commit_all(repo: Path, message: str = "commit") -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", message)
    return head_commit(repo)


def head_commit(repo: Path) -> str:
    """``git rev-parse HEAD`` of a repository's working tree: read from the files git just wrote
    (``.git/HEAD`` and the loose ref it names), or that command when they do not say (a linked worktree's
    ``.git`` file, a packed or symbolic ref, a folder inside the tree)."""
    git_dir = repo / ".git"
    try:
        head = (git_dir / "HEAD").read_text().strip()
        if head.startswith("ref: refs/heads/"):
            head = (git_dir / head[len("ref: "):]).read_text().strip()
    except OSError:
        head = ""
    if len(head) in (40, 64) and all(char in "0123456789abcdef" for char in head):
        return head
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo")


class Result:
    def __init__(self, proc: subprocess.CompletedProcess[str]) -> None:
        self.code = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr

    def json(self) -> Any:
        return json.loads(self.stdout)

    def __repr__(self) -> str:
        return f"Result(code={self.code}, stdout={self.stdout[-2000:]!r}, stderr={self.stderr[-2000:]!r})"


class _Completed:
    """What ``subprocess.run`` returns, for a CLI run in this process."""

    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def _in_process(args: tuple[str, ...], cwd: Path | None, input: str | None, env: dict[str, str] | None) -> Result:
    """The CLI's own ``main(argv)`` in this process: the same click wiring, error mapping and exit codes
    as the installed command, without a Python start-up per call. Working folder, environment and the
    standard streams are swapped for the call and put back after it."""
    import contextlib
    import io

    from credsweep.cli import main

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="surrogateescape", write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace", write_through=True)
    saved_env, saved_cwd, saved_stdin = dict(os.environ), os.getcwd(), sys.stdin
    try:
        if cwd is not None:
            os.chdir(cwd)
        if env:
            os.environ.update(env)
        sys.stdin = io.TextIOWrapper(io.BytesIO((input or "").encode("utf-8", "surrogateescape")), encoding="utf-8",
                                     errors="surrogateescape")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # click's --help and --version exit
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        sys.stdin = saved_stdin
    texts = []
    for stream in (out, err):
        stream.flush()
        texts.append(stream.buffer.getvalue().decode("utf-8", "surrogateescape"))  # type: ignore[attr-defined]
    return Result(_Completed(int(code), texts[0], texts[1]))  # type: ignore[arg-type]


def run_cli(*args: str, cwd: Path | None = None, input: str | None = None, env: dict[str, str] | None = None,
            process: bool = False) -> Result:
    """Run the real CLI: in this process through ``cli.main(argv)`` (fast), or, with ``process=True``
    (signals, a real process's streams, Ctrl-C, forked pools at scale), as ``python -m credsweep``."""
    if not process:
        return _in_process(args, cwd, input, env)
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = str(SRC) + os.pathsep + full_env.get("PYTHONPATH", "")
    if env:
        full_env.update(env)
    proc = subprocess.run(
        [sys.executable, "-m", "credsweep", *args], cwd=cwd, capture_output=True, text=True,
        input=input, env=full_env, check=False,
    )
    return Result(proc)


def hook_env(tmp_path: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for real git hooks: a ``credsweep`` on PATH that runs this checkout (hooks find it there)."""
    bin_dir = tmp_path / "hook-bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "credsweep"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m credsweep "$@"\n')
    shim.chmod(0o755)
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra or {})
    return env


# --- fake credentials in real formats, generated at run time (never literal in the sources) ---

def rand(alphabet: str, n: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(n))


def fake_github_token(prefix: str = "ghp_") -> str:
    body = rand(ALNUM, 30)
    return prefix + body + base62(zlib.crc32(body.encode()) & 0xFFFFFFFF)


def fake_aws_pair() -> tuple[str, str]:
    key_id = "AKIA" + rand("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
    secret = rand(ALNUM + "/+", 40)
    return key_id, secret


def fake_slack_bot_token() -> str:
    return f"xoxb-{rand('0123456789', 12)}-{rand('0123456789', 13)}-{rand(ALNUM, 24)}"
