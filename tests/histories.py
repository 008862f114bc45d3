"""A large history built in one `git fast-import`: shared by tests/test_interrupt.py (exit code, processes
left, output) and benchmarks/interrupt.py (seconds from SIGINT to exit). No pytest here."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path


def fast_import_history(repo: Path, blobs: int) -> None:
    """Fill the initialised repository ``repo`` with ``blobs`` distinct 10 KB text blobs, 50 per commit
    on ``main``, and check it out (about 2 s for 6,000).

    Blobs are stored uncompressed and without delta attempts (random text gains nothing from either);
    a scan reads exactly what it would read from a compressed pack."""
    rng = random.Random(7)
    stream = bytearray()
    for number in range(blobs):
        # distinct text blobs of 10 KB, cheap to make: the hex of 5,120 random bytes, 64 characters a line
        data = rng.randbytes(5120).hex().encode()
        text = b"\n".join(data[i:i + 64] for i in range(0, len(data), 64)) + b"\n"
        stream += b"blob\nmark :%d\ndata %d\n%s\n" % (number + 1, len(text), text)
    for number in range(0, blobs, 50):
        message = b"commit %d" % number
        stream += b"commit refs/heads/main\ncommitter T <t@example.invalid> %d +0000\ndata %d\n%s\n" % (
            1_600_000_000 + number, len(message), message)
        for mark in range(number + 1, min(number + 51, blobs + 1)):
            stream += b"M 100644 :%d file%d.txt\n" % (mark, mark % 400)
        stream += b"\n"
    subprocess.run(["git", "-c", "pack.compression=0", "fast-import", "--quiet", "--big-file-threshold=1k"],
                   cwd=repo, input=bytes(stream), check=True)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=repo, check=True)
