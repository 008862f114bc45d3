"""Text output for people: findings grouped by file, colour on a terminal, one line of advice each."""

from __future__ import annotations

from itertools import groupby

from credsweep.advice import group_findings
from credsweep.models import Finding, Report, ScanStats

_COLOURS = {"critical": "\033[1;31m", "high": "\033[31m", "medium": "\033[33m", "low": "\033[36m"}
_RESET = "\033[0m"


def _paint(text: str, severity: str, color: bool) -> str:
    return f"{_COLOURS[severity]}{text}{_RESET}" if color else text


def _line(finding: Finding, show_secrets: bool, color: bool) -> str:
    where = f"{finding.line}:{finding.column}" if finding.line else "-"
    value = finding.secret if show_secrets and finding.secret else finding.redacted
    label = _paint(f"{finding.severity.upper():8}", finding.severity, color)
    commit = f" @ {finding.commit[:10]}" if finding.commit else ""
    lines = [f"  {where:>9}  {label} {finding.name} [{finding.rule}]{commit}"]
    if value:
        lines.append(f"{'':13}{value}")
    lines.append(f"{'':13}→ {finding.advice.summary}")
    return "\n".join(lines)


def render(report: Report, *, show_secrets: bool = False, color: bool = False) -> str:
    out: list[str] = []
    for path, group in groupby(report.findings, key=lambda f: f.path):
        out.append(path)
        out.extend(_line(f, show_secrets, color) for f in group)
        out.append("")
    groups = group_findings(report.findings)
    if groups:
        out.append(_paint("What to do now", "high", color) if color else "What to do now")
        for number, group in enumerate(groups, 1):
            first = group.findings[0]
            copies = f" ({len(group.findings)} copies)" if len(group.findings) > 1 else ""
            out.append(f"  {number}. [{_paint(group.urgency.upper(), group.urgency, color)}] {first.name}{copies}: "
                       f"{first.advice.summary}")
            if first.advice.why:
                out.append(f"     why: {first.advice.why}")
            if first.advice.urls:
                out.append(f"     {first.advice.urls[0]}")
        out.append("")
    stats = report.stats
    out.extend(skipped_lines(stats))
    skipped = ", ".join(f"{n} {why}" for why, n in stats.skipped)
    count = len(report.findings)
    summary = (
        f"{count} finding{'s' if count != 1 else ''} in {stats.files} files "
        f"({stats.bytes / 1e6:.1f} MB, {stats.seconds:.2f}s, engine {stats.engine})"
    )
    if skipped:
        summary += f"; skipped {skipped}"
    if stats.baselined:
        summary += f"; {stats.baselined} baselined"
    unread = sum(1 for s in stats.skipped_files if s.reason in NOT_SCANNED)
    if count:
        out.append(summary)
    elif unread:
        out.append(f"No findings in what was scanned, but {unread} file{'s were' if unread != 1 else ' was'} "
                   f"not scanned (listed above). {summary}")
    else:
        out.append(f"No findings. {summary}")
    return "\n".join(out) + "\n"


NOT_SCANNED = ("too large", "unreadable", "submodule")
"""Skip reasons that may hide a secret (binary files and symlinks are judged elsewhere)."""
SKIPPED_SHOWN = 20


def skipped_lines(stats: ScanStats) -> list[str]:
    """The files a scan did not read for a reason that may hide a secret, named (at most 20)."""
    unread = [s for s in stats.skipped_files if s.reason in NOT_SCANNED]
    if not unread:
        return []
    out = ["Not scanned:"]
    out.extend(f"  {s.path}  ({s.reason})" for s in unread[:SKIPPED_SHOWN])
    if len(unread) > SKIPPED_SHOWN:
        out.append(f"  ... and {len(unread) - SKIPPED_SHOWN} more (every one is in --format json)")
    out.append("")
    return out


def render_block(report: Report, *, show_secrets: bool = False) -> str:
    """The message a hook prints when it blocks: actionable in ten seconds."""
    count = len(report.findings)
    verb = "commit" if report.command == "staged" else "push"
    out = [f"credsweep blocked this {verb}: {count} problem{'s' if count != 1 else ''} found.", ""]
    for f in report.findings:
        where = f"{f.path}:{f.line}" if f.line else f.path
        value = f.secret if show_secrets and f.secret else f.redacted
        out.append(f"  {where}  {f.name}" + (f"  {value}" if value else "") + (f"  (commit {f.commit[:10]})" if f.commit else ""))
    out += [
        "",
        "How to fix:",
        "  - Move the value to an environment variable or a secret manager, and read it from there.",
        "  - Credential files: unstage them (git restore --staged FILE) and add them to .gitignore.",
        "  - A false positive? Add `credsweep:allow` in a comment on that line, or record it:",
        "      credsweep baseline create   (then pass --baseline .credsweep-baseline.json to the hook)",
        "  - A secret that was ever pushed must be rotated: removing it from the code does not un-leak it.",
        "    `credsweep history` shows where it has been; the advice says how to rotate it.",
    ]
    return "\n".join(out) + "\n"
