"""Baselines: accepted findings that are not reported again, with an identity that survives real life.

An entry's identity is a slow salted hash (scrypt, per-baseline random salt) of the secret alone, or of
(kind, rule, path) for hygiene findings: no line number, no commit id, so moving lines, editing elsewhere,
renaming, rebasing and squashing keep it. The file holds no secret and no unsalted hash of one; a
dictionary attack has to pay scrypt per guess per baseline. ``preview`` (the same redacted preview the
reports show) lets us skip the slow hash for findings that cannot be in the baseline.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import secrets as _secrets
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from credsweep import __version__
from credsweep.errors import InputError
from credsweep.fsutil import atomic_write
from credsweep.identity import redact
from credsweep.models import Finding

FORMAT_VERSION = 1
DEFAULT_FILE = ".credsweep-baseline.json"
STATUSES = ("unaudited", "accepted", "false-positive", "rotated")
KDF = {"name": "scrypt", "n": 4096, "r": 8, "p": 1, "dklen": 32}


@dataclass(frozen=True)
class Entry:
    """One accepted finding."""

    id: str
    """scrypt(salt, identity) in hex: the only link to the secret."""
    kind: str
    """Finding kind."""
    rule: str
    """Rule id when the entry was recorded (informational; not part of a secret's identity)."""
    preview: str
    """Redacted preview (never reveals the secret); also a cheap prefilter."""
    status: str = "unaudited"
    """unaudited, accepted, false-positive or rotated."""
    reason: str = ""
    """Why it was accepted / marked."""
    rotated_on: str | None = None
    """ISO date the secret was rotated (status rotated)."""
    locations: tuple[str, ...] = ()
    """Where it was seen when recorded, "path:line" (informational; not part of the identity)."""
    added: str = ""
    """ISO date the entry was added."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "rule": self.rule, "preview": self.preview,
            "status": self.status, "reason": self.reason, "rotated_on": self.rotated_on,
            "locations": list(self.locations), "added": self.added,
        }


def _today() -> str:
    return _dt.date.today().isoformat()


def identity_text(finding: Finding) -> str | None:
    """What an entry's hash covers: the secret for secrets, (kind, rule, path) for hygiene findings."""
    if finding.kind == "secret":
        return None if finding.secret is None else "secret\x1f" + finding.secret
    return f"{finding.kind}\x1f{finding.rule}\x1f{finding.path}"


def _where(finding: Finding) -> str:
    where = f"{finding.path}:{finding.line}" if finding.line else finding.path
    return f"{finding.commit[:12]}:{where}" if finding.commit else where


def preview_of(finding: Finding) -> str:
    return redact(finding.secret) if finding.kind == "secret" and finding.secret else f"{finding.kind}:{finding.path}"


@dataclass
class Baseline:
    """A baseline file in memory."""

    path: Path
    salt: bytes = field(default_factory=lambda: _secrets.token_bytes(16))
    kdf: dict[str, Any] = field(default_factory=lambda: dict(KDF))
    entries: dict[str, Entry] = field(default_factory=dict)
    migrated: bool = False
    """True when the file on disk used an older format and should be rewritten."""
    _cache: dict[str, str] = field(default_factory=dict, repr=False)

    # --- identity -------------------------------------------------------------------------------
    def hash(self, text: str) -> str:
        if text not in self._cache:
            digest = hashlib.scrypt(
                text.encode("utf-8", "surrogateescape"), salt=self.salt,
                n=int(self.kdf["n"]), r=int(self.kdf["r"]), p=int(self.kdf["p"]), dklen=int(self.kdf["dklen"]),
            )
            self._cache[text] = digest.hex()
        return self._cache[text]

    def entry_id(self, finding: Finding) -> str | None:
        text = identity_text(finding)
        return None if text is None else self.hash(text)

    def find(self, finding: Finding) -> Entry | None:
        """The entry covering ``finding``, if any."""
        preview = preview_of(finding)
        if not any(e.preview == preview for e in self.entries.values()):
            return None  # cheap: nothing with this preview, no need for the slow hash
        entry_id = self.entry_id(finding)
        return self.entries.get(entry_id) if entry_id else None

    # --- operations ---------------------------------------------------------------------------------
    def split(self, findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding], set[str]]:
        """(new findings, findings covered by the baseline, ids of the entries that matched)."""
        new: list[Finding] = []
        known: list[Finding] = []
        matched: set[str] = set()
        for finding in findings:
            entry = self.find(finding)
            if entry is None:
                new.append(finding)
            else:
                known.append(finding)
                matched.add(entry.id)
        return new, known, matched

    def add(self, finding: Finding, status: str = "unaudited", reason: str = "") -> Entry | None:
        entry_id = self.entry_id(finding)
        if entry_id is None:
            return None
        where = _where(finding)
        old = self.entries.get(entry_id)
        if old is not None:
            if where not in old.locations:
                old = replace(old, locations=old.locations + (where,))
                self.entries[entry_id] = old
            return old
        entry = Entry(id=entry_id, kind=finding.kind, rule=finding.rule, preview=preview_of(finding),
                      status=status, reason=reason, locations=(where,), added=_today())
        self.entries[entry_id] = entry
        return entry

    def update(self, findings: Iterable[Finding]) -> tuple[int, int]:
        """Add new findings (unaudited), drop entries no longer found. Returns (added, removed).

        Statuses and reasons of kept entries stay; their informational locations are refreshed.
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
            locations = tuple(dict.fromkeys(_where(f) for f in group))
            old = self.entries.get(entry_id)
            fresh[entry_id] = replace(old, locations=locations) if old else Entry(
                id=entry_id, kind=group[0].kind, rule=group[0].rule, preview=preview_of(group[0]),
                locations=locations, added=_today())
        self.entries = fresh
        return added, removed

    def set_status(self, entry_id: str, status: str, reason: str = "", rotated_on: str | None = None) -> Entry:
        if status not in STATUSES:
            raise InputError(f"status must be one of {', '.join(STATUSES)}")
        matches = [e for e in self.entries.values() if e.id.startswith(entry_id)] if entry_id else []
        if len(matches) != 1:
            raise InputError(f"entry '{entry_id}' matches {len(matches)} entries in {self.path}")
        entry = replace(matches[0], status=status, reason=reason or matches[0].reason,
                        rotated_on=(rotated_on or _today()) if status == "rotated" else None)
        self.entries[entry.id] = entry
        return entry

    # --- persistence ------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "generated_by": f"credsweep {__version__}",
            "salt": self.salt.hex(),
            "kdf": self.kdf,
            "entries": [e.to_dict() for e in sorted(self.entries.values(), key=lambda e: (e.locations, e.id))],
        }

    def save(self) -> None:
        """Write atomically (a crash never leaves a truncated baseline)."""
        text = json.dumps(self.to_dict(), indent=2, sort_keys=False) + "\n"
        try:
            atomic_write(self.path, text)
        except OSError as exc:
            raise InputError(f"{self.path}: cannot write baseline: {exc.strerror}") from None
        self.migrated = False


def load(path: Path) -> Baseline:
    """Read a baseline file; a malformed file is a one-line InputError (exit 2), never a traceback."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: baseline file not found (create it with `credsweep baseline create`)") from None
    except (OSError, ValueError, RecursionError) as exc:  # ValueError: JSON, UTF-8, integers past the digit limit
        raise InputError(f"{path}: not a credsweep baseline ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or "salt" not in data or "entries" not in data:
        raise InputError(f"{path}: not a credsweep baseline (missing 'salt' or 'entries')")
    try:
        kdf = dict(KDF, **data.get("kdf", {}))
        if kdf.get("name") != "scrypt":
            raise InputError(f"{path}: unsupported kdf '{kdf.get('name')}'")
        entries = {}
        for raw in data["entries"]:
            entry = Entry(
                id=str(raw["id"]), kind=str(raw["kind"]), rule=str(raw.get("rule", "")),
                preview=str(raw.get("preview", "")), status=str(raw.get("status", "unaudited")),
                reason=str(raw.get("reason", "")), rotated_on=raw.get("rotated_on"),
                locations=tuple(str(x) for x in raw.get("locations", [])), added=str(raw.get("added", "")),
            )
            if entry.status not in STATUSES:
                raise InputError(f"{path}: entry {entry.id[:12]} has unknown status '{entry.status}'")
            entries[entry.id] = entry
        baseline = Baseline(path=path, salt=bytes.fromhex(data["salt"]), kdf=kdf, entries=entries)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{path}: malformed baseline entry ({exc.__class__.__name__}: {exc})") from None
    baseline.migrated = data.get("version") != FORMAT_VERSION
    return baseline


def create(path: Path, findings: Iterable[Finding]) -> Baseline:
    baseline = Baseline(path=path)
    for finding in findings:
        baseline.add(finding)
    return baseline
