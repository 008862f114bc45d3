"""``credsweep staged``: what the next commit adds, read from the index, through the pipeline.

Source: ``sources.staged`` (index blob ids and the lines the commit adds). Each blob goes through the
same content stage and judgement as every other command; only findings on added lines are kept
(``--whole-files`` keeps all).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from credsweep.config import Config
from credsweep.errors import GitError, InputError
from credsweep.git.repo import discover
from credsweep.models import Finding, Location, Report, ScanStats, Skipped
from credsweep.scans.common import config_files, sort_findings, with_config_change

if TYPE_CHECKING:
    from credsweep.content.known import KnownCredentials
    from credsweep.hygiene.catalogue import Catalogue
    from credsweep.pipeline import Pipeline
    from credsweep.sources.index import StagedFile


@dataclass(frozen=True)
class StagedOptions:
    """What ``staged`` keeps."""

    whole_files: bool = False
    """Findings anywhere in a staged file, not only on the lines the commit adds."""


def scan_staged(path: Path, config: Config, options: StagedOptions = StagedOptions(), *, engine: str = "auto",
                known: KnownCredentials | None = None) -> Report:
    """Scan exactly what is staged (see the module docstring)."""
    from credsweep.sources.index import staged_files

    started = time.monotonic()
    repo = discover(path if path.is_dir() else path.parent)
    if repo is None or repo.top is None:
        raise InputError(f"{path}: not a git working tree (staged scans need an index)")
    cwd = repo.top
    files = staged_files(cwd)  # an unreadable index is a GitError here
    findings: list[Finding] = []
    skipped: list[Skipped] = []
    scanned = nbytes = 0
    engine_name = ""
    pipeline: Pipeline | None = None
    if files:
        from credsweep.pipeline import build_pipeline
        from credsweep.sources.binary import is_binary
        from credsweep.sources.index import read_blobs  # the history reader's buffering is not needed here

        pipeline = build_pipeline(config, engine, known)
        engine_name = pipeline.engine_name
        by_oid: dict[str, list[StagedFile]] = {}
        for staged in files:
            by_oid.setdefault(staged.blob_id, []).append(staged)
        catalogue: Catalogue | None = None
        read = 0
        for oid, data in read_blobs(cwd, list(by_oid)):
            read += 1
            too_large, binary = len(data) > config.max_file_size, is_binary(data)
            matches = pipeline.content(data) if not (too_large or binary) else []
            for staged in by_oid[oid]:
                location = Location(staged.path, "staged", oid, mode=int(staged.mode, 8))
                if too_large or binary:
                    skipped.append(Skipped(staged.path, "too large", len(data)) if too_large else Skipped(staged.path, "binary"))
                else:
                    scanned += 1
                    nbytes += len(data)
                    findings.extend(f for f in pipeline.findings(matches, location)
                                    if options.whole_files or _on_added_line(f, staged))
                if config.hygiene:
                    if catalogue is None:
                        from credsweep.hygiene.catalogue import load_catalogue

                        catalogue = load_catalogue()
                    finding = _staged_file(catalogue, pipeline, staged, location, data)
                    if finding is not None:
                        findings.append(finding)
        if read < len(by_oid):
            raise GitError(f"could read only {read} of {len(by_oid)} staged blobs from the index; refusing to pass")
    stats = ScanStats(engine=engine_name, files=scanned, bytes=nbytes, skipped=ScanStats.count_skipped(skipped),
                      skipped_files=tuple(skipped), seconds=time.monotonic() - started,
                      suppressed=pipeline.suppressions() if pipeline is not None else ())
    # no tool_version: reading it costs the hook more than its scan; a reporter that prints it asks then
    report = Report(command="staged", root=str(path), findings=tuple(sort_findings(findings)), stats=stats)
    # a commit that changes the scan's own configuration says so (a deletion only makes scans stricter)
    changed = [staged.path for staged in files if staged.path in config_files(config)]
    if changed and pipeline is not None:
        return with_config_change(report, config, pipeline.config_findings, changed, "This commit")
    return report


def _on_added_line(finding: Finding, staged: StagedFile) -> bool:
    if finding.cell:  # a database or archive has no lines to diff: a change may add any cell
        return True
    first = finding.line or 0
    return any(line in staged.added_lines for line in range(first, (finding.end_line or first) + 1))


def _staged_file(catalogue: Catalogue, pipeline: Pipeline, staged: StagedFile, location: Location,
                 data: bytes) -> Finding | None:
    from credsweep.hygiene.findings import file_holds_secret, staged_file_finding

    rule = catalogue.classify(staged.path, lambda: data) or catalogue.key_file(staged.path, lambda: data)
    if rule is None or pipeline.judge.hides_file(staged.path):
        return None
    return staged_file_finding(rule, location, executable=staged.mode == "100755",
                               holds_secret=file_holds_secret(rule, staged.path, data, False))
