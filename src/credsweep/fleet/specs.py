"""The repositories a fleet run covers: read from arguments and a repos file; and the test hook that
delays each repository's write (the interruption and worker-kill tests)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from credsweep.errors import InputError

TEST_DELAY_ENV = "CREDSWEEP_TEST_DELAY_BEFORE_WRITE"
"""Test hook: seconds each repository waits between its scan and its write, so the interruption and
worker-kill tests can hit a repository mid-task. Unset in normal use."""


TEST_DELAY_ONCE_ENV = "CREDSWEEP_TEST_DELAY_ONCE"
"""Test hook: a file; when set, only the one repository that removes it first waits before its write (the
worker-kill test holds the repository it kills, and the same repository redelivered runs at once)."""


def hook_delay() -> float:
    """The test hook's delay (0 unless the variable holds a number)."""
    try:
        return max(0.0, float(os.environ.get(TEST_DELAY_ENV, "0")))
    except ValueError:
        return 0.0


def hold_taken() -> bool:
    """Whether this repository waits its delay: always, unless ``TEST_DELAY_ONCE_ENV`` names a file, then
    only for the one call that removes it (removing a file is atomic: exactly one process succeeds)."""
    once = os.environ.get(TEST_DELAY_ONCE_ENV)
    if not once:
        return True
    try:
        os.unlink(once)
    except OSError:
        return False
    return True


def read_specs(repos: Sequence[str], repos_file: Path | None) -> list[str]:
    """Repositories from the arguments and the repos file (one per line, ``#`` comments), deduplicated."""
    specs = list(repos)
    if repos_file is not None:
        try:
            text = sys.stdin.read() if str(repos_file) == "-" else repos_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{repos_file}: cannot read the repos file: {getattr(exc, 'strerror', None) or exc}") \
                from None
        specs.extend(line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    if not specs:
        raise InputError("no repositories: give paths or URLs, or --repos-file FILE")
    return list(dict.fromkeys(specs))
