"""How much of a history is new text: the measure behind scanning only each version's changed lines.

    python benchmarks/new_lines.py /path/to/repo.git [--context 3] [--blobs 6000]

Each blob that ``git log --all --raw`` shows replacing an earlier version of a file is reduced to its
lines absent from that version, with ``--context`` lines around them (a blob with no earlier version
is kept whole). Prints the bytes of the whole blobs and of those regions, and the CPU seconds of the
Hyperscan pass and of ``ContentMatcher.match`` over each (best of two, one process, a random sample of
``--blobs`` paired blobs). The regions' results are not the full scan's: this measures what a design
that carries results over for unchanged lines would still have to scan, not that design itself.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from credsweep.config import Config
from credsweep.content.matcher import ContentMatcher
from credsweep.pipeline import build_pipeline

ZERO = "0" * 40


def pairs_of(repo: Path) -> dict[str, str]:
    """New blob -> the blob it replaced (the first such pairing in the log), or ZERO when it was added."""
    raw = subprocess.run(["git", "-C", str(repo), "log", "--all", "--raw", "--no-renames", "-z", "--no-abbrev",
                          "--format=%x01%H"], capture_output=True, check=True).stdout
    pairs: dict[str, str] = {}
    tokens = raw.split(b"\0")
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip(b"\n")
        if token[:1] == b":":
            fields = token.split()
            old, new = fields[2].decode(), fields[3].decode()
            if new != ZERO and new not in pairs:
                pairs[new] = old
            i += 2
            continue
        i += 1
    return pairs


def read_blobs(repo: Path, oids: list[str]) -> dict[str, bytes]:
    out = subprocess.run(["git", "-C", str(repo), "cat-file", "--batch"], input=("\n".join(oids) + "\n").encode(),
                         capture_output=True, check=True).stdout
    blobs: dict[str, bytes] = {}
    at = 0
    while at < len(out):
        newline = out.index(b"\n", at)
        header = out[at:newline].split()
        if header[1] == b"missing":
            at = newline + 1
            continue
        size = int(header[2])
        blobs[header[0].decode()] = out[newline + 1:newline + 1 + size]
        at = newline + 1 + size + 1
    return blobs


def new_regions(data: bytes, old: bytes, context: int) -> bytes:
    """The lines of ``data`` not in ``old``, with ``context`` lines around them, runs joined by a NUL line."""
    seen = set(old.split(b"\n"))
    lines = data.split(b"\n")
    keep = [False] * len(lines)
    for k, line in enumerate(lines):
        if line not in seen:
            for j in range(max(0, k - context), min(len(lines), k + context + 1)):
                keep[j] = True
    runs: list[bytes] = []
    run: list[bytes] = []
    for k, line in enumerate(lines):
        if keep[k]:
            run.append(line)
        elif run:
            runs.append(b"\n".join(run))
            run = []
    if run:
        runs.append(b"\n".join(run))
    return b"\n\0\n".join(runs)


def fresh_matcher() -> ContentMatcher:
    """A matcher with empty memories (each pass starts as a scan does)."""
    return next(v for v in vars(build_pipeline(Config())).values() if isinstance(v, ContentMatcher))


def cpu(chunks: list[bytes], make: Callable[[], Callable[[bytes], object]]) -> float:
    """Best of two passes of ``make()`` (built outside the timing) over ``chunks``."""
    best = float("inf")
    for _ in range(2):
        work = make()
        started = time.process_time()
        for chunk in chunks:
            work(chunk)
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("repo", type=Path)
    parser.add_argument("--context", type=int, default=3)
    parser.add_argument("--blobs", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    pairs = pairs_of(args.repo)
    wanted = sorted(pairs)
    random.Random(args.seed).shuffle(wanted)
    wanted = wanted[:args.blobs]
    blobs = read_blobs(args.repo, sorted(set(wanted) | {pairs[o] for o in wanted if pairs[o] != ZERO}))
    full: list[bytes] = []
    regions: list[bytes] = []
    for oid in wanted:
        data = blobs.get(oid)
        if data is None or len(data) > 4 << 20:
            continue
        old = blobs.get(pairs[oid])
        full.append(data)
        regions.append(data if old is None else new_regions(data, old, args.context))
    engine = fresh_matcher().engine
    whole, new = sum(map(len, full)), sum(map(len, regions))
    print(f"{args.repo}: {len(full)} blobs, whole {whole / 1e6:.1f} MB, new lines +-{args.context} "
          f"{new / 1e6:.1f} MB ({new / max(1, whole):.1%})")
    print(f"  Hyperscan pass: whole {cpu(full, lambda: engine.candidates):.2f} CPU-s, "
          f"new lines {cpu(regions, lambda: engine.candidates):.2f} CPU-s")
    print(f"  content stage:  whole {cpu(full, lambda: fresh_matcher().match):.2f} CPU-s, "
          f"new lines {cpu(regions, lambda: fresh_matcher().match):.2f} CPU-s")


if __name__ == "__main__":
    main()
