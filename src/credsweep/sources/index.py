"""Staged source: exactly what the next commit will contain, read from the index (never the work tree).

Plain git plumbing, no GitPython (start-up cost matters on every commit): one ``diff --cached --raw``
for the staged paths and blob ids, one ``diff --cached -U0`` for the added line numbers, and one
``cat-file --batch`` for the contents. ``GIT_INDEX_FILE`` is honoured, so partial commits
(``git commit -p``, pre-commit's stashing) are scanned as git will commit them.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from credsweep.errors import GitError
from credsweep.git.repo import git_command, has_head, run_git, safe_env
from credsweep.util.lazyre import lazy

ZERO = "0" * 40
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
_HUNK = lazy(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)


@dataclass(frozen=True)
class StagedFile:
    """One staged (added, copied, modified or type-changed) path."""

    path: str
    blob_id: str
    mode: str
    """git mode of the staged blob, e.g. 100644 or 100755."""
    added_lines: frozenset[int] = field(default_factory=frozenset)
    """1-based line numbers the commit adds to this file."""


_RAW_DIFF = ("diff", "--cached", "--raw", "-z", "--no-abbrev", "--no-renames", "--no-textconv", "--no-ext-diff",
             "--diff-filter=ACMT")


def _raw_diff(cwd: Path) -> tuple[str, bytes]:
    """(base, raw diff of the index against it): HEAD, or the empty tree before the first commit.

    The common case costs one git process: only when the diff against HEAD fails do we find out
    why (an unreadable index is an error; no HEAD yet means a first commit).
    """
    try:
        return "HEAD", run_git(cwd, *_RAW_DIFF, "HEAD", "--")
    except GitError:
        require_index(cwd)
        if has_head(cwd):
            raise
    return EMPTY_TREE, run_git(cwd, *_RAW_DIFF, EMPTY_TREE, "--")


def staged_files(cwd: Path) -> list[StagedFile]:
    """Staged paths with their blob ids, modes and added lines (GitError when the index is unreadable)."""
    base, raw = _raw_diff(cwd)
    tokens = raw.split(b"\0")
    entries: list[tuple[str, str, str]] = []
    for meta, path in zip(tokens[0::2], tokens[1::2], strict=False):
        parts = meta.decode("ascii", "replace").split()
        if len(parts) < 5 or parts[1] == "160000":  # submodule pointers carry no content here
            continue
        entries.append((path.decode("utf-8", "surrogateescape"), parts[3], parts[1]))
    if not entries:
        return []
    added = added_lines(cwd, base)
    return [StagedFile(p, oid, mode, frozenset(added.get(p, ()))) for p, oid, mode in entries]


def added_lines(cwd: Path, base: str) -> dict[str, set[int]]:
    """Path → line numbers added by the staged change (from a zero-context diff)."""
    out = run_git(cwd, "diff", "--cached", "-U0", "--no-color", "--no-renames", "--no-textconv", "--no-ext-diff",
                  "--diff-filter=ACMT", "--src-prefix=a/", "--dst-prefix=b/", base)
    result: dict[str, set[int]] = {}
    current: set[int] | None = None
    for line in out.split(b"\n"):
        if line.startswith(b"+++ "):
            name = line[4:]
            if name.startswith(b'"'):  # C-quoted path: decode git's escapes
                name = name[1:-1].decode("unicode_escape").encode("latin-1")
            path = name[2:].decode("utf-8", "surrogateescape")
            current = result.setdefault(path, set()) if name != b"/dev/null" else None
        elif line.startswith(b"@@") and current is not None:
            match = _HUNK.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or 1)
                current.update(range(start, start + count))
    return result


def require_index(cwd: Path) -> None:
    """Fail clearly when the index cannot be read (corrupt, locked by a broken state, not a repo)."""
    try:
        run_git(cwd, "ls-files", "--cached", "--stage", "--", ":(top)._credsweep_probe_")
    except GitError as exc:
        raise GitError(f"cannot read the git index: {exc}") from None


def read_blobs(cwd: Path, oids: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    """(id, content) of each blob git has, in order, through one ``git cat-file --batch``.

    Plain blocking reads: a commit stages a handful of files, so this needs none of the history
    reader's buffering (nor its import). Requests larger than a pipe buffer are written by a thread,
    so git never blocks on output we are not yet reading.
    """
    proc = subprocess.Popen(git_command("cat-file", "--batch"), cwd=cwd, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=safe_env())
    assert proc.stdin is not None and proc.stdout is not None
    request = "".join(f"{oid}\n" for oid in oids).encode()
    if len(request) <= _PIPE_SAFE:
        _feed(proc.stdin, request)
    else:
        import threading

        threading.Thread(target=_feed, args=(proc.stdin, request), daemon=True).start()
    out = proc.stdout
    try:
        for _ in oids:
            header = out.readline().split()
            if len(header) != 3:  # end of output, or "<id> missing"
                if not header:
                    break
                continue
            data = out.read(int(header[2]))
            out.read(1)  # the newline after each object
            yield header[0].decode("ascii"), data
    finally:
        out.close()
        proc.kill()
        proc.wait()


_PIPE_SAFE = 16 * 1024
"""Request bytes written inline: well under any pipe buffer, so the write cannot block."""


def _feed(stdin: IO[bytes], request: bytes) -> None:
    try:
        stdin.write(request)
        stdin.close()
    except OSError:
        pass  # git went away: the reader sees the output end
