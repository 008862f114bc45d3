"""The shared tail of the hook commands (``staged``, ``pre-push``): baseline, block message or a pass."""

from __future__ import annotations

from pathlib import Path

import click

from credsweep.commands.output import emit
from credsweep.config import Config
from credsweep.errors import ExitCode
from credsweep.models import Report


def finish_hook(report: Report, fmt: str, output: Path | None, show_secrets: bool, verbose: bool,
                baseline_file: Path | None, update_baseline: bool, config: Config) -> int:
    """Apply the baseline (or record new findings in it and exit 3), then block with a message whose
    every command works for this hook, or pass."""
    from credsweep.commands.baseline import hook_baseline

    report, location, code = hook_baseline(report, baseline_file, config, update_baseline)
    if code is not None:
        return code
    if fmt == "text" and output is None:
        # a pass is the common case of every commit: the message modules load only when they speak
        if report.findings:
            from credsweep.hooks import block_context
            from credsweep.reporters.text import render_block

            context = block_context(report, baseline_file, location)
            click.echo(render_block(report, show_secrets=show_secrets, context=context), nl=False, err=True)
            return ExitCode.FINDINGS
        if report.stats.skipped_files:
            from credsweep.reporters.text import skipped_lines

            unread = skipped_lines(report.stats)
            if unread:
                click.echo("credsweep: " + "\n".join(unread).rstrip(), err=True)
        if verbose:
            click.echo(f"credsweep: {report.command}: scanned {report.stats.files} files, "
                       f"{report.stats.bytes} bytes: no credentials", err=True)
        return ExitCode.CLEAN
    return emit(report, fmt, output, show_secrets)
