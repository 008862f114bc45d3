"""One content's matches judged by several processes: a single huge file is one item to the worker
pool, and judging tens of thousands of matches in it (value filters, context predicates) is Python.

``split_map`` forks children that inherit the content and the matches (nothing is sent to them), each
judging one contiguous share; the parent judges the first share meanwhile, then reads the children's
results (pickled back through a pipe, in memory only) and returns every result in input order, so
the outcome is the one a single process computes. A child that fails has its share judged again in
the parent. Children ignore Ctrl-C, die with the parent, and are killed when the parent is interrupted.

Used only where forking is safe: the working-tree scan's own process, when no other thread runs
(a fork taken while another thread holds a lock can leave the child waiting on it forever).
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

MIN_SHARE = 500
"""Items per process at least: a fork costs what judging ~100 matches does."""
Item = TypeVar("Item")
Result = TypeVar("Result")
Extra = TypeVar("Extra")


def split_map(func: Callable[[Item, Extra, bytes], Result], pairs: Sequence[tuple[Item, Extra]], data: bytes,
              workers: int) -> list[Result]:
    """``[func(a, b, data) for a, b in pairs]``, in ``workers`` processes (see the module docstring)."""
    workers = max(1, min(workers, len(pairs) // MIN_SHARE))  # many cores, few matches: fewer forks
    if workers == 1 or threading.active_count() > 1 or not hasattr(os, "fork"):
        return [func(a, b, data) for a, b in pairs]
    bounds = [len(pairs) * k // workers for k in range(workers + 1)]
    children: list[tuple[int, int, int]] = []  # (pid, read end, share)
    parent = os.getpid()
    try:
        for share in range(1, workers):
            read, write = os.pipe()
            # Ctrl-C held back from the fork until the child is on the list the clean-up below kills
            held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                pid = os.fork()
                if pid == 0:  # the child: judge its share, write it, leave without running any exit handler
                    code = 1
                    try:
                        os.close(read)
                        _child_setup(parent)
                        out = [func(a, b, data) for a, b in pairs[bounds[share]:bounds[share + 1]]]
                        with os.fdopen(write, "wb") as pipe:
                            pipe.write(pickle.dumps(out, pickle.HIGHEST_PROTOCOL))
                        code = 0
                    finally:
                        os._exit(code)
                os.close(write)
                children.append((pid, read, share))
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)  # the parent only: the child has left
        results = [func(a, b, data) for a, b in pairs[bounds[0]:bounds[1]]]
        while children:
            pid, read, share = children[0]
            payload = _read_all(read)
            children.pop(0)
            os.close(read)
            _, status = os.waitpid(pid, 0)
            part: list[Result] | None = None
            if status == 0 and payload:
                part = pickle.loads(payload)  # noqa: S301 (our own child's results, through our own pipe)
            if part is None or len(part) != bounds[share + 1] - bounds[share]:
                part = [func(a, b, data) for a, b in pairs[bounds[share]:bounds[share + 1]]]
            results.extend(part)
        return results
    finally:
        for pid, read, _ in children:  # only after an error or Ctrl-C in the parent
            _kill(pid)
            try:
                os.close(read)
            except OSError:
                pass  # closed just before the interrupt


def _read_all(fd: int) -> bytes:
    """Everything a child wrote to its pipe (the descriptor stays open: the caller closes it once)."""
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _child_setup(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and kills its children
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def die_with_parent(parent: int) -> None:
    """Linux: this worker is killed when the scan's process ends, however it ends.

    ``Pool`` forks replacement workers from a thread of its own; one forked while the pool is being
    terminated is in nobody's list to stop, and would wait forever on a lock it inherited taken."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown is all there is
        return
    if os.getppid() != parent:  # the scan ended before the line above took effect
        os._exit(1)
