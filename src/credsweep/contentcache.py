"""Results of content matching, reusable by blob id: the protocol a fleet store implements.

Content matching is a pure function of (blob bytes, ruleset digest), so its results can be kept by
``(blob_id, digest)`` and reused by a later scan of the same repository, of a fork, or of any other
repository holding the same blob. ``scan_history(..., content_cache=...)`` asks the cache before
reading blobs and records what it had to match itself.

``ContentMatch`` is the pipeline's own dataclass (``credsweep.models``) once it exists; until then
this module carries a stand-in with the same fields so the store can be written against it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Protocol

__all__ = ["STORED_FIELDS", "ContentCache", "ContentMatch", "from_record", "to_record"]

try:  # the pipeline's dataclass, when it has landed
    from credsweep.models import ContentMatch  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - until the pipeline lands

    @dataclass(frozen=True)
    class ContentMatch:  # type: ignore[no-redef]
        """One secret matched in one blob's content, independent of where the blob lives."""

        rule: str
        """Rule id."""
        start: int
        """Byte offset of the secret in the content."""
        end: int
        """Byte offset just past the secret."""
        line: int
        """1-based line of the start."""
        column: int
        """1-based column of the start."""
        end_line: int
        """1-based line of the end."""
        end_column: int
        """1-based column just past the end."""
        confidence: str
        """high, medium or low."""
        reasons: tuple[str, ...]
        """Named reasons behind the confidence."""
        secret_id: str
        """Salted hash of the secret alone."""
        fingerprint: str
        """Salted hash of kind, rule and secret."""
        redacted: str
        """Preview that does not reveal the secret."""
        identifier: str | None
        """Non-secret identifier paired with the secret (e.g. an AWS access key id)."""
        encoding: str | None
        """How the secret was encoded in the content (base64, url, ...), None when plain."""
        secret: str | None = field(default=None, repr=False, compare=False)
        """The secret itself: memory only, None when the match came from a store."""


class ContentCache(Protocol):
    """Content-matching results by (blob id, ruleset digest)."""

    def lookup(self, digest: str, blob_ids: Sequence[str]) -> dict[str, tuple[ContentMatch, ...]]:
        """Results of the blobs among blob_ids already matched under this ruleset digest (a blob with no match maps to ()). Called in batches of at most 10,000 ids."""
        ...

    def record(self, digest: str, results: Mapping[str, tuple[ContentMatch, ...]]) -> None:
        """Results of blobs newly matched in this scan (empty tuples included); the cache may buffer them until its own commit."""
        ...


STORED_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ContentMatch) if f.name != "secret")
"""ContentMatch fields a cache may persist: everything but the secret."""


def to_record(match: ContentMatch) -> dict[str, Any]:
    """A match as JSON-ready data for a persistent cache (never the secret)."""
    out = {name: getattr(match, name) for name in STORED_FIELDS}
    out["reasons"] = list(match.reasons)
    return out


def from_record(data: Mapping[str, Any]) -> ContentMatch:
    """The match a persistent cache stored with ``to_record`` (``secret`` None)."""
    values = {name: data.get(name) for name in STORED_FIELDS}
    values["reasons"] = tuple(data.get("reasons") or ())
    return ContentMatch(**values)
