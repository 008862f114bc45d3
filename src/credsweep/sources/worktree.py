"""Working-tree source: tracked files plus untracked files that are not ignored.

Outside a git repository, every regular file under the folder is scanned. Symlinks are never
followed (hygiene reports those that leave the tree); files are opened with O_NOFOLLOW.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from credsweep.git.repo import RepoInfo, run_git, split_z
from credsweep.models import ContentItem, Skipped

_SKIP_DIRS = {".git", ".hg", ".svn"}


def list_paths(root: Path, repo: RepoInfo | None, include_ignored: bool, within: str = "") -> list[str]:
    """Paths to scan relative to ``root`` (the repository top, or a plain folder), sorted.

    ``within`` restricts a repository listing to one sub-folder (relative to the top).
    """
    if repo is None or repo.top is None:
        return sorted(_walk(root))
    spec = ["--", within] if within else []
    out = run_git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", *spec)
    paths = set(split_z(out))
    if include_ignored:
        paths.update(split_z(run_git(root, "ls-files", "-z", "--others", "--ignored", "--exclude-standard", *spec)))
    return sorted(paths)


def _walk(root: Path) -> Iterator[str]:
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if d not in _SKIP_DIRS]
        for name in files:
            yield os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/")


def blob_id(data: bytes) -> str:
    """git's blob id of ``data`` (so working-tree and history scans share one dedup key)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def read_file(root: Path, rel: str, limit: int = 16 * 1024 * 1024) -> bytes | None:
    """One working-tree file's first ``limit`` bytes, or None: never through a symlink, never from a FIFO
    or device (the repository may be hostile), None when it cannot be read."""
    try:
        fd = os.open(os.path.join(root, rel), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        try:
            return handle.read(limit)
        except OSError:
            return None


def read_items(root: Path, paths: list[str], max_size: int, skipped: list[Skipped]) -> Iterator[ContentItem]:
    """Items for ``paths`` under ``root``; what cannot or should not be read goes to ``skipped``."""
    for rel in paths:
        full = os.path.join(root, rel)
        try:
            st = os.lstat(full)
        except OSError:
            continue  # tracked but deleted from the working tree: nothing to scan
        if stat.S_ISLNK(st.st_mode):
            skipped.append(Skipped(rel, "symlink"))
            continue
        if stat.S_ISDIR(st.st_mode):
            # a submodule's working tree (a gitlink in the index): scanned with --recurse-submodules
            skipped.append(Skipped(rel, "submodule"))
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        if st.st_size > max_size:
            skipped.append(Skipped(rel, "too large", st.st_size))
            continue
        try:
            fd = os.open(full, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as handle:
                data = handle.read(max_size + 1)
        except OSError:
            skipped.append(Skipped(rel, "unreadable"))
            continue
        yield ContentItem(path=rel, data=data, source="worktree", blob_id=blob_id(data), mode=st.st_mode)
