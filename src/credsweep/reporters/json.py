"""JSON output (schema documented in docs/json-output.md)."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterator
from typing import Any

from credsweep.enrich.advice import group_findings
from credsweep.models import Advice, Report
from credsweep.util.pathnames import dumps


def as_dict(report: Report, show_secrets: bool = False) -> dict[str, Any]:
    return {
        **_head(report),
        "findings": [f.to_dict(show_secrets) for f in report.findings],
        "groups": [g.to_dict() for g in group_findings(report.findings)],
    }


def _head(report: Report) -> dict[str, Any]:
    """Everything but the findings and groups."""
    return {
        "tool": {"name": "credsweep", "version": report.version},
        "command": report.command,
        "root": report.root,
        "summary": {
            "findings": len(report.findings),
            "by_kind": dict(Counter(f.kind for f in report.findings)),
            "by_severity": dict(Counter(f.severity for f in report.findings)),
            "files_scanned": report.stats.files,
            "bytes_scanned": report.stats.bytes,
            "skipped": report.stats.skipped_counts,
            "skipped_files": [{"path": s.path, "reason": s.reason, **({"size": s.size} if s.size is not None else {})}
                              for s in report.stats.skipped_files],
            "engine": report.stats.engine,
            "baselined": report.stats.baselined,
            "stale_baseline_entries": report.stats.stale_baseline,
            "baseline_unaudited": report.stats.baseline_unaudited,
            "suppressed": [s.to_dict() for s in report.stats.suppressed],
            "notes": list(report.stats.notes),
            "seconds": round(report.stats.seconds, 3),
        },
    }


def render(report: Report, *, show_secrets: bool = False, color: bool = False, all_locations: bool = False) -> str:
    """The report as JSON (``stream``'s chunks joined)."""
    return "".join(stream(report, show_secrets=show_secrets))


def stream(report: Report, *, show_secrets: bool = False) -> Iterator[str]:
    """The report as JSON, in chunks: indented at the top, one finding (and one group) per line, each
    rendered when it is written, so a large report is never built whole in memory.

    Fully indented JSON goes through the json module's pure-Python encoder, which on a history
    report of thousands of findings costs more than the scan's provenance; a line per finding keeps
    the output greppable and diffable, and ``jq`` re-indents it for reading. A file name that is not
    UTF-8 is written as text with U+FFFD plus its exact bytes in ``path_base64``
    (``pathnames.jsonable``).

    Advice is shared (one ``Advice`` per rule, urgency and plan: ``advice.contextualize``) and is most
    of each line's text: each distinct one is encoded once and spliced into every line holding it
    (the same text ``dumps`` writes in place)."""
    head = dumps(_head(report), indent=2)
    yield head[:-2]  # without the closing "\n}"
    marker = f"\x00advice-{secrets.token_hex(8)}\x00"  # no path, name or preview holds a NUL and this nonce
    quoted = dumps(marker)
    encoded: dict[int, str] = {}

    def line(item: dict[str, Any], advice: Advice) -> str:
        text = encoded.get(id(advice))  # the report holds every advice: ids are not reused meanwhile
        if text is None:
            text = encoded[id(advice)] = dumps(advice.to_dict())
        return dumps(item).replace(quoted, text, 1)

    # the marker stands where the advice goes, so the key keeps its position
    findings = (line(f.to_dict(show_secrets, advice=marker), f.advice) for f in report.findings)
    groups = (line(g.to_dict(advice=marker), g.findings[0].advice) for g in group_findings(report.findings))
    for key, lines in (("findings", findings), ("groups", groups)):
        yield f',\n  "{key}": ['
        first = True
        for text in lines:
            yield ("\n    " if first else ",\n    ") + text
            first = False
        yield "]" if first else "\n  ]"
    yield "\n}\n"
