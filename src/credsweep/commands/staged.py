"""``credsweep staged``, the pre-commit hook's command: its options (``HOOK_DEFAULTS`` for the hook's
click-free start), the scan (``scans.staged``), then the hooks' shared tail (``commands.hook``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from credsweep.scans.common import config_for, known_for, overrides
from credsweep.scans.staged import StagedOptions, scan_staged


@dataclass(frozen=True)
class StagedRun:
    """The ``staged`` command's options, as click parses them; the defaults are the command line
    ``credsweep staged`` alone, the one the pre-commit hook runs (``entry.py`` then builds this without
    click: its import is a sixth of the hook's start-up). A test holds them equal to click's defaults."""

    path: Path = Path(".")
    """Where the repository is."""
    fmt: str = "text"
    """Output format."""
    output: Path | None = None
    """``--output`` file, or None for the terminal."""
    show_secrets: bool = False
    """Print secrets in clear."""
    config_file: Path | None = None
    """``--config`` file."""
    max_file_size: str | None = None
    """``--max-file-size`` as given."""
    min_confidence: str | None = None
    """``--min-confidence`` as given."""
    engine: str = "auto"
    """Matching engine."""
    baseline_file: Path | None = None
    """``--baseline`` file."""
    whole_files: bool = False
    """Findings anywhere in a staged file, not only on added lines."""
    no_hygiene: bool = False
    """Skip credential-file checks."""
    update_baseline: bool = False
    """Record new findings in the baseline and exit 3."""
    verbose: bool = False
    """Say what was scanned when nothing is found."""
    known_credentials: bool = False
    """Also look for the user's own credential values."""
    no_repo_config: bool = False
    """Ignore the repository's own ``.credsweep.toml``."""


HOOK_DEFAULTS = StagedRun()
"""The options of ``credsweep staged`` alone."""


def run_staged(run: StagedRun) -> int:
    """The ``staged`` command from its options: scan, then the hooks' shared tail (``commands.hook``)."""
    from credsweep.commands.hook import finish_hook

    config = config_for(run.path, run.config_file, repository_config=not run.no_repo_config,
                        **overrides(run.max_file_size, run.min_confidence, hygiene=False if run.no_hygiene else None))
    report = scan_staged(run.path, config, StagedOptions(run.whole_files), engine=run.engine,
                         known=known_for(run.path, run.known_credentials))
    return finish_hook(report, run.fmt, run.output, run.show_secrets, run.verbose, run.baseline_file,
                       run.update_baseline, config)
