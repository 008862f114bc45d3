"""A pool of forked worker processes running the content stage over blobs read by git.

Each worker keeps one long-lived ``git cat-file --batch`` (``sources.blobs.BlobReader``: git's
delta-base cache stays warm) and runs ``Pipeline.content`` on each blob of the contiguous pack-order
chunks it is handed. Content never crosses a process boundary: chunks go out as one bytes request
(the ids), and only content matches come back, keyed by blob id.

The pool forks when it is created, before the caller starts any thread (git passes beside the scan
use one): forking a process that runs threads can leave a child holding a lock nobody will release,
and then neither Ctrl-C nor the end of the scan finishes. Workers ignore SIGINT; the parent stops them.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from credsweep.executors.split import die_with_parent, split_map
from credsweep.judgement.location import is_scanner_bookkeeping
from credsweep.models import ContentMatch, Skipped
from credsweep.sources.binary import is_binary
from credsweep.sources.blobs import CHUNK_BYTES, BlobListing, BlobReader, BlobRef, Chunk, Progress, chunked
from credsweep.sources.worktree import read_items

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

    from credsweep.pipeline import Pipeline

BlobResults = dict[str, tuple[ContentMatch, ...]]
"""Content matches of the blobs that have any, by blob id."""


@dataclass(frozen=True)
class BlobScan:
    """What a pool scan read and found."""

    matches: BlobResults
    """Content matches by blob id (blobs without a match are absent)."""
    scanned: int
    """Text blobs scanned."""
    bytes: int
    """Their bytes."""
    binary: int
    """Binary blobs skipped (git's heuristic)."""
    read_ids: tuple[str, ...] = ()
    """Every blob id read (binary ones included), when the caller asked for them (a content cache)."""


@dataclass(frozen=True)
class _ChunkResult:
    found: list[tuple[str, tuple[ContentMatch, ...]]]
    scanned: int
    nbytes: int
    binary: int
    blobs: int
    size: int


_WORKER: dict[str, Any] = {}


def _init_worker(pipeline: Pipeline, git_dir: Path) -> None:
    _WORKER["pipeline"] = pipeline
    _WORKER["reader"] = BlobReader(git_dir)


def forked_pool(workers: int, initializer: Callable[..., None], initargs: tuple[object, ...]) -> Pool:
    """A fork-context ``Pool`` created with Ctrl-C held back: a SIGINT arriving while it forks would be
    raised inside a child's after-fork hooks (and ignored there) or leave the pool half built. A held
    Ctrl-C is raised here once the pool exists, after ending it. Each worker ignores SIGINT and then
    unblocks it (``_quiet_worker``); the pool's own threads keep it blocked, so only the main thread sees it."""
    import multiprocessing

    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=initializer, initargs=initargs)
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a Ctrl-C held meanwhile is raised here
    except BaseException:
        pool.terminate()
        pool.join()
        raise
    return pool


def _quiet_worker(parent: int) -> None:
    """A worker dies with the scan and leaves Ctrl-C to the parent, which ends the pool."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _init_pool_worker(pipeline: Pipeline, git_dir: Path, parent: int) -> None:
    from multiprocessing import util

    _quiet_worker(parent)
    signal.signal(signal.SIGTERM, _on_terminate)
    _init_worker(pipeline, git_dir)
    util.Finalize(None, _WORKER["reader"].close, exitpriority=10)


def _on_terminate(*_: object) -> None:
    """``Pool.terminate`` (an error or Ctrl-C in the parent): this worker's git goes with it, now."""
    reader = _WORKER.get("reader")
    if reader is not None:
        reader.kill()
    os._exit(1)


def _scan_chunk(chunk: Chunk) -> _ChunkResult:
    """The content stage over one chunk of blobs."""
    pipeline: Pipeline = _WORKER["pipeline"]
    reader: BlobReader = _WORKER["reader"]
    found: list[tuple[str, tuple[ContentMatch, ...]]] = []
    scanned = nbytes = binary = 0
    content = pipeline.content
    for oid, view, binary_blob in reader.views_of(chunk.request, chunk.count):
        if binary_blob:
            binary += 1
            continue
        scanned += 1
        nbytes += len(view)
        matches = content(view)  # once per blob of history: the view is copied only when a rule may match
        if matches:
            found.append((oid, tuple(matches)))
    return _ChunkResult(found, scanned, nbytes, binary, chunk.count, chunk.size)


SMALL_OBJECTS_KIB = 1024
"""A repository whose objects take less than this (KiB on disk, loose and packed, as ``git count-objects
-v`` counts them: at most ten or twenty megabytes of text once inflated) is scanned in one process when
the user named no worker count. Forking a worker per core, each starting its own ``git cat-file``, and
importing detect-secrets before the forks cost a small history or push more than its whole content stage:
0.14 CPU-s of a 0.3 s pre-push hook on two cores, more with more cores."""


def default_workers(cwd: Path) -> int:
    """The worker count of a blob scan the user gave none: one per core, or one for a small repository
    (``SMALL_OBJECTS_KIB``). A repository reading objects from elsewhere too (alternates, or git's object
    variables, as when git runs a hook) is not judged by its own objects: it gets one per core."""
    from credsweep.errors import GitError
    from credsweep.git.repo import run_git

    cores = os.cpu_count() or 1
    if cores == 1 or os.environ.get("GIT_ALTERNATE_OBJECT_DIRECTORIES") or os.environ.get("GIT_OBJECT_DIRECTORY"):
        return cores
    try:
        counted = run_git(cwd, "count-objects", "-v").decode("utf-8", "replace")
    except GitError:
        return cores
    fields: dict[str, str] = {}
    for line in counted.splitlines():
        key, _, value = line.partition(": ")
        fields.setdefault(key, value)
    try:
        kib = int(fields["size"]) + int(fields["size-pack"]) + int(fields.get("size-garbage", "0"))
    except (KeyError, ValueError):
        return cores
    return 1 if "alternate" not in fields and kib < SMALL_OBJECTS_KIB else cores


class BlobPool:
    """Worker processes for one scan (forked at creation); use as a context manager."""

    def __init__(self, git_dir: Path, pipeline: Pipeline, workers: int | None = None) -> None:
        self._git_dir, self._pipeline = git_dir, pipeline
        self.workers = max(1, workers or default_workers(git_dir))
        self._pool: Pool | None = None
        if self.workers > 1:
            from credsweep.content.ds_adapter import warm_up

            warm_up()  # imported once here, inherited by every worker
            self._pool = forked_pool(self.workers, _init_pool_worker, (pipeline, git_dir, os.getpid()))

    def scan(self, blobs: Iterable[BlobRef], progress: Progress | None = None, listing: BlobListing | None = None,
             keep_ids: bool = False, chunk_bytes: int = CHUNK_BYTES) -> BlobScan:
        """The content stage over every blob of ``blobs`` (a stream: chunks go out while it is listed).

        ``listing`` (the stream's counters) gives ``progress`` its totals; ``keep_ids`` returns every id read."""
        if not isinstance(blobs, (list, tuple)) and listing is None:
            blobs = list(blobs)
        if isinstance(blobs, (list, tuple)):
            listing = listing or BlobListing(blobs=[], count=len(blobs), bytes=sum(b.size for b in blobs), done=True)
        ids: list[str] = []
        chunks: Iterator[Chunk] = chunked(blobs, chunk_bytes)
        if keep_ids:
            chunks = _remembering(chunks, ids)
        matches: BlobResults = {}
        scanned = nbytes = binary = done_blobs = done_bytes = 0
        for result in self._results(chunks):
            matches.update(result.found)
            scanned += result.scanned
            nbytes += result.nbytes
            binary += result.binary
            done_blobs += result.blobs
            done_bytes += result.size
            if progress is not None and listing is not None:
                progress(done_blobs, listing.count, done_bytes, listing.bytes)
        return BlobScan(matches, scanned, nbytes, binary, tuple(ids))

    def _results(self, chunks: Iterator[Chunk]) -> Iterator[_ChunkResult]:
        if self._pool is None:
            _init_worker(self._pipeline, self._git_dir)
            try:
                for chunk in chunks:
                    yield _scan_chunk(chunk)
            finally:
                _WORKER.pop("reader").close()
                _WORKER.clear()
            return
        yield from self._pool.imap_unordered(_scan_chunk, chunks)

    def close(self, error: bool = False) -> None:
        """Stop the workers: at once after an error or interrupt, else when they have finished."""
        if self._pool is None:
            return
        if error:
            self._pool.terminate()
        else:
            self._pool.close()
        self._pool.join()
        self._pool = None

    def __enter__(self) -> BlobPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        self.close(error=kind is not None)


def _remembering(chunks: Iterator[Chunk], ids: list[str]) -> Iterator[Chunk]:
    for chunk in chunks:
        ids.extend(chunk.request.decode().split())
        yield chunk


def scan_blobs(git_dir: Path, pipeline: Pipeline, blobs: Iterable[BlobRef], workers: int | None = None,
               progress: Progress | None = None, listing: BlobListing | None = None) -> BlobScan:
    """One pool scan (pool created and stopped here)."""
    with BlobPool(git_dir, pipeline, workers) as pool:
        return pool.scan(blobs, progress, listing)


# --- working-tree files ----------------------------------------------------------------------------

@dataclass(frozen=True)
class FileResult:
    """The content stage's result for one working-tree file (its bytes stay in the worker)."""

    path: str
    blob_id: str | None
    mode: int | None
    matches: tuple[ContentMatch, ...]


@dataclass(frozen=True)
class FileScan:
    """What a working-tree scan read and found."""

    results: tuple[FileResult, ...]
    """Files with at least one content match."""
    skipped: tuple[Skipped, ...]
    """Files not read (too large, unreadable, submodule, symlink) or not scanned (binary)."""
    files: int
    """Text files scanned."""
    bytes: int
    """Their bytes."""


FILES_PER_CHUNK = 256
PARALLEL_MIN_FILES = 1500
"""Below this many files one process is faster than starting workers."""


def _scan_files(task: tuple[Path, list[str], int]) -> FileScan:
    root, paths, max_size = task
    pipeline: Pipeline = _WORKER["pipeline"]
    skipped: list[Skipped] = []
    results: list[FileResult] = []
    files = nbytes = 0
    for item in read_items(root, paths, max_size, skipped):
        if is_binary(item.data):
            skipped.append(Skipped(item.path, "binary"))
            continue
        files += 1
        nbytes += len(item.data)
        if is_scanner_bookkeeping(item.path):
            continue  # an allowlisted file is matched too: judgement counts what the allowlist hides
        matches = pipeline.content(item.data)
        if matches:
            results.append(FileResult(item.path, item.blob_id, item.mode, tuple(matches)))
    return FileScan(tuple(results), tuple(skipped), files, nbytes)


def _init_file_worker(pipeline: Pipeline, parent: int) -> None:
    _quiet_worker(parent)
    _WORKER["pipeline"] = pipeline


def scan_files(root: Path, paths: list[str], pipeline: Pipeline, max_size: int, workers: int | None = None) -> FileScan:
    """The content stage over working-tree files: in worker processes when there are many, else here."""
    workers = max(1, workers or os.cpu_count() or 1)
    chunks = [paths[i:i + FILES_PER_CHUNK] for i in range(0, len(paths), FILES_PER_CHUNK)]
    if workers == 1 or len(paths) < PARALLEL_MIN_FILES:
        _WORKER["pipeline"] = pipeline
        # one file may hold tens of thousands of matches: those of one content are judged in
        # ``workers`` processes (``executors.split``), the cores a pool of files would have used
        pipeline.matcher.split = partial(split_map, workers=workers) if workers > 1 else None
        try:
            parts = [_scan_files((root, chunk, max_size)) for chunk in chunks]
        finally:
            pipeline.matcher.split = None
            _WORKER.clear()
    else:
        pool = forked_pool(workers, _init_file_worker, (pipeline, os.getpid()))
        try:
            parts = list(pool.imap(_scan_files, [(root, chunk, max_size) for chunk in chunks]))
            pool.close()
        except BaseException:
            pool.terminate()
            raise
        finally:
            pool.join()
    return FileScan(tuple(r for part in parts for r in part.results), tuple(s for part in parts for s in part.skipped),
                    sum(part.files for part in parts), sum(part.bytes for part in parts))
