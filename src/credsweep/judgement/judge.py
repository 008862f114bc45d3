"""Location judgement: content matches → what to report at one location, with confidence and reasons.

The content stage (``credsweep.content.matcher``) says what credentials some bytes hold. This stage says what
to report where those bytes live: the config's path allowlist (what it hides is counted, per entry, in
``Judge.hidden``, as are matches the content stage marked ``suppressed``), files no credential is read from
(lockfiles, minified bundles, test-vector files for hex values, scanners' own bookkeeping), context
that lowers confidence (named reasons on the finding), the confidence threshold, one rule per span
(a provider rule over a generic one), and an identifier folded into the secret it identifies (AWS key
id + secret = one credential). It runs once per location: history judges one blob's matches at every
path that blob had.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cached_property

from credsweep.config import CONFIDENCE_ORDER, Config
from credsweep.content.confidence import CROSS_PROVIDER, LABELS, LOWERED, judge_rule_match
from credsweep.content.matcher import ContentMatcher, with_reasons
from credsweep.judgement.location import (
    is_ci_config,
    is_container_config,
    is_lockfile,
    is_minified_file,
    is_scanner_bookkeeping,
    is_test_vector_file,
)
from credsweep.models import (
    CI_TEST_LOGIN,
    COMPOSE_DOCUMENT,
    CONTAINER_LOGIN,
    CORROBORATED,
    IDENTIFIER_ALONE,
    PAIRED_LABELS,
    TYPED_LOGIN,
    ContentMatch,
    Location,
    Severity,
    suppression_key,
)
from credsweep.rules.loader import Rule

ARCHIVE_MEMBER = "archive member "
"""How a finding's cell names an archive's member (``content.archives``)."""
_NOTES = frozenset({TYPED_LOGIN, COMPOSE_DOCUMENT})
"""The content stage's notes for judgement: read at one place, then dropped (never shown)."""

_KEEPS_IDENTIFIER = frozenset({"docs-location", "example-location"})
"""Places that do not lower an identifier alone (``pair_identifiers``)."""
PAIR_DISTANCE = 400
"""Bytes: an identifier and its secret written together (one block of a config file)."""
def generic_drop_reason(path: str, match: ContentMatch) -> str | None:
    """Files where a generic (keyword) match is not a credential, whatever it looks like."""
    if is_lockfile(path):
        return "lockfile"
    if is_minified_file(path):
        return "minified_code"
    if match.hex_value and is_test_vector_file(path):
        return "test_vector"
    return None


LocationReasons = Callable[[str], tuple[str, ...]]


class Judge:
    """Location judgement for one configuration (see the module docstring)."""

    def __init__(self, config: Config, matcher: ContentMatcher,
                 location_reasons: LocationReasons | None = None) -> None:
        self.config = config
        self.matcher = matcher
        self._min_confidence = CONFIDENCE_ORDER[config.min_confidence]
        self._location_reasons = location_reasons
        self.hidden: Counter[str] = Counter()
        """Findings hidden so far, by ``suppression_key`` of what hid them (the scan reads it at the end)."""

    @cached_property
    def _path_allow(self):  # type: ignore[no-untyped-def]
        from credsweep.util.pathmatch import gitignore_spec

        return gitignore_spec(self.config.allowlist.paths)

    @cached_property
    def _path_entries(self):  # type: ignore[no-untyped-def]
        from credsweep.util.pathmatch import gitignore_spec

        return [(entry, gitignore_spec([entry])) for entry in self.config.allowlist.paths
                if entry.strip() and not entry.startswith(("!", "#"))]

    def path_allowed(self, path: str) -> bool:
        """True when the config allowlists ``path`` (gitignore syntax)."""
        return bool(self.config.allowlist.paths) and bool(self._path_allow.match_file(path))

    def allowlisted_by(self, path: str) -> str | None:
        """The ``suppression_key`` of the path allowlist entry that hides ``path`` (the last one matching
        it, as in gitignore), or None when the allowlist does not hide it."""
        if not self.path_allowed(path):
            return None
        entry = next((e for e, spec in reversed(self._path_entries) if spec.match_file(path)), "")
        return suppression_key("allowlist.paths", entry)

    def skips(self, path: str) -> bool:
        """Nothing at ``path`` is reported: allowlisted, or a scanner's own bookkeeping."""
        return self.path_allowed(path) or is_scanner_bookkeeping(path)

    def hides_file(self, path: str) -> bool:
        """True when a file-level (hygiene) finding at ``path`` is not reported: the path allowlist hides
        it (counted, like every suppression) or it is a scanner's bookkeeping file."""
        key = self.allowlisted_by(path)
        if key is not None:
            self.hidden[key] += 1
            return True
        return is_scanner_bookkeeping(path)

    def judge(self, matches: Sequence[ContentMatch], location: Location) -> list[tuple[Rule, ContentMatch]]:
        """What to report of ``matches`` at ``location``: (rule, match) in content order. What the path
        allowlist, a disabled rule, the value allowlist, a stopword or an inline comment hides is
        counted in ``hidden`` (only matches that would otherwise have been reported)."""
        if not matches or is_scanner_bookkeeping(location.path):
            return []
        allowed = self.allowlisted_by(location.path) if self.config.allowlist.paths else None
        rule_of = self.matcher.rule
        reasons = self._location_reasons(location.path) if self._location_reasons and location.path else ()
        candidates: list[tuple[Rule, ContentMatch]] = []
        for match in matches:
            rule = rule_of(match.rule)
            if rule.paths and not rule.applies_to(location.path):
                continue  # a credential-file format (.pgpass, config/master.key) outside its file
            if rule.provider == "generic" and location.path and generic_drop_reason(location.path, match):
                continue
            candidates.append((rule, match))
        corroborated = corroborated_secrets(candidates)
        kept: list[tuple[Rule, ContentMatch]] = []
        hidden: list[tuple[Rule, ContentMatch]] = []
        ci = bool(location.path) and is_ci_config(location.path)
        compose = bool(location.path) and is_container_config(location.path)
        for index, (rule, match) in enumerate(candidates):
            here = reasons
            if match.cell and match.cell.startswith(ARCHIVE_MEMBER) and self._location_reasons and location.path:
                # an archive's member is judged where it sits inside the archive too (a ZIP's
                # ``node_modules/pkg/test/key.pem``): the archive's place and the member's place both count
                member = match.cell[len(ARCHIVE_MEMBER):]
                here = tuple(dict.fromkeys((*reasons, *self._location_reasons(f"{location.path}/{member}"))))
            elif match.patched and self._location_reasons and location.path:
                # a patch's hunk is judged where the file it patches sits too (a vendored patch adding an
                # importer's ``spec/.../testData.ts``): the patch's place and the patched file's both count
                here = tuple(dict.fromkeys((*reasons, *self._location_reasons(match.patched))))
            if TYPED_LOGIN in match.reasons or COMPOSE_DOCUMENT in match.reasons:
                # the content stage's notes for this place only: used here, never shown
                container = compose or COMPOSE_DOCUMENT in match.reasons
                if TYPED_LOGIN in match.reasons:
                    here = (*here, CI_TEST_LOGIN) if ci else (*here, CONTAINER_LOGIN) if container else here
                match = replace(match, reasons=tuple(r for r in match.reasons if r not in _NOTES))
            if here or index in corroborated:
                by_pair = index in corroborated or not PAIRED_LABELS.isdisjoint(match.reasons)
                match = self._at_location(rule, match, here, by_pair)
            if CONFIDENCE_ORDER[match.confidence] < self._min_confidence and not rule.identifies:
                continue
            if allowed is not None or match.suppressed is not None:
                hidden.append((rule, match))
            else:
                kept.append((rule, match))
        if hidden:
            self._count(hidden, kept, allowed)
        # an identifier below the threshold may still name the secret beside it; alone, it is not shown
        paired = pair_identifiers(resolve_overlaps(kept))
        return [(r, m) for r, m in paired if CONFIDENCE_ORDER[m.confidence] >= self._min_confidence]

    @staticmethod
    def _at_location(rule: Rule, match: ContentMatch, reasons: tuple[str, ...], corroborated: bool) -> ContentMatch:
        """``match`` with the location's reasons (the policy in ``content.confidence``): they lower it to
        low, except a checksum-valid token or a private key (policy 2, 3) and, corroboration beating
        location (policy 6), a value in its provider's own format or a secret beside the identifier it
        pairs with: those keep the confidence the content gave them, the place is recorded for urgency."""
        if corroborated and CORROBORATED not in match.reasons and PAIRED_LABELS.isdisjoint(match.reasons):
            reasons = (*reasons, CORROBORATED)
        keeps = corroborated or match.value_class == "provider-format"
        if keeps and not any(r not in LABELS for r in match.reasons):
            # nothing about the value itself lowered it: the place alone does not, and an identifier
            # beside it raises a keyword rule's medium to high
            raised = "high" if corroborated and rule.provider == "generic" and match.confidence == "medium" \
                and PAIRED_LABELS.isdisjoint(match.reasons) else match.confidence
            return with_reasons(match, reasons, raised)
        if not reasons:
            return match
        judged = judge_rule_match(match.confidence, (*match.reasons, *reasons), rule)
        return with_reasons(match, judged.reasons, judged.confidence)

    def _count(self, hidden: list[tuple[Rule, ContentMatch]], kept: list[tuple[Rule, ContentMatch]],
               allowed: str | None) -> None:
        """Count what ``hidden`` hid: the hidden matches that would have been reported, overlaps with the
        reported ones resolved as if nothing were hidden (a match another rule's finding covers hid nothing)."""
        shown = {id(match) for _, match in kept}
        for _, match in resolve_overlaps([*kept, *hidden]):
            if id(match) not in shown:
                self.hidden[allowed or match.suppressed or ""] += 1 + match.more


def corroborated_secrets(found: Sequence[tuple[Rule, ContentMatch]]) -> set[int]:
    """Indices into ``found`` of secrets written within ``PAIR_DISTANCE`` bytes of an identifier they
    pair with: the identified rule's own match (an AWS key id beside its secret), or a generic secret
    beside a provider's identifier (a Google OAuth client secret under ``client_secret`` next to its
    ``...apps.googleusercontent.com`` client id). A real identifier beside it says the secret is real
    too, wherever it sits. Sorted by position, so each lookup is a bisect."""
    identifiers = sorted((m.start, r.identifies or "") for r, m in found if r.identifies and m.confidence != "low")
    if not identifiers:
        return set()
    starts = [start for start, _ in identifiers]
    out: set[int] = set()
    for index, (rule, match) in enumerate(found):
        if rule.identifies or rule.kind == "password":
            continue
        generic = rule.provider == "generic"
        low = bisect.bisect_left(starts, match.start - PAIR_DISTANCE)
        high = bisect.bisect_right(starts, match.start + PAIR_DISTANCE)
        for _, target in identifiers[low:high]:
            if generic or target in (rule.id, rule.id.rsplit(".", 1)[0]):
                out.add(index)
                break
    return out


def _specificity(rule: Rule) -> int:
    return 2 if rule.provider == "generic" else 1 if rule.provider in CROSS_PROVIDER else 0


def resolve_overlaps(found: Sequence[tuple[Rule, ContentMatch]]) -> list[tuple[Rule, ContentMatch]]:
    """Where several rules capture overlapping text, keep the most specific: a provider's own rule over
    a cross-provider one (a header, a JWT) over a generic one, then higher confidence, higher severity,
    longer capture. O(n log n)."""
    if len(found) < 2:
        return list(found)
    ranked = sorted(found, key=lambda rm: (
        _specificity(rm[0]), -CONFIDENCE_ORDER[rm[1].confidence], -Severity.of(rm[0].severity),
        -(rm[1].end - rm[1].start), rm[1].start))
    starts: list[int] = []  # taken spans, disjoint, sorted by start
    ends: list[int] = []
    taken: list[tuple[Rule, ContentMatch]] = []
    for rule, match in ranked:
        at = bisect.bisect_left(starts, match.end)  # taken spans starting before this one ends
        if at and ends[at - 1] > match.start:
            continue  # the nearest such span reaches into this one (disjoint spans: only it can)
        starts.insert(at, match.start)
        ends.insert(at, match.end)
        taken.append((rule, match))
    return sorted(taken, key=lambda rm: (rm[1].start, rm[0].id))


def pair_identifiers(found: list[tuple[Rule, ContentMatch]]) -> list[tuple[Rule, ContentMatch]]:
    """Fold identifier matches (AWS key id) into the nearest secret they identify, within
    ``PAIR_DISTANCE`` bytes; an identifier pairs once. Sorted by position, so each lookup is a bisect."""
    identifiers = [(r, m) for r, m in found if r.identifies]
    if not identifiers:
        return found
    by_target: dict[str, list[int]] = {}
    for index, (rule, _) in enumerate(identifiers):
        by_target.setdefault(rule.identifies or "", []).append(index)
    used: set[int] = set()
    out: list[tuple[Rule, ContentMatch]] = []
    for rule, match in found:
        if rule.identifies:
            continue
        # a rule extending the identified one (aws.secret-access-key.nested) pairs with its identifier too,
        # and a keyword rule's secret with any identifier beside it (client_secret next to a client id)
        candidates = by_target.get(rule.id) or by_target.get(rule.id.rsplit(".", 1)[0])
        if not candidates and rule.provider == "generic" and rule.kind != "password":
            candidates = list(range(len(identifiers)))
        if candidates:
            starts = [identifiers[i][1].start for i in candidates]
            at = bisect.bisect_left(starts, match.start)
            best: tuple[int, int] | None = None
            for j in _around(at, len(candidates)):
                index = candidates[j]
                distance = abs(identifiers[index][1].start - match.start)
                if index in used or distance > PAIR_DISTANCE:
                    continue
                if best is None or (distance, index) < best:
                    best = (distance, index)
            if best is not None:
                used.add(best[1])
                ident = identifiers[best[1]][1]
                match = replace(match, identifier=ident.secret or ident.redacted, identifier_line=ident.line,
                                identifier_kind=None)
        out.append((rule, match))
    # an identifier with no secret beside it is reported (its secret may be elsewhere), labelled alone; it
    # grants nothing by itself, so what its format proves (issued, not typed) does not outweigh its place or
    # its content: a reason that lowers a value lowers it (an AWS key id in a vendored library's CI file), but
    # documentation's and examples' places, where a real id usually travels with the rest of what leaked (a
    # presigned URL's signature in a guide), and where vendors' sample ids are recognised by value anyway
    for i, (rule, match) in enumerate(identifiers):
        if i not in used:
            lowered = any(r not in LABELS and r not in _KEEPS_IDENTIFIER for r in match.reasons)
            out.append((rule, replace(match, reasons=tuple(dict.fromkeys((*match.reasons, IDENTIFIER_ALONE))),
                                      confidence=LOWERED if lowered else match.confidence)))
    return sorted(out, key=lambda rm: (rm[1].start, rm[0].id))


def _around(at: int, size: int, reach: int = 8) -> range:
    """Indices near a bisect point: identifiers within pairing distance of a secret are few."""
    return range(max(0, at - reach), min(size, at + reach))
