"""Path predicates for location judgement.

``is_scanner_bookkeeping``: files secret scanners write to remember what they already reported
(baselines, ignore lists). They hold fingerprints, hashes and rule ids next to file paths and
secret-looking strings by design; a scanner that reports them as leaks reports its own bookkeeping.
"""

from __future__ import annotations

BOOKKEEPING_NAMES = frozenset({
    ".gitleaksignore",  # gitleaks: one fingerprint per line, commit:file:rule:line
    ".betterleaksignore",  # betterleaks (a gitleaks fork): the same format
    ".secrets.baseline",  # detect-secrets' default baseline (hashed secrets, JSON)
    ".credsweep-baseline.json",  # credsweep's own (baseline.DEFAULT_FILE; salted scrypt hashes, JSON)
    ".trufflehogignore",  # trufflehog: paths to skip
})
"""File names (any folder) that scanners write as baselines or ignore lists."""


def is_scanner_bookkeeping(path: str) -> bool:
    """A secret scanner's baseline or ignore file (``.gitleaksignore``, ``.secrets.baseline``,
    ``.credsweep-baseline.json``): never scanned for secrets. ``path`` is repository-relative with
    forward slashes; only its file name counts, so a baseline kept in a subfolder is one too."""
    return path.replace("\\", "/").rsplit("/", 1)[-1] in BOOKKEEPING_NAMES
