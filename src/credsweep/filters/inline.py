"""Inline allow comments on the offending line (or the line before, for ``allow-next-line``)."""

from __future__ import annotations

import re

# credsweep's own marker, detect-secrets' pragma and gitleaks' marker: users already have these.
ALLOW_LINE = re.compile(rb"credsweep:allow\b(?!-next-line)|pragma:\s*allowlist\s+secret|gitleaks:allow")
ALLOW_NEXT = re.compile(rb"credsweep:allow-next-line|pragma:\s*allowlist\s+nextline\s+secret")


def line_bounds(data: bytes, offset: int) -> tuple[int, int]:
    """Start and end offsets of the line containing ``offset``."""
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    return start, len(data) if end < 0 else end


def is_inline_allowed(data: bytes, start: int, end: int) -> bool:
    """True when the first or last line of the match carries an allow comment, or the line above an allow-next-line."""
    first_start, first_end = line_bounds(data, start)
    if ALLOW_LINE.search(data, first_start, first_end):
        return True
    if end > first_end:  # multi-line secret (PEM): its last line may carry the marker too
        last_start, last_end = line_bounds(data, max(end - 1, start))
        if ALLOW_LINE.search(data, last_start, last_end):
            return True
    if first_start > 0:
        prev_start, _ = line_bounds(data, first_start - 1)
        if ALLOW_NEXT.search(data, prev_start, first_start - 1):
            return True
    return False
