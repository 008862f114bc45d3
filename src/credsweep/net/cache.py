"""Validation results cached by salted secret id, in the user's cache folder.

``$XDG_CACHE_HOME/credsweep/validation.json`` (else ``~/.cache/credsweep/validation.json``): one JSON
object ``{"version": 1, "mac": HEX, "entries": {secret_id: Validation JSON}}``. Only ``live`` and ``revoked``
answers are kept (an ``unknown`` one is asked again next time), each for ``ttl`` seconds from when it
was checked (default 24 hours). The secret is never written: the key is the salted ``secret_id``,
the value what the provider said (status, identity, scopes, time).

The cache folder is not trusted (see ``util.signedcache``: CI restores it from shared caches): the
entries are signed with HMAC-SHA256 under the user's cache key, kept outside the folder, and a file
whose signature does not verify is ignored, so nobody can plant "revoked" to quieten a live secret.
Without a key nothing is cached. The file is created 0600 in a 0700 folder and replaced atomically
(a temporary file in the same folder, then ``os.replace``); a file that is not ours (unreadable, not
JSON, another version, a bad signature) is treated as empty and rewritten. Concurrent runs may each lose the other's newest entries (last
writer wins, after merging what it read): the cache is an optimisation, never a source of truth.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from credsweep.net.validators import LIVE, REVOKED, Validation
from credsweep.util.fsutil import atomic_write

VERSION = 1
"""The file format's version."""
DEFAULT_TTL = 24 * 3600.0
"""Seconds a cached answer is reused."""


def default_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CACHE_HOME/credsweep/validation.json`` (``~/.cache`` when unset)."""
    if environ is None:
        from credsweep.util import xdg

        return xdg.cache_dir() / "validation.json"
    base = environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG specification: a relative path is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "credsweep" / "validation.json"


def _parse_time(text: str) -> datetime | None:
    try:
        when = datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None
    return when.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class ValidationCache:
    """The cache file and how long its answers are good for."""

    path: Path
    """The JSON file."""
    ttl: float = DEFAULT_TTL
    """Seconds an answer stays fresh (0: never reuse, still written)."""
    key: bytes | None = field(default=None, repr=False)
    """The HMAC key entries are signed with (``util.signedcache.signing_key``); None: no caching."""

    def _mac(self, entries: Mapping[str, Any]) -> str:
        assert self.key is not None
        payload = json.dumps(entries, sort_keys=True, separators=(",", ":")).encode()
        return hmac.new(self.key, b"credsweep validation cache\0" + payload, hashlib.sha256).hexdigest()

    def _read(self) -> dict[str, Any]:
        if self.key is None:
            return {}
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("entries"), dict):
            return {}
        entries: dict[str, Any] = data["entries"]
        mac = data.get("mac")
        if not isinstance(mac, str) or not hmac.compare_digest(mac, self._mac(entries)):
            return {}
        return entries

    def _fresh(self, entry: Any, now: datetime) -> Validation | None:
        if not isinstance(entry, dict):
            return None
        validation = Validation.from_json(entry)
        if validation is None or validation.status not in (LIVE, REVOKED):
            return None
        checked = _parse_time(validation.checked_at)
        if checked is None or not checked <= now < checked + timedelta(seconds=self.ttl):
            return None
        return validation

    def get(self, secret_id: str, now: datetime) -> Validation | None:
        """The fresh cached answer for ``secret_id``, or None."""
        return self._fresh(self._read().get(secret_id), now)

    def put_all(self, results: Mapping[str, Validation], now: datetime) -> None:
        """Store the ``live``/``revoked`` answers among ``results``, dropping stale entries; a write
        that fails leaves the cache as it was (the results are still used)."""
        if self.key is None:
            return
        entries = {k: v for k, v in self._read().items() if self._fresh(v, now) is not None}
        for secret_id, validation in results.items():
            if validation.status in (LIVE, REVOKED):
                entries[secret_id] = validation.to_json()
        try:
            self._write({"version": VERSION, "mac": self._mac(entries), "entries": entries})
        except OSError:
            pass

    def _write(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write(self.path, json.dumps(data, sort_keys=True))  # 0600, through a rename

    def clear(self) -> None:
        """Remove the cache file."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
