"""Hostile input shapes: does `credsweep scan` stay linear in its input? Timed beside Kingfisher.

    python benchmarks/hostile.py [--work /tmp/credsweep-hostile] [--peers /tmp/peers] [--runs 3]
                                 [--shapes keyed-lines,password-lines,...] [--scales 1,2,4]

Each shape is generated at three sizes (base size times each scale), one folder per size holding
one file, and scanned by each tool in turn (interleaved, ``--runs`` times, median wall time). A
time that doubles with the size is linear; one that quadruples is not. The table printed is the
one in benchmarks/RESULTS.md ("Hostile shapes"). Values are generated fakes (random characters).

Kingfisher runs with ``--no-validate --no-update-check`` (no network here); both tools get a file
size limit above the largest shape (credsweep's default skips files over 5 MB).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import resource
import shutil
import statistics
import string
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path

ALNUM = string.ascii_letters + string.digits
BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def _rand(rng: random.Random, n: int, alphabet: str = ALNUM) -> str:
    return "".join(rng.choices(alphabet, k=n))


def _github_token(rng: random.Random) -> str:
    # a fake classic PAT in the real format: 30 random characters and their CRC32 in base62
    body = _rand(rng, 30)
    crc, digits = zlib.crc32(body.encode()) & 0xFFFFFFFF, ""
    while crc:
        crc, rest = divmod(crc, 62)
        digits = BASE62[rest] + digits
    return "ghp_" + body + digits.rjust(6, "0")


def keyed_lines(folder: Path, scale: int, rng: random.Random) -> str:
    """A .env of credential-named keys with random 40-character values (every line a finding)."""
    lines = 12_500 * scale
    (folder / ".env").write_text("".join(f"API_KEY_{i}={_rand(rng, 40)}\n" for i in range(lines)))
    return f"{lines:,} lines"


def password_lines(folder: Path, scale: int, rng: random.Random) -> str:
    """Password assignments in source code (a generic rule's match on every line)."""
    lines = 2_000 * scale
    (folder / "settings.py").write_text("".join(f"password = '{_rand(rng, 12)}'\n" for _ in range(lines)))
    return f"{lines:,} lines"


def token_matches(folder: Path, scale: int, rng: random.Random) -> str:
    """Tens of thousands of provider tokens in one file, each also matched by a generic rule (overlaps)."""
    lines = 10_000 * scale
    (folder / "tokens.py").write_text("".join(f'token_{i} = "{_github_token(rng)}"\n' for i in range(lines)))
    return f"{lines:,} tokens"


def long_line(folder: Path, scale: int, rng: random.Random) -> str:
    """One line of minified-looking code with a password field every ~4 KB."""
    size = int(12.5 * scale * 1024 * 1024)
    words = [_rand(rng, rng.randint(2, 12), string.ascii_letters) for _ in range(2000)]
    parts: list[str] = []
    total = 0
    while total < size:
        chunk = ";".join(f"var {rng.choice(words)}={{{rng.choice(words)}:{rng.randint(0, 9999)}}}" for _ in range(150))
        chunk += f';login({{user:"{rng.choice(words)}",password:"{_rand(rng, 14)}"}})'
        parts.append(chunk)
        total += len(chunk)
    (folder / "bundle.js").write_text(";".join(parts))
    return f"{total / 1024 / 1024:.1f} MB, 1 line"


def nested_json(folder: Path, scale: int, rng: random.Random) -> str:
    """A config.json nested deeper than any parser's recursion limit, with a secret at the bottom."""
    depth = 25_000 * scale
    body = '{"db": ' * depth + json.dumps({"password": _rand(rng, 16)}) + "}" * depth
    (folder / "config.json").write_text(body)
    return f"depth {depth:,}"


def nested_yaml(folder: Path, scale: int, rng: random.Random) -> str:
    """A config.yaml of deeply nested flow mappings and sequences, with a secret at the bottom."""
    depth = 25_000 * scale
    body = "db: " + "{a: [" * depth + f"{{password: {_rand(rng, 16)}}}" + "]}" * depth + "\n"
    (folder / "config.yaml").write_text(body)
    return f"depth {depth:,}"


def one_character(folder: Path, scale: int, rng: random.Random) -> str:
    """A long run of one character (no newline)."""
    size = int(2.5 * scale * 1024 * 1024)
    (folder / "run.txt").write_bytes(b"A" * size)
    return f"{size / 1024 / 1024:.1f} MB of 'A'"


SHAPES: dict[str, Callable[[Path, int, random.Random], str]] = {
    "keyed-lines": keyed_lines,
    "password-lines": password_lines,
    "token-matches": token_matches,
    "long-line": long_line,
    "nested-json": nested_json,
    "nested-yaml": nested_yaml,
    "one-character": one_character,
}


def timed(cmd: list[str], stdout: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of ``cmd`` with its standard output written to ``stdout``; CPU is user + system
    of the process tree, which a loaded machine disturbs far less than wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(stdout, "wb") as out:
        done = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1, 200, 205):  # credsweep: 0/1; kingfisher: 0, 200/205 findings
        sys.exit(f"{cmd[0]} failed ({done.returncode}): {done.stderr.decode(errors='replace')[-500:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def count_credsweep(report: Path) -> int:
    return sum(1 for f in json.loads(report.read_text())["findings"] if f["kind"] == "secret")


def count_kingfisher(report: Path) -> int:
    text = report.read_text().strip()
    try:
        return len(json.loads(text).get("findings", []))
    except ValueError:
        return sum(1 for line in text.splitlines() if line.startswith("{"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=Path("/tmp/credsweep-hostile"))
    parser.add_argument("--peers", type=Path, default=Path("/tmp/peers"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--scales", default="1,2,4")
    parser.add_argument("--credsweep", default=None, help="credsweep executable (default: this Python -m credsweep)")
    parser.add_argument("--also", default=None, metavar="EXE",
                        help="another credsweep executable (an earlier version) timed in the same rounds")
    args = parser.parse_args()
    ours = [args.credsweep] if args.credsweep else [sys.executable, "-m", "credsweep"]
    kingfisher = args.peers / "bin" / "kingfisher"
    scales = [int(s) for s in args.scales.split(",")]
    print(f"date: {datetime.date.today().isoformat()}; runs: {args.runs} (median); load average "
          f"{os.getloadavg()[0]:.1f}\n")
    print("| shape | size | credsweep s | kingfisher s | ratio | credsweep CPU s | kingfisher CPU s | CPU ratio "
          "| findings (credsweep / kingfisher) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in args.shapes.split(","):
        for scale in scales:
            folder = args.work / f"{name}-{scale}"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            size = SHAPES[name](folder, scale, random.Random(f"{name}-{scale}"))
            ours_report, theirs_report = args.work / f"{name}-{scale}.credsweep.json", args.work / f"{name}-{scale}.kingfisher.json"
            ours_cmd = [*ours, "scan", str(folder), "--format", "json", "-o", str(ours_report), "--max-file-size", "128MB"]
            theirs_cmd = [str(kingfisher), "scan", str(folder), "--no-validate", "--no-update-check", "--format", "json",
                          "--max-file-size", "256", "-q"]
            mine: list[tuple[float, float]] = []
            peer: list[tuple[float, float]] = []
            before: list[tuple[float, float]] = []
            for _ in range(args.runs):
                mine.append(timed(ours_cmd, args.work / "credsweep.stdout"))
                if args.also:
                    before.append(timed([args.also, *ours_cmd[len(ours):]], args.work / "credsweep.stdout"))
                if kingfisher.exists():
                    peer.append(timed(theirs_cmd, theirs_report))
            ours_s, ours_cpu = statistics.median(w for w, _ in mine), statistics.median(c for _, c in mine)
            peer_s = statistics.median(w for w, _ in peer) if peer else float("nan")
            peer_cpu = statistics.median(c for _, c in peer) if peer else float("nan")
            found = f"{count_credsweep(ours_report)} / {count_kingfisher(theirs_report) if peer else '-'}"
            print(f"| {name} | {size} | {ours_s:.2f} | {peer_s:.2f} | {ours_s / peer_s:.2f} | {ours_cpu:.2f} | "
                  f"{peer_cpu:.2f} | {ours_cpu / peer_cpu:.2f} | {found} |", flush=True)
            if before:
                print(f"| {name} (earlier credsweep) | {size} | {statistics.median(w for w, _ in before):.2f} | | | "
                      f"{statistics.median(c for _, c in before):.2f} | | | |", flush=True)
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
