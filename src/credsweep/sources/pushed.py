"""git's pre-push standard input, parsed without touching git.

git writes one line per ref being pushed: ``<local ref> SP <local object id> SP <remote ref> SP
<remote object id>`` (githooks(5)); an all-zero id means "no object" (a deleted ref, a new branch).
The object ids become git arguments later, so only hexadecimal ids of SHA-1 or SHA-256 length pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from credsweep.errors import InputError
from credsweep.util.lazyre import lazy

_OBJECT_ID = lazy(r"[0-9a-fA-F]{40}|[0-9a-fA-F]{64}")


@dataclass(frozen=True)
class PushedRef:
    """One line of pre-push input."""

    local_ref: str
    """The local ref pushed (``refs/heads/x``, or ``(delete)`` when deleting the remote ref)."""
    local_id: str
    """Object id pushed; all zeros when the remote ref is deleted."""
    remote_ref: str
    """The remote ref updated."""
    remote_id: str
    """Object id the remote ref holds now; all zeros when it does not exist yet."""

    @property
    def deletes(self) -> bool:
        """The push deletes the remote ref: nothing is sent."""
        return set(self.local_id) == {"0"}

    @property
    def creates(self) -> bool:
        """The remote ref does not exist yet (a new branch or tag)."""
        return set(self.remote_id) == {"0"}


def parse_prepush_lines(lines: Iterable[str]) -> list[PushedRef]:
    """The refs described by git's pre-push input; blank lines are skipped, anything else malformed is
    an ``InputError`` naming the line (shortened, printable)."""
    refs = []
    for line in lines:
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 4 or not all(_OBJECT_ID.fullmatch(parts[i]) for i in (1, 3)):
            shown = "".join(c if c.isprintable() else "?" for c in line.strip()[:80])
            raise InputError(f"unexpected pre-push input line: {shown!r}")
        refs.append(PushedRef(*parts))
    return refs
