"""Blob source: every unique blob of a repository, listed in pack order and read through git.

``iter_blobs`` streams one ``git cat-file --batch-all-objects --batch-check --unordered`` listing (pack
order, with sizes; oversized blobs skipped unread; scoped scans intersect it with a set of ids);
``chunked`` cuts it into contiguous runs for workers (``executors.pool``); ``BlobReader`` is one
long-lived ``git cat-file --batch`` that reads contents into one reused buffer.
"""

from __future__ import annotations

import array
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from credsweep.git.repo import git_command, safe_env
from credsweep.sources.binary import BINARY_SNIFF, read_inside

CHUNK_BYTES = 32 * 1024 * 1024
CHUNK_BLOBS = 4096
PIPE_BUFFER = 1024 * 1024
READ_BATCH = 256 * 1024
"""Bytes worth waking up for when the pipe holds less than the object being read."""
READ_WAIT = 0.0003
"""Seconds to let git write more first (a few hundred kilobytes at its inflate speed)."""
# a 1 MiB kernel pipe (Linux; ignored elsewhere) instead of 64 KiB: fewer wake-ups between git and us
_PIPESIZE = PIPE_BUFFER if sys.platform.startswith("linux") else -1
Progress = Callable[[int, int, int, int], None]
try:
    import fcntl
    import termios

    _FIONREAD: int | None = termios.FIONREAD
except (ImportError, AttributeError):  # not a POSIX system: plain blocking reads
    _FIONREAD = None


class BlobRef(NamedTuple):
    """A blob to scan: id and size, in pack order (a tuple: the listing makes one per blob of history)."""

    oid: str
    size: int


@dataclass
class BlobListing:
    """What the pack listing found."""

    blobs: list[BlobRef]
    """Blobs to scan, pack order (empty when the listing was streamed)."""
    objects: int = 0
    """Objects of every type seen."""
    too_large: int = 0
    """Blobs skipped for size."""
    too_large_blobs: list[BlobRef] = field(default_factory=list)
    """Those blobs (id and size), so the report can name them (their paths come from the history)."""
    count: int = 0
    """Blobs to scan (so far, while streaming)."""
    bytes: int = 0
    """Their total size (so far, while streaming)."""
    done: bool = False
    """The listing is complete."""


def iter_blobs(git_dir: Path, max_size: int, only: set[str] | None, listing: BlobListing) -> Iterator[BlobRef]:
    """Stream blobs in pack order from one ``cat-file --batch-all-objects --batch-check --unordered``
    (``only``: restrict to these ids), skipping those over ``max_size`` without reading them.
    ``listing`` counts as it goes (its ``blobs`` list stays empty: the stream is not kept)."""
    proc = subprocess.Popen(
        git_command("cat-file", "--batch-all-objects", "--unordered",
                    "--batch-check=%(objecttype) %(objectname) %(objectsize)"),
        cwd=git_dir, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=safe_env(),
        bufsize=PIPE_BUFFER, pipesize=_PIPESIZE,
    )
    assert proc.stdout is not None
    seen: set[bytes] = set()
    # counters stay local in this loop (one line per object of the repository) and reach
    # ``listing`` every few thousand objects, for the progress display
    objects = count = nbytes = too_large = 0

    def publish() -> None:
        listing.objects, listing.count, listing.bytes, listing.too_large = objects, count, nbytes, too_large

    try:
        for line in proc.stdout:
            objects += 1
            if not objects & 0x1FFF:
                publish()
            if not line.startswith(b"blob "):
                continue
            parts = line.split()
            if len(parts) != 3:
                continue
            oid_b = parts[1]
            if oid_b in seen:
                continue  # an object present in several packs is read once
            seen.add(oid_b)
            oid = oid_b.decode()
            if only is not None and oid not in only:
                continue
            size = int(parts[2])
            if size > max_size:
                too_large += 1
                listing.too_large_blobs.append(BlobRef(oid, size))
                continue
            count += 1
            nbytes += size
            yield BlobRef(oid, size)
    finally:
        publish()
        proc.stdout.close()
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    listing.done = True


def list_blobs(git_dir: Path, max_size: int, only: set[str] | None = None) -> BlobListing:
    """Blobs in pack order (``only``: restrict to these ids), skipping those over ``max_size``."""
    listing = BlobListing(blobs=[])
    listing.blobs.extend(iter_blobs(git_dir, max_size, only, listing))
    return listing


@dataclass(frozen=True)
class Chunk:
    """A contiguous pack-order run of blobs, as a worker receives it: the ids already in the form
    ``git cat-file --batch`` reads (one per line), so handing it to a worker process is one bytes copy."""

    request: bytes
    count: int
    size: int


def chunked(blobs: Iterable[BlobRef], chunk_bytes: int = CHUNK_BYTES) -> Iterator[Chunk]:
    """Contiguous pack-order chunks of bounded bytes and count (locality for git, balance for workers)."""
    oids: list[str] = []
    size = 0
    for blob in blobs:
        oids.append(blob.oid)
        size += blob.size
        if size >= chunk_bytes or len(oids) >= CHUNK_BLOBS:
            yield Chunk(("\n".join(oids) + "\n").encode(), len(oids), size)
            oids, size = [], 0
    if oids:
        yield Chunk(("\n".join(oids) + "\n").encode(), len(oids), size)


class BlobReader:
    """One long-lived ``git cat-file --batch``: blob contents for ids, in the order asked.

    Restarting git per batch would throw away its delta base cache (twice the inflate work on
    curl/curl's history); one reader per worker process keeps it warm for the whole scan.

    Output lands in one reused buffer (``views``), read straight from the pipe: a fresh
    multi-megabyte ``bytes`` per blob is fresh pages for the kernel to fault in, and a reader that
    wakes for every small object git writes costs a context switch per blob (on git/git's 8 GB of
    blobs, each is seconds of system time). So a read that finds little in the pipe waits a moment
    for git to write more, unless what is there completes the object.
    """

    def __init__(self, git_dir: Path) -> None:
        self._git_dir = git_dir
        self._buffer = bytearray(2 * PIPE_BUFFER)
        self._view = memoryview(self._buffer)
        self._pending = array.array("i", [0])
        self._throttle = _FIONREAD is not None
        self._start_git()

    def _start_git(self) -> None:
        self._proc = subprocess.Popen(
            git_command("cat-file", "--batch"), cwd=self._git_dir, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, env=safe_env(), bufsize=0, pipesize=_PIPESIZE,
        )
        assert self._proc.stdout is not None
        self._fd = self._proc.stdout.fileno()
        self._start = self._end = 0  # unread bytes: self._buffer[self._start:self._end]

    def read(self, oids: Sequence[str]) -> Iterator[tuple[str, bytes]]:
        """(id, content) for each id git has, in order (missing objects are skipped)."""
        for oid, view, _ in self.views(oids):
            yield oid, view.tobytes()

    def _fill(self, need: int) -> bool:
        """Make at least ``need`` unread bytes available; False when git's output ended first."""
        if len(self._buffer) - self._start < need:
            unread = self._end - self._start
            if need > len(self._buffer):
                bigger = bytearray(max(need, 2 * len(self._buffer)))
                bigger[:unread] = self._buffer[self._start:self._end]
                self._buffer, self._view = bigger, memoryview(bigger)
            else:
                self._buffer[:unread] = self._buffer[self._start:self._end]
            self._start, self._end = 0, unread
        while self._end - self._start < need:
            if self._throttle and _FIONREAD is not None:
                try:
                    fcntl.ioctl(self._fd, _FIONREAD, self._pending)
                    if self._pending[0] < min(READ_BATCH, need - (self._end - self._start)):
                        time.sleep(READ_WAIT)
                except OSError:
                    self._throttle = False
            n = os.readv(self._fd, [self._view[self._end:]])
            if not n:
                return False
            self._end += n
        return True

    def views(self, oids: Sequence[str]) -> Iterator[tuple[str, memoryview, bool]]:
        """``views_of`` these ids."""
        return self.views_of("".join(f"{oid}\n" for oid in oids).encode(), len(oids))

    def views_of(self, request: bytes, count: int) -> Iterator[tuple[str, memoryview, bool]]:
        """(id, content, binary) for each id git has, in order; the content is a view of the reused
        buffer, valid until the next item (copy what must outlive it); binary is git's own test (a
        NUL in the first 8000 bytes), made here where the view's place in the buffer is known."""
        stdin = self._proc.stdin
        assert stdin is not None

        def feed() -> None:
            try:
                stdin.write(request)
                stdin.flush()
            except (BrokenPipeError, ValueError):
                pass

        # a writer thread: git's output pipe fills while we are still writing ids otherwise
        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        fill = self._fill
        complete = False
        try:
            for _ in range(count):
                newline = self._buffer.find(b"\n", self._start, self._end)
                while newline < 0:
                    if not fill(self._end - self._start + 1):
                        return  # git went away
                    newline = self._buffer.find(b"\n", self._start, self._end)
                # "<oid> <type> <size>", or "<oid> missing" (e.g. a promisor/shallow gap)
                buffer = self._buffer
                head = self._start
                self._start = newline + 1
                type_at = buffer.find(b" ", head, newline)
                size_at = buffer.find(b" ", type_at + 1, newline) if type_at >= 0 else -1
                if size_at < 0:
                    continue
                oid = buffer[head:type_at].decode()
                size = int(buffer[size_at + 1:newline])
                if not fill(size + 1):  # the object and the newline after it
                    return
                at = self._start
                self._start += size + 1
                binary = (self._buffer.find(b"\0", at, at + min(size, BINARY_SNIFF)) >= 0
                          and not read_inside(self._view[at:at + min(size, 16)]))  # a database or archive is read inside
                yield oid, self._view[at:at + size], binary
            complete = True
        finally:
            if not complete:
                # abandoned mid-stream (an error, a consumer that stopped): git's output is out of
                # step with our requests and its pipe may be full, so this git goes and a new one starts
                self._proc.kill()
                writer.join()
                self.close()
                self._start_git()
            writer.join()

    def kill(self) -> None:
        """Stop git at once (the scan was interrupted)."""
        if self._proc.poll() is None:
            self._proc.kill()

    def close(self) -> None:
        """Let git exit."""
        if self._proc.stdin is not None:
            try:
                self._proc.stdin.close()
            except BrokenPipeError:
                pass
        if self._proc.stdout is not None:
            self._proc.stdout.close()
        self._proc.wait()

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_blobs(git_dir: Path, oids: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    """Stream blob contents through one ``git cat-file --batch`` (for a one-off batch of ids)."""
    with BlobReader(git_dir) as reader:
        yield from reader.read(oids)
