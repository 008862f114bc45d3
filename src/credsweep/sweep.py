"""Orchestration of one scan command: source → scanner → (hygiene) → report. No printing here."""

from __future__ import annotations

import time
from pathlib import Path

from credsweep import __version__
from credsweep.config import Config
from credsweep.errors import InputError
from credsweep.advice import Exposure, contextualize
from credsweep.git import discover, remote_urls
from credsweep.models import Finding, Report, ScanStats
from credsweep.rules.loader import Ruleset, load_rulesets
from credsweep.scanner import Scanner, is_binary
from credsweep.sources.worktree import Skipped, list_paths, read_items


def build_scanner(config: Config, engine: str = "auto") -> Scanner:
    ruleset: Ruleset = load_rulesets(config.rulesets)
    return Scanner(config, ruleset, engine)


def resolve_root(path: Path) -> tuple[Path, str, object]:
    """(scan root, sub-folder within the repository, RepoInfo or None) for a user-given path."""
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    if not path.is_dir():
        raise InputError(f"{path}: not a directory")
    repo = discover(path)
    if repo is None or repo.top is None:
        return path.resolve(), "", repo
    within = path.resolve().relative_to(repo.top.resolve()).as_posix()
    return repo.top, "" if within == "." else within, repo


def scan_worktree(path: Path, config: Config, *, include_ignored: bool = False, engine: str = "auto",
                  scanner: Scanner | None = None) -> Report:
    """Scan the working tree under ``path`` (see sources.worktree for what is included)."""
    started = time.monotonic()
    root, within, repo = resolve_root(path)
    scanner = scanner or build_scanner(config, engine)
    stats = ScanStats(engine=scanner.engine.name)
    skipped: list[Skipped] = []
    findings: list[Finding] = []
    paths = list_paths(root, repo, include_ignored, within)  # type: ignore[arg-type]
    for item in read_items(root, paths, config.max_file_size, skipped):
        if is_binary(item.data):
            stats.skip("binary")
            continue
        stats.files += 1
        stats.bytes += len(item.data)
        findings.extend(scanner.scan_item(item))
    for entry in skipped:
        stats.skip(entry.reason)
    if config.hygiene:
        from credsweep.hygiene import check_worktree

        findings.extend(check_worktree(root, repo, paths, findings, config))
    findings = contextualize(findings, exposure_of(root, repo))
    stats.seconds = time.monotonic() - started
    return Report(command="scan", root=str(path), findings=tuple(sort_findings(findings)), stats=stats,
                  tool_version=__version__)


def exposure_of(root: Path, repo: object) -> Exposure:
    """How far secrets in this repository may have travelled (its remotes)."""
    return Exposure(remotes=remote_urls(root)) if repo is not None else Exposure()


def apply_baseline(report: Report, baseline_file: Path | None) -> Report:
    """Drop findings the baseline covers; count them and the stale entries in the stats."""
    if baseline_file is None:
        return report
    from dataclasses import replace

    from credsweep.baseline import load

    baseline = load(baseline_file)
    new, known, matched = baseline.split(report.findings)
    report.stats.baselined = len(known)
    report.stats.stale_baseline = len(set(baseline.entries) - matched)
    return replace(report, findings=tuple(new))


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.path, f.line or 0, f.column or 0, f.kind, f.rule))
