"""What may be shown of a secret's paired identifier (the secret's own line is masked by the content
stage: ``content.values.masked_line``, carried as ``Finding.context``)."""

from __future__ import annotations

import re

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
