"""Markdown: a rotation checklist a team can paste into a ticket, one task per distinct secret.

Same entries as the text output (``advice.entries``): most urgent first, the file-level problems of a
file under the secret it holds, locations capped unless ``all_locations``, and the history rewrite
once at the end instead of in every task.
"""

from __future__ import annotations

from credsweep.enrich.advice import Entry, entries, history_cleanup, purge_plan
from credsweep.models import Report
from credsweep.util.lazyre import lazy
from credsweep.util.pathnames import display, encodable
from credsweep.util.sanitize import line, markdown_code, markdown_text

LOCATIONS_SHOWN = 10
_PLAIN_URL = lazy(r"^https?://[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+$")
"""A URL that can stand in an autolink (``<url>``) as it is: no space, bracket or backtick."""


def _url(url: str) -> str:
    return f"<{url}>" if _PLAIN_URL.match(url) and "(" not in url else markdown_code(url)


def _code_block(lines: list[str]) -> list[str]:
    """A fenced block no line can close early: the fence is longer than any backtick run inside."""
    safe = [line(text) for text in lines]
    longest = max((_longest_run(text) for text in safe), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}sh", *safe, fence]


def _longest_run(text: str, char: str = "`") -> int:
    """The longest run of ``char`` in ``text`` (a code fence must be longer)."""
    longest = run = 0
    for c in text:
        run = run + 1 if c == char else 0
        longest = max(longest, run)
    return longest


def _task(entry: Entry, show_secrets: bool, all_locations: bool) -> list[str]:
    first = entry.first
    value = first.secret if show_secrets and first.secret else first.redacted
    shown = f" {markdown_code(value)}" if value else ""
    ident = first.shown_identifier(show_secrets)
    shown += f" ({first.identifier_label} {markdown_code(ident)})" if ident else ""
    out = [f"## [{entry.urgency.upper()}] {markdown_text(first.name)}{shown}", ""]
    if entry.why:
        out.append(f"_{markdown_text(entry.why)}_ (confidence {entry.confidence})")
        out.append("")
    checked = next((f.validation for f in entry.group.findings if f.validation is not None), None)
    if checked is not None:
        out.append(f"**Validation:** {markdown_text(checked.label())}")
        out.append("")
    if first.context:
        fence = "~" * max(3, 1 + _longest_run(first.context, "~"))
        out += [f"{fence}text", line(first.context), fence, ""]
    locations = list(dict.fromkeys(
        (f"{display(f.path)} [{markdown_text(f.cell)}]" if f.cell else
         f"{display(f.path)}:{f.line}" if f.line else display(f.path))
        + (f" (commit {f.commit[:10]})" if f.commit else "")
        for f in entry.group.findings))
    limit = len(locations) if all_locations else LOCATIONS_SHOWN
    out.append("Locations:")
    out.extend(f"- {markdown_code(where)}" for where in locations[:limit])
    if len(locations) > limit:
        out.append(f"- ... and {len(locations) - limit} more (`--all-locations`, or the JSON report)")
    for finding in dict.fromkeys(entry.files):
        out.append(f"- {markdown_code(display(finding.path))}: {markdown_text(finding.name)}")
    out.append("")
    out.append(f"- [ ] {markdown_text(first.advice.summary)}")
    out.extend(f"- [ ] {markdown_text(step)}" for step in first.advice.steps)
    for finding in dict.fromkeys(entry.files):
        out.append(f"- [ ] {markdown_code(display(finding.path))}: {markdown_text(finding.advice.summary)}")
    plan = set(purge_plan(entry.group.findings))
    commands = [c for c in first.advice.commands if c not in plan]
    commands += [c for f in entry.files for c in f.advice.commands if c not in commands]
    if commands:
        out += ["", *_code_block(commands)]
    if first.advice.urls:
        out.append("")
        out.extend(f"- {_url(url)}" for url in first.advice.urls)
    out.append("")
    return out


def render(report: Report, *, show_secrets: bool = False, color: bool = False, all_locations: bool = False) -> str:
    """The checklist; ``all_locations`` lists every location of each secret. Every text from the
    repository is escaped for Markdown (``util.sanitize``): names and advice outside code spans,
    paths and values inside code spans no backtick can close."""
    items = entries(report.findings)
    out = [f"# credsweep: {len(items)} item(s) to act on in {markdown_code(display(report.root))}", ""]
    for entry in items:
        out.extend(_task(entry, show_secrets, all_locations))
    cleanup = history_cleanup(items)
    if cleanup:
        out += ["## Clean the history once, after rotating", "", *_code_block(list(cleanup)), ""]
    if not items:
        out.append("Nothing to rotate.")
    return encodable("\n".join(out) + "\n")
