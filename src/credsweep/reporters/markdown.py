"""Markdown: a rotation checklist a team can paste into a ticket, one task per distinct secret."""

from __future__ import annotations

from credsweep.advice import group_findings
from credsweep.models import Report
from credsweep.pathnames import display, printable


def render(report: Report, *, show_secrets: bool = False, color: bool = False) -> str:
    """One task per secret. File names are shown as ``pathnames.display`` quotes them (any name,
    losslessly); text from the repository goes through ``printable``."""
    groups = group_findings(report.findings)
    out = [f"# credsweep: {len(groups)} item(s) to act on in `{display(report.root)}`", ""]
    for group in groups:
        first = group.findings[0]
        value = printable(first.secret if show_secrets and first.secret else first.redacted)
        shown = f" `{value}`" if value else ""
        out.append(f"## [{group.urgency.upper()}] {printable(first.name)}{shown}")
        if first.advice.why:
            out.append(f"_{printable(first.advice.why)}_")
        out.append("")
        out.append("Locations:")
        for f in group.findings:
            where = f"{display(f.path)}:{f.line}" if f.line else display(f.path)
            out.append(f"- `{where}`" + (f" (commit {f.commit[:10]})" if f.commit else ""))
        out.append("")
        out.append(f"- [ ] {printable(first.advice.summary)}")
        out.extend(f"- [ ] {printable(step)}" for step in first.advice.steps)
        if first.advice.commands:
            out += ["", "```sh", *map(printable, first.advice.commands), "```"]
        if first.advice.urls:
            out.append("")
            out.extend(f"- <{printable(url)}>" for url in first.advice.urls)
        out.append("")
    if not groups:
        out.append("Nothing to rotate.")
    return "\n".join(out) + "\n"
