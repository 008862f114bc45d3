"""The cache folder (``$XDG_CACHE_HOME/credsweep``): compiled rules and Hyperscan databases, nothing else.

The folder is not trusted. In CI it is often restored from a shared cache that other, less trusted
workflows can write, and anything on the machine running as the user can write it too. So:

- every file holds plain data (JSON, a Hyperscan serialised database): no format that can construct
  objects or run code when read (no pickle);
- every file is signed: ``MAGIC``, then HMAC-SHA256 over the file's name and payload under a per-user
  key kept *outside* the cache folder (``$XDG_DATA_HOME/credsweep/cache.key``, 32 random bytes, 0600,
  created on first use; or ``$CREDSWEEP_CACHE_KEY``, for CI jobs that restore the cache from a store
  others can write: set it from a secret). A file that does not verify is ignored and rebuilt, so a
  planted, corrupted or swapped file is never parsed. Without a usable key nothing is cached;
- the folder stays small: at most ``MAX_FILES`` files and ``MAX_BYTES`` bytes, the least recently used
  removed whenever a file is written (``credsweep cache clear`` empties it).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from credsweep.util import xdg

MAGIC = b"credsweep-cache-1\n"
"""First bytes of every cache file (the format version: a new format never reads an old file)."""
MAX_FILES = 12
"""Cache files kept: a ruleset and a Hyperscan database for each of the last six configurations."""
MAX_BYTES = 48 << 20
"""Bytes kept (a Hyperscan database of the built-in rules is ~1.2 MB)."""
SUFFIX = ".cache"
_LEGACY = ("rules-*.pickle", "hs-*.db")
"""Files older versions left here (unsigned, and pickles): removed on sight, never read."""
_DIGEST = hashlib.sha256().digest_size


def folder() -> Path:
    """Where cache files live."""
    return xdg.cache_dir()


def key_file() -> Path:
    """Where the signing key lives: the user's data folder, outside the cache folder."""
    return xdg.data_dir() / "cache.key"


def _read_key(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(64)
    return data if len(data) == 32 else None


def _create_key(path: Path) -> bytes:
    """32 random bytes in a 0600 file; concurrent first runs agree on one key (link fails if present)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            existing = _read_key(path)
            if existing is not None:
                return existing
            os.replace(tmp, path)  # a damaged key (short, empty): ours replaces it
            return _read_key(path) or b""
        return _read_key(path) or b""
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass


def signing_key() -> bytes | None:
    """The key cache files are signed with, or None when there is none (then nothing is cached)."""
    env = os.environ.get("CREDSWEEP_CACHE_KEY")
    if env:
        return hashlib.sha256(b"credsweep cache key\0" + env.encode("utf-8", "surrogateescape")).digest()
    path = key_file()
    try:
        return _read_key(path) or _create_key(path) or None
    except OSError:
        return None  # read-only or odd home: run uncached rather than trust unsigned files


def _mac(key: bytes, name: str, payload: bytes | memoryview) -> bytes:
    mac = hmac.new(key, name.encode() + b"\0", hashlib.sha256)
    mac.update(payload)  # no concatenated copy of a megabyte-sized database
    return mac.digest()


def load(name: str) -> bytes | None:
    """The payload stored under ``name`` if its signature verifies, else None (missing, stale,
    corrupted or planted: the caller rebuilds it). A hit marks the file recently used."""
    key = signing_key()
    if key is None:
        return None
    path = folder() / (name + SUFFIX)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    head = len(MAGIC)
    if not data.startswith(MAGIC) or len(data) < head + _DIGEST:
        return None
    if not hmac.compare_digest(data[head : head + _DIGEST], _mac(key, name, memoryview(data)[head + _DIGEST :])):
        return None
    try:
        os.utime(path)  # least recently used goes first when the folder is pruned
    except OSError:
        pass
    return data[head + _DIGEST :]


def store(name: str, payload: bytes) -> None:
    """Sign and write ``payload`` under ``name`` (atomically), then prune the folder to its bounds.

    Never raises: an unwritable cache only costs start-up time.
    """
    from credsweep.util.fsutil import atomic_write

    key = signing_key()
    if key is None:
        return
    where = folder()
    try:
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write(where / (name + SUFFIX), MAGIC + _mac(key, name, payload) + payload)
    except OSError:
        return
    prune(keep=name + SUFFIX)


def _entries(where: Path) -> list[tuple[float, int, Path]]:
    """(mtime, size, path) of the cache's regular files, newest first."""
    found = []
    try:
        names = os.listdir(where)
    except OSError:
        return []
    for name in names:
        path = where / name
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if name.endswith(SUFFIX) and not name.startswith("."):
            found.append((st.st_mtime, st.st_size, path))
    found.sort(key=lambda entry: entry[0], reverse=True)
    return found


def _remove(path: Path) -> bool:
    try:
        os.unlink(path)
    except OSError:
        return False
    return True


def _remove_leftovers(where: Path) -> int:
    """Files of older formats, and temporary files a killed writer left (hidden, over an hour old)."""
    import time

    removed = sum(_remove(path) for pattern in _LEGACY for path in where.glob(pattern))
    for path in where.glob(".*"):
        try:
            stale = time.time() - os.lstat(path).st_mtime > 3600
        except OSError:
            continue
        if stale:
            removed += _remove(path)
    return removed


def prune(keep: str | None = None) -> int:
    """Remove the least recently used files beyond ``MAX_FILES`` / ``MAX_BYTES`` (never ``keep``, the
    file just written), files of older formats and stale temporary files. Returns how many were removed."""
    where = folder()
    removed = _remove_leftovers(where)
    total = 0
    for count, (_, size, path) in enumerate(_entries(where)):
        total += size
        if path.name != keep and (count >= MAX_FILES or total > MAX_BYTES):
            removed += _remove(path)
    return removed


def clear() -> int:
    """Remove every cache file (the key stays: it lives elsewhere). Returns how many were removed."""
    where = folder()
    return _remove_leftovers(where) + sum(_remove(path) for _, _, path in _entries(where))


@dataclass(frozen=True)
class CacheInfo:
    """What ``credsweep cache info`` shows."""

    folder: Path
    """The cache folder."""
    files: int
    """Cache files in it."""
    bytes: int
    """Their total size."""
    key_file: Path | None
    """The signing key's file, or None when the key comes from ``$CREDSWEEP_CACHE_KEY``."""


def info() -> CacheInfo:
    """The cache folder, its file count and size, and where the signing key comes from."""
    entries = _entries(folder())
    return CacheInfo(folder=folder(), files=len(entries), bytes=sum(size for _, size, _ in entries),
                     key_file=None if os.environ.get("CREDSWEEP_CACHE_KEY") else key_file())
