"""Time `credsweep history` against the pack-order floor and peer scanners on real repositories.

    python benchmarks/history.py /path/to/repo.git [more repos] [--runs 3] [--peers /tmp/peers]
                                 [--also "credsweep (before)=/path/to/other/tree/src"]

For each repository: objects, unique blob bytes, then for each tool the median wall time, peak RSS
(from /usr/bin/time) and finding count. Rounds are interleaved (each tool once per round). The floor
is `git cat-file --batch-all-objects --batch --unordered > /dev/null`: every object read once, in pack
order. Prints a Markdown table. ``--also NAME=SRC`` adds ``python -m credsweep`` from another source
tree (an earlier commit: ``git archive <commit> | tar -x -C /tmp/before``) to the same interleaved
rounds; every credsweep is run once on a tiny repository first, so its rules and Hyperscan caches are
warm (a cold compile of 861 rules takes seconds and is reported by ``rule_cost.py``).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, int, str, float]:
    """(wall seconds, peak RSS in MB, stdout, CPU seconds) of one run, measured by GNU time.

    Peak RSS is that of the largest single process of the run (GNU time reads the children's
    ru_maxrss), git's included: its mmapped pack counts. CPU is user + system of the whole tree,
    which other load on the machine disturbs far less than wall time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as stamp:
        proc = subprocess.run(["/usr/bin/time", "-f", "%e %M %U %S", "-o", stamp.name, *cmd], cwd=cwd,
                              capture_output=True, text=True, check=False)
        wall, rss, user, system = stamp.read().split()[-4:]
    return float(wall), int(rss) // 1024, proc.stdout, float(user) + float(system)


def interleaved(commands: dict[str, list[str]], rounds: int) -> dict[str, list[tuple[float, int, str, float]]]:
    """``timed`` runs of every command, each once per round, so a shared machine's drift falls on all alike."""
    runs: dict[str, list[tuple[float, int, str, float]]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, cmd in commands.items():
            runs[name].append(timed(cmd))
    return runs


def repo_stats(repo: Path) -> tuple[int, int]:
    out = subprocess.run(["git", "-C", str(repo), "cat-file", "--batch-all-objects", "--unordered",
                          "--batch-check=%(objecttype) %(objectsize)"], capture_output=True, text=True, check=True).stdout
    objects = blob_bytes = 0
    for line in out.splitlines():
        objects += 1
        kind, size = line.split()
        if kind == "blob":
            blob_bytes += int(size)
    return objects, blob_bytes


def count_json(path: Path, key: str | None) -> int:
    try:
        data = json.loads(path.read_text() or "[]")
    except (OSError, ValueError):
        return -1
    if key:
        data = data.get(key, []) if isinstance(data, dict) else data
    return len(data)


def credsweep_command(src: Path, *args: str) -> list[str]:
    """``python -m credsweep ARGS`` with the package from ``src``."""
    return ["env", f"PYTHONPATH={src}", sys.executable, "-m", "credsweep", *args]


def tools(repo: Path, peers: Path, work: Path,
          also: dict[str, Path] | None = None) -> dict[str, tuple[list[str], Path | None, str | None]]:
    table: dict[str, tuple[list[str], Path | None, str | None]] = {
        "floor (cat-file, pack order)": (["sh", "-c", f"git -C '{repo}' cat-file --batch-all-objects --batch --unordered >/dev/null"], None, None),
        "credsweep": (credsweep_command(ROOT / "src", "history", str(repo), "--format", "json", "-o",
                                        str(work / "credsweep.json")), work / "credsweep.json", "findings"),
    }
    for number, (name, src) in enumerate((also or {}).items()):
        report = work / f"credsweep-{number}.json"
        table[name] = (credsweep_command(src, "history", str(repo), "--format", "json", "-o", str(report)), report,
                       "findings")
    if (peers / "bin" / "gitleaks").exists():
        table["gitleaks"] = ([str(peers / "bin/gitleaks"), "git", str(repo), "--report-format", "json", "--report-path",
                              str(work / "gitleaks.json"), "--exit-code", "0", "--no-banner"], work / "gitleaks.json", None)
    if (peers / "bin" / "betterleaks").exists():
        table["betterleaks"] = ([str(peers / "bin/betterleaks"), "git", str(repo), "-o", str(work / "betterleaks.json"),
                                 "--exit-code", "0"], work / "betterleaks.json", "findings")
    if (peers / "bin" / "kingfisher").exists():
        table["kingfisher"] = ([str(peers / "bin/kingfisher"), "scan", str(repo), "--no-validate", "--git-history", "full",
                                "-f", "json", "-o", str(work / "kingfisher.json")], work / "kingfisher.json", "findings")
    return table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("repos", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peers", type=Path, default=Path("/tmp/peers"))
    parser.add_argument("--only", nargs="*", help="tool names to run (default: all found)")
    parser.add_argument("--also", action="append", default=[], metavar="NAME=SRC",
                        help="another credsweep source tree to time in the same rounds")
    args = parser.parse_args()
    also = {name: Path(src) for name, _, src in (item.partition("=") for item in args.also)}
    # bytecode compiled once, as `pip install` does (PYTHONDONTWRITEBYTECODE would otherwise make every
    # run compile every module); caches warmed on a tiny repository
    with tempfile.TemporaryDirectory() as tiny:
        subprocess.run(["git", "init", "-q", tiny], check=True)
        Path(tiny, "a.txt").write_text("x = 1\n")
        subprocess.run(["git", "-C", tiny, "add", "a.txt"], check=True)
        subprocess.run(["git", "-C", tiny, "-c", "user.name=b", "-c", "user.email=b@example.invalid", "commit", "-qm", "a"],
                       check=True)
        for src in (ROOT / "src", *also.values()):
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], check=False)
            subprocess.run(credsweep_command(src, "history", tiny, "--format", "json"), capture_output=True, check=False)
    print(f"{datetime.datetime.now():%Y-%m-%d %H:%M}, load average {os.getloadavg()[0]:.1f}, {args.runs} interleaved "
          "rounds\n")
    print("| repository | objects | unique blob bytes | tool | median wall (s) | CPU (s) | peak RSS (MB) | findings "
          "| wall / floor | load |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for repo in args.repos:
        objects, blob_bytes = repo_stats(repo)
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            table = {name: spec for name, spec in tools(repo, args.peers, work, also).items()
                     if name.startswith("floor") or not args.only or any(o in name for o in args.only)}
            runs = interleaved({name: cmd for name, (cmd, _, _) in table.items()}, args.runs)
            floor = statistics.median(r[0] for r in runs[next(iter(table))])
            for name, (_, report, key) in table.items():
                wall = statistics.median(r[0] for r in runs[name])
                cpu = statistics.median(r[3] for r in runs[name])
                rss = max(r[1] for r in runs[name])
                found = count_json(report, key) if report else "-"
                ratio = f"{wall / floor:.2f}x"
                if name.startswith("credsweep"):
                    target = 1.5 * floor + 0.3
                    ratio += f" (target {target:.2f} s: {'met' if wall <= target else 'not met'})"
                print(f"| {repo.name if repo.name != 'repo' else repo.parent.name} | {objects} | {blob_bytes / 1e9:.2f} GB "
                      f"| {name} | {wall:.2f} | {cpu:.1f} | {rss} | {found} | {ratio} | {os.getloadavg()[0]:.1f} |",
                      flush=True)


if __name__ == "__main__":
    main()
