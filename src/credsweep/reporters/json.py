"""JSON output (schema documented in docs/json-output.md)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from credsweep.advice import group_findings
from credsweep.models import Report


def as_dict(report: Report, show_secrets: bool = False) -> dict[str, Any]:
    findings = [f.to_dict(show_secrets) for f in report.findings]
    return {
        "tool": {"name": "credsweep", "version": report.tool_version},
        "command": report.command,
        "root": report.root,
        "summary": {
            "findings": len(findings),
            "by_kind": dict(Counter(f.kind for f in report.findings)),
            "by_severity": dict(Counter(f.severity for f in report.findings)),
            "files_scanned": report.stats.files,
            "bytes_scanned": report.stats.bytes,
            "skipped": report.stats.skipped_counts,
            "skipped_files": [{"path": s.path, "reason": s.reason} for s in report.stats.skipped_files],
            "engine": report.stats.engine,
            "baselined": report.stats.baselined,
            "stale_baseline_entries": report.stats.stale_baseline,
            "seconds": round(report.stats.seconds, 3),
        },
        "findings": findings,
        "groups": [g.to_dict() for g in group_findings(report.findings)],
    }


def render(report: Report, *, show_secrets: bool = False, color: bool = False, all_locations: bool = False) -> str:
    """The report as JSON: indented at the top, one finding (and one group) per line.

    Fully indented JSON goes through the json module's pure-Python encoder, which on a history
    report of thousands of findings costs more than the scan's provenance; a line per finding keeps
    the output greppable and diffable, and ``jq`` re-indents it for reading."""
    data = as_dict(report, show_secrets)
    lists = {key: data.pop(key) for key in ("findings", "groups")}
    head = json.dumps(data, indent=2, ensure_ascii=False)
    parts = [head[:-2]]  # without the closing "\n}"
    for key, items in lists.items():
        body = ",\n    ".join(json.dumps(item, ensure_ascii=False) for item in items)
        parts.append(f',\n  "{key}": [\n    {body}\n  ]' if items else f',\n  "{key}": []')
    return "".join(parts) + "\n}\n"
