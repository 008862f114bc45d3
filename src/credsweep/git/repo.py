"""The one boundary to git, hardened against hostile repositories.

Every git process we start goes through ``git_command``: it disables every config-driven hook that
could run code (fsmonitor, hooks, pagers, external diff, textconv, filters, credential helpers,
ssh commands, editors) and never lets git touch the network. Blob contents and listings go through
raw plumbing streams (``cat-file --batch``); GitPython is the repository model off the hot paths
(remotes and their config here, mirrors in ``fleet``), imported lazily so hooks never load it.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from credsweep.errors import GitError

# Options that neutralise config keys able to run programs. A repository's .git/config is read by
# git after system/global config, but -c on the command line wins over all of them.
SAFE_OPTIONS: tuple[str, ...] = (
    "-c", "core.fsmonitor=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.pager=cat",
    "-c", "core.editor=true",
    "-c", "core.sshCommand=false",
    "-c", "core.askPass=",
    "-c", "core.untrackedCache=false",
    "-c", "core.gitProxy=",
    "-c", "diff.external=",
    "-c", "credential.helper=",
    "-c", "protocol.allow=never",
    "-c", "sequence.editor=true",
    "-c", "gpg.program=false",
    "-c", "uploadpack.packObjectsHook=",
    # bounded memory whatever the pack size: git maps at most 128 MiB of pack at a time (its default
    # maps up to 8 GiB in 1 GiB windows: 700 MB of resident pages on git/git's history)
    "-c", "core.packedGitWindowSize=32m",
    "-c", "core.packedGitLimit=128m",
)


def safe_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for git: no prompts, no pager, no optional locks, no network helpers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k in _KEEP_ENV}
    env.update(
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",
        GIT_PAGER="cat",
        PAGER="cat",
        GIT_ASKPASS="false",
        SSH_ASKPASS="false",
        GIT_SSH_COMMAND="false",
        GIT_EDITOR="true",
        GIT_EXTERNAL_DIFF="",
        GIT_NO_REPLACE_OBJECTS="1",
        GIT_PROTOCOL_FROM_USER="0",
        GIT_CONFIG_NOSYSTEM="1",
        LC_ALL="C",
    )
    if extra:
        env.update(extra)
    return env


# Index/object-directory variables are set by git itself when it runs our hook (pre-commit uses a
# temporary index file for partial commits): keep them so we read exactly what git is committing.
_KEEP_ENV = {"GIT_INDEX_FILE", "GIT_DIR", "GIT_WORK_TREE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES"}


def git_command(*args: str) -> list[str]:
    """argv for a git invocation with the safe options."""
    return ["git", *SAFE_OPTIONS, *args]


def run_git(cwd: Path, *args: str, input: bytes | None = None, check: bool = True) -> bytes:
    """Run git in ``cwd`` and return stdout; a failure becomes a one-line ``GitError``."""
    try:
        proc = subprocess.run(
            git_command(*args), cwd=cwd, input=input, capture_output=True, env=safe_env(), check=False
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if check and proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        first = message[-1] if message else f"exit status {proc.returncode}"
        raise GitError(f"git {args[0]} failed: {first}")
    return proc.stdout


@dataclass(frozen=True)
class RepoInfo:
    """Where a repository lives."""

    top: Path | None
    """Working tree root (None for a bare repository)."""
    git_dir: Path
    """The .git directory (or the bare repository itself)."""
    bare: bool


_DISCOVERED: dict[str, RepoInfo] = {}
"""Repositories found per folder in this process: a command asks for its root's repository more than
once (configuration, then the scan), and every git process costs the hook milliseconds."""


def discover(path: Path) -> RepoInfo | None:
    """The repository containing ``path``, or None when ``path`` is not inside one."""
    key = os.path.abspath(path)
    found = _DISCOVERED.get(key)
    if found is None:
        found = _discover(path)
        if found is not None:  # a folder that is not a repository yet may become one (fleet clones)
            _DISCOVERED[key] = found
    return found


def _discover(path: Path) -> RepoInfo | None:
    def ask(*args: str) -> list[str] | None:
        proc = subprocess.run(git_command("rev-parse", *args), cwd=path, capture_output=True, env=safe_env(),
                              check=False)
        return proc.stdout.decode("utf-8", "surrogateescape").splitlines() if proc.returncode == 0 else None

    # the common case (inside a work tree) in one process: every hook run starts here, often twice
    lines = ask("--is-bare-repository", "--absolute-git-dir", "--is-inside-work-tree", "--show-toplevel")
    if lines is not None and len(lines) == 4 and lines[0].strip() == "false" and lines[2].strip() == "true":
        return RepoInfo(top=Path(lines[3]), git_dir=Path(lines[1]), bare=False)
    lines = ask("--is-bare-repository", "--absolute-git-dir", "--is-inside-work-tree")
    if lines is None or len(lines) < 3:
        return None
    bare = lines[0].strip() == "true"
    top = None
    if not bare and lines[2].strip() == "true":
        shown = ask("--show-toplevel")
        top = Path(shown[0]) if shown else None
    return RepoInfo(top=top, git_dir=Path(lines[1]), bare=bare)


def split_z(output: bytes) -> list[str]:
    """Split NUL-terminated git output into paths (undecodable bytes kept via surrogateescape)."""
    return [p.decode("utf-8", "surrogateescape") for p in output.split(b"\0") if p]


@dataclass(frozen=True)
class TreeEntry:
    """One entry of ``git ls-tree -r -l``."""

    mode: str
    """git mode: 100644, 100755, 120000 (symlink), 160000 (submodule)."""
    kind: str
    """blob or commit (a submodule)."""
    oid: str
    size: int | None
    """Blob size in bytes (None for submodules)."""
    path: str
    """Repository-relative path (undecodable bytes kept via surrogateescape)."""


def ls_tree(cwd: Path, rev: str = "HEAD") -> list[TreeEntry]:
    """Every entry of ``rev``'s tree, recursively (empty for a repository without commits)."""
    out = run_git(cwd, "ls-tree", "-r", "-z", "-l", "--full-tree", "--end-of-options", rev, check=False)
    entries = []
    for entry in out.split(b"\0"):
        meta, _, name = entry.partition(b"\t")
        parts = meta.split()
        if len(parts) != 4:
            continue
        size = int(parts[3]) if parts[3].isdigit() else None
        entries.append(TreeEntry(parts[0].decode(), parts[1].decode(), parts[2].decode(), size,
                                 name.decode("utf-8", "surrogateescape")))
    return entries


def has_head(cwd: Path) -> bool:
    return bool(run_git(cwd, "rev-parse", "--verify", "-q", "HEAD", check=False).strip())


def remote_urls(cwd: Path) -> tuple[str, ...]:
    """Remote URLs of the repository, with any embedded credentials removed.

    Read through GitPython's repository model: its config parser reads the files (includes too)
    and runs nothing, so a hostile config cannot make this execute code. Imported here, lazily:
    the pre-commit path never pays for it."""
    import git as gitpython  # a dependency: a broken install fails loudly rather than lowering urgency

    try:
        repo = gitpython.Repo(cwd, search_parent_directories=True)
        with repo.config_reader() as config:
            sections = [s for s in config.sections() if s.startswith('remote "')]
            raw = [str(config.get_value(s, "url", "")) for s in sections]
    except (gitpython.exc.GitError, OSError, ValueError, KeyError):
        return ()
    urls = []
    for url in raw:
        if "@" in url and "://" in url:  # https://user:token@host/... → https://host/...
            scheme, _, rest = url.partition("://")
            url = f"{scheme}://{rest.rsplit('@', 1)[-1]}"
        if url:
            urls.append(url.strip())
    return tuple(urls)


def config_value(cwd: Path, key: str, path: bool = False) -> str | None:
    """A config value as the repository's own git sees it (without our safety overrides).

    Reading config runs no code, so this is safe; it is how ``install-hooks`` finds core.hooksPath,
    which our own git invocations override to /dev/null.
    """
    args = ["git", "config", *(["--path"] if path else []), "--get", key]
    proc = subprocess.run(args, cwd=cwd, capture_output=True, env=safe_env(), check=False)
    value = proc.stdout.decode("utf-8", "surrogateescape").strip()
    return value or None


def stream_git(cwd: Path, *args: str) -> Iterator[bytes]:
    """Lines of a git command's output, streamed (bounded memory for listings of huge repositories)."""
    proc = subprocess.Popen(git_command(*args), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=safe_env(), bufsize=1 << 20)
    assert proc.stdout is not None and proc.stderr is not None
    try:
        yield from proc.stdout
    finally:
        proc.stdout.close()
        err = proc.stderr.read()
        proc.stderr.close()
        if proc.wait() != 0:
            lines = err.decode("utf-8", "replace").strip().splitlines()
            raise GitError(f"git {args[0]} failed: {lines[-1] if lines else 'exit status ' + str(proc.returncode)}")
