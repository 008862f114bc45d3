"""Content matching: the stage every command shares, a pure function of bytes and the matcher.

``ContentMatcher.match(data)`` returns every credential the bytes hold, wherever they will turn out
to live: candidate rules from the engine (Hyperscan or keywords), confirmation by each rule's Python
regex, value filters (placeholders, templates, known examples, the config's value allowlist and
stopwords), inline allow comments, line-context checks of generic matches, and the same again inside
base64 and URL-encoded runs. What the configuration declares (disabled rules, the value allowlist,
stopwords) and inline allow comments do not drop a match: they mark it ``suppressed`` with the entry
responsible, so judgement can count and attribute what each one hid. Past ``Config.match_budget``
pattern matches of one rule in one content, the rest are counted, not judged one by one (a file of a
hundred thousand password fields costs what a thousand do). Nothing here looks at a path: the result
depends on the bytes alone, so
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
from typing import TYPE_CHECKING, Any

from credsweep import identity
from credsweep.config import Config
from credsweep.content.confidence import judge_rule_match
from credsweep.content.confirm import SplitMap, checksum_verified, match_rule
from credsweep.content.context import content_reasons, context_from_bytes
from credsweep.content.engine import Engine, make_engine
from credsweep.content.filters import content_reason_to_drop, reason_to_drop
from credsweep.content.generic import generic_candidate
from credsweep.content.inline import is_inline_allowed
from credsweep.models import ContentMatch, Match, suppression_key
from credsweep.rules.loader import Rule, Ruleset
from credsweep.util.lazyre import lazy
from credsweep.util.linearre import re2_compile
from credsweep.util.spans import SpanSet, index_for

if TYPE_CHECKING:
    from credsweep.content.known import KnownCredentials

KNOWN_RULE = "known.credential"
CONTENT_VERSION = "7"
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
                 known: KnownCredentials | None = None, *, salt: bytes, values: Sequence[Any] | None = None) -> None:
        """``values``: the allowlist's value regexes, compiled to run in linear time
        (``rules.linear.linear_regex``, which ``pipeline.build_pipeline`` calls); None: RE2 here, else
        Python's engine (for callers that built the configuration themselves)."""
        self.salt = salt
        """The identity key of every ``secret_id`` and ``fingerprint`` this matcher computes."""
        self.ruleset = ruleset
        # disabled rules run too: what they would have reported is counted (``suppressed``), not lost
        self.rules: Sequence[Rule] = ruleset.rules
        self._disabled: dict[str, str] = {r.id: key for r in ruleset.rules if (key := disabled_by(config, r.id))}
        """Rule id → the ``suppression_key`` of the entry that switches it off."""
        self.engine: Engine = make_engine(self.rules, engine)
        self.known = known if known else None
        if values is None:
            values = [re2_compile(v) or re.compile(v) for v in config.allowlist.values]
        self._values = tuple((regex, suppression_key("allowlist.values", v))
                             for regex, v in zip(values, config.allowlist.values, strict=True))
        self._stopwords = tuple((word, suppression_key("allowlist.stopwords", word))
                                for word in config.allowlist.stopwords)
        self._prefixes = ruleset.secret_prefixes
        self._by_id = {rule.id: rule for rule in self.rules}
        self._budget = config.match_budget
        self._value_config = (config.allowlist.values, config.allowlist.stopwords, sorted(self._disabled.items()),
                              config.match_budget)
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
        over: list[tuple[Rule, Match, int]] = []  # past the budget: the first such match and how many follow
        for index in candidates:
            rule = self.rules[index]
            generic = rule.provider == "generic"
            if lowered is None and rule.scope == "line" and index not in ends:
                lowered = blob.lower()
            # a disabled rule's rejected spans claim nothing: the rules that run behave as if it did not
            claims = None if generic or rule.id in self._disabled else claimed
            matches = (match for match in match_rule(rule, blob, claims, lowered, ends.get(index), self.split)
                       # a value with a provider's own prefix but the wrong shape is that provider's
                       # business: such a generic match is dropped below, so it is not judged first
                       if not (generic and match.secret.lower().startswith(self._prefixes)))
            if not self._budget:
                found.extend((rule, match) for match in matches)
                continue
            for taken, match in enumerate(matches):
                if taken < self._budget:
                    found.append((rule, match))
                elif taken == self._budget:
                    over.append((rule, match, 0))
                else:
                    first_rule, first, count = over[-1]
                    over[-1] = (first_rule, first, count + 1)
        for (rule, match), judged in zip(found, self._judged(found, blob), strict=True):
            if judged is not None:
                kept.append(judged)
            elif rule.provider != "generic" and not rule.paths and rule.id not in self._disabled:
                claimed.append((match.start, match.end))  # a path rule may not even apply where this is
        if claimed:
            rejected = SpanSet(claimed)
            kept = [m for m in kept if self._by_id[m.rule].provider != "generic" or not rejected.overlaps(m.start, m.end)]
        # what the budget left unjudged is reported as one summary per rule (``Match.more``), never filtered away
        kept.extend(replace(first, reasons=(*first.reasons, "match-budget"), suppressed=self._disabled.get(rule.id),
                            more=count) for rule, first, count in over)
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
        if not self._keep(rule, match, data):
            return None
        judged = _judged_in_context(rule, match, data)
        hidden = self._suppression(rule, match, data)
        return judged if hidden is None else replace(judged, suppressed=hidden)

    def _keep(self, rule: Rule, match: Match, data: bytes) -> bool:
        """Value and line-context filters: is this a credential at all, wherever it lives?"""
        if rule.provider == "generic":
            if content_reason_to_drop(generic_candidate(data, match)) is not None:
                return False
        elif reason_to_drop(match.secret) is not None and not checksum_verified(rule, match):
            return False  # a placeholder, unless the provider's own checksum says it issued this value
        return True

    def _suppression(self, rule: Rule, match: Match, data: bytes) -> str | None:
        """The declared exception that hides this credential (``suppression_key``), or None: a disabled
        rule, a stopword, a value regex (in the configuration's order), else an inline allow comment."""
        disabled = self._disabled.get(rule.id)
        if disabled is not None:
            return disabled
        if self._stopwords:
            lowered = match.secret.lower()
            for word, key in self._stopwords:
                if word in lowered:
                    return key
        for regex, key in self._values:
            if regex.fullmatch(match.secret):
                return key
        return INLINE if is_inline_allowed(data, match.start, match.end) else None

    def _content_match(self, match: Match, first: tuple[int, int], last: tuple[int, int], start: int, end: int,
                       encoding: str | None) -> ContentMatch:
        (line, column), (end_line, end_column) = first, last
        rule = self.rule(match.rule)
        generic = rule.provider == "generic"
        return ContentMatch(
            rule=match.rule, start=start, end=end, line=line, column=column, end_line=end_line,
            end_column=end_column, confidence=match.confidence, reasons=match.reasons,
            secret_id=identity.secret_id(match.secret, self.salt),
            fingerprint=identity.fingerprint("secret", match.rule.partition(":")[0], match.secret, self.salt),
            # a password or a generic value shows no character: a stolen report or store must not
            # narrow a dictionary attack on a weak one (a provider token's prefix names its type)
            redacted=identity.redact(match.secret, reveal=not (generic or rule.kind == "password")),
            identifier=match.identifier, encoding=encoding,
            hex_value=generic and bool(_HEX.match(match.secret)), suppressed=match.suppressed, more=match.more,
            secret=match.secret,
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
                if (start, match.secret) in seen:
                    continue
                seen.add((start, match.secret))
                if match.suppressed is None and is_inline_allowed(data, start, end):
                    match = replace(match, suppressed=INLINE)
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


INLINE = suppression_key("inline", "")
"""What an inline allow comment (``credsweep:allow``, ``pragma: allowlist secret``, ``gitleaks:allow``) hides."""


def disabled_by(config: Config, rule_id: str) -> str | None:
    """The ``suppression_key`` of the ``disable_rules`` or ``allowlist.rules`` entry that switches
    ``rule_id`` off (the first in the configuration's order), or None."""
    for kind, items in (("disable_rules", config.disable_rules), ("allowlist.rules", config.allowlist.rules)):
        for item in items:
            if rule_id == item or (item.endswith(".") and rule_id.startswith(item)):
                return suppression_key(kind, item)
    return None


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
