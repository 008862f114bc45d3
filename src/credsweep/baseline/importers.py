"""Import the baselines users already have: detect-secrets ``.secrets.baseline`` and ``.gitleaksignore``.

Neither format can be converted blindly: detect-secrets stores unsalted SHA-1 hashes (which we refuse
to keep) and gitleaks stores rule ids and line numbers of its own. So we scan the repository, and an
entry maps to each of our findings that the foreign entry designates: same SHA-1 of the secret, or same
file and line. What maps becomes a salted credsweep entry; what does not is reported back.

The audit state comes along, and nothing is hidden that the source did not decide about:

- detect-secrets, no ``is_secret`` (never audited): ``unaudited``, so reports keep showing it;
- detect-secrets, ``is_secret: false`` (audited as a false positive): ``false-positive``;
- detect-secrets, ``is_secret: true`` (audited as a real secret): ``unaudited``, with a reason saying
  so: a real secret stays reported until someone rotates it and marks it ``rotated``;
- ``.gitleaksignore`` lines: a person wrote each one to silence that finding, so ``accepted``, with
  the reason "imported from .gitleaksignore".

An entry the target baseline already holds keeps its own status.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from credsweep.baseline.format import Baseline
from credsweep.errors import InputError
from credsweep.models import Finding


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    mapped: int
    """Foreign entries that matched at least one credsweep finding."""
    unmapped: tuple[str, ...]
    """Foreign entries that matched nothing, as "path:line (type)" (no secret material)."""
    entries_added: int
    """credsweep entries added to the baseline."""


MAX_LINE_DIGITS = 12
"""Digits of a line number read from a foreign baseline (no file has a trillion lines)."""


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()


def detect_format(path: Path) -> str:
    """gitleaks (``.gitleaksignore`` lines) or detect-secrets (a JSON object)."""
    try:
        with path.open("rb") as handle:
            text = handle.read(4096).decode("utf-8", "replace")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    if path.name == ".gitleaksignore" or not text.lstrip().startswith("{"):
        return "gitleaks"
    return "detect-secrets"


def detect_secrets_state(item: dict[str, Any]) -> tuple[str, str]:
    """(status, reason) for one detect-secrets result, from its audit field ``is_secret``."""
    kind = str(item.get("type", "?"))[:60]
    verdict = item.get("is_secret")
    if verdict is False:
        return "false-positive", f"imported from detect-secrets ({kind}): audited there as not a secret"
    if verdict is True:
        return "unaudited", (f"imported from detect-secrets ({kind}): audited there as a real secret; "
                             "rotate it, then mark it rotated")
    return "unaudited", f"imported from detect-secrets ({kind}): never audited there"


def _results(source: Path) -> dict[str, list[dict[str, Any]]]:
    """detect-secrets' ``results``: file name → list of result objects; anything else is one-line error."""
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        raise InputError(f"{source}: not a detect-secrets baseline (not JSON)") from None
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, dict) or not all(
            isinstance(items, list) and all(isinstance(item, dict) for item in items) for items in results.values()):
        raise InputError(f"{source}: not a detect-secrets baseline (no 'results' object of lists)")
    return results


def _line_number(item: dict[str, Any]) -> int:
    value = item.get("line_number", 0)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def import_detect_secrets(source: Path, findings: list[Finding], baseline: Baseline) -> ImportResult:
    """Map a detect-secrets baseline's results onto ``findings`` (see the module docstring for statuses)."""
    results = _results(source)
    by_hash: dict[str, list[Finding]] = {}
    by_place: dict[tuple[str, int], list[Finding]] = {}
    for finding in findings:
        if finding.secret is not None:
            by_hash.setdefault(_sha1(finding.secret), []).append(finding)
        if finding.line is not None:
            by_place.setdefault((finding.path, finding.line), []).append(finding)
    mapped, unmapped, added = 0, [], 0
    for filename, items in results.items():
        for item in items:
            line = _line_number(item)
            targets = [f for f in by_hash.get(str(item.get("hashed_secret")), []) if f.path == filename]
            targets = targets or by_place.get((filename, line), [])
            if not targets:
                unmapped.append(f"{filename}:{line} ({str(item.get('type', '?'))[:60]})")
                continue
            mapped += 1
            status, reason = detect_secrets_state(item)
            for finding in targets:
                before = len(baseline.entries)
                baseline.add(finding, status=status, reason=reason)
                added += len(baseline.entries) - before
    return ImportResult(mapped, tuple(unmapped), added)


def import_gitleaks_ignore(source: Path, findings: list[Finding], baseline: Baseline) -> ImportResult:
    """``.gitleaksignore`` lines are fingerprints ``[commit:]file:rule-id:line``."""
    by_place: dict[tuple[str, int], list[Finding]] = {}
    for finding in findings:
        if finding.line is not None:
            by_place.setdefault((finding.path, finding.line), []).append(finding)
    mapped, unmapped, added = 0, [], 0
    try:
        text = source.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"{source}: cannot read: {exc.strerror}") from None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(":")
        if len(parts) < 3 or not (parts[-1].isascii() and parts[-1].isdigit()):
            unmapped.append(f"{line[:80]} (unrecognised)")
            continue
        if len(parts[-1]) > MAX_LINE_DIGITS:  # int() of 5,000 digits is a ValueError (Python's digit limit)
            unmapped.append(f"{line[:80]} (line number out of range)")
            continue
        number = int(parts[-1])
        # file paths may contain ':'; a leading 40-hex commit is dropped
        body = parts[1:-2] if len(parts) >= 4 and len(parts[0]) == 40 else parts[:-2]
        path = ":".join(body)
        commit = parts[0] if len(parts) >= 4 and len(parts[0]) == 40 else None
        targets = [f for f in by_place.get((path, number), []) if commit is None or f.commit in (None, commit)]
        if not targets:
            unmapped.append(f"{path}:{number} ({parts[-2]})")
            continue
        mapped += 1
        for finding in targets:
            before = len(baseline.entries)
            baseline.add(finding, status="accepted", reason=f"imported from .gitleaksignore ({parts[-2]})"[:200])
            added += len(baseline.entries) - before
    return ImportResult(mapped, tuple(unmapped), added)


def import_file(source: Path, findings: list[Finding], baseline: Baseline) -> ImportResult:
    """Import ``source`` (either format, detected from its name and content) into ``baseline``."""
    if not source.is_file():
        raise InputError(f"{source}: file not found")
    if detect_format(source) == "gitleaks":
        return import_gitleaks_ignore(source, findings, baseline)
    return import_detect_secrets(source, findings, baseline)
