"""Baselines: recorded findings, with an identity that survives real life and reveals nothing.

A baseline file is meant to be committed, so it holds nothing that reveals a secret:

- ``id``: scrypt (per-baseline random salt) of the secret alone, or of (kind, rule, path) for hygiene
  findings. No line number, no commit id, so moving lines, editing elsewhere, renaming, rebasing and
  squashing keep it; a dictionary attack has to pay scrypt per guess per baseline.
- ``kind`` and ``prefix`` (the provider's public prefix, such as ``ghp_``; empty when the format has
  none): a cheap prefilter, so only findings that could be in the baseline pay for scrypt.
- ``status``, ``reason``, ``rotated_on``, ``added``: the audit state.
- ``rule`` and ``paths`` (file paths only, no lines): for people auditing the file, never used to match.

No character of a secret beyond its public prefix, no length, no preview, no unsalted hash.

What an entry hides depends on who asks. Hooks (``staged``, ``pre-push``) stop *new* leaks, so every
entry hides its finding there. Reports (``scan``, ``history``) hide only findings a person decided
about (accepted, false-positive, rotated): an unaudited entry is still reported, so a real token
recorded without review (``baseline create``, an import of an unaudited detect-secrets baseline) can
never disappear from the reports.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import secrets as _secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from credsweep.errors import InputError
from credsweep.models import Finding
from credsweep.util.fsutil import atomic_write
from credsweep.util.lazyre import lazy

if TYPE_CHECKING:
    from credsweep.rules.loader import Ruleset

FORMAT_VERSION = 2
DEFAULT_FILE = ".credsweep-baseline.json"
STATUSES = ("unaudited", "accepted", "false-positive", "rotated")
DECIDED = frozenset({"accepted", "false-positive", "rotated"})
"""Statuses that hide a finding from reports too (not only from hooks)."""
HOOK_COMMANDS = frozenset({"staged", "pre-push"})
"""Commands for which every entry hides its finding, audited or not."""
KDF = {"name": "scrypt", "n": 4096, "r": 8, "p": 1, "dklen": 32}
_KDF_BOUNDS = {"n": (2, 1 << 16), "r": (1, 16), "p": (1, 4), "dklen": (16, 64)}
MIN_HIDDEN = 8
"""A prefix is stored only when at least this many characters of the secret stay unrevealed."""
# format 1 kept "commit12:path:line" locations; their path is all we keep
_V1_LOCATION = lazy(r"^(?:[0-9a-f]{12}:)?(?P<path>.*?)(?::\d+)?$", re.DOTALL)


@dataclass(frozen=True)
class Entry:
    """One recorded finding."""

    id: str
    """scrypt(salt, identity) in hex: the only link to the secret."""
    kind: str
    """Finding kind (secret, sensitive-file, ...): part of the prefilter."""
    rule: str
    """Rule id when the entry was recorded (for people; not part of a secret's identity)."""
    prefix: str = ""
    """The provider's public prefix of the secret (``ghp_``), or empty: part of the prefilter."""
    status: str = "unaudited"
    """unaudited, accepted, false-positive or rotated."""
    reason: str = ""
    """Why it was accepted / marked."""
    rotated_on: str | None = None
    """ISO date the secret was rotated (status rotated)."""
    paths: tuple[str, ...] = ()
    """Files it was seen in when recorded (for people auditing; no line numbers; never used to match)."""
    added: str = ""
    """ISO date the entry was added."""

    def to_dict(self) -> dict[str, Any]:
        """The entry as stored in the file."""
        return {
            "id": self.id, "kind": self.kind, "rule": self.rule, "prefix": self.prefix,
            "status": self.status, "reason": self.reason, "rotated_on": self.rotated_on,
            "paths": list(self.paths), "added": self.added,
        }


@dataclass(frozen=True)
class Split:
    """Findings of one scan sorted against a baseline."""

    new: tuple[Finding, ...]
    """Findings still reported."""
    hidden: tuple[Finding, ...]
    """Findings the baseline hides."""
    matched: frozenset[str]
    """Ids of the entries that matched a finding (the others are stale)."""
    unaudited: int
    """Reported findings that are in the baseline but unaudited (reports only)."""


def _today() -> str:
    return _dt.date.today().isoformat()


def identity_text(finding: Finding) -> str | None:
    """What an entry's hash covers: the secret for secrets, (kind, rule, path) for hygiene findings."""
    if finding.kind == "secret":
        return None if finding.secret is None else "secret\x1f" + finding.secret
    return f"{finding.kind}\x1f{finding.rule}\x1f{finding.path}"


def prefix_table(ruleset: Ruleset) -> dict[str, tuple[str, ...]]:
    """Rule id → the public prefixes (lower case) its secrets start with, from the ruleset."""
    known = set(ruleset.secret_prefixes)
    return {
        rule.id: tuple(sorted((k.lower() for k in rule.keywords if k.lower() in known), key=len, reverse=True))
        for rule in ruleset.rules if rule.provider != "generic"
    }


def public_prefix(finding: Finding, prefixes: Mapping[str, tuple[str, ...]]) -> str:
    """The provider's public prefix of a secret finding, as written in the secret; empty when none.

    Only prefixes of the finding's own (non-generic) rule count, and only when at least
    ``MIN_HIDDEN`` characters stay unrevealed.
    """
    secret = finding.secret
    if finding.kind != "secret" or not secret:
        return ""
    lowered = secret.lower()
    for prefix in prefixes.get(finding.rule, ()):
        if lowered.startswith(prefix) and len(secret) - len(prefix) >= MIN_HIDDEN:
            return secret[:len(prefix)]
    return ""


@dataclass
class Baseline:
    """A baseline file in memory."""

    path: Path
    salt: bytes = field(default_factory=lambda: _secrets.token_bytes(16))
    kdf: dict[str, Any] = field(default_factory=lambda: dict(KDF))
    entries: dict[str, Entry] = field(default_factory=dict)
    prefixes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Rule id → public prefixes (see ``prefix_table``); needed only to add entries."""
    migrated: bool = False
    """True when the file on disk used an older format and should be rewritten."""
    _cache: dict[str, str] = field(default_factory=dict, repr=False)

    # --- identity -------------------------------------------------------------------------------
    def hash(self, text: str) -> str:
        """scrypt of ``text`` under this baseline's salt, hex (memoised: history meets a secret many times)."""
        if text not in self._cache:
            digest = hashlib.scrypt(
                text.encode("utf-8", "surrogateescape"), salt=self.salt,
                n=int(self.kdf["n"]), r=int(self.kdf["r"]), p=int(self.kdf["p"]), dklen=int(self.kdf["dklen"]),
            )
            self._cache[text] = digest.hex()
        return self._cache[text]

    def entry_id(self, finding: Finding) -> str | None:
        """The id an entry for ``finding`` has (None for a secret finding without its value)."""
        text = identity_text(finding)
        return None if text is None else self.hash(text)

    def _could_hold(self, finding: Finding) -> bool:
        """Cheap prefilter: some entry of this kind has a prefix the secret starts with."""
        secret = (finding.secret or "") if finding.kind == "secret" else ""
        return any(e.kind == finding.kind and secret.startswith(e.prefix) for e in self.entries.values())

    def find(self, finding: Finding) -> Entry | None:
        """The entry covering ``finding``, if any."""
        if not self._could_hold(finding):
            return None  # nothing of this kind and prefix: no need for the slow hash
        entry_id = self.entry_id(finding)
        return self.entries.get(entry_id) if entry_id else None

    # --- operations ---------------------------------------------------------------------------------
    def split(self, findings: Iterable[Finding], *, hooks: bool) -> Split:
        """Sort ``findings``: hooks hide every recorded finding, reports only decided ones."""
        new: list[Finding] = []
        hidden: list[Finding] = []
        matched: set[str] = set()
        unaudited = 0
        for finding in findings:
            entry = self.find(finding)
            if entry is None:
                new.append(finding)
                continue
            matched.add(entry.id)
            if hooks or entry.status in DECIDED:
                hidden.append(finding)
            else:
                new.append(finding)
                unaudited += 1
        return Split(tuple(new), tuple(hidden), frozenset(matched), unaudited)

    def _new_entry(self, entry_id: str, finding: Finding, paths: tuple[str, ...], status: str = "unaudited",
                   reason: str = "") -> Entry:
        return Entry(id=entry_id, kind=finding.kind, rule=finding.rule, prefix=public_prefix(finding, self.prefixes),
                     status=status, reason=reason, paths=paths, added=_today())

    def add(self, finding: Finding, status: str = "unaudited", reason: str = "") -> Entry | None:
        """Record ``finding``; an existing entry keeps its status (and gains the path)."""
        entry_id = self.entry_id(finding)
        if entry_id is None:
            return None
        old = self.entries.get(entry_id)
        if old is not None:
            if finding.path not in old.paths:
                old = replace(old, paths=tuple(sorted((*old.paths, finding.path))))
                self.entries[entry_id] = old
            return old
        entry = self._new_entry(entry_id, finding, (finding.path,), status, reason)
        self.entries[entry_id] = entry
        return entry

    def update(self, findings: Iterable[Finding]) -> tuple[int, int]:
        """Add new findings (unaudited), drop entries no longer found. Returns (added, removed).

        Statuses and reasons of kept entries stay; their paths (and prefixes, with ``prefixes``) are refreshed.
        """
        found: dict[str, list[Finding]] = {}
        for finding in findings:
            entry_id = self.entry_id(finding)
            if entry_id is not None:
                found.setdefault(entry_id, []).append(finding)
        added = len(set(found) - set(self.entries))
        removed = len(set(self.entries) - set(found))
        fresh: dict[str, Entry] = {}
        for entry_id, group in found.items():
            paths = tuple(sorted({f.path for f in group}))
            old = self.entries.get(entry_id)
            if old is None:
                fresh[entry_id] = self._new_entry(entry_id, group[0], paths)
            else:  # a format-1 entry gains the prefix it never had
                prefix = public_prefix(group[0], self.prefixes) if self.prefixes else old.prefix
                fresh[entry_id] = replace(old, paths=paths, prefix=prefix)
        self.entries = fresh
        return added, removed

    def select(self, entry_id: str) -> Entry:
        """The one entry whose id starts with ``entry_id``; InputError otherwise."""
        matches = [e for e in self.entries.values() if e.id.startswith(entry_id)] if entry_id else []
        if len(matches) != 1:
            raise InputError(f"entry '{entry_id}' matches {len(matches)} entries in {self.path}")
        return matches[0]

    def set_status(self, entry_id: str, status: str, reason: str = "", rotated_on: str | None = None) -> Entry:
        """Mark one entry (``entry_id`` may be a unique prefix of its id)."""
        if status not in STATUSES:
            raise InputError(f"status must be one of {', '.join(STATUSES)}")
        if rotated_on is not None:
            try:
                _dt.date.fromisoformat(rotated_on)
            except ValueError:
                raise InputError(f"--rotated-on must be an ISO date (YYYY-MM-DD), got '{rotated_on}'") from None
        current = self.select(entry_id)
        entry = replace(current, status=status, reason=reason or current.reason,
                        rotated_on=(rotated_on or _today()) if status == "rotated" else None)
        self.entries[entry.id] = entry
        return entry

    # --- persistence ------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The file's content: sorted by paths then id, so diffs stay small."""
        from credsweep import version  # only when writing: the hook reads baselines on every commit
        return {
            "version": FORMAT_VERSION,
            "generated_by": f"credsweep {version()}",
            "salt": self.salt.hex(),
            "kdf": self.kdf,
            "entries": [e.to_dict() for e in sorted(self.entries.values(), key=lambda e: (e.paths, e.id))],
        }

    def save(self) -> None:
        """Write atomically (a crash never leaves a truncated baseline)."""
        text = json.dumps(self.to_dict(), indent=2, sort_keys=False) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)  # `create --baseline ci/baseline.json`
            atomic_write(self.path, text)
        except OSError as exc:
            raise InputError(f"{self.path}: cannot write baseline: {exc.strerror}") from None
        self.migrated = False


def _paths_of(raw: dict[str, Any], version: Any) -> tuple[str, ...]:
    if version == FORMAT_VERSION or "paths" in raw:
        return tuple(str(p) for p in raw.get("paths", []))
    found = (_V1_LOCATION.match(str(x)) for x in raw.get("locations", []))
    return tuple(sorted({m.group("path") for m in found if m and m.group("path")}))


def _entry(raw: Any, version: Any) -> Entry:
    if not isinstance(raw, dict):
        raise TypeError("entry is not an object")
    rotated = raw.get("rotated_on")
    return Entry(
        id=str(raw["id"]), kind=str(raw["kind"]), rule=str(raw.get("rule", "")),
        prefix=str(raw.get("prefix", "")), status=str(raw.get("status", "unaudited")),
        reason=str(raw.get("reason", "")), rotated_on=None if rotated is None else str(rotated),
        paths=_paths_of(raw, version), added=str(raw.get("added", "")),
    )


BASELINE_LIMIT = 64 * 1024 * 1024
"""Bytes of a baseline file read at most (an entry is about 300 bytes: 200,000 entries fit)."""


def load(path: Path, within: Path | None = None) -> Baseline:
    """Read a baseline file; a malformed file is a one-line InputError (exit 2), never a traceback.

    Only a regular file of at most ``BASELINE_LIMIT`` bytes is read; ``within`` (a baseline the
    repository names or holds, not one given with ``--baseline``): it must be inside that folder, with
    no symlink or hard link out of it (``fsutil.read_regular``).

    A format-1 file (which kept secret previews and line numbers) loads with ``migrated`` set: its
    previews are dropped and only the paths of its locations are kept; saving rewrites it.
    """
    from credsweep.util.fsutil import UnsafeFile, read_regular

    try:
        data = json.loads(read_regular(path, BASELINE_LIMIT, within).decode("utf-8"))
    except FileNotFoundError:
        from credsweep.util.invocation import credsweep_command

        raise InputError(f"{path}: baseline file not found "
                         f"(create it with `{credsweep_command()} baseline create --baseline {path}`)") from None
    except UnsafeFile as exc:
        raise InputError(f"{path}: refusing to read the baseline: {exc.strerror}") from None
    except (OSError, ValueError, RecursionError) as exc:  # ValueError: JSON, UTF-8, integers past the digit limit
        raise InputError(f"{path}: not a credsweep baseline ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or "salt" not in data or not isinstance(data.get("entries"), list):
        raise InputError(f"{path}: not a credsweep baseline (missing 'salt' or an 'entries' list)")
    version = data.get("version")
    try:
        kdf = dict(KDF, **data.get("kdf", {}))
        if kdf.get("name") != "scrypt":
            # the file's own value, quoted and escaped (a newline or escape sequence in it stays one line)
            raise InputError(f"{path}: unsupported kdf {str(kdf.get('name'))[:40]!r}")
        for key, (low, high) in _KDF_BOUNDS.items():
            # a committed file is input: parameters that would take minutes or gigabytes per hash are refused
            if not isinstance(kdf[key], int) or not low <= kdf[key] <= high:
                raise InputError(f"{path}: kdf parameter '{key}' must be an integer from {low} to {high}")
        entries = {}
        for raw in data["entries"]:
            entry = _entry(raw, version)
            if entry.status not in STATUSES:
                raise InputError(f"{path}: entry {entry.id[:12]} has unknown status '{entry.status}'")
            entries[entry.id] = entry
        baseline = Baseline(path=path, salt=bytes.fromhex(data["salt"]), kdf=kdf, entries=entries)
        baseline.hash("")  # a bad kdf parameter fails here, as one line, not in the middle of a scan
    except (KeyError, TypeError, ValueError, OverflowError, MemoryError) as exc:
        raise InputError(f"{path}: malformed baseline ({exc.__class__.__name__})") from None
    baseline.migrated = version != FORMAT_VERSION
    return baseline


def create(path: Path, findings: Iterable[Finding], prefixes: Mapping[str, tuple[str, ...]] | None = None) -> Baseline:
    """A new baseline recording ``findings`` (unaudited)."""
    baseline = Baseline(path=path, prefixes=dict(prefixes or {}))
    for finding in findings:
        baseline.add(finding)
    return baseline


# --- where the baseline is ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Location:
    """The baseline file a command uses, and why."""

    path: Path
    """Absolute path of the file."""
    origin: str
    """option (--baseline), config (the ``baseline`` key) or default (.credsweep-baseline.json)."""
    root: Path | None = None
    """The repository root: a baseline the user did not name (config, default) is read only from inside it."""

    @property
    def exists(self) -> bool:
        """Whether the file is there now (a FIFO or a device at the path counts: reading it is refused)."""
        return os.path.lexists(self.path)

    def load(self) -> Baseline:
        """``load`` of this baseline: one the repository named or holds must be a regular file inside it."""
        return load(self.path, None if self.origin == "option" else self.root)


def repository_root(start: Path) -> Path:
    """The folder baseline paths are relative to: the repository's top (its git folder when bare),
    or the folder itself outside a repository."""
    from credsweep.git.repo import discover

    folder = start if start.is_dir() else start.parent
    folder = folder if str(folder) else Path(".")
    if not folder.is_dir():
        return folder.absolute()
    repo = discover(folder)
    if repo is None:
        return folder.resolve()
    return repo.top or repo.git_dir


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path`` (symlinks resolved) is within ``root``."""
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def locate(start: Path, given: Path | None, configured: Path | None, *, creating: bool = False) -> Location | None:
    """The baseline for a command run on ``start``: ``--baseline``, else the config key, else the default
    file when it exists. Relative paths are relative to the repository root, so every folder agrees.

    A configured baseline that does not exist is an error, unless ``creating``; one outside the
    repository is always an error (``--baseline``, typed by the user, may name any file).
    """
    root = repository_root(start)
    if given is not None:
        return Location(given if given.is_absolute() else root / given, "option")
    if configured is not None:
        location = Location(configured if configured.is_absolute() else root / configured, "config", root)
        if not _inside(location.path, root):
            # the config comes with the repository, which may be hostile: it names files in it, no others
            raise InputError(f"{configured}: the configuration's 'baseline' must name a file inside the repository")
        if not creating and not location.exists:
            from credsweep.util.invocation import credsweep_command

            raise InputError(f"{location.path}: the baseline named in the configuration does not exist "
                             f"(create it with `{credsweep_command()} baseline create`)")
        return location
    location = Location(root / DEFAULT_FILE, "default", root)
    return location if creating or location.exists else None


def as_typed(location: Location) -> str:
    """How to name the baseline on a command line: relative to the repository root when inside it."""
    root = repository_root(location.path.parent if location.path.parent.exists() else Path("."))
    try:
        return location.path.relative_to(root).as_posix()
    except ValueError:
        return str(location.path)
