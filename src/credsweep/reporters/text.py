"""Text output for people: findings grouped by file, colour on a terminal, one line of advice each."""

from __future__ import annotations

from itertools import groupby

from credsweep.advice import group_findings
from credsweep.models import Finding, Report

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
    skipped = ", ".join(f"{n} {why}" for why, n in sorted(stats.skipped.items()))
    count = len(report.findings)
    summary = (
        f"{count} finding{'s' if count != 1 else ''} in {stats.files} files "
        f"({stats.bytes / 1e6:.1f} MB, {stats.seconds:.2f}s, engine {stats.engine})"
    )
    if skipped:
        summary += f"; skipped {skipped}"
    if stats.baselined:
        summary += f"; {stats.baselined} baselined"
    out.append(summary if count else f"No findings. {summary}")
    return "\n".join(out) + "\n"
