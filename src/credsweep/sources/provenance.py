"""Provenance for matched blobs only: where each blob has been, when, on which refs.

One streaming ``git log --all --raw -z`` pass records, for the matched blob ids only, every commit
that put a blob at a path (introductions) and every commit that took it away (removals). Then git
answers ref membership per introducing commit (few: only commits that introduced a secret).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable, Iterator, Sequence
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


def walk_log(git_dir: Path, wanted: set[str], revs: Sequence[str] = ("--all",),
             path_filter: Callable[[str], bool] | None = None,
             added: list[tuple[str, str, Commit]] | None = None) -> dict[tuple[str, str], BlobHistory]:
    """(blob id, path) → history, for blob ids in ``wanted``, over the commits of ``revs``.

    With ``path_filter``, every (path, blob, commit) that adds a path the filter accepts also goes to
    ``added``: the same pass finds credential files ever committed.
    """
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
                path = token.decode("utf-8", "surrogateescape")
                _record(found, commit, pending_meta, path)
                if (added is not None and path_filter is not None and commit is not None and len(pending_meta) >= 5
                        and pending_meta[2] == ZERO and path_filter(path)):
                    added.append((path, pending_meta[3], commit))
                pending_meta = None
                continue
            text = token.lstrip(b"\n")
            if text.startswith(b"\x01"):
                sha, author, date, subject = (text[1:].decode("utf-8", "replace").split("\x1f", 3) + ["", "", ""])[:4]
                commit = Commit(sha, author, date, subject)
            elif text.startswith(b":"):
                meta = text.decode("ascii", "replace").split()
                # meta: [":old_mode", "new_mode", old_oid, new_oid, status]; only keep wanted blobs
                keep = meta[2] in wanted or meta[3] in wanted or (path_filter is not None and meta[2] == ZERO)
                pending_meta = meta if keep else ["skip"]
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
    """Short names of branches, tags and remote-tracking refs (at most MAX_REFS_SHOWN)."""
    pushed: bool
    """A remote-tracking ref contains it."""
    newest_tip_date: str | None
    """Committer date of the newest ref tip containing it."""


MAX_REFS_SHOWN = 20
MAX_REF_BITS = 512
MAX_CARRIER_COUNTS = 64


@dataclass
class Reachability:
    """Which refs contain each target commit, and how many commits carry each blob placement."""

    refs: dict[str, RefInfo]
    carriers: dict[tuple[str, tuple[str, ...]], int]


def _ref_tips(git_dir: Path) -> list[tuple[str, str, str, str]]:
    """(tip commit, full ref name, short name, committer date) for every ref that points at a commit."""
    out = run_git(git_dir, "for-each-ref",
                  "--format=%(objectname)%00%(*objectname)%00%(refname)%00%(refname:short)%00%(committerdate:iso-strict)%00%(*committerdate:iso-strict)",
                  check=False).decode("utf-8", "replace")
    tips = []
    for line in out.splitlines():
        oid, peeled, full, short, date, peeled_date = (line.split("\0") + [""] * 6)[:6]
        if full == "refs/stash" or full.endswith("/HEAD"):
            continue
        tips.append((peeled or oid, full, short, peeled_date or date))
    return tips


def _rev_list(git_dir: Path, *args: str) -> Iterator[list[bytes]]:
    proc = subprocess.Popen(git_command("rev-list", *args), cwd=git_dir, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=safe_env(), bufsize=1 << 20)
    assert proc.stdout is not None
    for raw in proc.stdout:
        parts = raw.split()
        if parts:
            yield parts
    proc.wait()


def reachability(git_dir: Path, revs: Sequence[str], intros: Iterable[str],
                 removals: dict[tuple[str, tuple[str, ...]], tuple[str, ...]]) -> Reachability:
    """Ref membership of each commit in ``intros``; carrier counts for the first few ``removals`` keys.

    Refs: each ref gets a bit (remote-tracking refs share one, "pushed"; beyond MAX_REF_BITS refs share
    one too) and masks flow from children to parents in one ``rev-list --topo-order --parents --all``
    pass. A commit's mask is final when git lists it and is dropped after passing it to its parents,
    so memory follows the width of the graph, not its length or the number of findings.
    """
    targets = set(intros)
    tips = _ref_tips(git_dir)
    shown = [t for t in tips if not t[1].startswith(("refs/remotes/", "refs/pull/"))][:MAX_REF_BITS]
    bit_of_ref = {t[1]: 1 << i for i, t in enumerate(shown)}
    pushed_bit = 1 << len(shown)
    tip_bits: dict[str, int] = {}
    for tip, full, _, _ in tips:
        bit = bit_of_ref.get(full, pushed_bit if full.startswith("refs/remotes/") else 0)
        if bit:
            tip_bits[tip] = tip_bits.get(tip, 0) | bit
    pending: dict[str, int] = {}
    final: dict[str, int] = {}
    for parts in _rev_list(git_dir, "--topo-order", "--parents", "--all"):
        sha = parts[0].decode()
        m = pending.pop(sha, 0) | tip_bits.get(sha, 0)
        if sha in targets:
            final[sha] = m
        if m:
            for parent in parts[1:]:
                p = parent.decode()
                pending[p] = pending.get(p, 0) | m
    refs = {}
    for sha in targets:
        m = final.get(sha, 0)
        names = [short for i, (_, _, short, _) in enumerate(shown) if m >> i & 1]
        dates = [date for i, (_, _, _, date) in enumerate(shown) if m >> i & 1 and date]
        refs[sha] = RefInfo(tuple(names[:MAX_REFS_SHOWN]), bool(m & pushed_bit), max(dates) if dates else None)
    return Reachability(refs=refs, carriers=_carriers(git_dir, revs, list(removals)[:MAX_CARRIER_COUNTS]))


def _carriers(git_dir: Path, revs: Sequence[str], keys: list[tuple[str, tuple[str, ...]]]) -> dict[tuple[str, tuple[str, ...]], int]:
    """For each (intro, removals) key: commits descending from intro and from none of its removals."""
    if not keys:
        return {}
    intro_bit: dict[str, int] = {}
    removal_bit: dict[str, int] = {}
    for i, (intro, removed) in enumerate(keys):
        intro_bit[intro] = intro_bit.get(intro, 0) | (1 << i)
        for sha in removed:
            removal_bit[sha] = removal_bit.get(sha, 0) | (1 << i)
    carry: dict[str, int] = {}
    gone: dict[str, int] = {}
    counts = [0] * len(keys)
    for parts in _rev_list(git_dir, "--topo-order", "--reverse", "--parents", *revs):
        sha = parts[0].decode()
        c, g = intro_bit.get(sha, 0), removal_bit.get(sha, 0)
        for parent in parts[1:]:
            p = parent.decode()
            c |= carry.get(p, 0)
            g |= gone.get(p, 0)
        if c:
            carry[sha] = c
            alive = c & ~g
            while alive:
                low = alive & -alive
                counts[low.bit_length() - 1] += 1
                alive ^= low
        if g:
            gone[sha] = g
    return {key: counts[i] for i, key in enumerate(keys)}
