"""git's ignore semantics with pathspec: nested .gitignore files, info/exclude, core.excludesFile.

git's algorithm: a path is ignored when one of its parent directories is ignored (a file cannot be
re-included below an excluded directory), else when the last matching pattern, over all sources in
precedence order (core.excludesFile < .git/info/exclude < root .gitignore < deeper .gitignore), is
not a negation. The tests cross-check every decision against ``git check-ignore``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pathspec

from credsweep.git.repo import run_git
from credsweep.util.pathmatch import gitignore_spec
from credsweep.util.xdg import config_home


@dataclass(frozen=True)
class Source:
    """One file of ignore patterns and the directory its patterns are relative to."""

    base: str
    """Repository-relative directory ('' for the root and for the global/exclude files)."""
    file: str
    """Where the patterns came from (for advice)."""
    spec: pathspec.GitIgnoreSpec


def _read_lines(path: Path) -> list[str] | None:
    try:
        if path.is_symlink() or not path.is_file():
            return None  # git ignores symlinked .gitignore files too
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None


def _excludes_file(top: Path) -> Path | None:
    configured = run_git(top, "config", "--path", "--get", "core.excludesFile", check=False).decode().strip()
    if configured:
        return Path(os.path.expanduser(configured))
    return config_home() / "git" / "ignore"


class IgnoreMatcher:
    """Answers "is this path ignored by git?" for one working tree."""

    def __init__(self, top: Path, git_dir: Path | None) -> None:
        self.top = top
        self._global: list[Source] = []
        excludes = _excludes_file(top)
        for path, label in ((excludes, "core.excludesFile"), (git_dir / "info" / "exclude" if git_dir else None,
                                                               ".git/info/exclude")):
            lines = _read_lines(path) if path else None
            if lines:
                self._global.append(Source("", label, gitignore_spec(lines)))
        self._dir_source = lru_cache(maxsize=4096)(self._load_dir)

    def _load_dir(self, directory: str) -> Source | None:
        lines = _read_lines(self.top / directory / ".gitignore")
        if not lines:
            return None
        name = f"{directory}/.gitignore" if directory else ".gitignore"
        return Source(directory, name, gitignore_spec(lines))

    def _sources_for(self, directory: str) -> list[Source]:
        """Sources that apply inside ``directory``, lowest precedence first."""
        sources = list(self._global)
        parts = directory.split("/") if directory else []
        for depth in range(len(parts) + 1):
            source = self._dir_source("/".join(parts[:depth]))
            if source is not None:
                sources.append(source)
        return sources

    def _decide(self, rel: str, is_dir: bool) -> tuple[bool, str | None]:
        directory = rel.rsplit("/", 1)[0] if "/" in rel else ""
        verdict, where = False, None
        for source in self._sources_for(directory):
            local = rel[len(source.base) + 1:] if source.base else rel
            result = source.spec.check_file(local + ("/" if is_dir else ""))
            if result.include is not None:
                verdict, where = bool(result.include), source.file
        return verdict, where

    def ignored(self, rel: str) -> tuple[bool, str | None]:
        """(ignored?, the ignore file whose rule decided) for a repository-relative file path."""
        parts = rel.split("/")
        for depth in range(1, len(parts)):
            parent = "/".join(parts[:depth])
            ignored, where = self._decide(parent, is_dir=True)
            if ignored:
                return True, where
        return self._decide(rel, is_dir=False)

    def ignore_file_for(self, rel: str) -> str:
        """The .gitignore a rule for ``rel`` should go in: the nearest existing one above it, else the root's."""
        parts = rel.split("/")[:-1]
        for depth in range(len(parts), 0, -1):
            directory = "/".join(parts[:depth])
            if self._dir_source(directory) is not None:
                return f"{directory}/.gitignore"
        return ".gitignore"
