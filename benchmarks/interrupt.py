"""Ctrl-C during `credsweep history`: seconds from SIGINT to the process's exit (target: under 1 s).

    python benchmarks/interrupt.py [--work /tmp/credsweep-interrupt] [--blobs 6000] [--runs 3]
                                   [--moments 0.15,0.3,0.5,0.7,0.9,1.1,2.0]

Builds a history of distinct random-text blobs (10 KB each, 50 per commit; the repository of
tests/test_interrupt.py, which checks the exit code, the processes left and the output, not the time),
then for each moment starts a scan, sends SIGINT that many seconds in and times the exit. Prints a
Markdown table (median and worst of ``--runs``); exits 1 when a worst time reaches the target.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.0
"""Seconds from SIGINT to exit."""


def build(repo: Path, blobs: int) -> None:
    """The history of tests/test_interrupt.py, with ``blobs`` blobs."""
    sys.path.insert(0, str(ROOT / "tests"))
    from histories import fast_import_history

    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    fast_import_history(repo, blobs)


def interrupt_once(repo: Path, moment: float, report: Path) -> tuple[float | None, int | None]:
    """(seconds from SIGINT to exit, exit code); (None, code) when the scan ended before the moment."""
    report.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "credsweep", "history", "--format", "json", "-o", str(report)],
                            cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    time.sleep(moment)
    if proc.poll() is not None:
        return None, proc.returncode
    sent = time.monotonic()
    os.kill(proc.pid, signal.SIGINT)
    try:
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    return time.monotonic() - sent, code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=Path("/tmp/credsweep-interrupt"))
    parser.add_argument("--blobs", type=int, default=6000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--moments", default="0.15,0.3,0.5,0.7,0.9,1.1,2.0")
    args = parser.parse_args()
    repo = args.work / "repo"
    build(repo, args.blobs)
    print(f"{args.blobs:,} blobs; runs: {args.runs}; target: exit within {TARGET:.1f} s of SIGINT\n")
    print("| SIGINT at s | exit s (median) | exit s (worst) | exit codes |")
    print("|---|---|---|---|")
    failed = False
    for moment in (float(m) for m in args.moments.split(",")):
        times, codes = [], []
        for _ in range(args.runs):
            seconds, code = interrupt_once(repo, moment, args.work / "report.json")
            codes.append(code)
            if seconds is not None:
                times.append(seconds)
        if not times:
            print(f"| {moment:.2f} | - | - | scan ended first ({codes}) |", flush=True)
            continue
        worst = max(times)
        failed = failed or worst >= TARGET
        print(f"| {moment:.2f} | {statistics.median(times):.2f} | {worst:.2f} | {sorted(set(codes), key=str)} |",
              flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
