"""The rule detector: confirm a candidate rule with its Python regex, capture, validate.

A rule whose pattern has a named group ``key`` (generic assignments) also requires that key to be
credential-named (hygiene.credentials.credential_key), which regexes alone express badly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from credsweep.detectors.generic import url_userinfo, weak_password, weak_url_password
from credsweep.entropy import shannon
from credsweep.hygiene.credentials import credential_key
from credsweep.models import Match
from credsweep.rules.loader import Rule
from credsweep.validators import VALIDATORS

LINE_WINDOW = 512  # bytes either side of a keyword when its line is too long to take whole (minified code)


def _line_around(data: bytes, at: int, reach: int) -> tuple[int, int]:
    """Bounds of the line holding ``at``, searched at most ``reach`` + 1 bytes either way: on a longer
    line the bounds returned lie that far out or further, which callers treat as "too long" alike."""
    low = max(0, at - reach - 1)
    line_start = data.rfind(b"\n", low, at) + 1
    if line_start == 0 and low > 0:
        line_start = low  # no newline within reach: the line starts before ``low``
    line_end = data.find(b"\n", at, at + reach + 1)
    if line_end < 0:
        line_end = min(len(data), at + reach + 1)
    return line_start, line_end


def candidate_windows(rule: Rule, data: bytes, lowered: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of each line holding one of the rule's keywords, or a window around the keyword
    on very long lines; each at most once, in order."""
    starts: set[int] = set()
    spans: list[tuple[int, int]] = []
    for keyword in rule.keywords:
        needle = keyword.encode()
        at = lowered.find(needle)
        while at >= 0:
            line_start, line_end = _line_around(data, at, 4 * LINE_WINDOW)
            if line_end - line_start > 4 * LINE_WINDOW:
                line_start, line_end = max(line_start, at - LINE_WINDOW), min(line_end, at + LINE_WINDOW)
            if line_start not in starts:
                starts.add(line_start)
                # from the newline before the line: patterns anchor lines with (?:^|\n), and a
                # search starting mid-string does not match ^ there
                spans.append((max(0, line_start - 1), line_end))
            at = lowered.find(needle, max(line_end, at + 1))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):  # overlapping windows (many keywords on one long line) scan once
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return iter(merged)


def line_windows(data: bytes, ends: list[int]) -> list[tuple[int, int]]:
    """The lines holding these (Hyperscan-reported) match end offsets, as merged windows."""
    spans: list[tuple[int, int]] = []
    last_end = -1
    for end in sorted(set(ends)):
        if end <= last_end:
            continue
        at = max(0, end - 1)
        line_start, line_end = _line_around(data, at, 4 * LINE_WINDOW)
        if line_end - line_start > 4 * LINE_WINDOW:
            # a rule's prefilter may end inside the secret (its first characters): the window
            # reaches far enough past that end for the longest secret a line rule captures
            line_start, line_end = max(line_start, end - 2 * LINE_WINDOW), min(line_end, end + 2 * LINE_WINDOW)
        spans.append((max(0, line_start - 1), line_end))
        last_end = line_end
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


_SKIP = object()  # a pattern match whose key is not credential-named: neither reported nor rejected
_WINDOW_CACHE: dict[tuple[object, ...], list[tuple[int, int, object]]] = {}
WINDOW_CACHE_SIZE = 1 << 16
"""Line windows whose outcome is remembered per process: history meets the same line in every
version of a file, and a window's matches depend on its bytes (and the one before it) alone."""
CHECKSUM_VALIDATORS = frozenset({"github_checksum", "npm_checksum"})
"""Validators that check a provider's embedded checksum: a token of the right shape whose checksum
fails is a typo, a truncated paste or a hand-edited real token as often as a fake one, so it is kept
at low confidence (hidden by default) rather than dropped."""


@dataclass(frozen=True)
class Demoted:
    """A pattern match kept at low confidence, with the reason its confidence was lowered."""

    secret: str
    """The captured secret."""
    reason: str
    """Why: ``checksum-mismatch``."""


def match_rule(rule: Rule, data: bytes, rejected: list[tuple[int, int]] | None = None,
               lowered: bytes | None = None, ends: list[int] | None = None) -> Iterator[Match]:
    """Every match of ``rule`` in ``data`` whose secret passes the entropy floor and validator.

    Spans the pattern matched but the checks rejected (an entropy too low, a failed structure check) go
    to ``rejected``: a provider format that was recognised and rejected must not resurface as a generic
    one. A failed checksum yields a low-confidence match with the reason ``checksum-mismatch``.
    """
    if rule.scope == "line":
        if ends is not None:  # Hyperscan said where its prefilter matched: confirm on those lines only
            windows = line_windows(data, ends)
        else:
            windows = list(candidate_windows(rule, data, data.lower() if lowered is None else lowered))
        outcomes: Iterator[tuple[int, int, object]] = (
            (a + start, a + end, verdict) for a, b in windows for start, end, verdict in _window_outcomes(rule, data, a, b))
    elif ends and rule.max_width is not None:
        # Hyperscan's first prefilter end: no match of the pattern ends before it, so none starts
        # more than the pattern's widest match before it (exact, and most of a large blob skipped)
        outcomes = _outcomes(rule, data, rule.regex.finditer(data, max(0, min(ends) - rule.max_width)))
    else:
        outcomes = _outcomes(rule, data, rule.regex.finditer(data))
    seen: set[tuple[int, int]] = set()
    for start, end, verdict in outcomes:
        if (start, end) in seen:
            continue
        seen.add((start, end))
        if verdict is _SKIP:
            continue
        if verdict is None:
            if rejected is not None:
                rejected.append((start, end))
            continue
        if isinstance(verdict, Demoted):
            yield Match(rule=rule.id, start=start, end=end, secret=verdict.secret, confidence="low",
                        reasons=(verdict.reason,))
            continue
        yield Match(rule=rule.id, start=start, end=end, secret=verdict, confidence=rule.confidence)  # type: ignore[arg-type]


def _window_outcomes(rule: Rule, data: bytes, a: int, b: int) -> list[tuple[int, int, object]]:
    """``_outcomes`` of the pattern in ``data[a:b]``, relative to ``a``, remembered by content."""
    # what decides the outcome: the rule's checks, the window, the byte before it (a word boundary
    # looks at it) and whether the window starts the content
    key = (rule.id, rule.pattern, rule.validator, rule.entropy, rule.kind, a == 0, data[max(0, a - 1):b])
    cached = _WINDOW_CACHE.get(key)
    if cached is None:
        cached = [(start - a, end - a, verdict)
                  for start, end, verdict in _outcomes(rule, data, rule.regex.finditer(data, a, b))]
        if len(_WINDOW_CACHE) >= WINDOW_CACHE_SIZE:
            _WINDOW_CACHE.clear()
        _WINDOW_CACHE[key] = cached
    return cached


def _outcomes(rule: Rule, data: bytes, found_iter: Iterator[re.Match[bytes]]) -> Iterator[tuple[int, int, object]]:
    """(start, end, verdict) of each pattern match's secret: the secret text when it passes the entropy
    floor and validator, a ``Demoted`` secret when only a checksum fails, None when the checks reject
    it, ``_SKIP`` when the key is not credential-named."""
    group = rule.secret_group
    validator = VALIDATORS[rule.validator] if rule.validator else None
    has_key = "key" in rule.regex.groupindex
    for found in found_iter:
        start, end = found.span(group)
        if start < 0 or start == end:
            continue
        if has_key and not credential_key(found.group("key").decode("utf-8", "replace")):
            yield start, end, _SKIP  # e.g. password_hash_length, token_type, auth_method: named like a credential, are not
            continue
        secret = data[start:end].decode("utf-8", "replace")
        low_entropy = rule.entropy is not None and shannon(secret) < rule.entropy
        if low_entropy and rule.kind in ("password", "connection-string") and weak_password(secret):
            low_entropy = False  # human-chosen passwords are low in entropy and still real
        if low_entropy and rule.kind == "connection-string":
            parts = url_userinfo(data, start, end)
            if parts is not None and weak_url_password(secret, *parts):
                low_entropy = False  # a default password (admin, admin) on a real host
        if low_entropy:
            yield start, end, None
        elif validator is not None and not validator(secret):
            yield start, end, Demoted(secret, "checksum-mismatch") if rule.validator in CHECKSUM_VALIDATORS else None
        else:
            yield start, end, secret
