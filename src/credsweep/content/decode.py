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

from credsweep.util.lazyre import lazy

DECODE_LIMIT = 1024 * 1024  # larger contents are not searched for encoded runs


_TEXT_BYTES = bytes(range(32, 127)) + b"\t\n\r"


def _printable(raw: bytes) -> bool:
    """More than 95% printable ASCII (counted in C: ``translate`` deletes the printable bytes)."""
    if not raw:
        return False
    other = len(raw.translate(None, _TEXT_BYTES))
    return (len(raw) - other) / len(raw) > 0.95


_TEXT_QUADS = lazy(rb"(?:[A-Za-f][A-Za-z0-9+/_\-]{3}){6}")


_PEM_BLOCK = lazy(rb"-----BEGIN [A-Z0-9 ]{1,64}-----.{0,65536}?-----END [A-Z0-9 ]{1,64}-----", re.S)


def _outside_pem(data: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of the stretches of ``data`` between PEM blocks: a PEM body is base64 of DER
    (certificates, keys), which rules match as blocks; decoding its lines finds nothing (a CA bundle
    is thousands of such lines)."""
    at = 0
    if b"-----BEGIN " in data:
        for block in _PEM_BLOCK.finditer(data):
            yield at, block.start()
            at = block.end()
    yield at, len(data)


class RunMemo:
    """What each run decoded to (None: not text worth scanning), bounded by the bytes it holds: history
    meets the same encoded run (and the same hex ids, which the checks reject) in every version of a file."""

    LIMIT = 8 * 1024 * 1024

    def __init__(self) -> None:
        self.runs: dict[bytes, bytes | None] = {}
        self._bytes = 0

    def remember(self, run: bytes, raw: bytes | None) -> None:
        self._bytes += len(run) + (len(raw) if raw else 0) + 64
        if self._bytes > self.LIMIT:
            self.runs.clear()
            self._bytes = len(run) + (len(raw) if raw else 0) + 64
        self.runs[run] = raw


def encoded_runs(data: bytes, base64_from: int = 0, url: bool = True,
                 memo: RunMemo | None = None) -> Iterator[tuple[int, int, bytes, str]]:
    """(start, end, decoded bytes, encoding) for each base64 or URL-encoded run that decodes to text.

    ``base64_from``: where the content's first stretch of ``engine.BASE64_GATE`` starts (-1: none, so
    no base64 run is looked for); ``url``: whether URL-encoded runs are looked for (``engine.URL_GATE``).
    The engine's one pass says both, so most content is not read here at all. ``memo``: what runs met
    before decoded to (the same answers, fewer checks)."""
    if len(data) > DECODE_LIMIT:
        return
    memo = memo or RunMemo()
    if base64_from >= 0:
        for begin, stop in _outside_pem(data):
            if stop > base64_from:
                yield from _base64_runs(data, max(begin, _run_start(data, base64_from, begin)), stop, memo)
    if url and b"%" in data:
        yield from _url_runs(data, memo)


_URL_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~:/?#@!$&'()*+,;=-%"
_ESCAPE = lazy(rb"%[0-9A-Fa-f]{2}")
URL_RUN_MAX = 4000


def _url_runs(data: bytes, memo: RunMemo) -> Iterator[tuple[int, int, bytes, str]]:
    """URL-encoded runs: from each escape, the run of URL characters around it (escapes are rare, so
    this reads little of the content; a regex for whole runs would try every word of it)."""
    done = -1
    for escape in _ESCAPE.finditer(data):
        at = escape.start()
        if at < done:
            continue  # inside the run just examined
        left = data[max(0, at - URL_RUN_MAX):at]
        start = at - (len(left) - len(left.rstrip(_URL_CHARS)))
        right = data[at:at + URL_RUN_MAX]
        end = at + (len(right) - len(right.lstrip(_URL_CHARS)))
        done = end
        run = data[start:end]
        if len(run) < 16:
            continue
        key = b"%" + run  # URL and base64 runs in one memo: a URL run always holds a '%', a base64 one never
        if key in memo.runs:
            known = memo.runs[key]
        else:
            raw = unquote_to_bytes(run) if run.count(b"%") >= 2 else run
            known = raw if raw != run and _printable(raw) else None
            memo.remember(key, known)
        if known is not None:
            yield start, end, known, "url"


_GATE_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64_MASK = bytes(65 if c in _GATE_CHARS else 66 if c in b"_-" else 32 for c in range(256))
"""Base64 characters to 'A' ('B' for the URL-safe '-' and '_'), everything else to ' ': runs and the
gate's stretches are then found with ``bytes.find``."""
B64_MIN, B64_MAX = 32, 20000
"""A run is decoded when it holds ``B64_MIN`` characters of ``engine.BASE64_GATE`` in a row; longer runs
than ``B64_MAX`` are decoded in pieces."""


def _run_start(data: bytes, at: int, begin: int) -> int:
    """Where the run of base64 characters holding ``at`` starts (not before ``begin``)."""
    while at > begin:
        chunk = max(begin, at - 4096)
        space = data[chunk:at].translate(_B64_MASK).rfind(b" ")
        if space >= 0:
            return chunk + space + 1
        at = chunk
    return begin


def _base64_runs(data: bytes, begin: int, stop: int, memo: RunMemo) -> Iterator[tuple[int, int, bytes, str]]:
    """Base64 runs of ``data[begin:stop]`` that hold a gate stretch and decode to text (``begin`` is
    where a run starts, or the content does).

    The runs are found in C: the content is mapped to 'A'/'B'/' ' once, then each stretch of 32 'A's
    is a ``find`` away (a regex would try every position of the content)."""
    mask = data[begin:stop].translate(_B64_MASK)
    needle = b"A" * B64_MIN
    at = mask.find(needle)
    done = 0
    while at >= 0:
        start = max(mask.rfind(b" ", 0, at) + 1, done)  # a run longer than B64_MAX goes on in pieces
        end = mask.find(b" ", at)
        end = len(mask) if end < 0 else end
        end = min(end, start + B64_MAX)
        done = end
        next_at = mask.find(needle, end)
        pad = data[begin + end:begin + end + 2]
        stop_at = begin + end + (2 if pad == b"==" else 1 if pad[:1] == b"=" else 0)
        run = data[begin + start:stop_at]
        at = next_at
        if run in memo.runs:
            known = memo.runs[run]
        else:
            known = _base64_text(run)
            memo.remember(run, known)
        if known is not None:
            yield begin + start, stop_at, known, "base64"


def _base64_text(run: bytes) -> bytes | None:
    """What a base64 run decodes to, when that is text worth scanning; else None."""
    core = run.rstrip(b"=")
    if len(core.translate(None, b"0123456789")) == len(core) or core.lower() == core or core.upper() == core:
        return None  # plain words and hex are not base64 worth decoding (needs a digit and both cases)
    if not _TEXT_QUADS.search(core):
        return None  # base64 of binary data (images, DER): no six quads of 7-bit bytes in a row
    try:
        raw = base64.b64decode(core.replace(b"-", b"+").replace(b"_", b"/") + b"=" * (-len(core) % 4))
    except (binascii.Error, ValueError):
        return None
    return raw if _printable(raw) else None
