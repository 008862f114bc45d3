"""Writing reports: stdout or a file, in the chosen format, and the exit code they imply."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import click

from credsweep.errors import ExitCode, InputError
from credsweep.models import Report
from credsweep.util.console import err


def write_output(text: str | Iterable[str], output: Path | None) -> None:
    """Write ``text`` (or its chunks, in order) to ``output`` (see ``fsutil.write_output``: never a
    half-written report, never a device renamed over, a new file 0600), or to stdout. The one output
    writer of every command."""
    if output is None:
        if isinstance(text, str):
            click.echo(text, nl=False)
            return
        pending: list[str] = []
        size = 0
        for chunk in text:  # a streamed report, written in batches (each echo flushes)
            pending.append(chunk)
            size += len(chunk)
            if size >= 1 << 16:
                click.echo("".join(pending), nl=False)
                pending, size = [], 0
        if pending:
            click.echo("".join(pending), nl=False)
        return
    from credsweep.util import fsutil

    try:
        fsutil.write_output(output, text)
    except OSError as exc:
        raise InputError(f"{output}: cannot write output: {exc.strerror}") from None


def emit(report: Report, fmt: str, output: Path | None, show_secrets: bool, all_locations: bool = False,
         fail_on: str | None = None) -> int:
    """Render ``report`` and write it; 1 when it holds findings (with ``fail_on``: a finding at least that
    urgent), else 0. ``all_locations``: the formats for people (text, markdown) list every location;
    JSON and SARIF always do."""
    from credsweep.reporters import get_reporter, get_stream

    color = output is None and fmt == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    extra = {"all_locations": True} if all_locations and fmt in ("text", "markdown") else {}
    streamed = get_stream(fmt)
    if streamed is not None:  # JSON and SARIF are written as they are rendered
        write_output(streamed(report, show_secrets=show_secrets), output)
    else:
        write_output(get_reporter(fmt)(report, show_secrets=show_secrets, color=color, **extra), output)
    return exit_for(report, fail_on)


def exit_for(report: Report, fail_on: str | None) -> int:
    """1 when the report holds a finding at least as urgent as ``fail_on`` (None: any), else 0; when the
    threshold alone makes it 0, one line on stderr says so (a CI log shows why a report passed)."""
    from credsweep.enrich.advice import reaches

    if reaches(report.findings, fail_on):
        return ExitCode.FINDINGS
    if report.findings:
        count = len(report.findings)
        err(f"credsweep: {count} finding{'s' if count != 1 else ''} reported, none of {fail_on} urgency or above "
            f"(--fail-on {fail_on}): exit 0")
    return ExitCode.CLEAN


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
