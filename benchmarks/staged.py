"""Time the pre-commit path: `credsweep staged` vs peers on a 10-file staged change.

    python benchmarks/staged.py /path/to/worktree [--runs 21] [--peers /tmp/peers]

The working tree should be a repository of a few thousand files (e.g. a clone of curl/curl). The
script appends a few lines to 10 tracked source files, stages them, times each tool `--runs` times
(rounds interleaved: each tool once per round, so a shared machine's drift falls on all alike; median
and min wall, median CPU of the process tree), then restores the files. Use a Python with the project
installed non-editable (or compiled .pyc files) for realistic start-up.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path


def run_once(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one run; CPU is user + system of the process and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("repo", type=Path)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--peers", type=Path, default=Path("/tmp/peers"))
    parser.add_argument("--credsweep", default=None, help="credsweep executable (default: this Python -m credsweep)")
    parser.add_argument("--also", action="append", default=[], metavar="NAME=EXE",
                        help="another credsweep executable (an earlier version) timed in the same rounds")
    args = parser.parse_args()
    repo = args.repo.resolve()
    files = list(subprocess.run(["git", "ls-files", "*.c"], cwd=repo, capture_output=True, text=True,
                                       check=True).stdout.split())[:10]
    for name in files:
        with open(repo / name, "a") as handle:
            handle.write("\n/* benchmark change */\nstatic const char *bench_config = \"timeout=30\";\n")
    subprocess.run(["git", "add", *files], cwd=repo, check=True)
    try:
        ours = [args.credsweep, "staged"] if args.credsweep else [sys.executable, "-m", "credsweep", "staged"]
        tools = {"credsweep staged": ours}
        for name, _, exe in (item.partition("=") for item in args.also):
            tools[name] = [exe, "staged"]
        if (args.peers / "bin/betterleaks").exists():
            tools["betterleaks git --staged"] = [str(args.peers / "bin/betterleaks"), "git", "--staged", "."]
        if (args.peers / "bin/gitleaks").exists():
            tools["gitleaks git --staged"] = [str(args.peers / "bin/gitleaks"), "git", "--staged", "--no-banner", "."]
        if (args.peers / "bin/kingfisher").exists():
            tools["kingfisher scan --staged"] = [str(args.peers / "bin/kingfisher"), "scan", ".", "--staged", "--no-validate"]
        tracked = len(subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, text=True).stdout.splitlines())
        print(f"repository: {repo.name}, {tracked} tracked files, {len(files)} files staged, {args.runs} interleaved "
              f"rounds, load average {os.getloadavg()[0]:.1f}\n")
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in tools}
        for _ in range(args.runs):
            for name, cmd in tools.items():
                runs[name].append(run_once(cmd, repo))
        print("| tool | median (ms) | min (ms) | median CPU (ms) |\n|---|---|---|---|")
        for name, done in runs.items():
            walls, cpus = [w for w, _ in done], [c for _, c in done]
            print(f"| {name} | {statistics.median(walls) * 1000:.0f} | {min(walls) * 1000:.0f} | "
                  f"{statistics.median(cpus) * 1000:.0f} |", flush=True)
        print(f"\nload average after: {os.getloadavg()[0]:.1f}")
    finally:
        subprocess.run(["git", "reset", "-q", "--", *files], cwd=repo, check=False)
        subprocess.run(["git", "checkout", "-q", "--", *files], cwd=repo, check=False)


if __name__ == "__main__":
    main()
