"""The per-item pipeline: content → candidate rules → matches → filters → findings.

``Scanner.scan_item`` is a pure function of its inputs (config, rules, item): sources feed it,
reporters consume its output, and the history walker runs it in worker processes.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING
from collections.abc import Iterable, Sequence
from functools import cached_property

from credsweep import identity
from credsweep.advice import advice_for_secret
from credsweep.config import CONFIDENCE_ORDER, Config
from credsweep.detectors.rules import match_rule
from credsweep.engine import Engine, HyperscanEngine, make_engine
from credsweep.filters.heuristics import reason_to_drop, reason_to_drop_candidate
from credsweep.detectors.generic import generic_candidate
from credsweep.filters.inline import is_inline_allowed
from credsweep.models import Finding, Item, Match
from credsweep.rules.loader import Rule, Ruleset

if TYPE_CHECKING:
    from credsweep.known import KnownCredentials

BINARY_SNIFF = 8000
_SEVERITY_RANK = {"critical": 3, "high": 2, "medium": 1, "low": 0}


def is_binary(data: bytes) -> bool:
    """git's own heuristic: a NUL byte in the first 8000 bytes."""
    return b"\0" in data[:BINARY_SNIFF]


class Scanner:
    """Holds the compiled rules and engine for one scan; ``scan_item`` does the work."""

    def __init__(self, config: Config, ruleset: Ruleset, engine: str = "auto", known: KnownCredentials | None = None) -> None:
        self.config = config
        self.known = known if known else None
        self.ruleset = ruleset
        self.rules: Sequence[Rule] = tuple(r for r in ruleset.rules if config.rule_enabled(r.id))
        self.engine: Engine = make_engine(self.rules, engine)
        # keyword prefilters (and rules Hyperscan could not compile) read lower-cased content
        self._needs_lowered = not (isinstance(self.engine, HyperscanEngine) and self.engine.complete)
        self._min_confidence = CONFIDENCE_ORDER[config.min_confidence]
        self._values = [re.compile(v) for v in config.allowlist.values]
        self._prefixes = ruleset.secret_prefixes

    @cached_property
    def _path_allow(self):  # type: ignore[no-untyped-def]
        from credsweep.pathmatch import gitignore_spec

        return gitignore_spec(self.config.allowlist.paths)

    def path_allowed(self, path: str) -> bool:
        """True when the config allowlists ``path`` (gitignore syntax)."""
        return bool(self.config.allowlist.paths) and self._path_allow.match_file(path)

    def matches(self, data: bytes | memoryview, path: str = "") -> list[tuple[Rule, Match]]:
        """Rule matches in ``data`` that survive every filter, overlapping duplicates resolved.

        ``data`` may be a view of a reused buffer (the history walker's): it is copied only when a
        rule may match.

        ``path`` (repository-relative) feeds the contextual filters of generic matches (lockfiles,
        minified bundles, test-vector files)."""
        # the lower-cased copy costs a pass over every blob: make it only for keyword prefilters
        # and line-scoped rules, which most content never reaches
        lowered: bytes | None = None
        if self._needs_lowered:
            data = data if isinstance(data, bytes) else bytes(data)
            lowered = data.lower()
        candidates = self.engine.candidates(data, lowered)  # type: ignore[call-arg,arg-type]
        if not candidates and self.known is None:
            return []  # most content: no rule can match, and nothing below needs to run
        if not isinstance(data, bytes):  # a view of a reader's buffer (history): the rest wants bytes
            data = bytes(data)
        kept: list[tuple[Rule, Match]] = []
        claimed: list[tuple[int, int]] = []  # provider-format spans rejected as fake/placeholder
        ends = getattr(self.engine, "ends", {})
        for index in candidates:
            rule = self.rules[index]
            if rule.paths and not rule.applies_to(path):
                continue  # a credential-file format (.pgpass, config/master.key) outside its file
            generic = rule.provider == "generic"
            if lowered is None and rule.scope == "line" and index not in ends:
                lowered = data.lower()
            for match in match_rule(rule, data, None if generic else claimed, lowered, ends.get(index)):
                if self._keep(rule, match, data, path):
                    kept.append((rule, match))
                elif not generic:
                    claimed.append((match.start, match.end))
        if claimed:
            kept = [(r, m) for r, m in kept if r.provider != "generic"
                    or not any(m.start < e and s < m.end for s, e in claimed)]
        # a value with a provider's own prefix but the wrong shape is that provider's business
        kept = [(r, m) for r, m in kept if r.provider != "generic" or not m.secret.lower().startswith(self._prefixes)]
        if self.known is not None:
            # exact values the user holds: no entropy floor, no filters, no inline allow
            for start, end, value, label in self.known.find(data):
                kept.append((known_rule(label), Match(rule=KNOWN_RULE, start=start, end=end, secret=value)))
        return _pair_identifiers(_resolve_overlaps(kept))

    def _keep(self, rule: Rule, match: Match, data: bytes, path: str = "") -> bool:
        if CONFIDENCE_ORDER[match.confidence] < self._min_confidence:
            return False
        if rule.provider == "generic":
            # keyword rules see every kind of value: judge it with its line and file as context
            if reason_to_drop_candidate(generic_candidate(data, match, path)) is not None:
                return False
        elif reason_to_drop(match.secret) is not None:
            return False
        lowered = match.secret.lower()
        if any(word in lowered for word in self.config.allowlist.stopwords):
            return False
        if any(v.fullmatch(match.secret) for v in self._values):
            return False
        return not is_inline_allowed(data, match.start, match.end)

    def scan_item(self, item: Item, decode: bool = True) -> list[Finding]:
        """Findings for one content item (binary and oversized items yield none).

        With ``decode``, base64 and URL-encoded runs are decoded and scanned too (one level deep);
        such findings point at the encoded run and say how it was encoded.
        """
        if len(item.data) > self.config.max_file_size or is_binary(item.data):
            return []
        if self.path_allowed(item.path):
            return []
        found = self.matches(item.data, item.path)
        findings = [self.finding(item, rule, match) for rule, match in found]
        if decode:
            findings.extend(self._decoded(item, [(m.start, m.end) for _, m in found]))
        return findings

    def _decoded(self, item: Item, spans: list[tuple[int, int]]) -> list[Finding]:
        from credsweep.detectors.decode import encoded_runs

        out = []
        seen: set[tuple[int, str]] = set()
        for start, end, raw, encoding in encoded_runs(item.data):
            # a run a rule already matched as it stands (the encoded token is the secret) is reported once
            if any(start < e and s < end for s, e in spans):
                continue
            for rule, match in self.matches(raw, item.path):
                # the same value in two places is two findings; one run decoding to it twice is one
                if (start, match.secret) in seen or is_inline_allowed(item.data, start, end):
                    continue
                seen.add((start, match.secret))
                outer = replace(match, start=start, end=end)
                finding = self.finding(item, rule, outer)
                out.append(replace(finding, name=f"{finding.name} ({encoding}-encoded)"))
        return out

    def finding(self, item: Item, rule: Rule, match: Match) -> Finding:
        line, column = position(item.data, match.start)
        end_line, end_column = position(item.data, match.end)
        provider = self.ruleset.providers[rule.provider]
        return Finding(
            kind="secret",
            rule=rule.id,
            provider=rule.provider,
            name=rule.name,
            severity=rule.severity,
            confidence=match.confidence,
            path=item.path,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            source=item.source,
            commit=item.commit,
            blob_id=item.blob_id,
            fingerprint=identity.fingerprint("secret", rule.id, match.secret),
            secret_id=identity.secret_id(match.secret),
            redacted=identity.redact(match.secret),
            advice=advice_for_secret(rule, provider, match.identifier, self.placeholder_for(rule)),
            secret=match.secret,
            identifier=match.identifier,
        )

    def placeholder_for(self, rule: Rule) -> str | None:
        """The command placeholder an identifier of ``rule`` fills (from the identifier rule)."""
        # a rule that extends the identified one (aws.secret-access-key.nested) fills its placeholder too
        return self._placeholders.get(rule.id) or self._placeholders.get(rule.id.rsplit(".", 1)[0])

    @cached_property
    def _placeholders(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for r in self.ruleset.rules:
            if r.identifies and r.placeholder:
                out.setdefault(r.identifies, r.placeholder)
        return out


def position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of byte ``offset``."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    return line, len(data[line_start:offset].decode("utf-8", "replace")) + 1


KNOWN_RULE = "known.credential"
PAIR_DISTANCE = 400  # bytes: an id and its secret written together (same block of a config file)


@lru_cache(maxsize=32)
def known_rule(label: str) -> Rule:
    """The (pattern-less) rule under which exact known-credential hits are reported."""
    return Rule(id=KNOWN_RULE, name=f"your own credential (from {label})", provider="known", pattern="(known)",
                keywords=("",), severity="critical", confidence="high",
                reference="https://12factor.net/config", examples=(), negative_examples=())


def _pair_identifiers(found: list[tuple[Rule, Match]]) -> list[tuple[Rule, Match]]:
    """Fold identifier matches (AWS key id) into the secret they identify, when both are in the content."""
    identifiers = [(r, m) for r, m in found if r.identifies]
    if not identifiers:
        return found
    out: list[tuple[Rule, Match]] = []
    used: set[int] = set()
    for rule, match in found:
        if rule.identifies:
            continue
        nearest = min(
            ((abs(m.start - match.start), i, m) for i, (r, m) in enumerate(identifiers)
             if r.identifies in (rule.id, rule.id.rsplit(".", 1)[0]) and i not in used and abs(m.start - match.start) <= PAIR_DISTANCE),
            default=None, key=lambda t: (t[0], t[1]),
        )
        if nearest is not None:
            used.add(nearest[1])
            match = replace(match, identifier=nearest[2].secret)
        out.append((rule, match))
    out.extend(identifiers[i] for i in range(len(identifiers)) if i not in used)
    return sorted(out, key=lambda rm: (rm[1].start, rm[0].id))


def _resolve_overlaps(found: Iterable[tuple[Rule, Match]]) -> list[tuple[Rule, Match]]:
    """Where several rules capture overlapping text, keep the most specific: a provider rule over a
    generic one, then higher confidence, higher severity, longer capture."""
    ranked = sorted(
        found,
        key=lambda rm: (
            rm[0].provider == "generic",
            -CONFIDENCE_ORDER[rm[1].confidence],
            -_SEVERITY_RANK[rm[0].severity],
            -(rm[1].end - rm[1].start),
        ),
    )
    taken: list[tuple[Rule, Match]] = []
    for rule, match in ranked:
        if any(match.start < m.end and m.start < match.end for _, m in taken):
            continue
        taken.append((rule, match))
    return sorted(taken, key=lambda rm: (rm[1].start, rm[0].id))
