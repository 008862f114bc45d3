"""Provenance for matched blobs only: where each blob has been, when, on which refs.

Git passes, none per commit and none per blob. The big ones need no scan result, so they start
*before* the blob scan and run beside it, each a ``Capture`` into an unlinked temporary file (ids and
paths only: never file content or commit messages); after the scan only parsing remains:

1. ``LogCapture``: ``git log <revs> --raw -z``. One pass over its output keeps the entries of matched
   blob ids only: every commit that put a blob at a path (introductions), every commit that took it
   away (removals), and renames (the same blob removed at one path and added at another in one commit).
2. ``GraphCapture``: ``rev-list --topo-order --reverse --parents``, for ``reachability``: bit sets
   propagate from parents to children: which refs contain each introducing commit, and how many
   commits carry each (blob, path) (descend from its introduction but not from a removal).
3. ``MergeCapture``: first-parent diffs of the graph's merges, read only for matched blobs that no
   ordinary commit introduced (conflict resolutions, stash commits); when there are none, it is
   stopped unread.
4. ``RefsCapture``: every ref with its peeled target and date (tagged trees and blobs, ref names).

Then ``commit_info``: author, date and subject of the few commits named, in one ``git log --no-walk``.

What needs no scan result is also *read* beside the scan (``scans.history`` runs it in a thread once
git has written it): ``LogCapture.index`` (where each blob's log entries are, and the credential-file
additions) and ``GraphCapture.count_children`` (the first pass of ``reachability``). After the last
blob, ``histories`` reads only the entries of the matched blobs.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TypeVar

from credsweep.git.repo import git_command, run_git, safe_env

ZERO = b"0" * 40
MAX_REFS_SHOWN = 20
READ_BLOCK = 1 << 20
# tree diffing gains nothing from git's default 96 MiB cache of delta bases: half of it keeps the
# merge pass of git/git's history at ~265 MB instead of ~320 MB, at no cost in time
_LOG_MEMORY = ("-c", "core.deltaBaseCacheLimit=48m")
LOG_OPTIONS = _LOG_OPTIONS = ("-z", "--raw", "--no-abbrev", "--no-renames", "--root", "--no-textconv", "--no-ext-diff",
                "--format=%x01%H")


@dataclass(frozen=True)
class Commit:
    """Commit metadata (subject only: full messages are not needed)."""

    sha: str
    author: str
    date: str
    """Author date, ISO 8601."""
    subject: str
    time: int = 0
    """Author date, seconds since the epoch (for ordering across time zones)."""


@dataclass
class BlobHistory:
    """Where one blob appeared at one path (commit ids; metadata comes from ``commit_info``)."""

    oid: str
    path: str
    introduced: list[str] = field(default_factory=list)
    """Commits that put the blob at the path (git log order: newest first)."""
    removed: list[str] = field(default_factory=list)
    """Commits that replaced or deleted it there."""
    renamed_from: str | None = None
    """The path this blob was moved from, when a commit removed it there and added it here."""


_C = TypeVar("_C", bound="Capture")


class Capture:
    """A git command running in the background into an unlinked temporary file.

    History scans start git passes early so that they run on a core the current phase leaves idle,
    and read their output later. Use as a context manager: leaving it stops git (if still running)
    and drops the file. The output is git's plumbing (ids, paths), never file content.
    """

    def __init__(self, cwd: Path, *args: str, stdin: IO[bytes] | None = None) -> None:
        # closed by ``close`` (the capture outlives this call: git writes into it in the background)
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="credsweep-git-")  # noqa: SIM115
        self._proc = subprocess.Popen(git_command(*args), cwd=cwd, stdout=self._file, stderr=subprocess.DEVNULL,
                                      stdin=subprocess.DEVNULL if stdin is None else stdin, env=safe_env())

    def finished(self) -> bool:
        """git has exited (its output is complete)."""
        return self._proc.poll() is not None

    def __enter__(self: _C) -> _C:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop git if it still runs and delete the captured output."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        self._file.close()

    def blocks(self) -> Iterator[bytes]:
        """The whole output in blocks (waits for git to finish)."""
        self._proc.wait()
        self._file.seek(0)
        return iter(lambda: self._file.read(READ_BLOCK), b"")

    def lines(self) -> Iterator[bytes]:
        """The whole output line by line (waits for git to finish)."""
        self._proc.wait()
        self._file.seek(0)
        return iter(self._file)


class LogCapture(Capture):
    """The ``git log --raw`` pass over ``revs``, started before the blob scan so git's tree diffing
    overlaps it."""

    def __init__(self, cwd: Path, revs: Sequence[str]) -> None:
        super().__init__(cwd, *_LOG_MEMORY, "log", *revs, *_LOG_OPTIONS)
        self._index: LogIndex | None = None

    def index(self, path_filter: Callable[[str], bool] | None = None) -> None:
        """Read the whole output once, beside the scan (waits for git): where each blob id's entries
        are, and the additions ``path_filter`` accepts. ``histories`` then reads only the entries of
        the blobs it is asked about, so almost nothing of this pass is left after the last blob."""
        self._index = LogIndex.build(self.blocks(), path_filter)

    def histories(self, wanted: set[str], path_filter: Callable[[str], bool] | None = None,
                  added: list[tuple[str, str, str]] | None = None) -> dict[tuple[str, str], BlobHistory]:
        """(blob id, path) → history for the blob ids in ``wanted`` (waits for git to finish).
        With ``path_filter``, every (path, blob, commit) adding a path it accepts goes to ``added``
        (after ``index``: the additions it collected with the same filter)."""
        index = self._index
        if index is None or (path_filter is not None) != index.filtered:
            return parse_log(self.blocks(), {w.encode() for w in wanted}, path_filter, added)
        if added is not None:
            added.extend(index.added)
        self._proc.wait()
        return parse_log(index.entries_of(self._file, {w.encode() for w in wanted}), {w.encode() for w in wanted})


@dataclass
class LogIndex:
    """Where each blob's entries are in a ``git log --raw -z`` output: entry numbers by blob id, each
    entry's offset and its commit header's offset. Ids and offsets only (no paths, no content)."""

    by_blob: dict[bytes, list[int]]
    """Blob id → numbers of the entries that add or remove it."""
    entry_at: list[int]
    """Entry number → offset of its raw token (``:<modes> <old> <new> <status>``); its path follows."""
    commit_at: list[int]
    """Entry number → offset of its commit's header token."""
    added: list[tuple[str, str, str]]
    """(path, blob, commit) of the additions the path filter accepted, in log order."""
    filtered: bool
    """A path filter collected ``added``."""

    @classmethod
    def build(cls, blocks: Iterable[bytes], path_filter: Callable[[str], bool] | None) -> LogIndex:
        by_blob: dict[bytes, list[int]] = {}
        entry_at: list[int] = []
        commit_at: list[int] = []
        added: list[tuple[str, str, str]] = []
        commit, commit_offset = "", 0
        pending_add: bytes | None = None  # the new id of an addition whose path comes next
        expect_path = False
        rest, base = b"", 0  # ``base``: file offset of ``rest``'s first byte
        for block in blocks:
            data = rest + block
            tokens = data.split(b"\0")
            rest = tokens.pop()
            at = base
            for token in tokens:
                offset, at = at, at + len(token) + 1
                if expect_path:
                    expect_path = False
                    if pending_add is not None:
                        path = token.decode("utf-8", "surrogateescape")
                        if path_filter is not None and path_filter(path):
                            added.append((path, pending_add.decode(), commit))
                        pending_add = None
                    continue
                stripped = token.lstrip(b"\n") if token[:1] == b"\n" else token
                if stripped[:1] == b":":
                    old, new = stripped[15:55], stripped[56:96]
                    number = len(entry_at)
                    entry_at.append(offset)
                    commit_at.append(commit_offset)
                    for oid in (old, new):
                        if oid != ZERO:
                            by_blob.setdefault(oid, []).append(number)
                    if old == new:
                        by_blob[old].pop()  # listed once (a mode change)
                    expect_path = True
                    pending_add = new if old == ZERO and path_filter is not None else None
                elif stripped[:1] == b"\x01":
                    commit, commit_offset = stripped[1:41].decode(), offset
            base = at
        return cls(by_blob, entry_at, commit_at, added, path_filter is not None)

    def entries_of(self, file: IO[bytes], wanted: set[bytes]) -> Iterator[bytes]:
        """The output cut down to the commit headers and entries (with their paths) that touch ``wanted``,
        in log order: ``parse_log`` of it finds what it finds in the whole output."""
        numbers = sorted({n for oid in wanted for n in self.by_blob.get(oid, ())})
        fd = file.fileno()
        out: list[bytes] = []
        last_commit = -1
        for number in numbers:
            if self.commit_at[number] != last_commit:
                last_commit = self.commit_at[number]
                out.append(_token_at(fd, last_commit))
            out.append(_token_at(fd, self.entry_at[number], tokens=2))
        yield b"\0".join(out) + b"\0"


def _token_at(fd: int, offset: int, tokens: int = 1) -> bytes:
    """``tokens`` NUL-terminated tokens at ``offset`` of a file, without their last NUL (positional reads)."""
    size = 512
    while True:
        chunk = os.pread(fd, size, offset)
        end = -1
        for _ in range(tokens):
            end = chunk.find(b"\0", end + 1)
            if end < 0:
                break
        if end >= 0:
            return chunk[:end]
        if len(chunk) < size:  # the file ends first (a cut output)
            return chunk
        size *= 4


_REF_FORMAT = ("%(objecttype)%00%(*objecttype)%00%(objectname)%00%(*objectname)%00%(refname)%00"
               "%(refname:short)%00%(committerdate:iso-strict)%00%(*committerdate:iso-strict)")


@dataclass(frozen=True)
class Ref:
    """One ref: what it points at (peeled through tags) and when that commit was made."""

    kind: str
    """Type of the object the ref points at, through tags (commit, tree, blob)."""
    oid: str
    """That object (a tag's target, not the tag)."""
    full: str
    short: str
    date: str
    """Committer date of the commit (empty for trees and blobs)."""


class RefsCapture(Capture):
    """Every ref with its peeled target and date (``for-each-ref``): thousands of refs cost git a commit
    parse each, so this too runs beside the scan."""

    def __init__(self, cwd: Path) -> None:
        super().__init__(cwd, "for-each-ref", f"--format={_REF_FORMAT}")

    def refs(self) -> list[Ref]:
        out = []
        for raw in self.lines():
            kind, peeled_kind, oid, peeled, full, short, date, peeled_date = \
                (raw.rstrip(b"\n").decode("utf-8", "replace").split("\0") + [""] * 8)[:8]
            out.append(Ref(peeled_kind or kind, peeled or oid, full, short, peeled_date or date))
        return out


class GraphCapture(Capture):
    """The commit graph of ``revs``, parents first (``rev-list --topo-order --reverse --parents``),
    for ``reachability``; it needs no scan result, so it starts while other passes run."""

    def __init__(self, cwd: Path, revs: Sequence[str]) -> None:
        super().__init__(cwd, "rev-list", "--topo-order", "--reverse", "--parents", *revs)
        self.children: dict[bytes, int] | None = None
        """Commit → how many children list it (after ``count_children``)."""

    def count_children(self) -> None:
        """The first pass of ``reachability`` (waits for git), beside the scan: it needs no scan result."""
        children: dict[bytes, int] = {}
        for raw in self.lines():
            for parent in raw.split()[1:]:
                children[parent] = children.get(parent, 0) + 1
        self.children = children

    def merge_commits(self) -> list[bytes]:
        """Ids of the merges, oldest first (waits for git). Positional reads: another thread may
        read the same file through ``lines`` meanwhile."""
        self._proc.wait()
        fd, offset, rest = self._file.fileno(), 0, b""
        merges: list[bytes] = []
        while True:
            block = os.pread(fd, READ_BLOCK, offset)
            if not block:
                break
            offset += len(block)
            lines = (rest + block).split(b"\n")
            rest = lines.pop()
            merges.extend(line[:line.index(b" ")] for line in lines if line.count(b" ") >= 2)
        if rest.count(b" ") >= 2:
            merges.append(rest[:rest.index(b" ")])
        return merges


def parse_log(blocks: Iterable[bytes], wanted: set[bytes], path_filter: Callable[[str], bool] | None = None,
              added_paths: list[tuple[str, str, str]] | None = None) -> dict[tuple[str, str], BlobHistory]:
    """Parse ``git log --raw -z --format=%x01%H`` output, keeping only entries that touch ``wanted``
    (and, with ``path_filter``, the additions of paths it accepts, into ``added_paths``)."""
    found: dict[tuple[str, str], BlobHistory] = {}
    commit = ""
    pending: tuple[bytes, bytes] | None = None  # (old, new) of a wanted entry whose path comes next
    skip_path = False
    added: dict[str, str] = {}  # in the current commit: blob id → path it was added at
    gone: dict[str, str] = {}  # in the current commit: blob id → path it was removed from
    rest = b""

    def close_commit() -> None:
        # a blob removed at one path and added at another in the same commit was moved
        for oid, path in added.items():
            source = gone.get(oid)
            if source is not None and source != path:
                found[(oid, path)].renamed_from = source
        added.clear()
        gone.clear()

    for block in blocks:
        tokens = (rest + block).split(b"\0")
        rest = tokens.pop()
        for token in tokens:
            if skip_path:
                skip_path = False
                continue
            if pending is not None:
                path = token.decode("utf-8", "surrogateescape")
                old, new = pending
                pending = None
                if old == ZERO and path_filter is not None and added_paths is not None and path_filter(path):
                    added_paths.append((path, new.decode(), commit))
                if new != ZERO and new != old and new in wanted:
                    oid = new.decode()
                    entry = found.setdefault((oid, path), BlobHistory(oid, path))
                    if not entry.introduced or entry.introduced[-1] != commit:  # -m repeats a merge per parent
                        entry.introduced.append(commit)
                    added[oid] = path
                if old != ZERO and old != new and old in wanted:
                    oid = old.decode()
                    entry = found.setdefault((oid, path), BlobHistory(oid, path))
                    if not entry.removed or entry.removed[-1] != commit:
                        entry.removed.append(commit)
                    gone[oid] = path
                continue
            if token[:1] == b"\n":
                token = token.lstrip(b"\n")
            if token[:1] == b":":
                # ":<old mode> <new mode> <old id> <new id> <status>": ids at fixed offsets
                old, new = token[15:55], token[56:96]
                if old in wanted or new in wanted or (path_filter is not None and old == ZERO):
                    pending = (old, new)
                else:
                    skip_path = True
            elif token[:1] == b"\x01":
                close_commit()
                commit = token[1:41].decode()
    close_commit()
    return found


class MergeCapture:
    """First-parent diffs of every merge, for blobs that only merges introduced (conflict
    resolutions, stash worktree commits).

    The log pass does not diff merges; this pass does, as a second process beside the blob scan
    (after the scan it would cost seconds on a merge-heavy history, alone on one core). A blob a
    merge introduced is in none of its parents, so the diff against the first parent shows it: half
    the work of ``-m``. Removals are not complete here (first-parent diffs only): this pass is for
    introductions. A scan with no such blob stops it unread.

    The merges come from the commit graph capture (``--no-walk --stdin``): git then parses the merges
    and their parents only, not the whole history a second time (git/git: 4.8 s -> 3.4 s, 250 -> 165 MB).
    A thread waits for the graph and starts git; nothing else waits for it until ``histories``.
    """

    def __init__(self, cwd: Path, graph: GraphCapture) -> None:
        self._cwd, self._graph = cwd, graph
        self._capture: Capture | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._start, daemon=True)
        self._thread.start()

    def _start(self) -> None:
        while not self._graph.finished():
            if self._stop.wait(0.05):
                return
        merges = self._graph.merge_commits()
        if not merges or self._stop.is_set():
            return
        try:
            with tempfile.TemporaryFile(prefix="credsweep-git-") as listing:
                # newest first, as the log pass lists commits
                listing.write(b"".join(sha + b"\n" for sha in reversed(merges)))
                listing.seek(0)
                self._capture = Capture(self._cwd, *_LOG_MEMORY, "log", "--no-walk=unsorted", "--stdin",
                                        "--diff-merges=first-parent", *_LOG_OPTIONS, stdin=listing)
        except OSError:  # no room for the list, or no process: merge-only blobs stay unplaced
            self._capture = None

    def histories(self, orphans: set[str]) -> dict[tuple[str, str], BlobHistory]:
        self._thread.join()
        if self._capture is None:
            return {}
        return parse_log(self._capture.blocks(), {o.encode() for o in orphans})

    def __enter__(self) -> MergeCapture:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        if self._capture is not None:
            self._capture.close()


def orphans_of(wanted: set[str], histories: dict[tuple[str, str], BlobHistory]) -> set[str]:
    """Matched blobs no non-merge commit introduced: a tagged tree or blob, or else only the merge
    pass, can say where they came from."""
    placed = {oid for (oid, _), entry in histories.items() if entry.introduced}
    return wanted - placed


def introductions(histories: dict[tuple[str, str], BlobHistory],
                  merges: dict[tuple[str, str], BlobHistory] | None = None) -> dict[str, list[BlobHistory]]:
    """Blob id → the paths it was introduced at, from the log pass and (for orphans) the merge pass."""
    places: dict[str, list[BlobHistory]] = {}
    for entry in (*histories.values(), *(merges or {}).values()):
        if entry.introduced:
            places.setdefault(entry.oid, []).append(entry)
    return places


def paths_from_object_refs(cwd: Path, oids: set[str], refs: Sequence[Ref] | None = None) -> dict[str, str]:
    """Paths of ``oids`` under refs that point at a tree or a blob rather than a commit (git.git's
    ``v2.6.11-tree`` tag, a published key as a tagged blob): reachable, but no commit carries them."""
    roots: list[str] = []
    names: dict[str, str] = {}
    for ref in refs if refs is not None else list_refs(cwd):
        if ref.kind in ("tree", "blob"):
            roots.append(f"{ref.full}^{{{ref.kind}}}")
            if ref.kind == "blob" and ref.oid in oids:
                names[ref.oid] = ref.full
    if roots:
        listing = run_git(cwd, "rev-list", "--objects", "--missing=allow-any", "--stdin",
                          input="\n".join(roots).encode() + b"\n", check=False)
        for line in listing.decode("utf-8", "surrogateescape").splitlines():
            oid, _, name = line.partition(" ")
            if oid in oids and name:
                names.setdefault(oid, name)
    return names


def commit_info(cwd: Path, shas: Iterable[str]) -> dict[str, Commit]:
    """Author, author date and subject of each commit, in one git call."""
    wanted = sorted(set(shas))
    if not wanted:
        return {}
    out = run_git(cwd, "log", "--no-walk=unsorted", "--stdin", "--format=%H%x1f%an%x1f%aI%x1f%s%x1f%at%x1e",
                  input="\n".join(wanted).encode() + b"\n", check=False).decode("utf-8", "replace")
    info = {}
    for record in out.split("\x1e"):
        parts = record.strip("\n").split("\x1f")
        if len(parts) == 5:
            sha, author, date, subject, stamp = parts
            info[sha] = Commit(sha, author, date, subject, int(stamp) if stamp.isdigit() else 0)
    return info


def head_blobs(git_dir: Path) -> set[str]:
    """Blob ids in HEAD's tree (empty for a repository without commits)."""
    return set(head_paths(git_dir))


def head_paths(git_dir: Path) -> dict[str, set[str]]:
    """Blob id -> the paths it has in HEAD's tree (empty for a repository without commits)."""
    from credsweep.git.repo import ls_tree

    blobs: dict[str, set[str]] = {}
    for entry in ls_tree(git_dir):
        if entry.kind == "blob":
            blobs.setdefault(entry.oid, set()).add(entry.path)
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


@dataclass
class Reachability:
    """Answers for a set of commits in one pass over the commit graph."""

    refs: dict[str, RefInfo]
    """Introducing commit → the refs containing it."""
    carriers: dict[tuple[str, tuple[str, ...]], int]
    """(introducing commit, removing commits) → commits that descend from the first and from none of the rest."""


def list_refs(git_dir: Path) -> list[Ref]:
    """Every ref (see ``RefsCapture``), now."""
    with RefsCapture(git_dir) as capture:
        return capture.refs()


def _ref_tips(refs: Sequence[Ref]) -> list[tuple[str, str, str, str]]:
    """(tip commit, full ref name, short name, committer date) for every ref that points at a commit."""
    return [(ref.oid, ref.full, ref.short, ref.date) for ref in refs
            if ref.kind == "commit" and ref.full != "refs/stash" and not ref.full.endswith("/HEAD")]


def _instant(iso: str) -> float:
    """Seconds since the epoch of an ISO 8601 date (0 when unparsable)."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(iso).timestamp()
    except ValueError:
        return 0.0


def _bits(mask: int) -> Iterable[int]:
    """Indices of the set bits of ``mask``."""
    text = bin(mask)
    top = len(text) - 1
    at = text.find("1", 2)
    while at >= 0:
        yield top - at
        at = text.find("1", at + 1)


def reachability(git_dir: Path, revs: Sequence[str], intros: Iterable[str],
                 removals: Iterable[tuple[str, tuple[str, ...]]], graph: GraphCapture | None = None,
                 refs: Sequence[Ref] | None = None) -> Reachability:
    """Ref membership of each commit in ``intros``, and for each (intro, removals) key the number of
    commits that descend from the intro without descending from one of its removals.

    Commits stream parents-first; each commit's bit sets are the union of its parents' plus its own
    bits. A single-parent commit shares its parent's int object, so memory grows with merges and
    targets, not with history length. Counting uses bit-sliced counters (a ripple-carry adder over
    Python ints): a few big-int operations per commit, whatever the number of keys.
    """
    targets = list(dict.fromkeys(intros))
    own = {sha.encode(): 1 << i for i, sha in enumerate(targets)}
    keys = list(dict.fromkeys(removals))
    start_bits: dict[bytes, int] = {}
    stop_bits: dict[bytes, int] = {}
    for i, (intro, gone) in enumerate(keys):
        start_bits[intro.encode()] = start_bits.get(intro.encode(), 0) | (1 << i)
        for sha in gone:
            stop_bits[sha.encode()] = stop_bits.get(sha.encode(), 0) | (1 << i)
    mask: dict[bytes, int] = {}
    counters: list[int] = []
    refs = refs if refs is not None else list_refs(git_dir)
    tips = {tip.encode() for tip, _, _, _ in _ref_tips(refs)}
    own_graph = graph is None
    graph = graph or GraphCapture(git_dir, revs)
    try:
        if graph.children is None:  # a first pass: when a commit's last child is done, its bits can go
            graph.count_children()
        children = graph.children
        graph.children = None  # _propagate empties it as it goes
        _propagate(graph.lines(), own, start_bits, stop_bits, mask, counters, children, tips)
    finally:
        if own_graph:
            graph.close()
    return _answers(refs, targets, keys, mask, counters)


def _propagate(lines: Iterable[bytes], own: dict[bytes, int], start_bits: dict[bytes, int],
               stop_bits: dict[bytes, int], mask: dict[bytes, int], counters: list[int],
               children: dict[bytes, int] | None = None, keep: set[bytes] | frozenset[bytes] = frozenset()) -> None:
    """One pass over the commit graph, parents first: ``mask`` gets each commit's target bits,
    ``counters`` (bit-sliced) the number of live carriers of each key.

    With ``children`` (how many children each commit has), a commit's bit sets are dropped once its
    last child has read them, unless it is in ``keep`` (the ref tips, read afterwards): only the
    frontier of the walk holds bit sets (git/git: 13,800 targets over 200,000 commits held 400 MB)."""
    carry: dict[bytes, int] = {}
    stopped: dict[bytes, int] = {}
    for raw in lines:
        parts = raw.split()
        if not parts:
            continue
        sha = parts[0]
        m, c, g = own.get(sha, 0), start_bits.get(sha, 0), stop_bits.get(sha, 0)
        for parent in parts[1:]:
            pm = mask.get(parent, 0)
            m = (m | pm) if m and pm else (m or pm)
            pc = carry.get(parent, 0)
            c = (c | pc) if c and pc else (c or pc)
            pg = stopped.get(parent, 0)
            g = (g | pg) if g and pg else (g or pg)
        if children is not None:  # after every parent was read (a parent may be listed twice)
            for parent in parts[1:]:
                left = children.get(parent, 1) - 1
                if left > 0:
                    children[parent] = left
                elif parent not in keep:
                    children.pop(parent, None)
                    mask.pop(parent, None)
                    carry.pop(parent, None)
                    stopped.pop(parent, None)
        if m:
            mask[sha] = m
        if g:
            stopped[sha] = g
        if c:
            carry[sha] = c
            alive = c & ~g if g else c
            level = 0
            while alive:  # add one to the counter of every bit set in alive
                if level == len(counters):
                    counters.append(0)
                spill = counters[level] & alive
                counters[level] ^= alive
                alive = spill
                level += 1


def _answers(refs: Sequence[Ref], targets: list[str], keys: list[tuple[str, tuple[str, ...]]], mask: dict[bytes, int],
             counters: list[int]) -> Reachability:
    """Ref names, pushed and newest tip date of each target, and the carrier count of each key."""
    # Thousands of refs (tags, refs/pull/*) times thousands of targets: never enumerate the pairs.
    # Each target takes the first MAX_REFS_SHOWN names and the newest date; a full target leaves the
    # open set, so the bit loops run at most MAX_REFS_SHOWN times per target in total.
    tips = [(mask.get(tip.encode(), 0), full, short, date) for tip, full, short, date in _ref_tips(refs)]
    tips = [t for t in tips if t[0]]
    names: dict[int, list[str]] = {}
    open_bits = (1 << len(targets)) - 1
    for tip_mask, full, short, _ in sorted(tips, key=lambda t: t[2]):
        if full.startswith("refs/pull/"):
            continue  # a hosting service's pull-request heads: not names anyone pushed or keeps
        for bit in _bits(tip_mask & open_bits):
            taken = names.setdefault(bit, [])
            taken.append(short)
            if len(taken) >= MAX_REFS_SHOWN:
                open_bits &= ~(1 << bit)
    newest: dict[int, str] = {}
    undated = (1 << len(targets)) - 1
    for tip_mask, _, _, date in sorted((t for t in tips if t[3]), key=lambda t: _instant(t[3]), reverse=True):
        fresh = tip_mask & undated
        if fresh:
            for bit in _bits(fresh):
                newest[bit] = date
            undated &= ~fresh
            if not undated:
                break
    pushed_bits = 0
    for tip_mask, full, _, _ in tips:
        if full.startswith("refs/remotes/"):
            pushed_bits |= tip_mask
    answers = {sha: RefInfo(tuple(names.get(i, ())), bool(pushed_bits >> i & 1), newest.get(i))
               for i, sha in enumerate(targets)}
    carriers = {key: sum(((counter >> i) & 1) << level for level, counter in enumerate(counters))
                for i, key in enumerate(keys)}
    return Reachability(refs=answers, carriers=carriers)
