"""The error family and the documented exit codes. Only cli.py turns errors into exits."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Process exit codes (documented in README.md)."""

    CLEAN = 0
    """Nothing to report."""
    FINDINGS = 1
    """Findings were reported (or the hook blocked)."""
    ERROR = 2
    """Usage, configuration, git or input error."""
    BASELINE_REWRITTEN = 3
    """The baseline file was rewritten (pre-commit convention of detect-secrets)."""
    REPOSITORY_FAILED = 4
    """``fleet scan``: at least one repository could not be cloned, fetched or read (the others were
    scanned; each failure is recorded with its reason and retried on the next run)."""
    INTERRUPTED = 130
    """Interrupted by the user (^C)."""


class CredsweepError(Exception):
    """An error the user can act on; its message is one sentence and never holds a secret."""

    exit_code = ExitCode.ERROR


class ConfigError(CredsweepError):
    """Invalid configuration or ruleset."""


class GitError(CredsweepError):
    """git failed or the path is not a usable repository."""


class InputError(CredsweepError):
    """Bad user input (path, file, option value)."""
