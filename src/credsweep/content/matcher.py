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

import bisect
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cached_property, lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from credsweep import identity
from credsweep.config import Config, entry_keys
from credsweep.content.accounts import account_near
from credsweep.content.archives import is_zip, members
from credsweep.content.confidence import CROSS_PROVIDER, SHAPE_REASONS, judge_rule_match
from credsweep.content.confirm import SplitMap, checksum_verified, match_rule
from credsweep.content.context import content_reasons, context_from_bytes, looks_generated
from credsweep.content.engine import Engine, make_engine
from credsweep.content.filters import VALUE_FILTER_REASONS, context_value_reasons, value_reasons
from credsweep.content.generic import LINE_CONTEXT, generic_candidate
from credsweep.content.inline import is_inline_allowed
from credsweep.content.stores import SQLITE_MAGIC, Cell, cells
from credsweep.content.validators import encrypted_private_key, jwt_carries_secret
from credsweep.content.values import (
    HIDDEN,
    JOIN_LIMIT,
    LITERAL,
    NEARBY_BYTES,
    SHAPE,
    SHAPE_ONLY,
    joined_literals,
    masked_line,
)
from credsweep.models import ENCRYPTED_KEY, ISSUANCE_VALIDATORS, ContentMatch, Match, suppression_key
from credsweep.rules.loader import Rule, Ruleset, distinctive_prefix, url_body
from credsweep.util.lazyre import lazy
from credsweep.util.linearre import re2_compile
from credsweep.util.spans import LineIndex, SpanSet, index_for

if TYPE_CHECKING:
    from credsweep.content.decode import RunMemo
    from credsweep.content.known import KnownCredentials

KNOWN_RULE = "known.credential"
CONTENT_VERSION = "17"
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


SELF_MADE = frozenset({"generic", "known", "password-hash", "private-key", "putty"})
"""Providers whose values no service issued (a project hashes its own passwords, makes its own keys): their
formats say what a value is, never that a service stands behind it (no ``provider-format`` class)."""
JOIN_SCAN_LIMIT = 1024 * 1024
"""Larger contents are not searched for joined string literals (the same bound as decoding's)."""
CONTEXT_BYTES = 256
"""Bytes of a line read either side of a match for its context line (the line shown is shorter)."""
DECODED_CACHE_BYTES = 32 * 1024 * 1024
"""Decoded bytes whose matches a matcher remembers before it starts again (``_matches_in_decoded``)."""
JUDGED_CACHE_BYTES = 32 * 1024 * 1024
"""Context bytes of judged matches a matcher remembers before it starts again (``_judgement``)."""
IDENTITY_CACHE_BYTES = 8 * 1024 * 1024
"""Secret bytes whose identities a matcher remembers before it starts again (``_content_match``)."""


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
        self._disabled: dict[str, str] = disabled_rules(config, [r.id for r in ruleset.rules])
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
        self._own_prefixes = _own_prefixes_of(ruleset)
        prefixes = frozenset(self._prefixes)
        self._claiming = frozenset(
            rule.id for rule in self.rules
            if rule.validator in ISSUANCE_VALIDATORS or any(k.lower() in prefixes for k in rule.keywords))
        """Rules whose rejected spans claim the text from the generic rules: a format with its own prefix or a
        proved structure (``sk_live_`` with too little entropy is a fake Stripe key, not a generic secret). A
        keyword rule's rejection (``NEO4J_DB_PASSWORD=`` with a value shorter or plainer than Aura generates)
        says the value is not that provider's format, not that it is no password: the generic rules judge it."""
        self._by_id = {rule.id: rule for rule in self.rules}
        self._budget = config.match_budget
        self._value_config = (config.allowlist.values, config.allowlist.stopwords, sorted(self._disabled.items()),
                              config.match_budget)
        self._inner: dict[bytes, tuple[Match, ...]] = {}
        """Matches in each decoded run met so far: history meets the same encoded run in every
        version of a file, and what a run decodes to is matched the same way each time."""
        self._inner_bytes = 0
        self._judged_memo: dict[tuple[object, ...], tuple[str, tuple[str, ...]]] = {}
        """Confidence and reasons of each match by what its judgement reads (``_judgement``): history
        meets the same lines in version after version of a file."""
        self._judged_bytes = 0
        self._identities: dict[tuple[str, str, tuple[str, ...]], tuple[str, str, str, bool, str]] = {}
        """``secret_id``, ``fingerprint``, preview, hex flag and value class by (rule, secret, reasons):
        the same secret comes back in every version of its file."""
        self._identity_bytes = 0
        self._runs: RunMemo | None = None
        """What each encoded run met so far decoded to (``content.decode``, imported on first use)."""
        self.split: SplitMap | None = None
        """A map function sharing one content's matches out to several processes, handed in by the
        in-process working-tree scan (``executors.split``); None: judged here, one after another."""

    def share_judgements(self, other: ContentMatcher) -> None:
        """Remember each match's judgement and identities where ``other`` does (``_judgement``,
        ``_content_match``): both are pure functions of what they are keyed by, the same for every engine,
        so a matcher of the same rules, configuration and salt on another engine (``rules check
        --engines`` matches every text with both) judges each match once. What an engine selects, confirms
        and decodes stays its own."""
        if (self.rules, self._value_config, self.salt, self.known) != (other.rules, other._value_config, other.salt,
                                                                        other.known):
            raise ValueError("judgements are shared only between matchers of the same rules, configuration and salt")
        self._judged_memo, self._identities = other._judged_memo, other._identities

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
        confidence threshold, which judgement applies per location. A SQLite database is read for its
        text cells (``stores``), a ZIP archive for its text members (``archives``): their matches name
        their cell or member."""
        if data[:16] == SQLITE_MAGIC:
            return self._match_laid_out(*cells(bytes(data)), decode)
        if is_zip(data):
            return self._match_laid_out(*members(bytes(data)), decode)
        return self._match_text(data, decode)

    def _match_text(self, data: bytes | memoryview, decode: bool) -> list[ContentMatch]:
        raw = self._raw(data)
        if raw is None:
            return []
        blob, found = raw
        base64_from = self.engine.base64_from  # this content's own gate (decoding rescans change it)
        # and its joiners (sorted: the order Hyperscan reports ends in is not promised)
        joins = None if self.engine.joins is None else sorted(self.engine.joins)
        spans: list[tuple[int, int, Match, str | None]] = [(m.start, m.end, m, None) for m in found]
        if decode:
            spans.extend(self._decoded(blob, [(m.start, m.end) for m in found]))
            if base64_from >= 0:  # a piece of a split token holds a long base64 run, like any token
                spans.extend(self._joined(blob, found, max(0, base64_from - JOIN_LIMIT), joins))
        if not spans:
            return []
        lines = index_for(blob)  # shared with the inline-allow check, which indexed the same bytes
        contexts = _contexts(blob, lines, spans, self._public_prefix)
        found_matches = [self._content_match(match, lines.position(start), lines.position(end), start, end, encoding,
                                             context, self._account(blob, lines, match, start, encoding))
                         for (start, end, match, encoding), context in zip(spans, contexts, strict=True)]
        return patched_files(blob, found_matches)

    def _account(self, blob: bytes, lines: LineIndex, match: Match, start: int,
                 encoding: str | None) -> tuple[str, int] | None:
        """A password's user name written in the same record (``content.accounts``) and its line."""
        if match.identifier is not None or encoding is not None or self.rule(match.rule).kind != "password":
            return None
        found = account_near(blob, start)
        return None if found is None else (found[0], lines.line_number(found[1]))

    def _match_laid_out(self, document: bytes, found: tuple[Cell, ...], decode: bool) -> list[ContentMatch]:
        """The matches in a database's text cells or an archive's text members (laid out as one document),
        each with its cell (``table.column, rowid N``, ``archive member NAME``) and its line and column
        inside the cell's value or the member; offsets are those of the laid-out document, so two cells
        never overlap. The document itself is read as text (it is never a database or archive again)."""
        if not found:
            return []
        starts = [cell.start for cell in found]
        out = []
        for match in self._match_text(document, decode):
            cell = found[max(0, bisect.bisect_right(starts, match.start) - 1)]
            line = 1 + document.count(b"\n", cell.start, match.start)
            begin = document.rfind(b"\n", cell.start, match.start) + 1 or cell.start
            end_line = line + document.count(b"\n", match.start, match.end)
            # a user name found beside a password names its cell's neighbour, not a line of the file
            out.append(replace(match, cell=cell.label, line=line, column=match.start - max(begin, cell.start) + 1,
                               identifier_line=None,
                               end_line=end_line, end_column=match.end - document.rfind(b"\n", 0, match.end)))
        return out

    def _public_prefix(self, rule_id: str, secret: str) -> str:
        """The public prefix of ``secret`` its preview may show: its provider's own value prefix
        (``ghp_``, ``sk_live_``, ``xoxb-``: the same for every such token, it names the type) when the
        secret starts with one and at least ``PREVIEW_HIDDEN`` characters follow it; '' for any other value
        (an AWS secret key, a password, a generic value): no character of a secret is shown."""
        rule = self.rule(rule_id)
        if rule.provider == "generic" or rule.kind == "password":
            return ""
        lowered = secret.strip().lower()
        for prefix in self._own_prefixes.get(rule.provider, ()):  # longest first
            if lowered.startswith(prefix) and len(lowered) - len(prefix) >= PREVIEW_HIDDEN:
                return secret.strip()[:len(prefix)]
        return ""

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
            # a disabled rule's rejected spans claim nothing: the rules that run behave as if it did not; nor do
            # a credential-file rule's (``paths``): outside its files it does not apply, and a value its checks
            # reject there (an Authelia config's ``secret:`` rule on any YAML) is the generic rules' to judge; nor
            # does a keyword rule's, whose format has no prefix of its own (``_claiming``)
            claims = None if generic or rule.paths or rule.id in self._disabled or rule.id not in self._claiming \
                else claimed
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
            if rule.provider != "generic" and not rule.paths and rule.id not in self._disabled and (
                    judged is None or VALUE_FILTER_REASONS.intersection(judged.reasons)):
                # a path rule may not even apply where this is; a provider's format recognised as a
                # placeholder or demo value is reported (low) by its own rule: a generic rule does not
                # report the same text again, at a higher confidence
                claimed.append((match.start, match.end))
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
        known = self._judgement(rule, match, data)
        judged = match if known == (match.confidence, match.reasons) else replace(
            match, confidence=known[0], reasons=known[1])
        hidden = self._suppression(rule, match, data)
        return judged if hidden is None else replace(judged, suppressed=hidden)

    def _judgement(self, rule: Rule, match: Match, data: bytes) -> tuple[str, tuple[str, ...]]:
        """The confidence and reasons the value filters and the context predicates give ``match``,
        remembered by everything they read: the rule, the match's bounded line (``LINE_CONTEXT``
        either side, as ``generic_candidate`` and ``context_from_bytes`` bound it), the text above
        and below it that ``context_from_bytes`` keeps (``NEARBY_BYTES`` up, a third of it down), the
        match's place in that window and whether the window meets either end of the content. History
        meets the same lines in version after version of a file. What the user declared hidden (an
        inline allow comment included) is ``_suppression``'s, checked every time."""
        start, end = match.start, match.end
        line_start = max(data.rfind(b"\n", max(0, start - LINE_CONTEXT), start) + 1, start - LINE_CONTEXT)
        line_end = data.find(b"\n", end, end + LINE_CONTEXT)
        line_end = min(len(data) if line_end < 0 else line_end, end + LINE_CONTEXT)
        first = max(0, line_start - NEARBY_BYTES)
        last = min(len(data), line_end + 1 + NEARBY_BYTES // 3)
        window = data[first:last]
        key = (rule.id, window, first == 0, last == len(data), start - first, end - first, match.secret,
               match.confidence, match.reasons)
        memo = self._judged_memo
        known = memo.get(key)
        if known is None:
            judged = _judged_in_context(rule, match, data, self._value_reasons(rule, match, data))
            known = (judged.confidence, judged.reasons)
            self._judged_bytes += len(window) + 64
            if self._judged_bytes > JUDGED_CACHE_BYTES:
                memo.clear()
                self._judged_bytes = len(window) + 64
            memo[key] = known
        return known

    def _value_reasons(self, rule: Rule, match: Match, data: bytes) -> tuple[str, ...]:
        """The value filters' reasons for this match (placeholders, templates, demo values, code, ...):
        they lower, never drop. What the user declared hidden is ``_suppression``'s."""
        if rule.provider == "generic":
            return context_value_reasons(generic_candidate(data, match))
        reasons = value_reasons(match.secret)
        if reasons and checksum_verified(rule, match):
            # the provider's own checksum says it issued this value, whatever it spells; a documented
            # example stays one (checksum_verified excludes them)
            return ()
        return reasons

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
                       encoding: str | None, context: str, account: tuple[str, int] | None = None) -> ContentMatch:
        (line, column), (end_line, end_column) = first, last
        key = (match.rule, match.secret, match.reasons)
        ids = self._identities.get(key)
        if ids is None:
            rule = self.rule(match.rule)
            generic = rule.provider == "generic"
            ids = (identity.secret_id(match.secret, self.salt),
                   identity.fingerprint("secret", match.rule.partition(":")[0], match.secret, self.salt),
                   # only a provider's public prefix is shown: a stolen report or store must not narrow
                   # a search for the secret (a token's prefix names its type and is the same for all)
                   identity.redact_identifier(match.secret) if rule.identifies
                   else identity.redact(match.secret, self._public_prefix(match.rule, match.secret)),
                   generic and bool(_HEX.match(match.secret)), self._value_class(rule, match))
            self._identity_bytes += len(match.secret) + 128
            if self._identity_bytes > IDENTITY_CACHE_BYTES:
                self._identities.clear()
                self._identity_bytes = len(match.secret) + 128
            self._identities[key] = ids
        secret_id, fingerprint, redacted, hex_value, value_class = ids
        return ContentMatch(
            rule=match.rule, start=start, end=end, line=line, column=column, end_line=end_line,
            end_column=end_column, confidence=match.confidence, reasons=match.reasons,
            secret_id=secret_id, fingerprint=fingerprint, redacted=redacted,
            identifier=account[0] if account else match.identifier,
            identifier_line=account[1] if account else None, identifier_kind="user" if account else None,
            encoding=encoding,
            hex_value=hex_value, suppressed=match.suppressed, more=match.more,
            secret=match.secret, context=context, value_class=value_class,
        )

    def _value_class(self, rule: Rule, match: Match) -> str:
        """``provider-format``: a provider's own format, starting with its distinctive prefix or proved
        by its checksum; ``random``: 16 characters or more of a generated-looking value, or a key
        block; ``text``: anything that may also occur as ordinary text (a word, a short or typed
        password). Both of the first two can be replaced by value in a history rewrite."""
        secret = match.secret.strip()
        if SHAPE_REASONS.intersection(match.reasons):
            return "text"  # code or a name: whatever it spells, it is ordinary text of the program
        lower = secret.lower()
        if rule.provider == "jwt" and jwt_carries_secret(secret):
            return "provider-format"  # an API key wrapped in a JWT (its claims hold the key's secret)
        if (rule.provider not in CROSS_PROVIDER and rule.provider not in SELF_MADE and not rule.paths
                and (url_body(lower).startswith(self._own_prefixes.get(rule.provider, ()))
                     or any(marker in lower for marker in self._own_markers.get(rule.id, ()))
                     or checksum_verified(rule, match))):
            return "provider-format"
        if rule.kind == "private-key" or (len(secret) >= 16 and looks_generated(secret)):
            return "random"
        return "text"

    @cached_property
    def _own_markers(self) -> dict[str, tuple[str, ...]]:
        """Each rule's markers: keywords its values carry inside, not at their start, that no word or
        ordinary value holds (``T3BlbkFJ``, base64 of "OpenAI", in every OpenAI key; Firebase's ``APA91b``;
        Terraform Cloud's ``atlasv1``): six characters or more mixing letters and digits. A value with its
        rule's marker is in its provider's format, as one with its prefix is."""
        prefixes = frozenset(self.ruleset.secret_prefixes)
        return {rule.id: found for rule in self.rules
                if rule.provider != "generic" and not rule.paths and not rule.untrusted
                and (found := tuple(k for k in rule.keywords if k not in prefixes and _MARKER.fullmatch(k)))}

    def _decoded(self, data: bytes, spans: list[tuple[int, int]]) -> list[tuple[int, int, Match, str]]:
        """Matches inside base64 and URL-encoded runs, at the encoded run's span."""
        if not self.engine.may_hold_encoded:
            return []
        from credsweep.content.decode import RunMemo, encoded_runs

        if self._runs is None:
            self._runs = RunMemo()

        out: list[tuple[int, int, Match, str]] = []
        seen: set[tuple[int, str]] = set()
        matched = SpanSet(spans)
        for start, end, raw, encoding in encoded_runs(data, self.engine.base64_from, self.engine.url_encoded,
                                                      self._runs):
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

    def _joined(self, data: bytes, found: list[Match], begin: int,
                joins: Sequence[int] | None = None) -> list[tuple[int, int, Match, str]]:
        """Matches in string literals joined across lines (``values.joined_literals``: a JWT or a key
        split into pieces), at the run's span, that none of the pieces held as it stands. The text
        before the first literal on its line comes along, so a generic rule sees its key. Only content
        holding the base64 gate's stretch is searched, from ``begin`` (a run ending before the first
        stretch holds no piece of a token), and where the engine saw joiners (``joins``, if it tells)."""
        if len(data) > JOIN_SCAN_LIMIT:
            return []
        seen = {m.secret for m in found}
        out: list[tuple[int, int, Match, str]] = []
        for start, end, prefix, joined in joined_literals(data, begin, joins):
            text = prefix + b'"' + joined + b'"'
            for match in self._matches_in_decoded(text):
                if match.start <= len(prefix) or match.secret in seen or is_inline_allowed(data, start, end):
                    continue  # the key's own line matched as it stands, or the pieces held it already
                seen.add(match.secret)
                out.append((start, end, match, "joined"))
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


def disabled_rules(config: Config, rule_ids: Sequence[str]) -> dict[str, str]:
    """``disabled_by`` of each of ``rule_ids`` that an entry switches off (rule id -> its ``suppression_key``),
    each entry looked up by the keys that can name a rule (``config.entry_keys``), not tried on every rule."""
    first: dict[str, tuple[int, str]] = {}  # entry -> (its place in the configuration's order, its key)
    for kind, items in (("disable_rules", config.disable_rules), ("allowlist.rules", config.allowlist.rules)):
        for item in items:
            first.setdefault(item, (len(first), suppression_key(kind, item)))
    if not first:
        return {}
    found = {}
    for rule_id in rule_ids:
        named = [first[key] for key in entry_keys(rule_id) if key in first]
        if named:
            found[rule_id] = min(named)[1]
    return found


def _judged_in_context(rule: Rule, match: Match, data: bytes, found: tuple[str, ...] = ()) -> Match:
    """``match`` with the value filters' reasons ``found``, the content-context reasons of its line
    (``content.context``) and the confidence the policy gives them: placeholders, code, test code,
    made-up values and example hosts lower it, never drop it.

    Credential-file rules (a rule with ``paths``: ``.pgpass``, saved logins) are exempt from the
    context predicates: in those files the format says the value is a password, and a weak one like
    ``password`` is the worst leak."""
    reasons = found
    if not rule.paths:
        ctx = context_from_bytes(data, match.start, match.end, match.secret, rule_id=rule.id,
                                 provider=rule.provider, rule_kind=rule.kind)
        reasons = tuple(dict.fromkeys((*found, *content_reasons(ctx))))
    if rule.kind == "private-key" and encrypted_private_key(match.secret):
        reasons = (*reasons, ENCRYPTED_KEY)  # a label: it never lowers, advice caps the urgency
    if not reasons:
        return match
    if _sample_of_own_format(rule, match, reasons):
        return replace(match, reasons=tuple(dict.fromkeys((*match.reasons, *reasons))))
    judged = judge_rule_match(match.confidence, (*match.reasons, *reasons), rule)
    return replace(match, reasons=judged.reasons, confidence=judged.confidence)


PLACE_LIKE_REASONS = frozenset({"docstring-sample"})
"""Content reasons that say where a value is written (a usage comment, a documented sample), not what it is:
like a place, they lower a provider's own format's urgency, not its confidence."""


def _sample_of_own_format(rule: Rule, match: Match, reasons: tuple[str, ...]) -> bool:
    """A high-confidence provider rule's value that starts with its distinctive prefix, lowered by nothing but
    where it is written (``PLACE_LIKE_REASONS``): a real ``xoxb-`` token pasted into a sample bot's usage
    comment is as live as one in its code. Corroboration beats place (policy 6); made-up values (counting,
    placeholders) carry reasons of their own and stay lowered. Tokens and webhooks only: a password hash
    after "e.g." in a configuration comment is the manual's sample of a format."""
    if (match.confidence != "high" or rule.provider == "generic" or rule.provider in CROSS_PROVIDER
            or rule.kind not in ("token", "webhook") or not PLACE_LIKE_REASONS.issuperset(reasons)):
        return False
    value = match.secret.strip().lower()
    return any(distinctive_prefix(keyword) and value.startswith(keyword) for keyword in rule.keywords)


def _contexts(blob: bytes, lines: LineIndex, spans: list[tuple[int, int, Match, str | None]],
              public: Callable[[str, str], str]) -> list[str]:
    """The safe context line of each span (``values.masked_line``): its line, every match on that line
    masked (code keeps its shape), cut around the span. A span over several lines (a key block, a
    joined literal) shows its first line. ``public(rule_id, secret)``: the public prefix the redacted
    preview shows (a provider token's ``ghp_``), '' for none; the context line shows no more."""
    by_line: dict[int, list[tuple[int, int, str, int]]] = {}
    bounds: list[tuple[int, int]] = []
    for start, end, match, encoding in spans:
        line_start = max(lines.line_start(start), start - 2 * CONTEXT_BYTES)
        line_end = blob.find(b"\n", start, start + 2 * CONTEXT_BYTES + (end - start))
        line_end = min(len(blob), end + 2 * CONTEXT_BYTES) if line_end < 0 else line_end
        bounds.append((line_start, line_end))
        keep = SHAPE if encoding is None and SHAPE_REASONS.intersection(match.reasons) else LITERAL
        shown = len(public(match.rule, match.secret)) if encoding is None else 0
        if not shown:
            keep = SHAPE_ONLY if keep == SHAPE else HIDDEN
        by_line.setdefault(lines.line_start(start), []).append((start, end, keep, shown))
    out = []
    for (start, end, match, _), (line_start, line_end) in zip(spans, bounds, strict=True):
        # a key block's first line (its BEGIN line) names its type, as the redacted preview does
        header = (len(match.secret.split("\n", 1)[0].encode()) if match.secret.lstrip().startswith("-----BEGIN")
                  and "\n" in match.secret else 0)
        # every match on the line, clipped to this window: a clipped one is masked whole (its first
        # visible characters are the middle of a secret, not what its redacted preview shows)
        here = [(max(a, line_start), min(b, line_end), keep if line_start <= a and (b <= line_end or a == start)
                 else HIDDEN, shown) for a, b, keep, shown in by_line[lines.line_start(start)]
                if a < line_end and b > line_start]
        if header:
            here = [(a + header, b, HIDDEN, 0) if a == start else (a, b, keep, shown) for a, b, keep, shown in here]
            here = [span for span in here if span[0] < span[1]]
        cuts = sorted({line_start, line_end, start, min(end, line_end), *(p for a, b, _, _ in here for p in (a, b))})
        text = ""
        offsets: dict[int, int] = {}
        for a, b in pairwise(cuts):
            offsets[a] = len(text)
            text += blob[a:b].decode("utf-8", "replace")
        offsets[cuts[-1]] = len(text)
        masked = [(offsets[a], offsets[b], keep, shown) for a, b, keep, shown in here]
        at, stop = offsets[start], offsets.get(min(end, line_end), len(text))
        out.append(masked_line(text, masked, at, stop, looks_generated))
    return out


PREVIEW_HIDDEN = 8
"""Characters of a secret that stay hidden at the least after the public prefix a preview shows."""


_MARKER = lazy(r"(?=[a-z0-9]*[0-9])(?=[a-z0-9]*[a-z])[a-z0-9]{6,}")
_OWN_PREFIXES: list[tuple[Ruleset, dict[str, tuple[str, ...]]]] = []
"""``_own_prefixes`` of the last rulesets (held, so each is the very object): a process building many
pipelines of one ruleset (the fleet, one per repository) computes them once (2,000 rules: 3 ms)."""


def _own_prefixes_of(ruleset: Ruleset) -> dict[str, tuple[str, ...]]:
    for known, found in _OWN_PREFIXES:
        if known is ruleset:
            return found
    found = _own_prefixes(ruleset.rules, ruleset.secret_prefixes)
    _OWN_PREFIXES[:] = [(ruleset, found), *_OWN_PREFIXES[:3]]
    return found


def _own_prefixes(rules: Sequence[Rule], prefixes: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Each provider's own value prefixes: its rules' keywords that start their secrets (``sk_live_``
    for Stripe). A value is in its provider's format only with its provider's prefix: a ``.netrc``
    password that happens to start like a yescrypt hash (``$y$``) is in nobody's format."""
    known = frozenset(prefixes)
    own: dict[str, set[str]] = {}
    for rule in rules:
        own.setdefault(rule.provider, set()).update(k.lower() for k in rule.keywords if k.lower() in known)
    # longest first: a preview shows the longest prefix a value starts with (``sk_live_`` before ``sk_``)
    return {provider: tuple(sorted(found, key=lambda p: (-len(p), p))) for provider, found in own.items() if found}


def with_reasons(match: ContentMatch, reasons: tuple[str, ...], confidence: str) -> ContentMatch:
    """``match`` with extra reasons and a new confidence (judgement's only way to change a match)."""
    return replace(match, reasons=tuple(dict.fromkeys((*match.reasons, *reasons))), confidence=confidence)


_DIFF_TARGET = lazy(rb"(?m)^\+\+\+ (?:b/)?([^\t\r\n]{1,400})")
"""A unified diff's new-file header (``+++ b/path/to/file``, Git's and diff -u's), its path up to a tab (diff -u
writes the date after one)."""


def patched_files(blob: bytes, found: list[ContentMatch]) -> list[ContentMatch]:
    """``found`` with each match in a unified diff's hunk given the path that hunk patches (``patched``): a
    vendored ``.patch`` adding an importer's test data is judged by that test file's place. Contents that are no
    diff (no ``@@`` hunk and no ``+++`` header) are returned as they are, after one cheap search."""
    if not found or b"\n@@ " not in blob or b"\n+++ " not in blob:
        return found
    headers = [(m.start(), m.group(1).decode("utf-8", "replace").strip()) for m in _DIFF_TARGET.finditer(blob)]
    starts = [at for at, _ in headers]
    out = []
    for match in found:
        index = bisect.bisect_right(starts, match.start) - 1
        target = headers[index][1] if index >= 0 else ""
        out.append(replace(match, patched=target) if target and target != "/dev/null" else match)
    return out
