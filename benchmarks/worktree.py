"""Time `credsweep scan` of working trees beside the peers' directory scans, interleaved.

    python benchmarks/worktree.py /tmp/curl-wt /tmp/git-wt [--runs 5] [--peers /tmp/peers]

Each path is a non-bare clone (e.g. `git clone /work/.mirror/curl+curl/repo /tmp/curl-wt`). Every round
runs each tool once, in turn, so drift of a shared machine falls on all tools alike; the table gives the
median wall time, the median CPU time (user + system of the process tree) and the findings count. Peers
scan the files only: Kingfisher `--git-history=none`, gitleaks `dir`, betterleaks `fs`. credsweep's
caches (rules, Hyperscan database) are warm, as after the first run of any install; a first run is
timed separately ("cold": the cache folder emptied before it).
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from history import count_json, interleaved

ROOT = Path(__file__).resolve().parents[1]


def tools(tree: Path, peers: Path, work: Path) -> dict[str, tuple[list[str], Path, str | None]]:
    table: dict[str, tuple[list[str], Path, str | None]] = {
        "credsweep scan": ([sys.executable, "-m", "credsweep", "scan", str(tree), "--format", "json", "-o",
                            str(work / "credsweep.json")], work / "credsweep.json", "findings"),
    }
    if (peers / "bin/kingfisher").exists():
        table["kingfisher --git-history=none"] = (
            [str(peers / "bin/kingfisher"), "scan", str(tree), "--no-validate", "--no-update-check",
             "--git-history=none", "-f", "json", "-o", str(work / "kingfisher.json")], work / "kingfisher.json", "findings")
    if (peers / "bin/betterleaks").exists():
        table["betterleaks fs"] = ([str(peers / "bin/betterleaks"), "fs", str(tree), "-o", str(work / "betterleaks.json"),
                                     "--exit-code", "0"], work / "betterleaks.json", "findings")
    if (peers / "bin/gitleaks").exists():
        table["gitleaks dir"] = ([str(peers / "bin/gitleaks"), "dir", str(tree), "--report-format", "json",
                                  "--report-path", str(work / "gitleaks.json"), "--exit-code", "0", "--no-banner"],
                                 work / "gitleaks.json", None)
    return table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("trees", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--peers", type=Path, default=Path("/tmp/peers"))
    args = parser.parse_args()
    os.environ["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=False)
    print(f"{datetime.date.today()}, load average {os.getloadavg()[0]:.1f}, {args.runs} interleaved rounds\n")
    print("| working tree | files | tool | median wall (s) | median CPU (s) | findings |")
    print("|---|---|---|---|---|---|")
    for tree in args.trees:
        files = len(subprocess.run(["git", "-C", str(tree), "ls-files"], capture_output=True, text=True).stdout.splitlines())
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            table = tools(tree, args.peers, work)
            with tempfile.TemporaryDirectory() as cold_cache:  # the first run of a new install
                cmd = table["credsweep scan"][0]
                env = dict(os.environ, XDG_CACHE_HOME=cold_cache)
                cold = subprocess.run(["/usr/bin/time", "-f", "%e", *cmd], env=env, capture_output=True, text=True)
                cold_wall = float(cold.stderr.split()[-1])
            runs = interleaved({name: cmd for name, (cmd, _, _) in table.items()}, args.runs)
            for name, (_, report, key) in table.items():
                wall = statistics.median(r[0] for r in runs[name])
                cpu = statistics.median(r[3] for r in runs[name])
                note = f" (cold cache: {cold_wall:.2f})" if name == "credsweep scan" else ""
                print(f"| {tree.name} | {files} | {name} | {wall:.2f}{note} | {cpu:.2f} | {count_json(report, key)} |",
                      flush=True)


if __name__ == "__main__":
    main()
