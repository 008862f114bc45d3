"""Hygiene checks of a working tree: credential files, .gitignore coverage, file modes, symlinks.

Each problem is a Finding (kind sensitive-file, gitignore or file-mode, built by
``hygiene.findings.hygiene_finding``) whose ``advice.commands`` fix it, and an ``Action`` the ``fix``
command can apply. Nothing here writes anything.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from credsweep.git.ignore import IgnoreMatcher
from credsweep.git.repo import RepoInfo, run_git, split_z
from credsweep.hygiene.catalogue import Catalogue, FileRule, load_catalogue
from credsweep.hygiene.findings import file_holds_secret, hygiene_finding
from credsweep.judgement.location import is_test_material
from credsweep.models import Finding
from credsweep.util.pathnames import shell_quote

READ_LIMIT = 1024 * 1024


@dataclass(frozen=True)
class Action:
    """One safe fix: append an ignore line, untrack a file (it stays on disk), or tighten a mode."""

    kind: str
    """append-ignore, untrack, chmod or clear-exec."""
    path: str
    """The file acted on (for append-ignore: the .gitignore to append to)."""
    value: str = ""
    """append-ignore: the line; chmod: the octal mode."""
    fixture: bool = False
    """The file is a test fixture: ``fix`` leaves it alone unless asked (``--include-fixtures``)."""

    def describe(self) -> str:
        q = shell_quote
        return {
            "append-ignore": f"printf '%s\\n' {q(self.value)} >> {q(self.path)}",
            "untrack": f"git rm --cached --quiet -- {q(self.path)}",
            "chmod": f"chmod {self.value} -- {q(self.path)}",
            "clear-exec": f"git update-index --chmod=-x -- {q(self.path)}",
        }[self.kind]


@dataclass(frozen=True)
class HygieneResult:
    """What the checks found and what ``fix`` may do about it."""

    findings: tuple[Finding, ...]
    """The problems."""
    actions: tuple[Action, ...]
    """The fixes ``fix`` applies (never an ignore line a file name could steer)."""
    refused: tuple[str, ...] = ()
    """Paths whose names hold control characters: no ignore line is written for them (rename them)."""


def _read(root: Path, rel: str) -> bytes | None:
    try:
        fd = os.open(root / rel, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            return handle.read(READ_LIMIT)
    except OSError:
        return None


def steerable(line: str) -> bool:
    """An ignore line a file name could have turned into something else: it holds a newline, carriage
    return or another control character (written out, it would be several lines)."""
    return any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in line)


def _usable(actions: Iterable[Action]) -> list[Action]:
    """``actions`` without ignore lines a file name could steer (``steerable``): never advised, never applied."""
    return [a for a in actions if not (a.kind == "append-ignore" and steerable(a.value))]


def _commands(actions: Iterable[Action]) -> list[str]:
    """The commands a finding advises: a fixture is never untracked by default, so not advised either."""
    return [a.describe() for a in _usable(actions) if not (a.fixture and a.kind == "untrack")]


class HygieneChecker:
    """Runs the checks for one working tree."""

    def __init__(self, root: Path, repo: RepoInfo | None, catalogue: Catalogue | None = None) -> None:
        self.root = root
        self.repo = repo
        self.catalogue = catalogue or load_catalogue()
        self.in_git = repo is not None and repo.top is not None
        self.matcher = IgnoreMatcher(root, repo.git_dir if repo else None) if self.in_git else None
        self.findings: list[Finding] = []
        self.actions: list[Action] = []
        self.refused: list[str] = []
        """Paths whose names hold control characters: no ignore line is advised or written for them."""
        self.key_paths: frozenset[str] = frozenset()
        """Paths whose content is a private key (``run``'s ``key_paths``)."""

    def _add(self, finding: Finding, actions: Iterable[Action]) -> None:
        self.findings.append(finding)
        self.actions.extend(_usable(actions))

    def run(self, paths: Iterable[str], secret_paths: Iterable[str], key_paths: Iterable[str] = ()) -> HygieneResult:
        """Check ``paths``; ``secret_paths`` hold a secret the scan found, ``key_paths`` a private key (such a
        file is a key file whatever its name when its content is the key: see ``Catalogue.key_file``)."""
        self.key_paths = frozenset(key_paths)
        index_modes: dict[str, str] = {}
        tracked_ignored: set[str] = set()
        ignored_present: list[str] = []
        if self.in_git:
            for entry in split_z(run_git(self.root, "ls-files", "-s", "-z")):
                meta, _, path = entry.partition("\t")
                index_modes[path] = meta.split(" ", 1)[0]
            tracked_ignored = set(split_z(run_git(self.root, "ls-files", "-z", "-c", "-i", "--exclude-standard")))
            ignored_present = split_z(run_git(self.root, "ls-files", "-z", "-o", "-i", "--exclude-standard", "--directory"))
        listed = list(dict.fromkeys([*paths, *(p for p in ignored_present if not p.endswith("/"))]))
        secret_files = set(secret_paths)
        for rel in listed:
            self._check_path(rel, index_modes, rel in secret_files)
        for rel in sorted(tracked_ignored):
            if not any(f.path == rel and f.kind == "gitignore" for f in self.findings):
                self._tracked_ignored(rel)
        self._check_ssh_dirs(listed)
        return HygieneResult(tuple(self.findings), tuple(dict.fromkeys(self.actions)), tuple(self.refused))

    def _check_path(self, rel: str, index_modes: dict[str, str], has_secret: bool) -> None:
        full = self.root / rel
        try:
            st = os.lstat(full)
        except OSError:
            return
        if stat.S_ISLNK(st.st_mode):
            self._check_symlink(rel, full)
            return
        if not stat.S_ISREG(st.st_mode):
            return
        data: list[bytes | None] = []

        def read() -> bytes | None:
            if not data:
                data.append(_read(self.root, rel))
            return data[0]

        rule = self.catalogue.classify(rel, read)
        if rule is None and rel in self.key_paths:  # only files the scan found a key in are read again
            rule = self.catalogue.key_file(rel, read)
        tracked = rel in index_modes
        fixture = is_test_material(rel)
        holds = file_holds_secret(rule, rel, read(), has_secret) if rule is not None else has_secret
        if rule is not None:
            self._check_sensitive(rel, rule, tracked, holds)
            if index_modes.get(rel) == "100755" and holds and not fixture:
                act = Action("clear-exec", rel)
                self._add(hygiene_finding("file-mode", "file-mode.executable-credential", rel, file_rule=rule,
                                          commands=_commands([act, Action("chmod", rel, "600")])), [act])
        # git records only 644/755, so a mode matters for credential files and user data on this
        # machine, and for files holding secrets that git does not carry (untracked or ignored): never
        # for tracked source files, whose mode every clone resets
        mode_matters = (rule is not None and holds and not (tracked and fixture)) or (has_secret and not tracked)
        if mode_matters and st.st_mode & 0o077 and os.name == "posix":
            act = Action("chmod", rel, "600")
            critical = rule is not None and rule.severity == "critical"
            self._add(hygiene_finding("file-mode", "file-mode.readable-by-others", rel, file_rule=rule,
                                      commands=_commands([act]), mode=stat.S_IMODE(st.st_mode),
                                      severity="high" if critical else "medium"), [act])

    def _ignore_fix(self, rel: str, rule: FileRule | None) -> Action:
        """The ignore line for ``rel``. A name holding a newline or another control character gives no
        usable line (``.env.x<newline>!.env`` would be two, the second un-ignoring ``.env``): its action is
        returned for the finding's text, but never advised or applied (``steerable``; ``refused``)."""
        assert self.matcher is not None
        ignore_file = self.matcher.ignore_file_for(rel)
        base = ignore_file.rsplit("/", 1)[0] if "/" in ignore_file else ""
        line = rule.gitignore_line(rel, base) if rule else "/" + (rel[len(base) + 1:] if base else rel)
        action = Action("append-ignore", ignore_file, line)
        if steerable(line) and rel not in self.refused:
            self.refused.append(rel)
        return action

    def _check_sensitive(self, rel: str, rule: FileRule, tracked: bool, holds: bool) -> None:
        if not self.in_git:
            self._add(hygiene_finding("sensitive-file", rule.id, rel, file_rule=rule, holds_secret=holds,
                                      in_git=False), [])
            return
        assert self.matcher is not None
        ignored, _ = self.matcher.ignored(rel)
        fixture = is_test_material(rel)
        if tracked:
            actions = [Action("untrack", rel, fixture=fixture)]
            if not ignored and not fixture:
                actions.append(self._ignore_fix(rel, rule))
            self._add(hygiene_finding("sensitive-file", rule.id, rel, file_rule=rule, commands=_commands(actions),
                                      holds_secret=holds), actions)
            if ignored:
                self._tracked_ignored(rel, rule, holds)
            elif not fixture:
                # a fixture is tracked on purpose: an ignore line would not untrack it, and a broad
                # pattern such as *.key would stop the next fixture from being added
                fix = self._ignore_fix(rel, rule)
                self._add(hygiene_finding("gitignore", "gitignore.not-covered", rel, file_rule=rule,
                                          commands=_commands([fix]), line=fix.value, ignore_file=fix.path,
                                          severity=None if holds else "low"), [fix])
        elif not ignored:
            fix = self._ignore_fix(rel, rule)
            self._add(hygiene_finding("gitignore", "gitignore.untracked-sensitive", rel, file_rule=rule,
                                      commands=_commands([fix]), line=fix.value, ignore_file=fix.path,
                                      severity=None if holds else "low"), [fix])

    def _tracked_ignored(self, rel: str, rule: FileRule | None = None, holds: bool = True) -> None:
        act = Action("untrack", rel, fixture=rule is not None and is_test_material(rel))
        self._add(hygiene_finding("gitignore", "gitignore.tracked-ignored", rel, file_rule=rule,
                                  commands=_commands([act]), holds_secret=holds), [act])

    def _check_symlink(self, rel: str, full: Path) -> None:
        try:
            target = os.readlink(full)
        except OSError:
            return
        resolved = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(full)), target))
        top = os.path.abspath(self.root)
        if os.path.commonpath([resolved, top]) != top:
            self._add(hygiene_finding("file-mode", "file-mode.symlink-outside", rel), [])

    def _check_ssh_dirs(self, listed: Iterable[str]) -> None:
        dirs = {"/".join(p.split("/")[: i + 1]) for p in listed for i, part in enumerate(p.split("/")[:-1])
                if part == ".ssh"}
        for rel in sorted(dirs):
            try:
                st = os.lstat(self.root / rel)
            except OSError:
                continue
            if stat.S_ISDIR(st.st_mode) and st.st_mode & 0o077:
                act = Action("chmod", rel, "700")
                self._add(hygiene_finding("file-mode", "file-mode.ssh-dir", rel, commands=_commands([act]),
                                          mode=stat.S_IMODE(st.st_mode)), [act])
