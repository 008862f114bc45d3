"""What several commands share: locating the repository, revisions, exposure, baselines, ordering."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from credsweep.config import Config
from credsweep.errors import InputError
from credsweep.git import RepoInfo, discover, remote_urls, run_git
from credsweep.models import Finding, Report

if TYPE_CHECKING:
    from credsweep.advice import Exposure


def resolve_root(path: Path) -> tuple[Path, str, RepoInfo | None]:
    """(scan root, sub-folder within the repository, repository or None) for a user-given path."""
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    if not path.is_dir():
        raise InputError(f"{path}: not a directory")
    repo = discover(path)
    if repo is None or repo.top is None:
        return path.resolve(), "", repo
    within = path.resolve().relative_to(repo.top.resolve()).as_posix()
    return repo.top, "" if within == "." else within, repo


def resolve_rev(cwd: Path, rev: str) -> str:
    """A user-given revision as a commit id; refuses option-like input (never passed to git as an option)."""
    if not rev or rev.startswith("-"):
        raise InputError(f"'{rev}' is not a revision")
    out = run_git(cwd, "rev-parse", "--verify", "-q", "--end-of-options", f"{rev}^{{commit}}", check=False).strip()
    if not out:
        raise InputError(f"unknown revision '{rev}'")
    return out.decode()


def exposure_of(root: Path, repo: RepoInfo | None) -> Exposure:
    """How far secrets in this repository may have travelled (its remotes; a bare repository is a
    server copy or a mirror)."""
    from credsweep.advice import Exposure

    return Exposure(remotes=remote_urls(root), bare=repo.bare) if repo is not None else Exposure()


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Report order: path, line, column, kind, rule."""
    return sorted(findings, key=lambda f: (f.path, f.line or 0, f.column or 0, f.kind, f.rule))


def apply_baseline(report: Report, baseline_file: Path | None, config: Config | None = None) -> Report:
    """Drop findings the baseline hides; count them, the unaudited ones and the stale entries in the stats.

    The baseline is ``baseline_file``, else the config's ``baseline``, else ``.credsweep-baseline.json``
    when it exists, relative paths from the repository root (see ``baseline.locate``). Hooks hide every
    recorded finding; reports hide only audited ones (see ``baseline``).
    """
    from credsweep.baseline import HOOK_COMMANDS, load, locate

    location = locate(Path(report.root), baseline_file, config.baseline if config else None)
    if location is None:
        return report
    baseline = load(location.path)
    split = baseline.split(report.findings, hooks=report.command in HOOK_COMMANDS)
    stats = replace(report.stats, baselined=len(split.hidden), baseline_unaudited=split.unaudited,
                    stale_baseline=len(set(baseline.entries) - split.matched))
    return replace(report, findings=split.new, stats=stats)
