"""Where `credsweep history` spends its CPU, stage by stage, in one process.

    python benchmarks/breakdown.py /path/to/repo.git [more repos]

Runs ``scan_history`` with one worker (so every stage runs in this process and can be timed) after
wrapping the stages in exclusive CPU timers (time spent in a nested stage counts for that stage only):
building the pipeline (rules, the Hyperscan database from its cache), reading blobs from git (our
side of the pipe), the Hyperscan pass, Python confirmation (``match_rule``), judging content matches in
context, decoding, building ``ContentMatch`` (identities), the provenance parse after the scan,
judgement at every path, advice. git's own CPU (inflating blobs, the provenance passes) is the
children's CPU. Timers cost a little, so the sum exceeds an untimed run's by a few per cent.
"""

from __future__ import annotations

import argparse
import functools
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

TOTALS: dict[str, float] = defaultdict(float)
WALL: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)
_STACK: list[list[float]] = []  # per active timer: [started CPU, nested CPU, started wall, nested wall]


def _enter() -> None:
    _STACK.append([time.process_time(), 0.0, time.monotonic(), 0.0])


def _leave(name: str) -> None:
    started, nested, wall_started, wall_nested = _STACK.pop()
    spent = time.process_time() - started
    wall = time.monotonic() - wall_started
    TOTALS[name] += spent - nested
    WALL[name] += wall - wall_nested
    CALLS[name] += 1
    if _STACK:
        _STACK[-1][1] += spent
        _STACK[-1][3] += wall


def timed(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _enter()
        try:
            return func(*args, **kwargs)
        finally:
            _leave(name)
    return wrapper


def timed_iter(name: str, func: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    """A generator function whose every step is timed (the consumer's work between steps is not)."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Iterator[Any]:
        it = func(*args, **kwargs)
        while True:
            _enter()
            try:
                item = next(it)
            except StopIteration:
                return
            finally:
                _leave(name)
            yield item
    return wrapper


def timed_list(name: str, func: Callable[..., Iterator[Any]]) -> Callable[..., list[Any]]:
    """A generator function consumed whole inside the timer."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> list[Any]:
        _enter()
        try:
            return list(func(*args, **kwargs))
        finally:
            _leave(name)
    return wrapper


def instrument() -> None:
    from credsweep.content import engine, matcher
    from credsweep.enrich import provenance
    from credsweep.scans import history
    from credsweep.sources import blobs

    engine.HyperscanEngine.candidates = timed("hyperscan pass", engine.HyperscanEngine.candidates)  # type: ignore[method-assign]
    matcher.match_rule = timed_list("confirmation (match_rule)", matcher.match_rule)  # type: ignore[assignment]
    matcher.ContentMatcher._judged = timed("content judgement (filters, context)", matcher.ContentMatcher._judged)  # type: ignore[method-assign]
    matcher.ContentMatcher._decoded = timed("decoding", matcher.ContentMatcher._decoded)  # type: ignore[method-assign]
    matcher.ContentMatcher._content_match = timed("ContentMatch (identities)", matcher.ContentMatcher._content_match)  # type: ignore[method-assign]
    matcher.ContentMatcher.match = timed("match: rest", matcher.ContentMatcher.match)  # type: ignore[method-assign]
    blobs.BlobReader.views_of = timed_iter("reading blobs (our side)", blobs.BlobReader.views_of)  # type: ignore[method-assign]
    history.iter_blobs = timed_iter("blob listing", history.iter_blobs)  # type: ignore[assignment]
    history._placements = timed("provenance parse (after scan)", history._placements)
    history._findings = timed("judgement at paths + findings", history._findings)
    history.contextualize = timed("advice", history.contextualize)
    history.build_pipeline = timed("pipeline build (rules, Hyperscan db)", history.build_pipeline)
    provenance.GraphCapture.__init__ = timed("starting git passes", provenance.GraphCapture.__init__)  # type: ignore[method-assign]
    # the provenance parse after the scan, step by step (its wall time includes waiting for git)
    provenance.LogCapture.histories = timed("  provenance: log parse", provenance.LogCapture.histories)  # type: ignore[method-assign]
    provenance.MergeCapture.histories = timed("  provenance: merge pass", provenance.MergeCapture.histories)  # type: ignore[method-assign]
    provenance.RefsCapture.refs = timed("  provenance: refs", provenance.RefsCapture.refs)  # type: ignore[method-assign]
    provenance.paths_from_object_refs = timed("  provenance: tagged trees", provenance.paths_from_object_refs)
    provenance.head_paths = timed("  provenance: HEAD tree", provenance.head_paths)
    provenance.commit_info = timed("  provenance: commit info", provenance.commit_info)
    provenance.reachability = timed("  provenance: reachability", provenance.reachability)
    history._committed_credential_files = timed("  provenance: credential files", history._committed_credential_files)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("repos", nargs="+", type=Path)
    args = parser.parse_args()
    instrument()
    from credsweep.config import load_config
    from credsweep.scans.history import HistoryOptions, scan_history

    for repo in args.repos:
        TOTALS.clear()
        WALL.clear()
        CALLS.clear()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        started, wall = time.process_time(), time.monotonic()
        report = scan_history(repo, load_config(repo, None), HistoryOptions(workers=1))
        own = time.process_time() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        git = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
        name = repo.name if repo.name not in ("repo", ".git") else repo.parent.name
        print(f"\n{name}: {report.stats.files} blobs, {report.stats.bytes / 1e9:.2f} GB, {len(report.findings)} findings, "
              f"wall {time.monotonic() - wall:.2f} s, credsweep CPU {own:.2f} s, git CPU {git:.2f} s\n")
        print("| stage | CPU (s) | share of credsweep CPU | wall (s) | calls |")
        print("|---|---|---|---|---|")
        for stage, spent in sorted(TOTALS.items(), key=lambda kv: -kv[1]):
            print(f"| {stage} | {spent:.2f} | {spent / own:.0%} | {WALL[stage]:.2f} | {CALLS[stage]} |")
        print(f"| everything else | {own - sum(TOTALS.values()):.2f} | | |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
