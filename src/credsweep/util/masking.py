"""What may be shown of a secret's surroundings: its line with the secret masked, and its paired identifier.

``masked_line`` keeps everything around the secret (the key name, quotes, operators, the rest of the
line) and replaces each character of the secret with ``*`` (a seven-character password in quotes reads
``password = "*******"``): enough to tell a real credential from a placeholder or a test value by its
surroundings, nothing of the value itself. Very long lines (minified code, data URLs) are cut to a
window around the secret.
"""

from __future__ import annotations

import re

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


_DOMAIN_SUFFIX = re.compile(r"\.[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)+$")


def masked_identifier(value: str) -> str:
    """The public face of a paired identifier (an AWS access key id, an OAuth client id): enough to tell
    which credential it is (its first and last four characters, ``AKIA...Y3A4``; a DNS suffix every such
    id shares is kept whole, ``5851...1d4x.apps.googleusercontent.com``), not the whole of half a
    credential pair (``--show-secrets`` prints it in full)."""
    found = _DOMAIN_SUFFIX.search(value)
    core, suffix = (value[:found.start()], value[found.start():]) if found and found.start() >= 8 else (value, "")
    if len(core) <= 8:
        return f"{core[:4]}...{suffix}"
    return f"{core[:4]}...{core[-4:]}{suffix}"
