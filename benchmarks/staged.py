"""Time the pre-commit path: `credsweep staged` vs peers on a 10-file staged change.

    python benchmarks/staged.py /path/to/worktree [--runs 21] [--peers /tmp/peers]

The working tree should be a repository of a few thousand files (e.g. a clone of curl/curl). The
script appends a few lines to 10 tracked source files, stages them, times each tool `--runs` times
(median, min), then restores the files. Use a Python with the project installed non-editable (or
compiled .pyc files) for realistic start-up.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path


def run_times(cmd: list[str], cwd: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("repo", type=Path)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--peers", type=Path, default=Path("/tmp/peers"))
    parser.add_argument("--credsweep", default=None, help="credsweep executable (default: this Python -m credsweep)")
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
        if (args.peers / "bin/betterleaks").exists():
            tools["betterleaks git --staged"] = [str(args.peers / "bin/betterleaks"), "git", "--staged", "."]
        if (args.peers / "bin/gitleaks").exists():
            tools["gitleaks git --staged"] = [str(args.peers / "bin/gitleaks"), "git", "--staged", "--no-banner", "."]
        if (args.peers / "bin/kingfisher").exists():
            tools["kingfisher scan --staged"] = [str(args.peers / "bin/kingfisher"), "scan", ".", "--staged", "--no-validate"]
        tracked = len(subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, text=True).stdout.splitlines())
        print(f"repository: {repo.name}, {tracked} tracked files, {len(files)} files staged\n")
        print("| tool | median (ms) | min (ms) |\n|---|---|---|")
        for name, cmd in tools.items():
            times = run_times(cmd, repo, args.runs)
            print(f"| {name} | {statistics.median(times) * 1000:.0f} | {min(times) * 1000:.0f} |", flush=True)
    finally:
        subprocess.run(["git", "reset", "-q", "--", *files], cwd=repo, check=False)
        subprocess.run(["git", "checkout", "-q", "--", *files], cwd=repo, check=False)


if __name__ == "__main__":
    main()
