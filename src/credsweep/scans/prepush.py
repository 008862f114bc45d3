"""``credsweep pre-push``: what a push adds, through the pipeline, at a cost that follows the push.

Source: the objects reachable from the pushed tips and from no remote-tracking ref nor the remote's
old tips (``git rev-list --objects``), the blobs among them read once. A log pass over the pushed
commits only says which commit put each matched blob at which path. Judgement and findings are the
same calls ``staged`` makes on the same content.

Which commits: git's pre-push protocol (ref lines on stdin), or pre-commit's environment
(``PRE_COMMIT_FROM_REF``/``PRE_COMMIT_TO_REF``). When neither names any ref (pre-commit passes none
for a push whose range contains a root commit: a repository's first push), every commit no
remote-tracking ref reaches is scanned, never nothing.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from credsweep.config import Config
from credsweep.errors import InputError
from credsweep.git.repo import discover, run_git
from credsweep.models import ContentMatch, Finding, Location, Provenance, Report, ScanStats, Skipped
from credsweep.scans.common import config_files, resolve_rev, sort_findings, with_config_change
from credsweep.sources.pushed import PushedRef, parse_prepush_lines

if TYPE_CHECKING:
    from credsweep.pipeline import Pipeline

ZERO = "0" * 40
UNPUSHED = ("--branches", "--tags", "HEAD", "--not", "--remotes")
"""Every local commit no remote-tracking ref reaches (a first push: all of them)."""


def push_revs(cwd: Path, refs: list[PushedRef], env_from: str | None = None, env_to: str | None = None) -> list[str]:
    """git rev-list arguments selecting what the push adds (see the module docstring)."""
    if env_to:
        since = [resolve_rev(cwd, env_from)] if env_from and env_from.strip("0") else []
        return [resolve_rev(cwd, env_to), "--not", *since, "--remotes"]
    if not refs:
        return list(UNPUSHED)
    tips: list[str] = []
    old: list[str] = []
    for ref in refs:
        if ref.deletes:
            continue  # deleting a remote ref pushes nothing
        tips.append(resolve_rev(cwd, ref.local_id))
        if not ref.creates and _has_commit(cwd, ref.remote_id):
            old.append(ref.remote_id)
    if not tips:
        return []
    return [*tips, "--not", *old, "--remotes"]


def _has_commit(cwd: Path, sha: str) -> bool:
    return bool(run_git(cwd, "cat-file", "-t", sha, check=False).strip() == b"commit")


def scan_push(path: Path, config: Config, revs: list[str], *, pipeline: Pipeline) -> Report:
    """Scan the blobs ``revs`` add (see the module docstring)."""
    from credsweep.enrich import provenance as prov
    from credsweep.sources.blobs import read_blobs

    started = time.monotonic()
    repo = discover(path)
    if repo is None:
        raise InputError(f"{path}: not a git repository")
    cwd = repo.top or repo.git_dir
    blobs, skipped = _pushed_blobs(cwd, revs, config.max_file_size) if revs else ({}, [])
    matched: dict[str, tuple[ContentMatch, ...]] = {}
    scanned = nbytes = 0
    for oid, data in read_blobs(cwd, sorted(blobs)):
        from credsweep.sources.binary import is_binary

        if is_binary(data):
            skipped.append(Skipped(blobs[oid], "binary"))
            continue
        scanned += 1
        nbytes += len(data)
        found = pipeline.content(data)
        if found:
            matched[oid] = tuple(found)
    findings: list[Finding] = []
    if matched:
        log = run_git(cwd, "log", *revs, *prov.LOG_OPTIONS)
        histories = prov.parse_log([log], {oid.encode() for oid in matched})
        places = prov.introductions(histories)
        info = prov.commit_info(cwd, {sha for hs in places.values() for h in hs for sha in h.introduced})
        for oid, matches in matched.items():
            where: list[tuple[str, str | None]] = [(h.path, h.introduced[-1]) for h in places.get(oid, [])]
            where = where or [(blobs[oid], None)]
            for file_path, sha in where:
                commit = info.get(sha) if sha else None
                provenance = Provenance(commit=sha, in_head=False, pushed=False, path=file_path,
                                        author=commit.author if commit else None,
                                        date=commit.date if commit else None,
                                        message=commit.subject if commit else None)
                findings.extend(pipeline.findings(matches, Location(file_path, "pre-push", oid, sha), provenance))
    if findings:
        # urgency on the one scale, as history rates it (what --fail-on reads); no purge plan: these
        # commits have not left yet, the block message says how to rewrite them
        from credsweep.enrich.advice import contextualize
        from credsweep.scans.common import exposure_of

        findings = contextualize(findings, exposure_of(cwd, repo), purge=False)
    stats = ScanStats(engine=pipeline.engine_name, files=scanned, bytes=nbytes,
                      skipped=ScanStats.count_skipped(skipped), skipped_files=tuple(skipped),
                      seconds=time.monotonic() - started, suppressed=pipeline.suppressions())
    # no tool_version (the hook's path): a reporter that prints it asks then (``Report.version``)
    report = Report(command="pre-push", root=str(path), findings=tuple(sort_findings(findings)), stats=stats)
    changed = _changed_config(cwd, revs, config_files(config)) if revs else []
    return with_config_change(report, config, pipeline.config_findings, changed, "This push")


def _changed_config(cwd: Path, revs: list[str], watched: tuple[str, ...]) -> list[str]:
    """The configuration files the pushed commits change (one ``git log`` limited to those paths)."""
    out = run_git(cwd, "log", "--format=", "--name-only", "-z", *revs, "--", *watched, check=False)
    return sorted({name.strip("\n") for name in out.decode("utf-8", "surrogateescape").split("\0")
                   if name.strip("\n") in watched})


def _pushed_blobs(cwd: Path, revs: list[str], max_size: int) -> tuple[dict[str, str], list[Skipped]]:
    """Blob id → a path it has, for every blob the push adds; oversized ones go to the skipped list."""
    listing = run_git(cwd, "rev-list", "--objects", "--missing=allow-any", *revs)
    if not listing.strip():
        return {}, []
    checked = run_git(cwd, "cat-file", "--batch-check=%(objecttype) %(objectname) %(objectsize) %(rest)",
                      input=listing)
    blobs: dict[str, str] = {}
    skipped: list[Skipped] = []
    for line in checked.split(b"\n"):
        parts = line.split(b" ", 3)
        if len(parts) < 3 or parts[0] != b"blob":
            continue
        name = parts[3].decode("utf-8", "surrogateescape") if len(parts) == 4 else parts[1].decode()
        if int(parts[2]) > max_size:
            skipped.append(Skipped(name, "too large", int(parts[2])))
            continue
        blobs.setdefault(parts[1].decode(), name)
    return blobs, skipped


__all__ = ["parse_prepush_lines", "push_revs", "scan_push"]
