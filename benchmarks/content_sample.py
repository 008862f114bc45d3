"""CPU time of the content stage alone over a fixed random sample of a repository's history blobs.

    python benchmarks/content_sample.py /work/.mirror/curl+curl/repo [--blobs 6000] [--seed 1]

The sample (blobs under 5 MB, chosen with ``--seed``) is read once and kept in memory; the script then
times ``ContentMatcher.match`` over it in this one process (best of two passes, ``time.process_time``,
a fresh matcher per pass). No pool, no provenance, no output: the steadiest measure of what a change to
the content stage costs, and one that a loaded machine disturbs little. Run it with
``PYTHONPATH=<other tree>/src`` to compare two versions on the same sample.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from pathlib import Path


def sample(repo: Path, count: int, seed: int) -> list[bytes]:
    listing = subprocess.run(["git", "-C", str(repo), "cat-file", "--batch-all-objects",
                              "--batch-check=%(objectname) %(objecttype) %(objectsize)"],
                             capture_output=True, text=True, check=True).stdout.splitlines()
    blobs = [line.split()[0] for line in listing if line.split()[1] == "blob" and int(line.split()[2]) < 5 << 20]
    chosen = random.Random(seed).sample(blobs, min(count, len(blobs)))
    reader = subprocess.Popen(["git", "-C", str(repo), "cat-file", "--batch"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE)
    assert reader.stdin is not None and reader.stdout is not None
    out = []
    for oid in chosen:
        reader.stdin.write(oid.encode() + b"\n")
        reader.stdin.flush()
        size = int(reader.stdout.readline().split()[2])
        out.append(reader.stdout.read(size))
        reader.stdout.read(1)
    reader.stdin.close()
    reader.wait()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("repo", type=Path)
    parser.add_argument("--blobs", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    from credsweep.config import load_config
    from credsweep.pipeline import build_pipeline

    data = sample(args.repo, args.blobs, args.seed)
    best = float("inf")
    for _ in range(2):
        pipeline = build_pipeline(load_config(args.repo, None))
        started = time.process_time()
        for blob in data:
            pipeline.content(blob)
        best = min(best, time.process_time() - started)
    print(f"{args.repo}: {len(data)} blobs, {sum(map(len, data)) / 1e6:.0f} MB, content stage {best:.3f} CPU-s "
          f"({sys.version.split()[0]})")


if __name__ == "__main__":
    main()
