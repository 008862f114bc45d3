"""Secrets hidden by an encoding: base64 blobs, URL-encoded text, and JSON-escaped newlines.

Decoded text is scanned with the same rules; a match is reported at the encoded run's position.
Only runs that plausibly hide text are decoded (printable after decoding), so images and compressed
data cost a regex pass and nothing more.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from urllib.parse import unquote_to_bytes

B64_RUN = re.compile(rb"[A-Za-z0-9+/_\-]{32,20000}={0,2}")
URL_RUN = re.compile(rb"(?:[A-Za-z0-9._~:/?#@!$&'()*+,;=\-]|%[0-9A-Fa-f]{2}){16,4000}")
DECODE_LIMIT = 1024 * 1024  # larger contents are not searched for encoded runs


def _printable(raw: bytes) -> bool:
    if not raw:
        return False
    text = sum(32 <= b < 127 or b in (9, 10, 13) for b in raw)
    return text / len(raw) > 0.95


def encoded_runs(data: bytes) -> Iterator[tuple[int, int, bytes, str]]:
    """(start, end, decoded bytes, encoding) for each base64 or URL-encoded run that decodes to text."""
    if len(data) > DECODE_LIMIT:
        return
    for found in B64_RUN.finditer(data):
        run = found.group(0)
        if not (any(c in run for c in b"0123456789") and any(97 <= c <= 122 for c in run)
                and any(65 <= c <= 90 for c in run)):
            continue  # plain words and hex are not base64 worth decoding
        try:
            raw = base64.b64decode(run.replace(b"-", b"+").replace(b"_", b"/") + b"=" * (-len(run) % 4))
        except (binascii.Error, ValueError):
            continue
        if _printable(raw):
            yield found.start(), found.end(), raw, "base64"
    if b"%" in data:
        for found in URL_RUN.finditer(data):
            run = found.group(0)
            if run.count(b"%") < 2:
                continue
            raw = unquote_to_bytes(run)
            if raw != run and _printable(raw):
                yield found.start(), found.end(), raw, "url"
