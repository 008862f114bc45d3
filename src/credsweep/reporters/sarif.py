"""SARIF 2.1.0 output for GitHub code scanning and other SARIF consumers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from credsweep.models import Finding, Report
from credsweep.util import pathnames

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
# GitHub maps security-severity to critical (>= 9.0), high (7.0-8.9), medium (4.0-6.9), low.
_SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}


def _rule(finding: Finding) -> dict[str, Any]:
    advice = finding.advice
    help_text = "\n".join([advice.summary, *(f"- {s}" for s in advice.steps), *advice.urls])
    return {
        "id": finding.rule,
        "name": finding.rule.replace(".", "/"),
        "shortDescription": {"text": finding.name},
        "fullDescription": {"text": f"{finding.name} ({finding.kind}, provider {finding.provider})"},
        "helpUri": advice.urls[0] if advice.urls else "https://github.com/credsweep/credsweep",
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": _LEVEL[finding.severity]},
        "properties": {
            "tags": list(dict.fromkeys(["security", "secret", finding.kind, finding.provider])),
            "security-severity": _SECURITY_SEVERITY[finding.severity],
            "precision": {"high": "high", "medium": "medium", "low": "low"}[finding.confidence],
        },
    }


def _result(finding: Finding, rule_index: int, show_secrets: bool) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": finding.line or 1}
    if finding.column:
        region["startColumn"] = finding.column
    if finding.end_line:
        region["endLine"] = finding.end_line
    if finding.end_column and finding.end_line:
        region["endColumn"] = finding.end_column
    if finding.context:  # the line with every secret on it masked (never the value)
        region["snippet"] = {"text": finding.context}
    shown = finding.secret if show_secrets and finding.secret else finding.redacted
    checked = f" ({finding.validation.label()})" if finding.validation is not None else ""
    properties: dict[str, Any] = {
        "kind": finding.kind,
        "provider": finding.provider,
        "severity": finding.severity,
        "confidence": finding.confidence,
        "redacted": shown,
        "advice": finding.advice.to_dict(),
    }
    if finding.validation is not None:
        properties["validation"] = finding.validation.to_json()
    ident = finding.shown_identifier(show_secrets)
    if ident:
        properties["identifier"] = ident
    if finding.reasons:
        properties["reasons"] = list(finding.reasons)
    if finding.cell:
        properties["cell"] = finding.cell
    if finding.commit:
        properties["commit"] = finding.commit
    if finding.provenance:
        properties["provenance"] = finding.provenance.to_dict()
    return {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.severity],
        "message": {"text": f"{finding.name}: {shown}" + (f" (id {ident})" if ident else "")
                    + f"{checked}. {finding.advice.summary}"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": pathnames.uri(finding.path), "uriBaseId": "%SRCROOT%"},
                    "region": region,
                }
            }
        ],
        "partialFingerprints": {"credsweep/v1": finding.fingerprint},
        "properties": properties,
    }


def as_dict(report: Report, show_secrets: bool = False) -> dict[str, Any]:
    rules: dict[str, int] = {}
    rule_objects: list[dict[str, Any]] = []
    results = []
    for finding in report.findings:
        if finding.rule not in rules:
            rules[finding.rule] = len(rule_objects)
            rule_objects.append(_rule(finding))
        results.append(_result(finding, rules[finding.rule], show_secrets))
    return _document(report, rule_objects, results)


def _document(report: Report, rule_objects: list[dict[str, Any]], results: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "credsweep",
                        "version": report.version,
                        "semanticVersion": report.version,
                        "informationUri": "https://github.com/credsweep/credsweep",
                        "rules": rule_objects,
                    }
                },
                "automationDetails": {"id": f"credsweep/{report.command}/"},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render(report: Report, *, show_secrets: bool = False, color: bool = False, all_locations: bool = False) -> str:
    """SARIF 2.1.0; artifact URIs percent-encode a file name's exact bytes, so any name survives."""
    return "".join(stream(report, show_secrets=show_secrets))


_RESULTS_MARK = "\x00credsweep-results\x00"


def stream(report: Report, *, show_secrets: bool = False) -> Iterator[str]:
    """SARIF 2.1.0 in chunks: the document around the results, then each result rendered as it is
    written (a large report is never built whole). The same document as ``as_dict``."""
    rules: dict[str, int] = {}
    rule_objects: list[dict[str, Any]] = []
    for finding in report.findings:  # the rules come first in the document: one cheap pass
        if finding.rule not in rules:
            rules[finding.rule] = len(rule_objects)
            rule_objects.append(_rule(finding))
    document = _document(report, rule_objects, _RESULTS_MARK)  # type: ignore[arg-type]
    text = pathnames.dumps(document, indent=2)
    marker = pathnames.dumps(_RESULTS_MARK)
    before, _, after = text.partition(marker)
    yield before
    indent = "\n" + " " * 8  # runs[0].results' items, as json.dumps(indent=2) places them
    if not report.findings:
        yield "[]"
    else:
        yield "["
        for number, finding in enumerate(report.findings):
            item = pathnames.dumps(_result(finding, rules[finding.rule], show_secrets), indent=2)
            yield ("," if number else "") + indent + item.replace("\n", indent)
        yield "\n" + " " * 6 + "]"
    yield after + "\n"
