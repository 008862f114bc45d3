"""Where content-stage results can be kept between scans, keyed by blob id and matcher digest.

A history scan asks its cache which listed blobs were already matched under the same digest
(``Pipeline.digest``) and reads only the others; then it records what it matched (blobs without a
match included, as empty tuples). The fleet store implements this; so can any key-value store.
Stored matches carry no secret value (``ContentMatch.secret`` is None when read back).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

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
