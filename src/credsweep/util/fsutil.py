"""Reading files a repository names, and writing files the user or credsweep points at, without
damaging anything else.

``read_regular`` reads what a scanned repository (or a user) names as configuration, ruleset or
baseline: a regular file only (never a device, FIFO, socket or folder, so ``/dev/zero`` or a FIFO
cannot exhaust memory or hang the scan), at most ``limit`` bytes, and, for a repository's own files,
only inside the repository (no symlink or hard link out of it).

Two entry points for writing, with different promises:

- ``atomic_write`` is for files credsweep owns (baselines, caches): the file is either the old one or
  the new one, never half. It never follows a symlink (a symlink at the path is replaced by the new
  regular file, its target is left alone) and refuses to replace anything that is not a regular file
  or a symlink (a device, FIFO, socket or folder), so a hostile repository or a mistyped config can
  never make it write through a link or rename over ``/dev/null``.
- ``write_output`` is for reports (``-o/--output``, every command's, fleet's included): the user chose
  the destination, so it behaves like a shell redirection that cannot leave a half-written report: a
  regular file or a new path is replaced atomically (keeping an existing file's mode; a new report is
  private, 0600, since it may hold ``--show-secrets`` values), a symlink is followed and its target
  written atomically (the link stays a link), and a device or FIFO is written in place (never renamed
  over).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

CONFIG_LIMIT = 1024 * 1024
"""Bytes of a configuration or ruleset file read at most (the built-in rulesets are a few KiB each)."""


class UnsafeFile(OSError):
    """A file credsweep refuses to read: not a regular file, too large, or outside the repository."""


def read_regular(path: Path, limit: int, within: Path | None = None) -> bytes:
    """The bytes of the regular file at ``path``, refusing anything else with ``UnsafeFile`` (an
    OSError whose ``strerror`` says why, for a one-line message).

    - never a device, FIFO, socket or folder: opened non-blocking and checked with ``fstat`` on the
      descriptor read (no window between the check and the read);
    - at most ``limit`` bytes: a larger file is refused, not truncated (half a ruleset is worse than none);
    - ``within`` (a repository's own file): its real path (symlinks resolved) must be inside
      ``within``, and it must have no other hard link (a second name may be a file elsewhere on this
      machine that the repository's owner does not control).
    """
    target = os.fspath(path)
    if within is not None:
        target = os.path.realpath(target)
        top = os.path.realpath(within)
        if os.path.commonpath([target, top]) != top:
            raise UnsafeFile(errno.EXDEV, "outside the repository (a repository may only name files inside it)",
                             os.fspath(path))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    if within is not None:
        flags |= getattr(os, "O_NOFOLLOW", 0)  # resolved above: a link appearing since is refused
    fd = os.open(target, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnsafeFile(errno.EINVAL, "not a regular file", os.fspath(path))
        if within is not None and st.st_nlink > 1:
            raise UnsafeFile(errno.EMLINK, "it has other hard links (it may be a file outside the repository)",
                             os.fspath(path))
        if st.st_size > limit:
            raise UnsafeFile(errno.EFBIG, f"larger than {limit:,} bytes", os.fspath(path))
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew since fstat
            raise UnsafeFile(errno.EFBIG, f"larger than {limit:,} bytes", os.fspath(path))
        return b"".join(chunks)
    finally:
        os.close(fd)


Payload = bytes | str | Iterable[str]
"""What a writer takes: the whole text, or its chunks in order (a report streamed as it is rendered,
so a large one is never held twice in memory)."""


def _payload(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def _chunks(data: Payload) -> Iterator[bytes]:
    """``data`` as bytes chunks (a stream of text chunks is encoded one chunk at a time)."""
    if isinstance(data, (bytes, str)):
        yield _payload(data)
        return
    pending: list[str] = []
    size = 0
    for chunk in data:  # batched: thousands of one-finding chunks cost a few writes
        pending.append(chunk)
        size += len(chunk)
        if size >= 1 << 16:
            yield "".join(pending).encode("utf-8")
            pending, size = [], 0
    if pending:
        yield "".join(pending).encode("utf-8")


def _replace_atomically(
    target: Path, payload: Payload, mode: int | None, owner: tuple[int, int] | None = None
) -> None:
    """Write ``payload`` to a temporary file beside ``target`` and rename it over ``target``.

    ``mode`` (permission bits) is applied to the temporary file before the rename; None keeps
    mkstemp's private 0600. ``owner`` (uid, gid) is restored when we may (root replacing a user's
    report must not hand the file to root).
    """
    import tempfile  # only when writing: its import pulls in shutil and the compression modules

    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in _chunks(payload):
                handle.write(chunk)
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            if owner is not None and owner != (os.geteuid(), os.getegid()):
                try:
                    os.fchown(handle.fileno(), *owner)
                except OSError:
                    pass  # not permitted: the file is ours, as any rewrite by this user would make it
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` (a file credsweep owns) through a temporary file and a rename.

    The new file is private (0600). A symlink at ``path`` is replaced, never followed; an existing
    device, FIFO, socket or folder raises OSError (EINVAL) and is left untouched. Raises OSError;
    callers turn it into a CredsweepError (or ignore it, for caches).
    """
    target = Path(os.path.abspath(path))
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise OSError(errno.EINVAL, "not a regular file; refusing to replace it", str(target))
    _replace_atomically(target, _payload(data), None)


NEW_REPORT_MODE = 0o600
"""Permission bits of a report file ``write_output`` creates (an existing file keeps its own)."""


def _write_in_place(path: Path, payload: Payload, append: bool = False) -> bool:
    """Write to the device or FIFO at ``path`` without renaming or truncating it.

    Returns False (nothing written) when what was opened is a regular file, unless ``append``: it
    changed since we looked, and the caller replaces it atomically instead of overwriting it in
    place. A FIFO blocks here until a reader opens it, as a shell redirection would.
    """
    flags = os.O_WRONLY | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0) | (os.O_APPEND if append else 0)
    fd = os.open(path, flags)
    try:
        if not append and stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        for chunk in _chunks(payload):
            view = memoryview(chunk)
            while view:  # pipes and devices may accept part of a write
                view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    return True


def _same_file(target: Path, st: os.stat_result) -> bool:
    try:
        found = os.stat(target)
    except OSError:
        return False
    return (found.st_dev, found.st_ino) == (st.st_dev, st.st_ino)


def write_output(path: Path, data: Payload) -> None:
    """Write a report to ``path`` the way the user expects of ``-o PATH``, never damaging the target.

    - new path, or regular file: replaced atomically (an existing file keeps its permission bits and,
      when we may, its owner; a new one is private, 0600: a report may hold ``--show-secrets`` values,
      and a shared machine's umask commonly lets every local user read new files);
    - symlink: followed to its final target, which is then handled by these same rules (the link
      stays a link; a dangling link's target is created);
    - character/block device or FIFO: opened for writing and written in place (no rename, no
      truncation), so a FIFO delivers the report to its reader and ``-o /dev/stdout`` works;
    - a regular file reached through a ``/proc`` descriptor link (``-o /dev/stdout > file``): there is
      no path to rename over, so the report is appended through the descriptor;
    - folder, socket or anything else that cannot be opened for writing: OSError.

    Raises OSError; the CLI turns it into a one-line error (exit 2).
    """
    payload = data
    try:
        st = os.stat(path)  # follows every symlink, /proc descriptor links included
    except FileNotFoundError:
        _replace_atomically(Path(os.path.realpath(path)), payload, NEW_REPORT_MODE)
        return
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not stat.S_ISREG(st.st_mode):
        if _write_in_place(path, payload):
            return
        st = os.stat(path)  # it became a regular file since we looked: replace that one
    target = Path(os.path.realpath(path))
    if not _same_file(target, st):
        _write_in_place(path, payload, append=True)
        return
    _replace_atomically(target, payload, stat.S_IMODE(st.st_mode), (st.st_uid, st.st_gid))


def read_private(path: Path, limit: int = 4096) -> bytes | None:
    """The bytes of a private file we created (never through a symlink), or None when it is absent."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as handle:
        return handle.read(limit)


def private_key_file(path: Path, make: Callable[[], bytes], valid: Callable[[bytes], bool]) -> bytes:
    """The key kept in ``path`` (a 0600 file in a 0700 folder), created with ``make()`` on first use.

    Concurrent first runs agree on one key: each writes its own temporary file and links it into place,
    and a link that finds a file already there reads that one instead. A file that fails ``valid`` (short,
    empty, damaged) is replaced. The one way credsweep creates its secret files (salt, cache key)."""
    import secrets

    existing = read_private(path)
    if existing is not None and valid(existing):
        return existing
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(make())
        try:
            os.link(tmp, path)
        except FileExistsError:
            existing = read_private(path)
            if existing is not None and valid(existing):
                return existing
            os.replace(tmp, path)  # a damaged key: ours replaces it
        return read_private(path) or b""
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
