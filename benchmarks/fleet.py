"""Benchmarks of `credsweep fleet scan` (issue 14). Prints Markdown rows for benchmarks/RESULTS.md.

    python benchmarks/fleet.py unchanged [--repos 100] [--commits 3]   # first vs second run, nothing changed
    python benchmarks/fleet.py fork REPO.git                   # parent, then a fork with one extra commit
    python benchmarks/fleet.py throughput [--repos 24] [--workers 1 2 4] [--celery]

Every run uses a fresh temporary store, mirror cache and XDG folders; times are wall seconds of the
real CLI (`python -m credsweep`), start-up included. `--celery` starts a real Redis and PostgreSQL
(tests/services.py) and two `credsweep fleet worker` processes (concurrency 1 each).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]


def env_for(home: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_CACHE_HOME=str(home / "cache"), XDG_CONFIG_HOME=str(home / "config"),
               GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.invalid", GIT_COMMITTER_NAME="bench",
               GIT_COMMITTER_EMAIL="bench@example.invalid", CREDSWEEP_SALT="benchmark-salt")
    env.pop("CREDSWEEP_TEST_DELAY_BEFORE_WRITE", None)
    return env


def git(cwd: Path, *args: str, env: dict[str, str]) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def small_repo(path: Path, seed: int, env: dict[str, str], commits: int = 3) -> None:
    """A small service repository: ``commits`` commits of 10 source files each (~20 KB a commit), one fake token."""
    from conftest import fake_github_token

    rng = random.Random(seed)
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main", env=env)
    for commit in range(commits):
        for i in range(10):
            lines = [f"def handler_{seed}_{commit}_{i}_{n}(event):\n    return {rng.randint(0, 10**9)}\n"
                     for n in range(40)]
            target = path / "src" / f"module_{commit}_{i}.py"
            target.parent.mkdir(exist_ok=True)
            target.write_text("".join(lines))
        if commit == 1:
            (path / "deploy.sh").write_text(f"export GITHUB_TOKEN={fake_github_token()}\n")
        git(path, "add", "-A", env=env)
        git(path, "commit", "-q", "-m", f"change {commit}", env=env)


def fleet(*args: str, env: dict[str, str]) -> tuple[float, int]:
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "credsweep", "fleet", *args], env=env, capture_output=True,
                          text=True, check=False)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"fleet {args[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return time.monotonic() - started, proc.returncode


def make_repos(base: Path, count: int, env: dict[str, str], commits: int = 3) -> Path:
    listing = base / "repos.txt"
    paths = []
    for n in range(count):
        small_repo(base / f"svc-{n:03d}", n, env, commits)
        paths.append(str(base / f"svc-{n:03d}"))
    listing.write_text("\n".join(paths) + "\n")
    return listing


def bench_unchanged(count: int, commits: int) -> None:
    with tempfile.TemporaryDirectory(prefix="fleet-bench-") as tmp:
        base = Path(tmp)
        env = env_for(base / "home")
        listing = make_repos(base / "repos", count, env, commits)
        store = f"sqlite:///{base / 'store.sqlite3'}"
        first, _, first_cpu = fleet_timed("scan", "--repos-file", str(listing), "--store", store, env=env)
        second, code, second_cpu = fleet_timed("scan", "--repos-file", str(listing), "--store", store, env=env)
        assert code == 0, "second run reported something new"
        print(f"| {count} small repositories ({commits} commits each), first run | {first:.1f} s | "
              f"{first_cpu:.1f} s | |")
        print(f"| same {count}, second run (nothing changed) | {second:.2f} s | {second_cpu:.2f} s | "
              f"{100 * second / first:.1f}% (wall), {100 * second_cpu / first_cpu:.1f}% (CPU) |")


def fleet_timed(*args: str, env: dict[str, str]) -> tuple[float, int, float]:
    """(wall seconds, exit code, CPU seconds of the whole process tree) of one fleet command."""
    before = os.times()
    seconds, code = fleet(*args, env=env)
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return seconds, code, cpu


def bench_fork(source: Path) -> None:
    from conftest import fake_github_token

    with tempfile.TemporaryDirectory(prefix="fleet-bench-") as tmp:
        base = Path(tmp)
        env = env_for(base / "home")
        parent, fork = base / "parent.git", base / "fork"
        subprocess.run(["git", "clone", "-q", "--mirror", "--no-hardlinks", str(source), str(parent)], check=True,
                       env=env)
        subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(source), str(fork)], check=True, env=env)
        (fork / "fork_settings.py").write_text(f"TOKEN = '{fake_github_token()}'\n")
        git(fork, "add", "-A", env=env)
        git(fork, "commit", "-q", "-m", "fork change", env=env)
        store = f"sqlite:///{base / 'store.sqlite3'}"
        parent_s, _ = fleet("scan", str(parent), "--store", store, env=env)
        fork_s, _ = fleet("scan", str(fork), "--store", store, env=env)
        alone_s, _ = fleet("scan", str(fork), "--store", f"sqlite:///{base / 'alone.sqlite3'}", env=env)
        label = source.parent.name.replace("+", "/") if source.name == "repo" else source.name
        print(f"| {label}: parent (mirror clone) | {parent_s:.1f} s | |")
        print(f"| fork with one extra commit, after the parent | {fork_s:.1f} s | "
              f"{100 * fork_s / parent_s:.0f}% of parent |")
        print(f"| same fork into an empty store (for comparison) | {alone_s:.1f} s | |")


def bench_throughput(count: int, worker_counts: list[int], celery: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="fleet-bench-") as tmp:
        base = Path(tmp)
        env = env_for(base / "home")
        listing = make_repos(base / "repos", count, env)
        for workers in worker_counts:
            store = f"sqlite:///{base / f'store-{workers}.sqlite3'}"
            seconds, _ = fleet("scan", "--repos-file", str(listing), "--workers", str(workers), "--store", store,
                               env=env)
            print(f"| local, --workers {workers} | {count} | {seconds:.1f} s | {60 * count / seconds:.0f} |")
        if celery:
            bench_celery(listing, count, base, env)


def bench_celery(listing: Path, count: int, base: Path, env: dict[str, str]) -> None:
    from services import postgres_server, redis_server

    with redis_server() as broker, postgres_server() as store:
        logs = [(base / f"worker-{n}.log").open("w") for n in range(2)]
        workers = [subprocess.Popen([sys.executable, "-m", "credsweep", "fleet", "worker", "--broker", broker,
                                     "--concurrency", "1", "--loglevel", "WARNING"], env=env, stdout=log,
                                    stderr=subprocess.STDOUT) for log in logs]
        try:
            time.sleep(8)  # workers connect to the broker
            seconds, _ = fleet("scan", "--repos-file", str(listing), "--executor", "celery", "--broker", broker,
                               "--store", store, env=env)
            print(f"| Celery, two workers (concurrency 1), PostgreSQL store | {count} | {seconds:.1f} s | "
                  f"{60 * count / seconds:.0f} |")
        finally:
            for proc in workers:
                proc.terminate()
                proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    unchanged = sub.add_parser("unchanged")
    unchanged.add_argument("--repos", type=int, default=100)
    unchanged.add_argument("--commits", type=int, default=3)
    fork = sub.add_parser("fork")
    fork.add_argument("source", type=Path)
    throughput = sub.add_parser("throughput")
    throughput.add_argument("--repos", type=int, default=24)
    throughput.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    throughput.add_argument("--celery", action="store_true")
    args = parser.parse_args()
    if args.what == "unchanged":
        bench_unchanged(args.repos, args.commits)
    elif args.what == "fork":
        bench_fork(args.source)
    else:
        bench_throughput(args.repos, args.workers, args.celery)


if __name__ == "__main__":
    main()
