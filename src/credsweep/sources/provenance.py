"""Provenance for matched blobs only: where each blob has been, when, on which refs.

One streaming ``git log --all --raw -z`` pass records, for the matched blob ids only, every commit
that put a blob at a path (introductions) and every commit that took it away (removals). Then git
answers ref membership per introducing commit (few: only commits that introduced a secret).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from credsweep.git import git_command, run_git, safe_env

ZERO = "0" * 40
MAX_REF_QUERIES = 500


@dataclass(frozen=True)
class Commit:
    """Commit metadata (subject only: full messages are not needed)."""

    sha: str
    author: str
    date: str
    """Author date, ISO 8601."""
    subject: str


@dataclass
class BlobHistory:
    """Where one blob appeared at one path."""

    oid: str
    path: str
    introduced: list[Commit] = field(default_factory=list)
    """Commits that put the blob at the path, newest first (git log order)."""
    removed: list[Commit] = field(default_factory=list)
    """Commits that replaced or deleted it there."""


def walk_log(git_dir: Path, wanted: set[str], revs: Sequence[str] = ("--all",)) -> dict[tuple[str, str], BlobHistory]:
    """(blob id, path) → history, for blob ids in ``wanted``, over the commits of ``revs``."""
    args = ["log", *revs, "-z", "--raw", "--no-abbrev", "--no-renames", "--root", "--no-textconv",
            "--no-ext-diff", "--format=%x01%H%x1f%an%x1f%aI%x1f%s"]
    proc = subprocess.Popen(git_command(*args), cwd=git_dir, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=safe_env(), bufsize=1024 * 1024)
    assert proc.stdout is not None
    found: dict[tuple[str, str], BlobHistory] = {}
    commit: Commit | None = None
    pending_meta: list[str] | None = None
    rest = b""
    while True:
        block = proc.stdout.read(1 << 20)
        if not block:
            break
        tokens = (rest + block).split(b"\0")
        rest = tokens.pop()
        for token in tokens:
            if pending_meta is not None:  # this token is the path of the previous raw entry
                _record(found, commit, pending_meta, token.decode("utf-8", "surrogateescape"))
                pending_meta = None
                continue
            text = token.lstrip(b"\n")
            if text.startswith(b"\x01"):
                sha, author, date, subject = (text[1:].decode("utf-8", "replace").split("\x1f", 3) + ["", "", ""])[:4]
                commit = Commit(sha, author, date, subject)
            elif text.startswith(b":"):
                meta = text.decode("ascii", "replace").split()
                # meta: [":old_mode", "new_mode", old_oid, new_oid, status]; only keep wanted blobs
                pending_meta = meta if (meta[2] in wanted or meta[3] in wanted) else ["skip"]
    proc.wait()
    return found


def _record(found: dict[tuple[str, str], BlobHistory], commit: Commit | None, meta: list[str], path: str) -> None:
    if commit is None or meta == ["skip"] or len(meta) < 5:
        return
    old, new = meta[2], meta[3]
    if new != ZERO and new != old:
        found.setdefault((new, path), BlobHistory(new, path)).introduced.append(commit)
    if old != ZERO and old != new:
        found.setdefault((old, path), BlobHistory(old, path)).removed.append(commit)


def head_blobs(git_dir: Path) -> set[str]:
    """Blob ids in HEAD's tree (empty for a repository without commits)."""
    out = run_git(git_dir, "ls-tree", "-r", "-z", "--full-tree", "HEAD", check=False)
    blobs = set()
    for entry in out.split(b"\0"):
        parts = entry.split(b"\t", 1)[0].split()
        if len(parts) == 3 and parts[1] == b"blob":
            blobs.add(parts[2].decode())
    return blobs


@dataclass(frozen=True)
class RefInfo:
    """Refs that contain a commit."""

    refs: tuple[str, ...]
    """Short names of branches, tags and remote-tracking refs."""
    pushed: bool
    """A remote-tracking ref contains it."""
    newest_tip_date: str | None
    """Committer date of the newest ref tip containing it."""


def refs_containing(git_dir: Path, commits: Iterable[str]) -> dict[str, RefInfo]:
    """Ref membership for each commit (at most MAX_REF_QUERIES commits are asked)."""
    info: dict[str, RefInfo] = {}
    for sha in list(dict.fromkeys(commits))[:MAX_REF_QUERIES]:
        out = run_git(git_dir, "for-each-ref", "--contains", sha,
                      "--format=%(refname)%00%(refname:short)%00%(committerdate:iso-strict)", check=False)
        refs, pushed, dates = [], False, []
        for line in out.decode("utf-8", "replace").splitlines():
            full, short, date = (line.split("\0") + ["", ""])[:3]
            if full.startswith("refs/remotes/"):
                pushed = True
            if full != "refs/stash":
                refs.append(short)
            if date:
                dates.append(date)
        info[sha] = RefInfo(tuple(refs), pushed, max(dates) if dates else None)
    return info


def count_carriers(git_dir: Path, introduced: str, removed: Sequence[str], tips: Sequence[str]) -> int | None:
    """How many commits carry the blob: from its introduction up to its removal (or the ref tips)."""
    ends = list(removed) or list(tips)
    if not ends:
        return None
    out = run_git(git_dir, "rev-list", "--count", "--ancestry-path", *[f"{introduced}..{end}" for end in ends],
                  check=False).strip()
    if not out.isdigit():
        return None
    return int(out) + (0 if removed else 1)
