"""The rule detector: confirm a candidate rule with its Python regex, capture, validate.

A rule whose pattern has a named group ``key`` (generic assignments) also requires that key to be
credential-named (hygiene.credentials.credential_key), which regexes alone express badly.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from credsweep.content.filters import is_known_example
from credsweep.content.generic import url_userinfo, weak_password, weak_url_password
from credsweep.content.keys import credential_key
from credsweep.content.validators import VALIDATORS
from credsweep.content.values import assignment_above, assigns_on_next_line
from credsweep.models import CHECKSUM_VALIDATORS, STRUCTURE_VALIDATORS, Match
from credsweep.rules.loader import Rule
from credsweep.util.entropy import shannon

SplitMap = Callable[[Callable[[Any, Any, bytes], Any], Sequence[tuple[Any, Any]], bytes], list[Any]]
"""``split(func, pairs, data) == [func(a, b, data) for a, b in pairs]``, however it shares the work out:
the executor hands one in (``executors.split``); the content stage never imports an executor."""

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


def continued_end(data: bytes, line_start: int, line_end: int) -> int:
    """Where the line after ``line_end`` ends when the line ``line_start:line_end`` ends with an assignment
    (``values.assigns_on_next_line``), else ``line_end``; a line after longer than ``LINE_WINDOW`` is left out
    (``values.assignment_above`` is the way up)."""
    if line_end >= len(data) or not assigns_on_next_line(data[line_start:line_end]):
        return line_end
    after = data.find(b"\n", line_end + 1, line_end + 2 + LINE_WINDOW)
    if after < 0:
        return len(data) if len(data) - line_end <= LINE_WINDOW + 1 else line_end
    return after


def _past_long_line(data: bytes, at: int, line_start: int, line_end: int, longest: int | None) -> int:
    """Where the line holding ``at`` ends when it is longer than ``longest`` (the longest line a whole-line
    rule can match, ``Rule.line_width``), else -1: such a line is not confirmed at all."""
    if longest is None or line_end - line_start <= longest:
        return -1
    end = data.find(b"\n", at)
    return len(data) if end < 0 else end


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
            past = _past_long_line(data, at, line_start, line_end, rule.line_width)
            if past >= 0:
                at = lowered.find(needle, past)
                continue
            if line_end - line_start > 4 * LINE_WINDOW:
                line_start, line_end = max(line_start, at - LINE_WINDOW), min(line_end, at + LINE_WINDOW)
            else:
                line_end = continued_end(data, line_start, line_end)
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


def line_windows(data: bytes, ends: Sequence[int], longest: int | None = None) -> list[tuple[int, int]]:
    """The lines holding these (Hyperscan-reported) match end offsets, as merged windows (lines longer
    than ``longest``, when given, left out: see ``Rule.line_width``)."""
    spans: list[tuple[int, int]] = []
    last_end = -1
    for end in sorted(set(ends)):
        if end <= last_end:
            continue
        at = max(0, end - 1)
        line_start, line_end = _line_around(data, at, 4 * LINE_WINDOW)
        past = _past_long_line(data, at, line_start, line_end, longest)
        if past >= 0:
            last_end = past
            continue
        if line_end - line_start > 4 * LINE_WINDOW:
            # a rule's prefilter may end inside the secret (its first characters): the window
            # reaches far enough past that end for the longest secret a line rule captures
            line_start, line_end = max(line_start, end - 2 * LINE_WINDOW), min(line_end, end + 2 * LINE_WINDOW)
        else:
            line_start = assignment_above(data, line_start, LINE_WINDOW)
        spans.append((max(0, line_start - 1), line_end))
        last_end = line_end
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class _Verdict(enum.Enum):
    SKIP = "skip"


_SKIP = _Verdict.SKIP
"""A pattern match whose key is not credential-named: neither reported nor rejected (an enum member:
the same object after a worker process sends it back)."""
SPLIT_MIN = 1000
"""Windows, or pattern matches, before checking them is shared out to worker processes."""
_WINDOW_CACHE: dict[tuple[object, ...], list[tuple[int, int, object]]] = {}
WINDOW_CACHE_SIZE = 1 << 16
"""Line windows whose outcome is remembered per process: history meets the same line in every
version of a file, and a window's matches depend on its bytes (and the one before it) alone."""


def checksum_verified(rule: Rule, match: Match) -> bool:
    """A match whose embedded CRC32 checksum holds: the provider issued it, whatever its random part
    happens to spell. One random GitHub token in ~25,000 holds ``xxxx`` (any case) or an alphabet run
    somewhere; a placeholder passes a 32-bit checksum one time in four billion. Documented examples
    (``filters.heuristics.KNOWN_EXAMPLES``) stay examples. A structure validator (``STRUCTURE_VALIDATORS``:
    a Discord token's first part decodes to a user id) proves as much: a match it rejected is no match."""
    return (rule.validator in (CHECKSUM_VALIDATORS | STRUCTURE_VALIDATORS) and "checksum-mismatch" not in match.reasons
            and not is_known_example(match.secret))


@dataclass(frozen=True)
class Demoted:
    """A pattern match kept at low confidence, with the reason its confidence was lowered."""

    secret: str
    """The captured secret."""
    reason: str
    """Why: ``checksum-mismatch``."""


def match_rule(rule: Rule, data: bytes, rejected: list[tuple[int, int]] | None = None,
               lowered: bytes | None = None, ends: Sequence[int] | None = None, split: SplitMap | None = None) -> Iterator[Match]:
    """Every match of ``rule`` in ``data`` whose secret passes the entropy floor and validator.

    Spans the pattern matched but the checks rejected (an entropy too low, a failed structure check) go
    to ``rejected``: a provider format that was recognised and rejected must not resurface as a generic
    one. A failed checksum yields a low-confidence match with the reason ``checksum-mismatch``.

    ``split``: a map function the caller hands in (the working-tree scan: ``executors.split``) that
    checks thousands of windows, or of pattern matches, in several processes; the outcomes, and their
    order, are the same.
    """
    if rule.scope == "line":
        if ends is not None:  # Hyperscan said where its prefilter matched: confirm on those lines only
            windows = line_windows(data, ends, rule.line_width)
        else:
            windows = list(candidate_windows(rule, data, data.lower() if lowered is None else lowered))
        if split is not None and len(windows) >= SPLIT_MIN:
            per_window = split(_outcomes_in_window, [(rule, w) for w in windows], data)
            outcomes: Iterable[tuple[int, int, object]] = (
                (a + start, a + end, verdict) for (a, _), found in zip(windows, per_window, strict=True)
                for start, end, verdict in found)
        else:
            outcomes = ((a + start, a + end, verdict) for a, b in windows
                        for start, end, verdict in _window_outcomes(rule, data, a, b, split))
    elif ends and rule.max_width is not None:
        # Hyperscan's first prefilter end: no match of the pattern ends before it, so none starts
        # more than the pattern's widest match before it (exact, and most of a large blob skipped)
        outcomes = _outcomes(rule, data, rule.regex.finditer(data, max(0, min(ends) - rule.max_width)), split)
    else:
        outcomes = _outcomes(rule, data, rule.regex.finditer(data), split)
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


def _window_outcomes(rule: Rule, data: bytes, a: int, b: int,
                     split: SplitMap | None = None) -> list[tuple[int, int, object]]:
    """``_outcomes`` of the pattern in ``data[a:b]``, relative to ``a``, remembered by content."""
    # what decides the outcome: the rule's checks, the window, the byte before it (a word boundary
    # looks at it) and whether the window starts the content
    key = (rule.id, rule.pattern, rule.validator, rule.entropy, rule.kind, a == 0, data[max(0, a - 1):b])
    cached = _WINDOW_CACHE.get(key)
    if cached is None:
        cached = [(start - a, end - a, verdict)
                  for start, end, verdict in _outcomes(rule, data, rule.regex.finditer(data, a, b), split)]
        if len(_WINDOW_CACHE) >= WINDOW_CACHE_SIZE:
            _WINDOW_CACHE.clear()
        _WINDOW_CACHE[key] = cached
    return cached


def _outcomes_in_window(rule: Rule, window: tuple[int, int], data: bytes) -> list[tuple[int, int, object]]:
    return _window_outcomes(rule, data, *window)


def _outcomes(rule: Rule, data: bytes, found_iter: Iterator[re.Match[bytes]],
              split: SplitMap | None = None) -> Iterator[tuple[int, int, object]]:
    """(start, end, verdict) of each pattern match's secret: the secret text when it passes the entropy
    floor and validator, a ``Demoted`` secret when only a checksum fails, None when the checks reject
    it, ``_SKIP`` when the key is not credential-named."""
    if split is not None:
        found = list(found_iter)
        if len(found) >= SPLIT_MIN:
            verdicts = split(_outcome, [(rule, f) for f in found], data)
            yield from (v for v in verdicts if v is not None)
            return
        found_iter = iter(found)
    for match in found_iter:
        outcome = _outcome(rule, match, data)
        if outcome is not None:
            yield outcome


def _outcome(rule: Rule, found: re.Match[bytes], data: bytes) -> tuple[int, int, object] | None:
    """The ``_outcomes`` entry of one pattern match (None: no secret captured)."""
    group = rule.secret_group
    start, end = found.span(group)
    if start < 0 or start == end:
        return None
    key = rule.group_of("key")
    if key is not None and not credential_key((found.group(key) or b"").decode("utf-8", "replace")):
        return start, end, _SKIP  # e.g. password_hash_length, token_type, auth_method: named like a credential, are not
    secret = data[start:end].decode("utf-8", "replace")
    low_entropy = rule.entropy is not None and shannon(secret) < rule.entropy
    if low_entropy and rule.kind in ("password", "connection-string") and weak_password(secret):
        low_entropy = False  # human-chosen passwords are low in entropy and still real
    if low_entropy and rule.kind == "connection-string":
        parts = url_userinfo(data, start, end)
        if parts is not None and weak_url_password(secret, *parts):
            low_entropy = False  # a default password (admin, admin) on a real host
    if low_entropy:
        return start, end, None
    validator = VALIDATORS[rule.validator] if rule.validator else None
    if validator is not None and not validator(secret):
        return start, end, Demoted(secret, "checksum-mismatch") if rule.validator in CHECKSUM_VALIDATORS else None
    return start, end, secret
