"""Writing reports: stdout or a file, in the chosen format, and the exit code they imply."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from credsweep.errors import ExitCode, InputError
from credsweep.models import Report


def write_output(text: str, output: Path | None) -> None:
    """Write to ``output`` (see ``fsutil.write_output``: never a half-written report, never a device
    renamed over), or to stdout."""
    if output is None:
        click.echo(text, nl=False)
        return
    from credsweep.util import fsutil

    try:
        fsutil.write_output(output, text)
    except OSError as exc:
        raise InputError(f"{output}: cannot write output: {exc.strerror}") from None


def emit(report: Report, fmt: str, output: Path | None, show_secrets: bool, all_locations: bool = False) -> int:
    """Render ``report`` and write it; 1 when it holds findings, else 0. ``all_locations``: the formats
    for people (text, markdown) list every location; JSON and SARIF always do."""
    from credsweep.reporters import get_reporter

    color = output is None and fmt == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    extra = {"all_locations": True} if all_locations and fmt in ("text", "markdown") else {}
    write_output(get_reporter(fmt)(report, show_secrets=show_secrets, color=color, **extra), output)
    return ExitCode.FINDINGS if report.findings else ExitCode.CLEAN


def progress_bar() -> Callable[[int, int, int, int], None] | None:
    """A progress line on stderr (blobs, MB/s, ETA) when stderr is a terminal; None otherwise."""
    if not sys.stderr.isatty():
        return None
    import time

    started = time.monotonic()

    def show(done: int, total: int, done_bytes: int, total_bytes: int) -> None:
        elapsed = max(time.monotonic() - started, 1e-6)
        rate = done_bytes / elapsed
        eta = (total_bytes - done_bytes) / rate if rate else 0
        click.echo(f"\r  {done}/{total} blobs  {rate / 1e6:6.1f} MB/s  ETA {eta:4.0f}s", err=True, nl=False)
        if done >= total:
            click.echo("", err=True)

    return show
