"""Hygiene checks of a working tree: credential files, .gitignore coverage, file modes, symlinks.

Each problem is a Finding (kind sensitive-file, gitignore or file-mode) whose ``advice.commands`` fix
it, and an ``Action`` the ``fix`` command can apply. Nothing here writes anything.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from credsweep import identity
from credsweep.git import RepoInfo, run_git, split_z
from credsweep.hygiene.catalogue import Catalogue, FileRule, load_catalogue
from credsweep.hygiene.ignore import IgnoreMatcher
from credsweep.models import Advice, Finding
from credsweep.pathnames import shell_quote

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
    findings: tuple[Finding, ...]
    actions: tuple[Action, ...]


def _read(root: Path, rel: str) -> bytes | None:
    try:
        fd = os.open(root / rel, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            return handle.read(READ_LIMIT)
    except OSError:
        return None


def _finding(kind: str, rule: str, name: str, severity: str, path: str, summary: str, steps: list[str],
             actions: list[Action], mode: int | None = None) -> Finding:
    return Finding(
        kind=kind, rule=rule, provider="hygiene", name=name, severity=severity, confidence="high", path=path,
        line=None, column=None, fingerprint=identity.fingerprint(kind, rule, path), redacted="",
        advice=Advice(summary=summary, steps=tuple(steps), commands=tuple(a.describe() for a in actions),
                      urls=("https://git-scm.com/docs/gitignore", "https://git-scm.com/docs/git-rm"),
                      urgency=severity, why=name),
        mode=mode,
    )


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

    def _add(self, finding: Finding, actions: Iterable[Action]) -> None:
        self.findings.append(finding)
        self.actions.extend(actions)

    def run(self, paths: Iterable[str], secret_paths: Iterable[str]) -> HygieneResult:
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
                self._tracked_ignored(rel, sensitive=False)
        self._check_ssh_dirs(listed)
        return HygieneResult(tuple(self.findings), tuple(dict.fromkeys(self.actions)))

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
        rule = self.catalogue.classify(rel, lambda: _read(self.root, rel))
        tracked = rel in index_modes
        if rule is not None:
            self._check_sensitive(rel, rule, tracked)
            if index_modes.get(rel) == "100755":
                act = Action("clear-exec", rel)
                self._add(_finding("file-mode", "file-mode.executable-credential", f"{rule.name} committed as executable",
                                   "medium", rel, "Clear the executable bit: a credential file is never a program.",
                                   ["Clear the bit in git and on disk."], [act, Action("chmod", rel, "600")]), [act])
        if (rule is not None or has_secret) and st.st_mode & 0o077 and os.name == "posix":
            act = Action("chmod", rel, "600")
            what = rule.name if rule else "file with a secret"
            self._add(_finding("file-mode", "file-mode.readable-by-others",
                               f"{what} is accessible by group/others (mode {stat.S_IMODE(st.st_mode):o})",
                               "high" if rule and rule.severity == "critical" else "medium", rel,
                               f"Restrict it to its owner: chmod 600 {shell_quote(rel)}.",
                               ["Credential files should be readable and writable by their owner only (0600)."], [act],
                               mode=stat.S_IMODE(st.st_mode)), [act])

    def _ignore_fix(self, rel: str, rule: FileRule | None) -> Action:
        assert self.matcher is not None
        ignore_file = self.matcher.ignore_file_for(rel)
        base = ignore_file.rsplit("/", 1)[0] if "/" in ignore_file else ""
        line = rule.gitignore_line(rel, base) if rule else "/" + (rel[len(base) + 1:] if base else rel)
        return Action("append-ignore", ignore_file, line)

    def _check_sensitive(self, rel: str, rule: FileRule, tracked: bool) -> None:
        if not self.in_git:
            self._add(_finding("sensitive-file", rule.id, rule.name, rule.severity, rel,
                               "Keep this file out of version control and rotate what it holds.", [], []), [])
            return
        assert self.matcher is not None
        ignored, _ = self.matcher.ignored(rel)
        if tracked:
            steps = ["Rotate every credential the file holds: it is in the repository (and its history).",
                     "Stop tracking it (the local copy stays): git rm --cached.",
                     "Make sure .gitignore covers it so it is never added again."]
            actions = [Action("untrack", rel)]
            if not ignored:
                actions.append(self._ignore_fix(rel, rule))
            self._add(_finding("sensitive-file", rule.id, f"{rule.name} is tracked by git", rule.severity, rel,
                               "Untrack this credential file, ignore it, and rotate what it holds.", steps, actions),
                      actions)
            if ignored:
                self._tracked_ignored(rel, sensitive=True)
            else:
                fix = self._ignore_fix(rel, rule)
                self._add(_finding("gitignore", "gitignore.not-covered", f"no ignore rule covers {rule.name}",
                                   "medium", rel, f"Add '{fix.value}' to {fix.path}.",
                                   [f"Add the line '{fix.value}' to {fix.path}."], [fix]), [fix])
        elif not ignored:
            fix = self._ignore_fix(rel, rule)
            self._add(_finding("gitignore", "gitignore.untracked-sensitive",
                               f"{rule.name} is untracked and not ignored: one `git add .` from being committed",
                               "high", rel, f"Add '{fix.value}' to {fix.path} now.",
                               [f"Add the line '{fix.value}' to {fix.path}."], [fix]), [fix])

    def _tracked_ignored(self, rel: str, sensitive: bool) -> None:
        act = Action("untrack", rel)
        self._add(_finding("gitignore", "gitignore.tracked-ignored",
                           "file is tracked although an ignore rule matches it (force-added or added before the rule)",
                           "high" if sensitive else "low", rel,
                           "Untrack it (git rm --cached; the file stays on disk) or remove the ignore rule.",
                           ["If it should not be in git: git rm --cached; otherwise add a negation (!path) rule."],
                           [act]), [act])

    def _check_symlink(self, rel: str, full: Path) -> None:
        try:
            target = os.readlink(full)
        except OSError:
            return
        resolved = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(full)), target))
        top = os.path.abspath(self.root)
        if os.path.commonpath([resolved, top]) != top:
            self._add(_finding("file-mode", "file-mode.symlink-outside", "symlink points outside the repository",
                               "medium", rel, "Check this symlink: it points outside the repository (not followed).",
                               ["A symlink out of the tree can expose or overwrite files elsewhere when tools follow it."],
                               []), [])

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
                self._add(_finding("file-mode", "file-mode.ssh-dir", f".ssh folder is accessible by group/others "
                                   f"(mode {stat.S_IMODE(st.st_mode):o})", "medium", rel, f"chmod 700 {rel}",
                                   ["ssh refuses keys in folders others can read; keep it 0700."], [act],
                                   mode=stat.S_IMODE(st.st_mode)), [act])
