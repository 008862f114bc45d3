"""Import the baselines users already have: detect-secrets ``.secrets.baseline`` and ``.gitleaksignore``.

Neither format can be converted blindly: detect-secrets stores unsalted SHA-1 hashes (which we refuse
to keep) and gitleaks stores rule ids and line numbers of its own. So we scan the repository, and an
entry maps to each of our findings that the foreign entry designates: same SHA-1 of the secret, or same
file and line. What maps becomes a salted credsweep entry; what does not is reported back.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from credsweep.baseline import Baseline
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


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()


def detect_format(path: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.name == ".gitleaksignore" or not text.lstrip().startswith("{"):
        return "gitleaks"
    return "detect-secrets"


def import_detect_secrets(source: Path, findings: list[Finding], baseline: Baseline) -> ImportResult:
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        results = data["results"]
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        raise InputError(f"{source}: not a detect-secrets baseline (no 'results')") from None
    if not isinstance(results, dict) or not all(
            isinstance(items, list) and all(isinstance(item, dict) for item in items) for items in results.values()):
        raise InputError(f"{source}: not a detect-secrets baseline ('results' must map file names to lists of entries)")
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
            line = item.get("line_number", 0) or 0
            if not isinstance(line, int) or isinstance(line, bool):
                raise InputError(f"{source}: not a detect-secrets baseline (a 'line_number' is not a number)")
            targets = [f for f in by_hash.get(str(item.get("hashed_secret")), []) if f.path == filename]
            targets = targets or by_place.get((filename, line), [])
            if not targets:
                unmapped.append(f"{filename}:{line} ({item.get('type', '?')})")
                continue
            mapped += 1
            status = "false-positive" if item.get("is_secret") is False else "accepted"
            for finding in targets:
                before = len(baseline.entries)
                baseline.add(finding, status=status, reason=f"imported from detect-secrets ({item.get('type', '?')})")
                added += len(baseline.entries) - before
    return ImportResult(mapped, tuple(unmapped), added)


def import_gitleaks_ignore(source: Path, findings: list[Finding], baseline: Baseline) -> ImportResult:
    """``.gitleaksignore`` lines are fingerprints ``[commit:]file:rule-id:line``."""
    by_place: dict[tuple[str, int], list[Finding]] = {}
    for finding in findings:
        if finding.line is not None:
            by_place.setdefault((finding.path, finding.line), []).append(finding)
    mapped, unmapped, added = 0, [], 0
    for raw in source.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(":")
        if len(parts) < 3 or not parts[-1].isdigit():
            unmapped.append(f"{line[:80]} (unrecognised)")
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
            baseline.add(finding, status="accepted", reason=f"imported from .gitleaksignore ({parts[-2]})")
            added += len(baseline.entries) - before
    return ImportResult(mapped, tuple(unmapped), added)


def import_file(source: Path, findings: list[Finding], baseline: Baseline) -> ImportResult:
    if not source.is_file():
        raise InputError(f"{source}: file not found")
    if detect_format(source) == "gitleaks":
        return import_gitleaks_ignore(source, findings, baseline)
    return import_detect_secrets(source, findings, baseline)
