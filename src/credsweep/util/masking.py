"""A line of a file with a secret's characters masked: what a person auditing a finding judges from.

``masked_line`` keeps everything around the secret (the key name, quotes, operators, the rest of the
line) and replaces each character of the secret with ``*``, so ``password = "hunter2"`` reads
``password = "*******"``: enough to tell a real credential from a placeholder or a test value by its
surroundings, nothing of the value itself. Very long lines (minified code, data URLs) are cut to a
window around the secret.
"""

from __future__ import annotations

LIMIT = 160
"""Characters of a line shown in full; a longer one is cut to a window around the secret."""
BEFORE, AFTER, STARS = 60, 40, 40
"""The window of a long line: characters kept before and after the secret, and stars shown for it."""


def masked_line(line: str, start: int, end: int) -> str:
    """``line`` with ``line[start:end]`` (the secret, character offsets) replaced by ``*``; a line longer
    than ``LIMIT`` is cut to the secret and some context either side, with ``…`` where it was cut."""
    start = max(0, min(start, len(line)))
    end = max(start, min(end, len(line)))
    masked = line[:start] + "*" * (end - start) + line[end:]
    if len(masked) <= LIMIT:
        return masked
    stars = "*" * min(end - start, STARS) + ("…" if end - start > STARS else "")
    head = ("…" if start > BEFORE else "") + line[max(0, start - BEFORE):start]
    tail = line[end:end + AFTER] + ("…" if end + AFTER < len(line) else "")
    return head + stars + tail
