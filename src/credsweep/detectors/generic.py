"""Support for the generic (keyword) rules of ``rulesets/generic.toml``: the context their matches
are judged in, and the value test for weak human-chosen passwords.

Generic rules are regexes like every other rule (so ``rules check`` runs their examples); what a
regex expresses badly lives here: the key a value is assigned to, the line and file around it.
"""

from __future__ import annotations

import re

from credsweep.filters.heuristics import Candidate, is_low_diversity, is_placeholder, is_template
from credsweep.models import Match

LINE_CONTEXT = 2048  # bytes of line kept either side of a match (minified code has megabyte lines)
_KEY_TAIL = re.compile(r"[\w.\-\[\]\"'`$@>]{1,80}\W{0,6}$")


def generic_candidate(data: bytes, match: Match, path: str = "") -> Candidate:
    """The ``Candidate`` for a generic match: its line and the key-ish text just before the value."""
    line_start = max(data.rfind(b"\n", 0, match.start) + 1, match.start - LINE_CONTEXT)
    line_end = data.find(b"\n", match.end)
    line_end = min(len(data) if line_end < 0 else line_end, match.end + LINE_CONTEXT)
    before = data[line_start:match.start].decode("utf-8", "replace")
    after = data[match.end:line_end].decode("utf-8", "replace")
    key = _KEY_TAIL.search(before)
    return Candidate(secret=match.secret, line=before + match.secret + after, path=path,
                     key=key.group(0) if key else before[-40:])


NOT_A_PASSWORD = frozenset(
    "password passwd pass pwd secret changeme changeit default none null nil empty blank required "
    "optional unknown undefined hidden mask masked test testing demo admin root user guest username".split()
)
"""Values people type into a password field meaning "fill me in" or "none"."""


_ENCODED = re.compile(r"%[0-9A-Fa-f]{2}|%[A-Z_]{3,}")  # URL-encoded text, %TEMPLATE% variables
_CODE_CHARS = frozenset(" \\\"'`()[]{}<>;,")  # a quote, escape or bracket: the capture ran into code


def weak_password(secret: str) -> bool:
    """A human-chosen password in a password field: real even when short and low in entropy
    (``pass123``, ``hunter22``, ``Summer2024!``), unless it is a placeholder word or a template.

    Password rules of credential-file formats (.netrc, .pgpass, wp-config) accept these below their
    entropy floor: weak passwords are the ones attackers guess first, so dropping them loses the worst leaks.
    """
    value = secret.strip()
    if not 6 <= len(value) <= 128 or value.lower() in NOT_A_PASSWORD or any(c in value for c in _CODE_CHARS):
        return False
    has_alpha = any(c.isalpha() for c in value)
    # hyphens, underscores and dots join words ("store-pass", "irc_pass"): names, not passwords
    has_other = any(c.isdigit() or (not c.isalnum() and c not in "-_.") for c in value)
    if not (has_alpha and has_other) or value.isdigit() or _ENCODED.search(value):
        return False
    if value[0] in "$%@:!&*{<#=" or value[-1] in ":=":  # a reference, YAML tag or the next key
        return False
    return not (is_placeholder(value) or is_template(value) or is_low_diversity(value))
