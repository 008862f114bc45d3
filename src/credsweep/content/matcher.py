"""Content matching: the stage every command shares, a pure function of bytes and the matcher.

``ContentMatcher.match(data)`` returns every credential the bytes hold, wherever they will turn out
to live: candidate rules from the engine (Hyperscan or keywords), confirmation by each rule's Python
regex, value filters (placeholders, templates, known examples, the config's value allowlist and
stopwords), inline allow comments, line-context checks of generic matches, and the same again inside
base64 and URL-encoded runs. Nothing here looks at a path: the result depends on the bytes alone, so
it is computed once per git blob id (history reads each blob once; a fleet store reuses it across
repositories under ``ContentMatcher.digest``). What depends on where the bytes live (path, file type,
the confidence threshold, overlaps between rules) is ``judgement``'s.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from credsweep import identity
from credsweep.config import Config
from credsweep.content.confidence import judge_rule_match
from credsweep.content.confirm import SplitMap, checksum_verified, match_rule
from credsweep.content.context import content_reasons, context_from_bytes
from credsweep.content.engine import Engine, make_engine
from credsweep.content.filters import content_reason_to_drop, reason_to_drop
from credsweep.content.generic import generic_candidate
from credsweep.content.inline import is_inline_allowed
from credsweep.models import ContentMatch, Match
from credsweep.rules.loader import Rule, Ruleset
from credsweep.util.lazyre import lazy
from credsweep.util.spans import SpanSet, index_for

if TYPE_CHECKING:
    from credsweep.content.known import KnownCredentials

KNOWN_RULE = "known.credential"
CONTENT_VERSION = "6"
"""Bumped whenever what ``match`` returns for the same bytes changes (part of ``digest``)."""
_HEX = lazy(r"^(?:0x)?[0-9a-fA-F]{16,}$")
SPLIT_MIN_MATCHES = 1000
"""Matches in one content before judging them is shared out (a fork costs what ~100 matches do)."""


@lru_cache(maxsize=32)
def known_rule(label: str) -> Rule:
    """The (pattern-less) rule under which exact known-credential hits are reported."""
    return Rule(id=KNOWN_RULE, name=f"your own credential (from {label})", provider="known", pattern="(known)",
                keywords=("",), severity="critical", confidence="high",
                reference="https://12factor.net/config", examples=(), negative_examples=())


DECODED_CACHE_BYTES = 32 * 1024 * 1024
"""Decoded bytes whose matches a matcher remembers before it starts again (``_matches_in_decoded``)."""


class ContentMatcher:
    """The content stage for one ruleset and configuration (see the module docstring)."""

    def __init__(self, config: Config, ruleset: Ruleset, engine: str = "auto",
                 known: KnownCredentials | None = None, *, salt: bytes) -> None:
        self.salt = salt
        """The identity key of every ``secret_id`` and ``fingerprint`` this matcher computes."""
        self.ruleset = ruleset
        self.rules: Sequence[Rule] = tuple(r for r in ruleset.rules if config.rule_enabled(r.id))
        # the engine selects among every rule of the ruleset, so one compiled database (cached by the
        # rules' expressions) serves every config; a disabled rule's candidates are dropped below
        self._engine_rules: Sequence[Rule] = tuple(ruleset.rules)
        self._disabled = frozenset(i for i, r in enumerate(self._engine_rules) if not config.rule_enabled(r.id))
        self.engine: Engine = make_engine(self._engine_rules, engine)
        self.known = known if known else None
        self._values = tuple(re.compile(v) for v in config.allowlist.values)
        self._stopwords = tuple(config.allowlist.stopwords)
        self._prefixes = ruleset.secret_prefixes
        self._by_id = {rule.id: rule for rule in self.rules}
        self._value_config = (config.allowlist.values, config.allowlist.stopwords)
        self._inner: dict[bytes, tuple[Match, ...]] = {}
        """Matches in each decoded run met so far: history meets the same encoded run in every
        version of a file, and what a run decodes to is matched the same way each time."""
        self._inner_bytes = 0
        self.split: SplitMap | None = None
        """A map function sharing one content's matches out to several processes, handed in by the
        in-process working-tree scan (``executors.split``); None: judged here, one after another."""

    @cached_property
    def digest(self) -> str:
        """What ``match`` depends on besides the bytes: enabled rules, value allowlist, code version.

        Results stored under one digest are valid for any later matcher with the same digest; a
        matcher holding the user's own credentials (``--known-credentials``) gets a digest of its own
        that nothing stores."""
        h = hashlib.sha256(CONTENT_VERSION.encode())
        for rule in self.rules:
            h.update(repr((rule.id, rule.pattern, rule.prefilter, rule.keywords, rule.confidence, rule.entropy,
                           rule.validator, rule.kind, rule.scope, rule.identifies)).encode())
        h.update(repr(self._value_config).encode())
        h.update(hashlib.sha256(self.salt).digest())  # results hold identities under this salt
        if self.known is not None:
            h.update(b"known:" + self.known.digest.encode())
        return h.hexdigest()[:32]

    def rule(self, rule_id: str) -> Rule:
        """The rule behind a match (known-credential matches included)."""
        found = self._by_id.get(rule_id)
        if found is not None:
            return found
        if rule_id.startswith(KNOWN_RULE):
            return known_rule(rule_id.partition(":")[2] or "your files")
        return self.ruleset.by_id()[rule_id]

    # -- the stage --------------------------------------------------------------------------------
    def match(self, data: bytes | memoryview, decode: bool = True) -> list[ContentMatch]:
        """Every credential in ``data`` (a view of a reused buffer is copied only when a rule may match).

        Overlapping matches of different rules are all returned: which one wins depends on the
        confidence threshold, which judgement applies per location."""
        raw = self._raw(data)
        if raw is None:
            return []
        blob, found = raw
        spans: list[tuple[int, int, Match, str | None]] = [(m.start, m.end, m, None) for m in found]
        if decode:
            spans.extend(self._decoded(blob, [(m.start, m.end) for m in found]))
        if not spans:
            return []
        lines = index_for(blob)  # shared with the inline-allow check, which indexed the same bytes
        return [self._content_match(match, lines.position(start), lines.position(end), start, end, encoding)
                for start, end, match, encoding in spans]

    def _raw(self, data: bytes | memoryview) -> tuple[bytes, list[Match]] | None:
        """Confirmed matches in ``data`` itself (no decoding), or None when no rule can match."""
        engine = self.engine
        lowered: bytes | None = None
        if engine.needs_lowered:
            data = data if isinstance(data, bytes) else bytes(data)
            lowered = data.lower()
        candidates = engine.candidates(data, lowered)
        if not candidates and self.known is None and not engine.may_hold_encoded:
            return None  # most content: no rule can match and nothing encoded to look into
        blob = data if isinstance(data, bytes) else bytes(data)
        kept: list[Match] = []
        claimed: list[tuple[int, int]] = []  # provider-format spans rejected as fake or placeholder
        ends = engine.ends
        found: list[tuple[Rule, Match]] = []
        for index in candidates:
            if index in self._disabled:
                continue
            rule = self._engine_rules[index]
            generic = rule.provider == "generic"
            if lowered is None and rule.scope == "line" and index not in ends:
                lowered = blob.lower()
            found.extend((rule, match) for match in match_rule(rule, blob, None if generic else claimed, lowered,
                                                               ends.get(index), self.split)
                         # a value with a provider's own prefix but the wrong shape is that provider's
                         # business: such a generic match is dropped below, so it is not judged first
                         if not (generic and match.secret.lower().startswith(self._prefixes)))
        for (rule, match), judged in zip(found, self._judged(found, blob), strict=True):
            if judged is not None:
                kept.append(judged)
            elif rule.provider != "generic" and not rule.paths:  # a path rule may not even apply where this is
                claimed.append((match.start, match.end))
        if claimed:
            rejected = SpanSet(claimed)
            kept = [m for m in kept if self._by_id[m.rule].provider != "generic" or not rejected.overlaps(m.start, m.end)]
        if self.known is not None:
            # exact values the user holds: no entropy floor, no filters, no inline allow
            for start, end, value, label in self.known.find(blob):
                kept.append(Match(rule=f"{KNOWN_RULE}:{label}", start=start, end=end, secret=value))
        return blob, kept

    def _judged(self, found: list[tuple[Rule, Match]], data: bytes) -> list[Match | None]:
        """Each match kept and judged in its context, or None when a filter drops it: a pure function
        per match, shared out to forked workers when one content holds thousands (``executors.split``)."""
        if self.split is not None and len(found) >= SPLIT_MIN_MATCHES:
            return self.split(self._keep_judged, found, data)
        return [self._keep_judged(rule, match, data) for rule, match in found]

    def _keep_judged(self, rule: Rule, match: Match, data: bytes) -> Match | None:
        return _judged_in_context(rule, match, data) if self._keep(rule, match, data) else None

    def _keep(self, rule: Rule, match: Match, data: bytes) -> bool:
        """Value and line-context filters: is this a credential at all, wherever it lives?"""
        if rule.provider == "generic":
            if content_reason_to_drop(generic_candidate(data, match)) is not None:
                return False
        elif reason_to_drop(match.secret) is not None and not checksum_verified(rule, match):
            return False  # a placeholder, unless the provider's own checksum says it issued this value
        if self._stopwords:
            lowered = match.secret.lower()
            if any(word in lowered for word in self._stopwords):
                return False
        if any(v.fullmatch(match.secret) for v in self._values):
            return False
        return not is_inline_allowed(data, match.start, match.end)

    def _content_match(self, match: Match, first: tuple[int, int], last: tuple[int, int], start: int, end: int,
                       encoding: str | None) -> ContentMatch:
        (line, column), (end_line, end_column) = first, last
        generic = self.rule(match.rule).provider == "generic"
        return ContentMatch(
            rule=match.rule, start=start, end=end, line=line, column=column, end_line=end_line,
            end_column=end_column, confidence=match.confidence, reasons=match.reasons,
            secret_id=identity.secret_id(match.secret, self.salt),
            fingerprint=identity.fingerprint("secret", match.rule.partition(":")[0], match.secret, self.salt),
            redacted=identity.redact(match.secret), identifier=match.identifier, encoding=encoding,
            hex_value=generic and bool(_HEX.match(match.secret)), secret=match.secret,
        )

    def _decoded(self, data: bytes, spans: list[tuple[int, int]]) -> list[tuple[int, int, Match, str]]:
        """Matches inside base64 and URL-encoded runs, at the encoded run's span."""
        if not self.engine.may_hold_encoded:
            return []
        from credsweep.content.decode import encoded_runs

        out: list[tuple[int, int, Match, str]] = []
        seen: set[tuple[int, str]] = set()
        matched = SpanSet(spans)
        for start, end, raw, encoding in encoded_runs(data, self.engine.base64_from, self.engine.url_encoded):
            # a run a rule already matched as it stands (the encoded token is the secret) is reported once
            if matched.overlaps(start, end):
                continue
            for match in self._matches_in_decoded(raw):
                # the same value in two places is two findings; one run decoding to it twice is one
                if (start, match.secret) in seen or is_inline_allowed(data, start, end):
                    continue
                seen.add((start, match.secret))
                out.append((start, end, match, encoding))
        return out

    def _matches_in_decoded(self, raw: bytes) -> tuple[Match, ...]:
        """``_raw`` of one decoded run's bytes, remembered (bounded) for the next time they come up."""
        found = self._inner.get(raw)
        if found is None:
            inner = self._raw(raw)
            found = tuple(inner[1]) if inner is not None else ()
            self._inner_bytes += len(raw)
            if self._inner_bytes > DECODED_CACHE_BYTES:
                self._inner.clear()
                self._inner_bytes = len(raw)
            self._inner[raw] = found
        return found


def _judged_in_context(rule: Rule, match: Match, data: bytes) -> Match:
    """``match`` with the content-context reasons of its line (``judgement.context``) and the
    confidence the policy gives them: test code, made-up values and example hosts lower it, never drop it.

    Credential-file rules (a rule with ``paths``: ``.pgpass``, saved logins) are exempt: in those files
    the format says the value is a password, and a weak one like ``password`` is the worst leak."""
    if rule.paths:
        return match
    ctx = context_from_bytes(data, match.start, match.end, match.secret, rule_id=rule.id, provider=rule.provider,
                             rule_kind=rule.kind)
    reasons = content_reasons(ctx)
    if not reasons:
        return match
    judged = judge_rule_match(match.confidence, (*match.reasons, *reasons), rule)
    return replace(match, reasons=judged.reasons, confidence=judged.confidence)


def with_reasons(match: ContentMatch, reasons: tuple[str, ...], confidence: str) -> ContentMatch:
    """``match`` with extra reasons and a new confidence (judgement's only way to change a match)."""
    return replace(match, reasons=tuple(dict.fromkeys((*match.reasons, *reasons))), confidence=confidence)
