"""The sensitive-file catalogue (rulesets/_files.toml): which files hold credentials."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path

import pathspec

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from credsweep.errors import ConfigError
from credsweep.hygiene.credentials import credential_keys, json_user_records
from credsweep.pathmatch import gitignore_spec
from credsweep.rules.loader import BUILTIN_DIR

CONTENT_MODES = ("always", "credentials", "regex", "user-records")
DEFAULT_ROTATE = "Rotate every credential the file holds."


@dataclass(frozen=True)
class FileRule:
    """One kind of sensitive file."""

    id: str
    """Stable id, e.g. file.env."""
    name: str
    """Human description."""
    globs: tuple[str, ...]
    """gitignore-style patterns of matching paths."""
    exclude: tuple[str, ...]
    """Patterns that are never this kind of file."""
    content: str
    """always, credentials or regex (see the catalogue header)."""
    contains: str | None
    """Regex the content must match (content = regex)."""
    severity: str
    """Severity of committing it."""
    ignore: str | None
    """The .gitignore line to suggest ({path} = the file's path); None: the anchored path."""
    examples: tuple[str, ...]
    negative_examples: tuple[str, ...]
    rotate: str = DEFAULT_ROTATE
    """What to do about what a leaked copy held (one imperative sentence, from the catalogue)."""
    holds: str | None = None
    """For kinds recognised by name alone: a regex of content that is secret (a key block, a password
    line); a file matching neither it nor a credential-named key holds nothing to rotate."""

    @cached_property
    def _spec(self) -> pathspec.GitIgnoreSpec:
        return gitignore_spec(self.globs)

    @cached_property
    def _exclude(self) -> pathspec.GitIgnoreSpec:
        return gitignore_spec(self.exclude)

    def matches_path(self, path: str) -> bool:
        return self._spec.match_file(path) and not self._exclude.match_file(path)

    def matches(self, path: str, read: Callable[[], bytes | None]) -> bool:
        """Does the file at ``path`` (content via ``read``, called only when needed) belong here?"""
        if not self.matches_path(path):
            return False
        if self.content == "always":
            return True
        data = read()
        if data is None:
            return False
        text = data.decode("utf-8", "replace")
        if self.content == "regex":
            return bool(self.contains and re.search(self.contains, text))
        if self.content == "user-records":
            return json_user_records(text)
        return bool(credential_keys(path.rsplit("/", 1)[-1], text))

    def gitignore_line(self, path: str, ignore_dir: str) -> str:
        if self.ignore and "{name}" in self.ignore:
            return self.ignore.replace("{name}", path.rsplit("/", 1)[-1])
        if self.ignore and "{path}" not in self.ignore:
            return self.ignore
        local = path[len(ignore_dir) + 1:] if ignore_dir else path
        return "/" + local


@dataclass(frozen=True)
class Catalogue:
    rules: tuple[FileRule, ...]

    @cached_property
    def _names(self) -> re.Pattern[str]:
        """One regex over file names that every catalogue glob's last component implies (a superset):
        most paths are rejected by it without building the per-entry gitignore specs."""
        import fnmatch

        parts = {g.rstrip("/").rsplit("/", 1)[-1] for r in self.rules for g in r.globs}
        return re.compile("|".join(fnmatch.translate(p) for p in sorted(parts)))

    def could_match(self, path: str) -> bool:
        """Cheap test: could any entry match this path (by name alone)?"""
        return bool(self._names.match(path.rsplit("/", 1)[-1])) and any(r.matches_path(path) for r in self.rules)

    def classify(self, path: str, read: Callable[[], bytes | None]) -> FileRule | None:
        """The first catalogue entry the file belongs to, or None."""
        if not self._names.match(path.rsplit("/", 1)[-1]):
            return None
        for rule in self.rules:
            if rule.matches(path, read):
                return rule
        return None


def load_catalogue(path: Path | None = None) -> Catalogue:
    source = path or BUILTIN_DIR / "_files.toml"
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{source}: cannot read the sensitive-file catalogue: {exc}") from None
    rules = []
    for index, table in enumerate(data.get("files", [])):
        try:
            rule = FileRule(
                id=table["id"], name=table["name"], globs=tuple(table["globs"]), exclude=tuple(table.get("exclude", [])),
                content=table["content"], contains=table.get("contains"), severity=table["severity"],
                ignore=table.get("ignore"), examples=tuple(table["examples"]),
                negative_examples=tuple(table["negative_examples"]), rotate=table.get("rotate", DEFAULT_ROTATE),
                holds=table.get("holds"),
            )
        except (KeyError, TypeError) as exc:
            raise ConfigError(f"{source.name} [[files]] #{index + 1}: missing or invalid key {exc}") from None
        if rule.content not in CONTENT_MODES:
            raise ConfigError(f"{source.name} {rule.id}: content must be one of {', '.join(CONTENT_MODES)}")
        rules.append(rule)
    return Catalogue(tuple(rules))


def check_catalogue(catalogue: Catalogue) -> list[str]:
    """Examples ("path" or "path::content") must classify as their entry; negatives must not."""
    problems = []
    ids = [r.id for r in catalogue.rules]
    problems += [f"file rule id '{i}' is duplicated" for i in set(ids) if ids.count(i) > 1]
    for rule in catalogue.rules:
        if len(rule.examples) < 1 or len(rule.negative_examples) < 2:
            problems.append(f"{rule.id}: needs examples and at least two negative examples")
        for pattern in (rule.contains, rule.holds):
            try:
                re.compile(pattern or "")
            except re.error as exc:
                problems.append(f"{rule.id}: pattern does not compile: {exc}")
        for example in rule.examples:
            path, _, body = example.partition("::")
            got = catalogue.classify(path, partial(str.encode, body))
            if got is None or got.id != rule.id:
                problems.append(f"{rule.id}: example '{path}' is classified as {got.id if got else 'nothing'}")
        for negative in rule.negative_examples:
            path, _, body = negative.partition("::")
            if rule.matches(path, body.encode):
                problems.append(f"{rule.id}: negative example '{path}' matches")
    return problems
