"""``credsweep fix``: apply hygiene fixes safely.

Only three kinds of change, all reversible: append lines to a .gitignore inside the repository,
``git rm --cached`` (the file stays on disk), and tighten file modes. Never deletes a file, never
rewrites history, never follows a symlink or a hard link out of the repository (a file with another
name elsewhere is left alone), never writes a line a file name could steer (a name holding a newline
or another control character becomes no ``.gitignore`` line at all); a ``.gitignore`` that is not a
regular file is reported and left alone. Running it twice changes nothing the second time.

Test fixtures (credential files under tests/, fixtures/, testdata/...) are tracked on purpose: they
are untracked only when the user asks (``include_fixtures``). Untracking is local until committed,
and then it deletes the file for everyone: ``notes`` says so whenever a plan untracks anything.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from credsweep.errors import InputError
from credsweep.git.repo import run_git
from credsweep.hygiene.checks import Action, steerable
from credsweep.util.pathnames import display, printable, shell_quote


def _inside(root: Path, rel: str) -> Path:
    target = (root / rel)
    resolved = Path(os.path.abspath(target))
    if os.path.commonpath([resolved, os.path.abspath(root)]) != os.path.abspath(root) or ".." in Path(rel).parts:
        raise InputError(f"refusing to touch '{rel}': outside the repository")
    return target


IGNORE_LIMIT = 1024 * 1024
"""Bytes of an existing .gitignore read at most before appending to it."""
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def _append_ignore(root: Path, action: Action) -> str | None:
    target = _inside(root, action.path)
    if steerable(action.value):
        return f"skipped: no line added to {display(action.path)} for a name holding control characters " \
               f"({printable(repr(action.value))}); rename that file, then run fix again"
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISLNK(st.st_mode):
        raise InputError(f"refusing to write {action.path}: it is a symlink")
    if st is not None and not stat.S_ISREG(st.st_mode):
        return f"skipped: {display(action.path)} is not a regular file (a folder, FIFO or device): left alone"
    if st is not None and st.st_nlink > 1:
        return f"skipped: {display(action.path)} has other hard links (it may be a file outside the repository)"
    # surrogateescape both ways: an ignore line for a non-UTF-8 name must hold its exact bytes
    flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | _NOFOLLOW
    fd = os.open(target, flags, 0o644)
    with os.fdopen(fd, "r+b") as handle:
        found = os.fstat(handle.fileno())
        if not stat.S_ISREG(found.st_mode) or found.st_nlink > 1:  # it changed since lstat
            return f"skipped: {display(action.path)} changed while fix ran: left alone"
        existing = handle.read(IGNORE_LIMIT + 1).decode("utf-8", "surrogateescape")
        if action.value in (line.strip() for line in existing.splitlines()):
            return None
        prefix = "" if not existing or existing.endswith("\n") else "\n"
        handle.write(f"{prefix}{action.value}\n".encode("utf-8", "surrogateescape"))
    return f"added '{printable(action.value)}' to {display(action.path)}"


def _untrack(root: Path, action: Action) -> str | None:
    _inside(root, action.path)
    if not run_git(root, "ls-files", "-z", "--", action.path).strip(b"\0"):
        return None
    run_git(root, "rm", "--cached", "--quiet", "--", action.path)
    return f"untracked {display(action.path)} (the file stays on disk)"


def _chmod(root: Path, action: Action) -> str | None:
    target = _inside(root, action.path)
    st = os.lstat(target)
    if stat.S_ISLNK(st.st_mode):
        return None
    wanted = int(action.value, 8)
    if stat.S_IMODE(st.st_mode) == wanted:
        return None
    # through a descriptor opened without following links, on what was checked: never another file
    fd = os.open(target, os.O_RDONLY | _NOFOLLOW)
    try:
        found = os.fstat(fd)
        if (found.st_dev, found.st_ino) != (st.st_dev, st.st_ino):
            return f"skipped: {display(action.path)} changed while fix ran: left alone"
        if stat.S_ISREG(found.st_mode) and found.st_nlink > 1:
            return (f"skipped: chmod {action.value} {display(action.path)}: it has other hard links (another name "
                    "for the same file, maybe outside the repository); check them yourself")
        if not (stat.S_ISREG(found.st_mode) or stat.S_ISDIR(found.st_mode)):
            return None
        os.fchmod(fd, wanted)
    finally:
        os.close(fd)
    return f"chmod {action.value} {display(action.path)}"


def _clear_exec(root: Path, action: Action) -> str | None:
    _inside(root, action.path)
    entry = run_git(root, "ls-files", "-s", "--", action.path).decode()
    if not entry.startswith("100755"):
        return None
    run_git(root, "update-index", "--chmod=-x", "--", action.path)
    return f"cleared the executable bit of {display(action.path)} in the index"


_APPLY = {"append-ignore": _append_ignore, "untrack": _untrack, "chmod": _chmod, "clear-exec": _clear_exec}
# ignore rules first (so untracked files are immediately covered), then untrack, then modes
_ORDER = {"append-ignore": 0, "untrack": 1, "clear-exec": 2, "chmod": 3}


def ordered(actions: Iterable[Action]) -> list[Action]:
    """Actions without duplicates, in the order they are safe to apply."""
    return sorted(dict.fromkeys(actions), key=lambda a: (_ORDER[a.kind], a.path, a.value))


@dataclass(frozen=True)
class Plan:
    """What ``fix`` will do, and what it leaves alone."""

    actions: tuple[Action, ...]
    """The changes, in the order they are applied."""
    fixtures: tuple[Action, ...]
    """Untracking of test fixtures, left out unless ``include_fixtures``."""


def plan(actions: Iterable[Action], include_fixtures: bool = False) -> Plan:
    """The plan for ``actions``: test fixtures stay tracked unless ``include_fixtures``."""
    wanted = ordered(actions)
    held = [a for a in wanted if a.kind == "untrack" and a.fixture and not include_fixtures]
    return Plan(tuple(a for a in wanted if a not in held), tuple(held))


UNTRACK_WARNING = (
    "Untracking keeps your copy on disk, but the commit that records it deletes the file from the repository "
    "for everyone, and from other people's working trees when they pull. Tell them first, or give them a "
    "template (e.g. .env.example) to copy. The file also stays in history: rotate what it held.")


def notes(fix_plan: Plan, refused: Iterable[str] = ()) -> list[str]:
    """What the user must know about a plan (printed with the plan and after applying it); ``refused``:
    paths whose names hold control characters, which no .gitignore line is written for."""
    out = [f"Not ignored: {display(path)}: its name holds control characters, which a .gitignore line cannot "
           "hold safely (it would become several lines); rename the file, then run fix again." for path in refused]
    if any(a.kind == "untrack" for a in fix_plan.actions):
        out.append(UNTRACK_WARNING)
    if fix_plan.fixtures:
        names = ", ".join(display(a.path) for a in fix_plan.fixtures[:5])
        more = f" and {len(fix_plan.fixtures) - 5} more" if len(fix_plan.fixtures) > 5 else ""
        out.append(f"Left tracked (test fixtures; --include-fixtures untracks them too): {names}{more}.")
    return out


def apply(root: Path, actions: Iterable[Action]) -> list[tuple[Action, str]]:
    """Carry out ``actions``; returns each change actually made, with one line saying what it did."""
    done = []
    for action in ordered(actions):
        result = _APPLY[action.kind](root, action)
        if result:
            done.append((action, result))
    return done


def skipped(said: str) -> bool:
    """``said`` (a line of ``apply``) reports a change left undone."""
    return said.startswith("skipped:")


def next_steps(done: Iterable[tuple[Action, str]]) -> list[str]:
    """What is left to the user after ``apply``: the .gitignore files it changed are not staged (an
    untracking is: ``git rm --cached`` records it in the index), and nothing is committed. A change
    ``apply`` skipped (a name holding control characters, a .gitignore that is not a file) leaves
    nothing to stage."""
    made = [a for a, said in done if not skipped(said)]
    ignores = sorted({a.path for a in made if a.kind == "append-ignore"})
    staged = [a for a in made if a.kind in ("untrack", "clear-exec")]
    if not ignores and not staged:
        return []  # only modes changed: git does not record them
    out = []
    if ignores:
        out.append("Stage the .gitignore change" + ("s" if len(ignores) > 1 else "") + " (not staged by fix):")
        out.append("  git add -- " + " ".join(shell_quote(":/" + path) for path in ignores))
    out.append("Then commit" + (" (the untracking is already staged)" if staged else "") + ":")
    out.append("  git commit -m 'Stop tracking credential files'" if staged else "  git commit -m 'Ignore credential files'")
    return out
