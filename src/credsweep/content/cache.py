"""Where content-stage results can be kept between scans, keyed by blob id and matcher digest.

A history scan asks its cache which listed blobs were already matched under the same digest
(``Pipeline.digest``) and reads only the others; then it records what it matched (blobs without a
match included, as empty tuples). The fleet store implements this; so can any key-value store.
Stored matches carry no secret value (``ContentMatch.secret`` is None when read back).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any, Protocol

from credsweep.models import ContentMatch


class ContentCache(Protocol):
    """Content-stage results by (digest, blob id)."""

    def lookup(self, digest: str, blob_ids: Sequence[str]) -> dict[str, tuple[ContentMatch, ...]]:
        """Results of the blobs among blob_ids already matched under this ruleset digest (a blob with no
        match maps to ()). Called in batches of at most 10,000 ids."""
        ...

    def record(self, digest: str, results: Mapping[str, tuple[ContentMatch, ...]]) -> None:
        """Results of blobs newly matched in this scan (empty tuples included); the cache may buffer them
        until its own commit."""
        ...


STORED_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ContentMatch) if f.name != "secret")
"""ContentMatch fields a persistent cache keeps: everything but the secret."""


def to_record(match: ContentMatch) -> dict[str, Any]:
    """A match as JSON-ready data for a persistent cache (never the secret)."""
    out = {name: getattr(match, name) for name in STORED_FIELDS}
    out["reasons"] = list(match.reasons)
    return out


def from_record(data: Mapping[str, Any]) -> ContentMatch:
    """The match a persistent cache stored with ``to_record`` (``secret`` None; fields added since the
    record was written take their defaults)."""
    values = {name: data[name] for name in STORED_FIELDS if name in data}
    values["reasons"] = tuple(data.get("reasons") or ())
    return ContentMatch(**values)
