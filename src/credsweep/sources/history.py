"""History source: every unique blob of the repository, read once in pack order, scanned in parallel.

Pipeline:
1. ``list_blobs``: one ``git cat-file --batch-all-objects --batch-check --unordered`` pass lists every
   object in pack order with its size (scoped scans intersect it with ``rev-list --objects``).
2. ``scan_blobs``: contiguous pack-order chunks go to worker processes; each worker streams its chunk
   through its own long-lived ``git cat-file --batch`` and runs the pure ``Scanner.matches`` on it.
   Content never crosses a process boundary, only the (few) matches do.
3. ``provenance``: only for blobs that matched, one ``git log --raw`` pass finds every commit that put
   the blob at a path, then refs, ``in_head`` and ``pushed`` are asked of git for those commits only.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from credsweep.git import git_command, run_git, safe_env
from credsweep.scanner import BINARY_SNIFF, Scanner, position

CHUNK_BYTES = 32 * 1024 * 1024
CHUNK_BLOBS = 4096
PIPE_BUFFER = 1024 * 1024
# a 1 MiB kernel pipe (Linux; ignored elsewhere) instead of 64 KiB: fewer wake-ups between git and us
_PIPESIZE = {"pipesize": PIPE_BUFFER} if sys.platform.startswith("linux") else {}
Progress = Callable[[int, int, int, int], None]


@dataclass(frozen=True)
class BlobRef:
    """A blob to scan: id and size, in pack order."""

    oid: str
    size: int


@dataclass(frozen=True)
class BlobMatch:
    """A match inside one blob, with its position in that blob's text."""

    oid: str
    rule: str
    line: int
    column: int
    end_line: int
    end_column: int
    confidence: str
    secret: str = field(repr=False)
    identifier: str | None = field(default=None, repr=False)


@dataclass
class BlobListing:
    """What the pack listing found."""

    blobs: list[BlobRef]
    """Blobs to scan, pack order (empty when the listing was streamed)."""
    objects: int = 0
    """Objects of every type seen."""
    too_large: int = 0
    """Blobs skipped for size."""
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
                    "--batch-check=%(objectname) %(objecttype) %(objectsize)"),
        cwd=git_dir, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=safe_env(),
        bufsize=PIPE_BUFFER, **_PIPESIZE,
    )
    assert proc.stdout is not None
    seen: set[bytes] = set()
    try:
        for line in proc.stdout:
            listing.objects += 1
            parts = line.split()
            if len(parts) != 3 or parts[1] != b"blob":
                continue
            oid_b = parts[0]
            if oid_b in seen:
                continue  # an object present in several packs is read once
            seen.add(oid_b)
            oid = oid_b.decode()
            if only is not None and oid not in only:
                continue
            size = int(parts[2])
            if size > max_size:
                listing.too_large += 1
                continue
            listing.count += 1
            listing.bytes += size
            yield BlobRef(oid, size)
    finally:
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


def chunked(blobs: Iterable[BlobRef], chunk_bytes: int = CHUNK_BYTES) -> Iterator[list[BlobRef]]:
    """Contiguous pack-order chunks of bounded bytes and count (locality for git, balance for workers)."""
    chunk: list[BlobRef] = []
    size = 0
    for blob in blobs:
        chunk.append(blob)
        size += blob.size
        if size >= chunk_bytes or len(chunk) >= CHUNK_BLOBS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


class BlobReader:
    """One long-lived ``git cat-file --batch``: blob contents for ids, in the order asked.

    Restarting git per batch would throw away its delta base cache (twice the inflate work on
    curl/curl's history); one reader per worker process keeps it warm for the whole scan.
    """

    def __init__(self, git_dir: Path) -> None:
        self._proc = subprocess.Popen(
            git_command("cat-file", "--batch"), cwd=git_dir, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, env=safe_env(), bufsize=PIPE_BUFFER, **_PIPESIZE,
        )
        self._buffer = bytearray(PIPE_BUFFER)
        self._view = memoryview(self._buffer)

    def read(self, oids: Sequence[str]) -> Iterator[tuple[str, bytes]]:
        """(id, content) for each id git has, in order (missing objects are skipped)."""
        for oid, view in self.views(oids):
            yield oid, view.tobytes()

    def views(self, oids: Sequence[str]) -> Iterator[tuple[str, memoryview]]:
        """(id, content) for each id git has, in order; the content is a view of one reused buffer,
        valid until the next item (copy what must outlive it).

        Reading into one buffer instead of a new ``bytes`` per blob matters at history scale: a fresh
        multi-megabyte allocation per blob is fresh pages for the kernel to fault in (on curl/curl's
        5 GB of blobs, seconds of system time)."""
        proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None
        request = "".join(f"{oid}\n" for oid in oids).encode()

        def feed() -> None:
            try:
                proc.stdin.write(request)  # type: ignore[union-attr]
                proc.stdin.flush()  # type: ignore[union-attr]
            except (BrokenPipeError, ValueError):
                pass

        # a writer thread: git's output pipe fills while we are still writing ids otherwise
        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        readinto = proc.stdout.readinto
        readline = proc.stdout.readline
        try:
            for _ in oids:
                header = readline()
                if not header:
                    break
                parts = header.split()
                if len(parts) != 3:  # "<oid> missing" (e.g. a promisor/shallow gap)
                    continue
                size = int(parts[2])
                if size + 1 > len(self._buffer):
                    self._buffer = bytearray(max(size + 1, 2 * len(self._buffer)))
                    self._view = memoryview(self._buffer)
                view = self._view[: size + 1]  # the object and the newline after it
                got = 0
                while got <= size:
                    n = readinto(view[got:])
                    if not n:
                        return  # git went away mid-object
                    got += n
                yield parts[0].decode(), view[:size]
        finally:
            writer.join()

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


# --- worker side ---------------------------------------------------------------------------------
_WORKER: dict[str, object] = {}


def _init_worker(scanner: Scanner, git_dir: Path) -> None:
    _WORKER["scanner"] = scanner
    _WORKER["reader"] = BlobReader(git_dir)


def _init_pool_worker(scanner: Scanner, git_dir: Path) -> None:
    import signal
    from multiprocessing import util

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends the pool
    _init_worker(scanner, git_dir)
    util.Finalize(None, _WORKER["reader"].close, exitpriority=10)  # type: ignore[attr-defined]


def _scan_chunk(chunk: list[BlobRef]) -> tuple[list[BlobMatch], int, int, int, int, int]:
    """Scan one chunk: (matches, blobs scanned, bytes scanned, binary blobs skipped, blobs, bytes)."""
    scanner: Scanner = _WORKER["scanner"]  # type: ignore[assignment]
    reader: BlobReader = _WORKER["reader"]  # type: ignore[assignment]
    found: list[BlobMatch] = []
    scanned = nbytes = binary = 0
    matches = scanner.matches
    for oid, view in reader.views([b.oid for b in chunk]):
        size = len(view)
        if view.obj.find(b"\0", 0, min(size, BINARY_SNIFF)) >= 0:  # type: ignore[attr-defined]  # is_binary
            binary += 1
            continue
        scanned += 1
        nbytes += size
        hits = matches(view)  # this loop runs once per blob of history: the view is not copied
        if hits:
            data = view.tobytes()
            for rule, match in hits:
                line, column = position(data, match.start)
                end_line, end_column = position(data, match.end)
                found.append(BlobMatch(oid, rule.id, line, column, end_line, end_column, match.confidence,
                                       match.secret, match.identifier))
    return found, scanned, nbytes, binary, len(chunk), sum(b.size for b in chunk)


def scan_blobs(git_dir: Path, scanner: Scanner, blobs: Iterable[BlobRef], workers: int | None = None,
               progress: Progress | None = None, listing: BlobListing | None = None,
               chunk_bytes: int = CHUNK_BYTES) -> tuple[list[BlobMatch], dict[str, int]]:
    """Scan every blob once, in parallel; returns matches and counters (scanned, bytes, binary).

    ``blobs`` may be a stream (``iter_blobs``): chunks go to workers while the listing still runs.
    ``listing`` (the stream's counters) gives the progress callback its totals.
    """
    workers = max(1, workers or os.cpu_count() or 1)
    counters = {"scanned": 0, "bytes": 0, "binary": 0}
    matches: list[BlobMatch] = []
    done_blobs = done_bytes = 0
    if not isinstance(blobs, (list, tuple)) and listing is None:
        blobs = list(blobs)
    if isinstance(blobs, (list, tuple)):
        sized = BlobListing(blobs=[], count=len(blobs), bytes=sum(b.size for b in blobs), done=True)
        listing = listing or sized

    def account(result: tuple[list[BlobMatch], int, int, int, int, int]) -> None:
        nonlocal done_blobs, done_bytes
        found, scanned, nbytes, binary, chunk_blobs, chunk_size = result
        matches.extend(found)
        counters["scanned"] += scanned
        counters["bytes"] += nbytes
        counters["binary"] += binary
        done_blobs += chunk_blobs
        done_bytes += chunk_size
        if progress and listing is not None:
            progress(done_blobs, listing.count, done_bytes, listing.bytes)

    if workers == 1:
        _init_worker(scanner, git_dir)
        try:
            for chunk in chunked(blobs, chunk_bytes):
                account(_scan_chunk(chunk))
        finally:
            _WORKER.pop("reader").close()  # type: ignore[attr-defined]
            _WORKER.clear()
        return matches, counters
    # fork: workers inherit the compiled scanner instead of rebuilding it
    import multiprocessing

    context = multiprocessing.get_context("fork")
    pool = context.Pool(workers, initializer=_init_pool_worker, initargs=(scanner, git_dir))
    try:
        for result in pool.imap_unordered(_scan_chunk, chunked(blobs, chunk_bytes)):
            account(result)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
    return matches, counters
