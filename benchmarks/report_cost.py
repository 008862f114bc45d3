"""Report cost: does text output of many secrets cost what JSON output does? (issue 23, finding 6)

    python benchmarks/report_cost.py [--secrets 10000] [--runs 3] [--work /tmp/credsweep-report-cost]

Builds a repository whose one commit adds ``--secrets`` distinct GitHub tokens (100 per file, the
per-file limit of one rule's findings, so every one is listed), then times ``credsweep history`` in
text and in JSON (interleaved, median of ``--runs``), and each reporter alone on the same report. The
target: text at most twice the JSON time. Before the fix, the text reporter compared entries pairwise
(8.9k secrets: 16 s in text against 4.6 s in JSON).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import string
import subprocess
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def _token(rng: random.Random) -> str:
    """A fake classic GitHub token in the real format (30 random characters and their CRC32 in base62)."""
    body = "".join(rng.choices(string.ascii_letters + string.digits, k=30))
    crc, digits = zlib.crc32(body.encode()) & 0xFFFFFFFF, ""
    while crc:
        crc, rest = divmod(crc, 62)
        digits = BASE62[rest] + digits
    return "ghp_" + body + digits.rjust(6, "0")


def _repository(work: Path, secrets: int) -> Path:
    repo = work / f"repo-{secrets}"
    if (repo / ".git").is_dir():
        return repo
    repo.mkdir(parents=True)
    rng = random.Random(23)
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@x.invalid", "GIT_COMMITTER_NAME": "b",
           "GIT_COMMITTER_EMAIL": "b@x.invalid"}
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True, env=env)
    for number in range(0, secrets, 100):
        lines = "".join(f'TOKEN_{i} = "{_token(rng)}"\n' for i in range(number, min(number + 100, secrets)))
        (repo / f"config{number // 100:04d}.py").write_text(lines)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "--no-verify", "-m", "tokens"], cwd=repo, check=True, env=env)
    return repo


def _timed(args: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "credsweep", *args], capture_output=True, env=env, check=False)
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr.decode()[-2000:])
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--secrets", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/credsweep-report-cost"))
    args = parser.parse_args()
    repo = _repository(args.work, args.secrets)
    times: dict[str, list[float]] = {"text": [], "json": []}
    for _ in range(args.runs):
        for fmt in times:
            times[fmt].append(_timed(["history", str(repo), "--format", fmt, "-o", str(args.work / f"out.{fmt}")]))
    text, json_ = statistics.median(times["text"]), statistics.median(times["json"])
    print("| command | secrets | text s | json s | text / json |")
    print("|---|---|---|---|---|")
    print(f"| history | {args.secrets:,} | {text:.2f} | {json_:.2f} | {text / json_:.2f} |")

    sys.path.insert(0, str(ROOT / "src"))
    from credsweep.config import Config
    from credsweep.reporters import json as json_reporter
    from credsweep.reporters import text as text_reporter
    from credsweep.scans.history import scan_history

    report = scan_history(repo, Config())
    secrets = sum(1 for f in report.findings if f.kind == "secret")
    alone: dict[str, list[float]] = {"text": [], "json": []}
    for _ in range(args.runs):
        for fmt, render in (("text", text_reporter.render), ("json", json_reporter.render)):
            started = time.process_time()
            render(report)
            alone[fmt].append(time.process_time() - started)
    text, json_ = statistics.median(alone["text"]), statistics.median(alone["json"])
    print(f"| reporter alone (CPU) | {secrets:,} | {text:.2f} | {json_:.2f} | {text / json_:.2f} |")


if __name__ == "__main__":
    main()
