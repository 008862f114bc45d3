"""``credsweep fix``: apply hygiene fixes safely.

Only three kinds of change, all reversible: append lines to a .gitignore inside the repository,
``git rm --cached`` (the file stays on disk), and tighten file modes. Never deletes a file, never
rewrites history, never follows a symlink; running it twice changes nothing the second time.

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
from credsweep.hygiene.checks import Action
from credsweep.util.pathnames import display, printable, shell_quote


def _inside(root: Path, rel: str) -> Path:
    target = (root / rel)
    resolved = Path(os.path.abspath(target))
    if os.path.commonpath([resolved, os.path.abspath(root)]) != os.path.abspath(root) or ".." in Path(rel).parts:
        raise InputError(f"refusing to touch '{rel}': outside the repository")
    return target


def _append_ignore(root: Path, action: Action) -> str | None:
    target = _inside(root, action.path)
    if target.is_symlink():
        raise InputError(f"refusing to write {action.path}: it is a symlink")
    # surrogateescape both ways: an ignore line for a non-UTF-8 name must hold its exact bytes
    existing = target.read_text(encoding="utf-8", errors="surrogateescape") if target.exists() else ""
    if action.value in (line.strip() for line in existing.splitlines()):
        return None
    prefix = "" if not existing or existing.endswith("\n") else "\n"
    with open(target, "a", encoding="utf-8", errors="surrogateescape") as handle:
        handle.write(f"{prefix}{action.value}\n")
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
    os.chmod(target, wanted)
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


def notes(fix_plan: Plan) -> list[str]:
    """What the user must know about a plan (printed with the plan and after applying it)."""
    out = []
    if any(a.kind == "untrack" for a in fix_plan.actions):
        out.append(UNTRACK_WARNING)
    if fix_plan.fixtures:
        names = ", ".join(a.path for a in fix_plan.fixtures[:5])
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


def next_steps(done: Iterable[tuple[Action, str]]) -> list[str]:
    """What is left to the user after ``apply``: the .gitignore files it changed are not staged (an
    untracking is: ``git rm --cached`` records it in the index), and nothing is committed."""
    ignores = sorted({a.path for a, _ in done if a.kind == "append-ignore"})
    staged = [a for a, _ in done if a.kind in ("untrack", "clear-exec")]
    if not ignores and not staged:
        return []  # only modes changed: git does not record them
    out = []
    if ignores:
        out.append("Stage the .gitignore change" + ("s" if len(ignores) > 1 else "") + " (not staged by fix):")
        out.append("  git add -- " + " ".join(shell_quote(":/" + path) for path in ignores))
    out.append("Then commit" + (" (the untracking is already staged)" if staged else "") + ":")
    out.append("  git commit -m 'Stop tracking credential files'" if staged else "  git commit -m 'Ignore credential files'")
    return out
