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

A process that builds many pipelines (the fleet, one per repository; the test suite's in-process command
lines) reads the same two files again and again: ``load_decoded`` verifies a file and decodes it once per
process, then returns the decoded value while the open file is provably the one verified (see
``load_decoded``).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from credsweep.util import xdg
from credsweep.util.fsutil import private_key_file, read_private

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
RACY_NS = 3_000_000_000
"""How long after a file's change time (ctime) a verification must start for ``load_decoded`` to trust the
file's stamp alone from then on (git's "racily clean" index entries): with coarse timestamps (a tick of a
few milliseconds, up to the 1-2 s of some filesystems) a write in the tick of the last change keeps the
stamp; a write a tick later always shows a new ctime."""
TOUCH_NS = 300_000_000_000
"""``load_decoded`` marks a file it uses recently used when it was not in the last five minutes (a touch
changes the file's stamp: its next use verifies it again); ``prune`` never counts a file this process
holds decoded as least recently used."""
_T = TypeVar("_T")
_DECODED: dict[tuple[str, Callable[[bytes], Any]], tuple[tuple[object, ...], bytes, bool, Any]] = {}
"""``load_decoded``'s memo: (file, decoder) -> (the file's stamp when verified, its signature, whether a
verification started out of the racy window, the decoded value)."""


def folder() -> Path:
    """Where cache files live."""
    return xdg.cache_dir()


def key_file() -> Path:
    """Where the signing key lives: the user's data folder, outside the cache folder."""
    return xdg.data_dir() / "cache.key"


def _read_key(path: Path) -> bytes | None:
    data = read_private(path, 64)
    return data if data is not None and len(data) == 32 else None


def _create_key(path: Path) -> bytes:
    """32 random bytes in a 0600 file (``fsutil.private_key_file``)."""
    return private_key_file(path, lambda: secrets.token_bytes(32), lambda data: len(data) == 32)


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


def _stamp(key: bytes, st: os.stat_result) -> tuple[object, ...]:
    """What identifies a verified file's exact bytes under ``key``: a write to the file changes its
    modification and change times (the change time cannot be set by any unprivileged call, ``utime``
    included: it sets the ctime to now), a replacement by rename changes the inode."""
    return key, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def _verified(handle: Any, key: bytes, name: str) -> tuple[bytes, bytes] | None:
    """The payload of the open cache file and its signature if the signature verifies, else None."""
    head = handle.read(len(MAGIC) + _DIGEST)  # header apart: the payload is read as it is (no 10 MB copy)
    if len(head) < len(MAGIC) + _DIGEST or not head.startswith(MAGIC):
        return None
    payload: bytes = handle.read()
    signature = head[len(MAGIC):]
    if not hmac.compare_digest(signature, _mac(key, name, payload)):
        return None
    return payload, signature


def _open(path: Path) -> Any:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    return os.fdopen(fd, "rb")


def _touch(handle: Any, path: Path) -> None:
    """Mark the file recently used (the least recently used goes first when the folder is pruned)."""
    try:
        os.utime(handle.fileno() if os.utime in os.supports_fd else path)
    except OSError:
        pass


def load(name: str) -> bytes | None:
    """The payload stored under ``name`` if its signature verifies, else None (missing, stale,
    corrupted or planted: the caller rebuilds it). A hit marks the file recently used."""
    key = signing_key()
    if key is None:
        return None
    path = folder() / (name + SUFFIX)
    try:
        with _open(path) as handle:
            verified = _verified(handle, key, name)
            if verified is not None:
                _touch(handle, path)
            return None if verified is None else verified[0]
    except OSError:
        return None


def load_decoded(name: str, decode: Callable[[bytes], _T]) -> _T | None:
    """``decode`` of the payload ``load(name)`` returns, or None where it returns None; ``decode``'s
    exceptions propagate (and nothing is remembered).

    Once per process for one file: the value is remembered with the file's stamp (``_stamp``: device,
    inode, size, modification and change times, and the key) and signature, and a later call whose open
    file (opened without following a link, then ``fstat``) has the same stamp returns it without reading
    the file again. A stamp is enough on its own only when it was taken at least ``RACY_NS`` after the
    file's last change (a write in the same timestamp tick could keep it, a later one cannot): until then
    the file is read and verified again at each use, its signature the one remembered. A file is marked
    recently used at a use unless it was in the last ``TOUCH_NS`` (a touch is a change: its stamp is racy
    again), and ``prune`` keeps the files a process holds decoded."""
    key = signing_key()
    if key is None:
        return None
    path = folder() / (name + SUFFIX)
    memo_key = (str(path), decode)
    try:
        with _open(path) as handle:
            started = time.time_ns()  # before the stamp: a write after it shows a ctime after it
            st = os.fstat(handle.fileno())
            stamp = _stamp(key, st)
            settled = started - st.st_ctime_ns > RACY_NS
            known = _DECODED.get(memo_key)
            if known is not None and known[0] == stamp:
                _, signature, was_settled, remembered = known
                believed: bool | None = was_settled
                if not was_settled:  # racy when remembered: its bytes once more
                    verified = _verified(handle, key, name)
                    believed = settled if verified is not None and verified[1] == signature else None
                if believed is not None:
                    was_settled = believed
                    if started - st.st_mtime_ns > TOUCH_NS:  # in use: recently used again (a change: racy)
                        _touch(handle, path)
                        stamp, was_settled = _stamp(key, os.fstat(handle.fileno())), False
                    _DECODED[memo_key] = (stamp, signature, was_settled, remembered)
                    return remembered  # type: ignore[no-any-return]
                handle.seek(0)
            _DECODED.pop(memo_key, None)
            verified = _verified(handle, key, name)
            if verified is None:
                return None
            value = decode(verified[0])
            if started - st.st_mtime_ns > TOUCH_NS:
                _touch(handle, path)
                stamp, settled = _stamp(key, os.fstat(handle.fileno())), False
    except OSError:
        return None
    if len(_DECODED) >= 2 * MAX_FILES:
        _DECODED.clear()  # a long-lived process that met many configurations keeps only the newest
    _DECODED[memo_key] = (stamp, verified[1], settled, value)
    return value


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
    file just written; the files this process holds decoded, ``load_decoded``, count as the most recently
    used), files of older formats and stale temporary files. Returns how many were removed."""
    where = folder()
    removed = _remove_leftovers(where)
    total = 0
    in_use = {path for path, _ in _DECODED}  # what this process holds decoded counts as the most recently used
    for count, (_, size, path) in enumerate(sorted(_entries(where), key=lambda entry: str(entry[2]) not in in_use)):
        total += size
        if path.name != keep and (count >= MAX_FILES or total > MAX_BYTES):
            removed += _remove(path)
    return removed


def clear() -> int:
    """Remove every cache file (the key stays: it lives elsewhere). Returns how many were removed."""
    where = folder()
    _DECODED.clear()
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
