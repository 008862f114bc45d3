"""What several commands share: locating the repository, revisions, exposure, baselines, ordering."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from credsweep.config import Config
from credsweep.errors import InputError
from credsweep.git.repo import RepoInfo, discover, remote_urls, run_git
from credsweep.models import Finding, Report, Suppression

if TYPE_CHECKING:
    from credsweep.content.known import KnownCredentials
    from credsweep.enrich.advice import Exposure

T = TypeVar("T")


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


def config_for(path: Path, config_file: Path | None, *, repository_config: bool = True, **overrides: Any) -> Config:
    """The configuration of a command run on ``path`` (its repository root's, or ``config_file``), with
    the command line's ``overrides`` (None: keep the file's value). ``repository_config`` False
    (``--no-repo-config``): the repository's own file is not read (defaults, or ``config_file``)."""
    from credsweep.config import load_config

    root = resolve_root(path)[0] if path.is_dir() else path
    return load_config(root, config_file, repository_config=repository_config).with_overrides(**overrides)


def overrides(max_file_size: str | None, min_confidence: str | None, **extra: Any) -> dict[str, Any]:
    """Config overrides from the options every scanning command shares."""
    from credsweep.config import parse_size

    out: dict[str, Any] = dict(extra)
    if max_file_size:
        out["max_file_size"] = parse_size(max_file_size, "--max-file-size")
    out["min_confidence"] = min_confidence
    return out


def known_for(path: Path, enabled: bool) -> KnownCredentials | None:
    """The credentials the user holds (``--known-credentials``), or None when not asked for."""
    if not enabled:
        return None
    from credsweep.content.known import load_known

    repo = discover(path if path.is_dir() else path.parent)
    return load_known(repo.top if repo else None)


def resolve_rev(cwd: Path, rev: str) -> str:
    """A user-given revision as a commit id; refuses option-like input (never passed to git as an option)."""
    if not rev or rev.startswith("-"):
        raise InputError(f"'{rev}' is not a revision")
    out = run_git(cwd, "rev-parse", "--verify", "-q", "--end-of-options", f"{rev}^{{commit}}", check=False).strip()
    if not out:
        raise InputError(f"unknown revision '{rev}'")
    return out.decode()


class Background(Generic[T]):
    """A call run in a thread beside the scan; ``result`` waits for it (and raises what it raised).

    Start one only after the worker pool forked: forking a process that runs threads can leave a
    child holding a lock nobody will release."""

    def __init__(self, call: Callable[[], T]) -> None:
        self._call = call
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._call()
        except BaseException as exc:  # handed to the caller of result()
            self._error = exc

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]


def exposure_of(root: Path, repo: RepoInfo | None) -> Exposure:
    """How far secrets in this repository may have travelled (its remotes; a bare repository is a
    server copy or a mirror)."""
    from credsweep.enrich.advice import Exposure

    return Exposure(remotes=remote_urls(root), bare=repo.bare) if repo is not None else Exposure()


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Report order: path, line, column, kind, rule, then commit and blob (history holds one path and line
    in many versions; workers finish in any order, and the same scan must print the same report)."""
    return sorted(findings, key=lambda f: (f.path, f.line or 0, f.column or 0, f.kind, f.rule, f.commit or "",
                                           f.blob_id or ""))


def apply_baseline(report: Report, baseline_file: Path | None, config: Config | None = None) -> Report:
    """Drop findings the baseline hides; count them, the unaudited ones and the stale entries in the stats.

    The baseline is ``baseline_file``, else the config's ``baseline``, else ``.credsweep-baseline.json``
    when it exists, relative paths from the repository root (see ``baseline.locate``). Hooks hide every
    recorded finding; reports hide only audited ones (see ``baseline``).
    """
    from credsweep.baseline.format import HOOK_COMMANDS, as_typed, locate

    location = locate(Path(report.root), baseline_file, config.baseline if config else None)
    if location is None:
        return report
    baseline = location.load()
    split = baseline.split(report.findings, hooks=report.command in HOOK_COMMANDS)
    suppressed = report.stats.suppressed
    if split.hidden:
        suppressed = (*suppressed, Suppression("baseline", "", len(split.hidden), as_typed(location)))
    stats = replace(report.stats, baselined=len(split.hidden), baseline_unaudited=split.unaudited,
                    stale_baseline=len(set(baseline.entries) - split.matched), suppressed=suppressed)
    return replace(report, findings=split.new, stats=stats)


def config_files(config: Config) -> tuple[str, ...]:
    """The repository files (root-relative) that configure the scan: ``.credsweep.toml`` always (adding
    one changes the scan), and ``pyproject.toml`` when its ``[tool.credsweep]`` is the configuration."""
    named = config.source.name if config.from_repository and config.source is not None else None
    return tuple(dict.fromkeys([".credsweep.toml", *([named] if named else [])]))


def config_change_note(config: Config, changed: list[str], where: str) -> str:
    """The note a hook shows when what it checks changes the scan's own configuration."""
    files = ", ".join(changed)
    return (f"{where} changes {files}, the configuration credsweep reads from this repository: review what it "
            "allows before it reaches others (its allowlist, disabled rules and rulesets hide findings from "
            "every later scan; --no-repo-config ignores it).")


def with_config_change(report: Report, config: Config, pipeline_findings: tuple[Finding, ...],
                       changed: list[str], where: str) -> Report:
    """``report`` with a note when the checked change touches the configuration, and the configuration's
    own finding (``hygiene.repoconfig``) when it weakens detection broadly."""
    if not changed:
        return report
    notes = (*report.stats.notes, config_change_note(config, changed, where))
    findings = sort_findings([*report.findings, *pipeline_findings])
    return replace(report, findings=tuple(findings), stats=replace(report.stats, notes=notes))
