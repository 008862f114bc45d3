"""``credsweep staged``, the pre-commit hook's command: its options (``HOOK_DEFAULTS`` for the hook's
click-free start), the scan (``scans.staged``), then the hooks' shared tail (``commands.hook``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from credsweep.scans.common import config_for, known_for, overrides
from credsweep.scans.staged import StagedOptions, scan_staged

HOOK_DEFAULTS: dict[str, Any] = {
    "path": Path("."), "fmt": "text", "output": None, "show_secrets": False, "config_file": None,
    "max_file_size": None, "min_confidence": None, "engine": "auto", "baseline_file": None,
    "whole_files": False, "no_hygiene": False, "update_baseline": False, "verbose": False,
    "known_credentials": False, "no_repo_config": False,
}
"""``run_staged``'s options for the command line ``credsweep staged`` alone, the one the pre-commit hook
runs: ``entry.py`` then calls ``run_staged`` without click (its import is a sixth of the hook's start-up).
A test holds these equal to the click command's defaults."""


def run_staged(*, path: Path, fmt: str, output: Path | None, show_secrets: bool, config_file: Path | None,
               max_file_size: str | None, min_confidence: str | None, engine: str, baseline_file: Path | None,
               whole_files: bool, no_hygiene: bool, update_baseline: bool, verbose: bool,
               known_credentials: bool, no_repo_config: bool = False) -> int:
    """The ``staged`` command from its options: scan, then the hooks' shared tail (``commands.hook``)."""
    from credsweep.commands.hook import finish_hook

    config = config_for(path, config_file, repository_config=not no_repo_config,
                        **overrides(max_file_size, min_confidence, hygiene=False if no_hygiene else None))
    report = scan_staged(path, config, StagedOptions(whole_files), engine=engine, known=known_for(path, known_credentials))
    return finish_hook(report, fmt, output, show_secrets, verbose, baseline_file, update_baseline, config)


