"""The shared tail of the hook commands (``staged``, ``pre-push``): baseline, block message or a pass."""

from __future__ import annotations

from pathlib import Path

import click

from credsweep.commands.common import apply_baseline, configured_baseline
from credsweep.commands.output import emit
from credsweep.config import Config
from credsweep.errors import ExitCode, InputError
from credsweep.models import Report


def finish_hook(report: Report, fmt: str, output: Path | None, show_secrets: bool, verbose: bool,
                baseline_file: Path | None, update_baseline: bool, config: Config) -> int:
    """Apply the baseline (or record new findings in it and exit 3), then block or pass."""
    baseline_file = configured_baseline(baseline_file, config)
    if update_baseline:
        if baseline_file is None:
            raise InputError("--update-baseline needs --baseline FILE")
        from credsweep.baseline import load

        current = load(baseline_file)
        new, _, _ = current.split(report.findings)
        if new or current.migrated:
            for finding in new:
                current.add(finding)
            current.save()
            click.echo(f"credsweep: {len(new)} new finding(s) recorded in {baseline_file} as unaudited; "
                       f"review it (credsweep baseline audit) and stage it.", err=True)
            return ExitCode.BASELINE_REWRITTEN
    report = apply_baseline(report, baseline_file, config)
    if fmt == "text" and output is None:
        from credsweep.reporters.text import render_block, skipped_lines

        if report.findings:
            click.echo(render_block(report, show_secrets=show_secrets), nl=False, err=True)
            return ExitCode.FINDINGS
        unread = skipped_lines(report.stats)
        if unread:
            click.echo("credsweep: " + "\n".join(unread).rstrip(), err=True)
        if verbose:
            click.echo(f"credsweep: {report.command}: scanned {report.stats.files} files, "
                       f"{report.stats.bytes} bytes: no credentials", err=True)
        return ExitCode.CLEAN
    return emit(report, fmt, output, show_secrets)
