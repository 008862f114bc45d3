"""``credsweep scan``: the working tree (or, in a bare repository, HEAD's tree) through the pipeline.

Source: ``sources.worktree`` (git's listing: tracked + untracked-not-ignored, optionally ignored), or
HEAD's tree read from git objects when there is no working tree. Every file the scan does not read is
named with its reason (too large, unreadable, submodule without ``--recurse-submodules``, binary,
symlink), so "No findings" never hides what was not looked at.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

from credsweep.config import Config
from credsweep.enrich.advice import contextualize
from credsweep.git.repo import RepoInfo, discover, ls_tree
from credsweep.models import ContentItem, Finding, Location, Report, ScanStats, Skipped
from credsweep.pipeline import Pipeline, build_pipeline
from credsweep.scans.common import exposure_of, resolve_root, sort_findings
from credsweep.sources.binary import is_binary
from credsweep.sources.worktree import list_paths


@dataclass(frozen=True)
class ScanOptions:
    """What ``scan`` reads."""

    include_ignored: bool = False
    """Also files .gitignore excludes."""
    recurse_submodules: bool = False
    """Also the working trees of initialised submodules (paths prefixed)."""
    workers: int | None = None
    """Worker processes for large trees (default: one per core)."""


def scan_worktree(path: Path, config: Config, options: ScanOptions = ScanOptions(), *,
                  pipeline: Pipeline | None = None) -> Report:
    """Scan the working tree under ``path`` (see the module docstring)."""
    started = time.monotonic()
    root, within, repo = resolve_root(path)
    pipeline = pipeline or build_pipeline(config)
    if repo is not None and repo.top is None:
        findings, stats = _scan_head_tree(repo, config, pipeline)
    else:
        findings, stats = _scan_tree(root, within, repo, config, options, pipeline)
    findings.extend(pipeline.config_findings)
    if findings:  # the remotes' config (GitPython) is read only when there is something to rate
        findings = contextualize(findings, exposure_of(root, repo))
    stats = replace(stats, seconds=time.monotonic() - started, suppressed=pipeline.suppressions())
    # no tool_version: a reporter that prints it asks then (``Report.version``); the metadata's import
    # costs every process 15 ms
    return Report(command="scan", root=str(path), findings=tuple(sort_findings(findings)), stats=stats)


def _scan_tree(root: Path, within: str, repo: RepoInfo | None, config: Config, options: ScanOptions,
               pipeline: Pipeline) -> tuple[list[Finding], ScanStats]:
    from credsweep.executors.pool import scan_files

    findings: list[Finding] = []
    paths = list_paths(root, repo, options.include_ignored, within)
    scanned = scan_files(root, paths, pipeline, config.max_file_size, options.workers)
    for result in scanned.results:
        findings.extend(pipeline.findings(result.matches, Location(result.path, "worktree", result.blob_id,
                                                                   mode=result.mode)))
    skipped = list(scanned.skipped)
    files, nbytes = scanned.files, scanned.bytes
    if options.recurse_submodules and repo is not None:
        for rel in [s.path for s in skipped if s.reason == "submodule"]:
            sub_findings, sub_stats = _scan_tree(root / rel, "", discover(root / rel), config, options, pipeline)
            findings.extend(replace(f, path=f"{rel}/{f.path}") for f in sub_findings)
            files += sub_stats.files
            nbytes += sub_stats.bytes
            skipped.extend(Skipped(f"{rel}/{s.path}", s.reason) for s in sub_stats.skipped_files)
        skipped = [s for s in skipped if s.reason != "submodule" or not (root / s.path / ".git").exists()]
    if config.hygiene:
        from credsweep.hygiene import check_worktree

        findings.extend(check_worktree(root, repo, paths, findings, pipeline.judge.hides_file))
    stats = ScanStats(engine=pipeline.engine_name, files=files, bytes=nbytes,
                      skipped=ScanStats.count_skipped(skipped), skipped_files=tuple(skipped))
    return findings, stats


def _scan_head_tree(repo: RepoInfo, config: Config, pipeline: Pipeline) -> tuple[list[Finding], ScanStats]:
    """A bare repository has no working tree: scan HEAD's tree from git objects."""
    from credsweep.sources.blobs import read_blobs

    entries: dict[str, list[tuple[str, int]]] = {}
    skipped: list[Skipped] = []
    for entry in ls_tree(repo.git_dir):
        path = entry.path
        if entry.kind == "commit":
            skipped.append(Skipped(path, "submodule"))
        elif entry.kind == "blob":
            if (entry.size or 0) > config.max_file_size:
                skipped.append(Skipped(path, "too large", entry.size))
            else:
                entries.setdefault(entry.oid, []).append((path, int(entry.mode, 8)))
    findings: list[Finding] = []
    files = nbytes = 0
    for oid, data in read_blobs(repo.git_dir, sorted(entries)):
        for path, mode in entries[oid]:
            if is_binary(data):
                skipped.append(Skipped(path, "binary"))
                continue
            files += 1
            nbytes += len(data)
            findings.extend(pipeline.scan_item(ContentItem(path, data, "head", oid, mode=mode)))
    stats = ScanStats(engine=pipeline.engine_name, files=files, bytes=nbytes,
                      skipped=ScanStats.count_skipped(skipped), skipped_files=tuple(skipped))
    return findings, stats
