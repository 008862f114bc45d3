"""Inline allow comments on the offending line (or the line before, for ``allow-next-line``)."""

from __future__ import annotations

import re

from credsweep.util.lazyre import lazy
from credsweep.util.spans import LineIndex, index_for

# credsweep's own marker, detect-secrets' pragma and gitleaks' marker: users already have these.
# Every marker contains "allow": lines without it are never searched (see LineIndex.mentions_allow).
ALLOW_LINE = lazy(rb"credsweep:allow\b(?!-next-line)|pragma:\s*allowlist\s+secret|gitleaks:allow")
ALLOW_NEXT = lazy(rb"credsweep:allow-next-line|pragma:\s*allowlist\s+nextline\s+secret")


def line_bounds(data: bytes, offset: int) -> tuple[int, int]:
    """Start and end offsets of the line containing ``offset``."""
    return index_for(data).bounds(offset)


def _carries(index: LineIndex, marker: re.Pattern[bytes], start: int, end: int) -> bool:
    # one search per line and marker, however many matches the line holds (minified code)
    if not index.mentions_allow(start, end):
        return False
    key = (start, end, marker is ALLOW_NEXT)
    verdict = index.verdicts.get(key)
    if verdict is None:
        verdict = index.verdicts[key] = marker.search(index.data, start, end) is not None
    return verdict


def is_inline_allowed(data: bytes, start: int, end: int) -> bool:
    """True when the first or last line of the match carries an allow comment, or the line above an allow-next-line."""
    index = index_for(data)
    first_start, first_end = index.bounds(start)
    if _carries(index, ALLOW_LINE, first_start, first_end):
        return True
    if end > first_end:  # multi-line secret (PEM): its last line may carry the marker too
        last_start, last_end = index.bounds(max(end - 1, start))
        if _carries(index, ALLOW_LINE, last_start, last_end):
            return True
    if first_start > 0:
        prev_start = index.line_start(first_start - 1)
        if _carries(index, ALLOW_NEXT, prev_start, first_start - 1):
            return True
    return False
