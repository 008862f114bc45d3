"""Ctrl-C during long C calls that Python cannot interrupt (Hyperscan compiling its database)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def end_on_interrupt() -> Iterator[None]:
    """Within the block, Ctrl-C ends the process at once (the default action: the shell reports 130).

    A Python handler would run only when the C call returns, seconds later. Use only where nothing
    needs cleaning up: no child process started and no output file open."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
