"""The sensitive-file catalogue (rulesets/_files.toml): which files hold credentials.

Import-light for the pre-commit hook: pathspec, the TOML parser and the credential-file parsers are
imported only when a path could be a credential file, and the parsed catalogue comes from the signed
cache (``credsweep.util.signedcache``) when it is there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from credsweep.errors import ConfigError
from credsweep.rules.loader import BUILTIN_DIR
from credsweep.util.lazyre import lazy

if TYPE_CHECKING:
    import pathspec

CONTENT_MODES = ("always", "credentials", "regex", "user-records", "user-data")
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
    """always, credentials, regex, user-records or user-data (see the catalogue header)."""
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
        from credsweep.util.pathmatch import gitignore_spec

        return gitignore_spec(self.globs)

    @cached_property
    def _exclude(self) -> pathspec.GitIgnoreSpec:
        from credsweep.util.pathmatch import gitignore_spec

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
        if self.content in ("user-records", "user-data"):
            from credsweep.hygiene.credentials import json_user_data, json_user_records
            from credsweep.judgement.location import is_translation_location

            if is_translation_location(path):
                return False  # ``locales/de/data.json``: a field label and its translation, not accounts
            return (json_user_records if self.content == "user-records" else json_user_data)(text)
        from credsweep.hygiene.credentials import credential_keys

        return bool(credential_keys(path.rsplit("/", 1)[-1], text))

    def gitignore_line(self, path: str, ignore_dir: str) -> str:
        if self.ignore and "{name}" in self.ignore:
            return self.ignore.replace("{name}", path.rsplit("/", 1)[-1])
        if self.ignore and "{path}" not in self.ignore:
            return self.ignore
        local = path[len(ignore_dir) + 1:] if ignore_dir else path
        return "/" + local


class _NameFilter:
    """Does a file name match one of these glob patterns (fnmatch semantics, case-sensitive)?

    Built on every hook start, so without compiling one big regex (~15 ms): exact names are a set,
    patterns made of literals and ``*`` are checked with string methods; only patterns with ``?`` or
    ``[`` (none in the built-in catalogue) compile a regex, and only when first needed.
    """

    def __init__(self, patterns: list[str]) -> None:
        self._exact = frozenset(p for p in patterns if not _WILDCARD.search(p))
        self._stars = [p.split("*") for p in patterns if "*" in p and not _CLASS.search(p)]
        self._other = [p for p in patterns if _CLASS.search(p)]
        self._answers: dict[str, bool] = {}
        """Names answered so far: a history's log names the same files in commit after commit."""

    @cached_property
    def _regex(self) -> re.Pattern[str] | None:
        import fnmatch

        return re.compile("|".join(fnmatch.translate(p) for p in self._other)) if self._other else None

    def match(self, name: str) -> bool:
        answer = self._answers.get(name)
        if answer is None:
            answer = self._answers[name] = self._match(name)
        return answer

    def _match(self, name: str) -> bool:
        if name in self._exact or any(_star_match(name, parts) for parts in self._stars):
            return True
        return bool(self._other) and self._regex is not None and bool(self._regex.match(name))


_WILDCARD = lazy(r"[*?\[]")
_CLASS = lazy(r"[?\[]")


def _star_match(name: str, parts: list[str]) -> bool:
    """fnmatch of ``name`` against a pattern split on ``*`` (literal parts only)."""
    first, *middle, last = parts
    if len(name) < len(first) + len(last) or not name.startswith(first) or not name.endswith(last):
        return False
    at, end = len(first), len(name) - len(last)
    for part in middle:
        found = name.find(part, at, end)
        if found < 0:
            return False
        at = found + len(part)
    return True


KEY_FILE_RULE = "file.private-key"
"""The catalogue entry of key files, also given to a file of any name whose content is a private key."""
_KEY_HEADER = lazy(rb"\A(?:\xef\xbb\xbf)?\s{0,64}(?:-----BEGIN (?:[A-Z0-9]+ ){0,4}PRIVATE KEY-----|PuTTY-User-Key-File-\d)")


def private_key_content(data: bytes | None) -> bool:
    """The content *is* a private key: it starts with a PEM or OpenSSH private-key header (or PuTTY's),
    whatever the file is called (``deploy_key``, ``prod.txt``)."""
    return data is not None and _KEY_HEADER.match(data[:256]) is not None


@dataclass(frozen=True)
class Catalogue:
    rules: tuple[FileRule, ...]

    def key_file(self, path: str, read: Callable[[], bytes | None]) -> FileRule | None:
        """The key-file entry for a file whose name the catalogue does not know but whose content is a
        private key (``read`` is called once); None otherwise."""
        if not private_key_content(read()):
            return None
        return next((rule for rule in self.rules if rule.id == KEY_FILE_RULE), None)

    @cached_property
    def _names(self) -> _NameFilter:
        """A test over file names that every catalogue glob's last component implies (a superset):
        most paths are rejected by it without building the per-entry gitignore specs."""
        return _NameFilter(sorted({g.rstrip("/").rsplit("/", 1)[-1] for r in self.rules for g in r.globs}))

    def could_match(self, path: str) -> bool:
        """Cheap test: could any entry match this path (by name alone)?"""
        return self._names.match(path.rsplit("/", 1)[-1]) and any(r.matches_path(path) for r in self.rules)

    def classify(self, path: str, read: Callable[[], bytes | None]) -> FileRule | None:
        """The first catalogue entry the file belongs to, or None."""
        if not self._names.match(path.rsplit("/", 1)[-1]):
            return None
        for rule in self.rules:
            if rule.matches(path, read):
                return rule
        return None


def load_catalogue(path: Path | None = None) -> Catalogue:
    """The catalogue at ``path`` (default: the built-in ``_files.toml``), from the signed cache when the
    file is unchanged since it was cached."""
    import json

    from credsweep.util import signedcache as cache

    source = path or BUILTIN_DIR / "_files.toml"
    name = _cache_name(source)
    payload = cache.load(name) if name else None
    if payload is not None:
        try:
            return _from_plain(json.loads(payload))
        except (ValueError, TypeError, KeyError):
            pass  # verified but unreadable (a bug, not an attack): parse again
    catalogue = _parse_catalogue(source)
    if name:
        plain = [{f.name: getattr(rule, f.name) for f in fields(FileRule)} for rule in catalogue.rules]
        cache.store(name, json.dumps(plain, separators=(",", ":")).encode())
    return catalogue


def _cache_name(source: Path) -> str | None:
    import hashlib

    import credsweep

    try:
        st = source.stat()
    except OSError:
        return None  # reported by the parse
    # this module's and the package's own files stand for the version (a reinstall rewrites them), which
    # is not read here: importlib.metadata costs the hook more than its scan
    code = f"{Path(__file__).stat().st_mtime_ns}:{Path(credsweep.__file__).stat().st_mtime_ns}"
    stamp = f"{source.absolute()}:{st.st_mtime_ns}:{st.st_size}:{code}"
    return f"files-{hashlib.sha256(stamp.encode()).hexdigest()[:24]}"


_OPTIONAL = ("contains", "ignore", "holds")
"""FileRule fields that may be None."""


def _from_plain(data: Any) -> Catalogue:
    """Rebuild from cached plain data: only FileRule is built, every field type checked."""
    rules = []
    for raw in data:
        values: dict[str, Any] = {}
        for f in fields(FileRule):
            value = raw[f.name]
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                value = tuple(value)
            elif not (isinstance(value, str) or (value is None and f.name in _OPTIONAL)):
                raise TypeError(f"catalogue field {f.name}")
            values[f.name] = value
        rules.append(FileRule(**values))
    return Catalogue(tuple(rules))


_FILE_KEYS = ("id", "name", "globs", "exclude", "content", "contains", "severity", "ignore", "examples",
              "negative_examples", "rotate", "holds")


def _parse_catalogue(source: Path) -> Catalogue:
    from credsweep.util import schema
    from credsweep.util import toml as tomlread

    try:
        data = tomlread.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{source}: cannot read the sensitive-file catalogue: {exc}") from None
    rules = []
    try:
        schema.only_keys(data, ("files",), source.name)
        tables = data.get("files", [])
        if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
            raise schema.SchemaError(f"{source.name}: 'files' must be an array of tables ([[files]])")
        for index, table in enumerate(tables):
            schema.only_keys(table, _FILE_KEYS, f"{source.name} [[files]] #{index + 1}")
    except schema.SchemaError as exc:
        raise ConfigError(str(exc)) from None
    for index, table in enumerate(tables):
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


def _reader(body: str) -> Callable[[], bytes | None]:
    return lambda: body.encode()


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
            got = catalogue.classify(path, _reader(body))
            if got is None or got.id != rule.id:
                problems.append(f"{rule.id}: example '{path}' is classified as {got.id if got else 'nothing'}")
        for negative in rule.negative_examples:
            path, _, body = negative.partition("::")
            if rule.matches(path, _reader(body)):
                problems.append(f"{rule.id}: negative example '{path}' matches")
    return problems
