"""The shared tail of the hook commands (``staged``, ``pre-push``): baseline, block message or a pass."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from credsweep.config import Config
from credsweep.errors import ExitCode
from credsweep.models import Report
from credsweep.util.console import err
from credsweep.util.sanitize import line as one_line

if TYPE_CHECKING:
    from credsweep.baseline.format import Location


def finish_hook(report: Report, fmt: str, output: Path | None, show_secrets: bool, verbose: bool,
                baseline_file: Path | None, update_baseline: bool, config: Config,
                enrich: Callable[[Report], Report] | None = None, fail_on: str | None = None) -> int:
    """Apply the baseline (or record new findings in it and exit 3), then ``enrich`` what remains
    (``pre-push --validate``), then block with a message whose every command works for this hook, or pass.
    ``fail_on`` (pre-push's ``--fail-on``): findings less urgent (after enrichment: a revoked secret is
    low) are listed on stderr without blocking."""
    report, location, code = hook_baseline(report, baseline_file, config, update_baseline)
    if code is not None:
        return code
    if enrich is not None and report.findings:
        report = enrich(report)
    if fmt == "text" and output is None:
        # a pass is the common case of every commit: the message modules load only when they speak
        if report.findings and fail_on is not None:
            from credsweep.enrich.advice import reaches

            if not reaches(report.findings, fail_on):
                from credsweep.reporters.text import render_below_threshold

                err(render_below_threshold(report, fail_on, show_secrets=show_secrets), nl=False)
                return ExitCode.CLEAN
        if report.findings:
            from credsweep.reporters.text import render_block
            from credsweep.scans.hooks import block_context

            context = block_context(report, baseline_file, location)
            err(render_block(report, show_secrets=show_secrets, context=context), nl=False)
            return ExitCode.FINDINGS
        for note in report.stats.notes:
            err(f"credsweep: note: {one_line(note)}")
        if report.stats.skipped_files:
            from credsweep.reporters.text import skipped_lines

            unread = skipped_lines(report.stats)
            if unread:
                err("credsweep: " + "\n".join(unread).rstrip())
        if verbose:
            err(f"credsweep: {report.command}: scanned {report.stats.files} files, "
                f"{report.stats.bytes} bytes: no credentials")
        return ExitCode.CLEAN
    from credsweep.commands.output import emit

    return emit(report, fmt, output, show_secrets, fail_on=fail_on)


def hook_baseline(report: Report, baseline_file: Path | None, config: Config,
                  update: bool) -> tuple[Report, Location | None, int | None]:
    """The baseline step of ``staged`` and ``pre-push``: (report without recorded findings, the baseline
    in use, an exit code when ``update`` rewrote the baseline)."""
    from credsweep.baseline.format import Baseline, as_typed, locate

    location = locate(Path(report.root), baseline_file, config.baseline, creating=update)
    if update and location is not None:
        current = location.load() if location.exists else Baseline(path=location.path)
        split = current.split(report.findings, hooks=True)
        if split.new or current.migrated:
            from credsweep.commands.baseline import baseline_prefixes

            current.prefixes = baseline_prefixes(config)
            for finding in split.new:
                current.add(finding)
            current.save()
            from credsweep.util.invocation import credsweep_command

            err(f"credsweep: {len(split.new)} new finding(s) recorded in {as_typed(location)} as unaudited; "
                f"review them ({credsweep_command()} baseline audit) and stage the file.")
            return report, location, ExitCode.BASELINE_REWRITTEN
    if location is None or (update and not location.exists):
        return report, location, None  # nothing recorded yet, nothing to hide
    from credsweep.scans.common import apply_baseline

    return apply_baseline(report, location.path, config), location, None
