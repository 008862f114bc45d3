"""Markdown: a rotation checklist a team can paste into a ticket, one task per distinct secret."""

from __future__ import annotations

from credsweep.advice import group_findings
from credsweep.models import Report


def render(report: Report, *, show_secrets: bool = False, color: bool = False) -> str:
    groups = group_findings(report.findings)
    out = [f"# credsweep: {len(groups)} item(s) to act on in `{report.root}`", ""]
    for group in groups:
        first = group.findings[0]
        value = first.secret if show_secrets and first.secret else first.redacted
        shown = f" `{value}`" if value else ""
        out.append(f"## [{group.urgency.upper()}] {first.name}{shown}")
        if first.advice.why:
            out.append(f"_{first.advice.why}_")
        out.append("")
        out.append("Locations:")
        for f in group.findings:
            where = f"{f.path}:{f.line}" if f.line else f.path
            out.append(f"- `{where}`" + (f" (commit {f.commit[:10]})" if f.commit else ""))
        out.append("")
        out.append(f"- [ ] {first.advice.summary}")
        out.extend(f"- [ ] {step}" for step in first.advice.steps)
        if first.advice.commands:
            out += ["", "```sh", *first.advice.commands, "```"]
        if first.advice.urls:
            out.append("")
            out.extend(f"- <{url}>" for url in first.advice.urls)
        out.append("")
    if not groups:
        out.append("Nothing to rotate.")
    return "\n".join(out) + "\n"
