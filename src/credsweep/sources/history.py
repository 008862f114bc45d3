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
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from credsweep.git import git_command, run_git, safe_env
from credsweep.scanner import Scanner, is_binary, position

CHUNK_BYTES = 16 * 1024 * 1024
"""Smallest chunk. Chunks are sized to give each worker about CHUNKS_PER_WORKER of them: every chunk
starts a fresh `cat-file` whose delta-base cache is cold, so fewer, larger chunks read faster."""
CHUNKS_PER_WORKER = 4
PIPE_BUFFER = 1024 * 1024
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
    """Blobs to scan, pack order."""
    objects: int = 0
    """Objects of every type seen."""
    too_large: int = 0
    """Blobs skipped for size."""


def list_blobs(git_dir: Path, max_size: int, only: set[str] | None = None) -> BlobListing:
    """Blobs in pack order (``only``: restrict to these ids), skipping those over ``max_size``."""
    out = run_git(git_dir, "cat-file", "--batch-all-objects", "--unordered",
                  "--batch-check=%(objectname) %(objecttype) %(objectsize)")
    listing = BlobListing(blobs=[])
    seen: set[str] = set()
    for line in out.split(b"\n"):
        if not line:
            continue
        listing.objects += 1
        oid_b, kind, size_b = line.split(b" ")
        if kind != b"blob":
            continue
        oid = oid_b.decode()
        if oid in seen or (only is not None and oid not in only):
            continue  # an object present in several packs is read once
        seen.add(oid)
        size = int(size_b)
        if size > max_size:
            listing.too_large += 1
            continue
        listing.blobs.append(BlobRef(oid, size))
    return listing


def chunked(blobs: Sequence[BlobRef], workers: int = 1) -> Iterator[list[BlobRef]]:
    """Contiguous pack-order chunks (locality for git), a few per worker (balance)."""
    total = sum(blob.size for blob in blobs)
    limit = max(CHUNK_BYTES, total // max(1, workers * CHUNKS_PER_WORKER) + 1)
    count_limit = max(4096, len(blobs) // max(1, workers * CHUNKS_PER_WORKER) + 1)
    chunk: list[BlobRef] = []
    size = 0
    for blob in blobs:
        chunk.append(blob)
        size += blob.size
        if size >= limit or len(chunk) >= count_limit:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def read_blobs(git_dir: Path, oids: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    """Stream blob contents through one ``git cat-file --batch`` (ids fed by a writer thread)."""
    proc = subprocess.Popen(
        git_command("cat-file", "--batch"), cwd=git_dir, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, env=safe_env(), bufsize=PIPE_BUFFER,
    )
    assert proc.stdin is not None and proc.stdout is not None

    def feed() -> None:
        try:
            proc.stdin.write("".join(f"{oid}\n" for oid in oids).encode())  # type: ignore[union-attr]
            proc.stdin.close()  # type: ignore[union-attr]
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    read = proc.stdout.read
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
            data = read(size)
            read(1)  # the newline after each object
            yield parts[0].decode(), data
    finally:
        proc.stdout.close()
        writer.join()
        proc.wait()


# --- worker side ---------------------------------------------------------------------------------
_WORKER: dict[str, object] = {}


def _init_worker(scanner: Scanner, git_dir: Path) -> None:
    _WORKER["scanner"] = scanner
    _WORKER["git_dir"] = git_dir


def _scan_chunk(chunk: list[BlobRef]) -> tuple[list[BlobMatch], int, int, int]:
    """Scan one chunk: (matches, blobs scanned, bytes scanned, binary blobs skipped)."""
    scanner: Scanner = _WORKER["scanner"]  # type: ignore[assignment]
    git_dir: Path = _WORKER["git_dir"]  # type: ignore[assignment]
    found: list[BlobMatch] = []
    scanned = nbytes = binary = 0
    for oid, data in read_blobs(git_dir, [b.oid for b in chunk]):
        if is_binary(data):
            binary += 1
            continue
        scanned += 1
        nbytes += len(data)
        for rule, match in scanner.matches(data):
            line, column = position(data, match.start)
            end_line, end_column = position(data, match.end)
            found.append(BlobMatch(oid, rule.id, line, column, end_line, end_column, match.confidence,
                                   match.secret, match.identifier))
    return found, scanned, nbytes, binary


def scan_blobs(git_dir: Path, scanner: Scanner, blobs: Sequence[BlobRef], workers: int | None = None,
               progress: Progress | None = None) -> tuple[list[BlobMatch], dict[str, int]]:
    """Scan every blob once, in parallel; returns matches and counters (scanned, bytes, binary)."""
    workers = max(1, workers or os.cpu_count() or 1)
    chunks = list(chunked(blobs, workers))
    total_blobs, total_bytes = len(blobs), sum(b.size for b in blobs)
    counters = {"scanned": 0, "bytes": 0, "binary": 0}
    matches: list[BlobMatch] = []
    done_blobs = done_bytes = 0

    def account(result: tuple[list[BlobMatch], int, int, int], chunk: list[BlobRef]) -> None:
        nonlocal done_blobs, done_bytes
        found, scanned, nbytes, binary = result
        matches.extend(found)
        counters["scanned"] += scanned
        counters["bytes"] += nbytes
        counters["binary"] += binary
        done_blobs += len(chunk)
        done_bytes += sum(b.size for b in chunk)
        if progress:
            progress(done_blobs, total_blobs, done_bytes, total_bytes)

    if workers == 1 or len(chunks) <= 1:
        _init_worker(scanner, git_dir)
        for chunk in chunks:
            account(_scan_chunk(chunk), chunk)
        return matches, counters
    # fork: workers inherit the compiled scanner instead of rebuilding it
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_init_worker, initargs=(scanner, git_dir)) as pool:
        for chunk, result in zip(chunks, pool.imap(_scan_chunk, chunks)):
            account(result, chunk)
    return matches, counters
