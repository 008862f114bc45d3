"""Staged source: exactly what the next commit will contain, read from the index (never the work tree).

Plain git plumbing, no GitPython (start-up cost matters on every commit): one ``diff --cached --raw``
for the staged paths and blob ids, one ``diff --cached -U0`` for the added line numbers, and one
``cat-file --batch`` for the contents. ``GIT_INDEX_FILE`` is honoured, so partial commits
(``git commit -p``, pre-commit's stashing) are scanned as git will commit them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from credsweep.errors import GitError
from credsweep.git import has_head, run_git

ZERO = "0" * 40
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.M)


@dataclass(frozen=True)
class StagedFile:
    """One staged (added, copied, modified or type-changed) path."""

    path: str
    blob_id: str
    mode: str
    """git mode of the staged blob, e.g. 100644 or 100755."""
    added_lines: frozenset[int] = field(default_factory=frozenset)
    """1-based line numbers the commit adds to this file."""


def staged_files(cwd: Path) -> list[StagedFile]:
    """Staged paths with their blob ids, modes and added lines."""
    base = "HEAD" if has_head(cwd) else EMPTY_TREE
    raw = run_git(cwd, "diff", "--cached", "--raw", "-z", "--no-abbrev", "--no-renames", "--no-textconv",
                  "--no-ext-diff", "--diff-filter=ACMT", base)
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
