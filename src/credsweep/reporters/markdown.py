"""Markdown: a rotation checklist a team can paste into a ticket, one task per distinct secret."""

from __future__ import annotations

from credsweep.models import Finding, Report

_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def _groups(findings: tuple[Finding, ...]) -> list[list[Finding]]:
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.secret_id or finding.fingerprint, []).append(finding)
    return sorted(groups.values(), key=lambda g: (_ORDER[g[0].advice.urgency], g[0].path))


def render(report: Report, *, show_secrets: bool = False, color: bool = False) -> str:
    groups = _groups(report.findings)
    out = [f"# credsweep: {len(groups)} item(s) to act on in `{report.root}`", ""]
    for group in groups:
        first = group[0]
        value = first.secret if show_secrets and first.secret else first.redacted
        out.append(f"## [{first.advice.urgency.upper()}] {first.name} `{value}`")
        if first.advice.why:
            out.append(f"_{first.advice.why}_")
        out.append("")
        out.append("Locations:")
        for f in group:
            where = f"{f.path}:{f.line}" if f.line else f.path
            out.append(f"- `{where}`" + (f" (commit {f.commit[:10]})" if f.commit else ""))
        out.append("")
        out.append(f"- [ ] {first.advice.summary}")
        out.extend(f"- [ ] {step}" for step in first.advice.steps)
        if first.advice.commands:
            out.append("")
            out.append("```sh")
            out.extend(first.advice.commands)
            out.append("```")
        if first.advice.urls:
            out.append("")
            out.extend(f"- <{url}>" for url in first.advice.urls)
        out.append("")
    if not groups:
        out.append("Nothing to rotate.")
    return "\n".join(out) + "\n"
