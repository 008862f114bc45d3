"""Frozen data that crosses pipeline stages: content items, matches, findings, advice.

Plain-text secrets live only in ``Match.secret`` and ``Finding.secret`` (in memory, excluded from
``repr``); every output writes ``Finding.redacted`` unless the user passed ``--show-secrets``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.IntEnum):
    """One ordered scale for a rule's severity and a finding's urgency: low < medium < high < critical.
    Findings carry the lower-case label (``Severity.of`` reads it back)."""

    LOW = 0
    MEDIUM = 1
    HIGH = 2
    CRITICAL = 3

    @property
    def label(self) -> str:
        """The lower-case name used in rules, findings and every output format."""
        return self.name.lower()

    @classmethod
    def of(cls, label: str) -> Severity:
        """The level named ``label`` (KeyError for anything else)."""
        return _SEVERITY_BY_LABEL[label]


class Confidence(enum.IntEnum):
    """How sure a match is a real credential: low < medium < high."""

    LOW = 0
    MEDIUM = 1
    HIGH = 2

    @property
    def label(self) -> str:
        """The lower-case name used in rules, findings and every output format."""
        return self.name.lower()

    @classmethod
    def of(cls, label: str) -> Confidence:
        """The level named ``label`` (KeyError for anything else)."""
        return _CONFIDENCE_BY_LABEL[label]


_SEVERITY_BY_LABEL = {level.label: level for level in Severity}
_CONFIDENCE_BY_LABEL = {level.label: level for level in Confidence}
LEVELS = tuple(level.label for level in Severity)
"""Severity and urgency labels, lowest first (``LEVELS.index`` orders them)."""
CONFIDENCES = tuple(level.label for level in Confidence)
"""Confidence labels, lowest first."""
WEAKENS_DETECTION = "config.weakens-detection"
"""The finding on a scanned repository's own configuration that turns detection or the exit status down
broadly: it makes every command exit 1, whatever ``fail_on`` says (that file may be what set it)."""
TEST_FIXTURE = "test-fixture"
"""Label reason: a private key that tests, examples or docs use (shown grouped, low urgency)."""
CORROBORATED = "corroborated-by-identifier"
"""Label reason: the secret sits next to the identifier it pairs with (``content.confidence``, policy 6)."""
IDENTIFIER_ALONE = "identifier-alone"
"""Label reason: an identifier (an AWS access key id, an OAuth client id) with no secret of its own beside it:
not secret in itself, so exposure does not make it more urgent (``enrich.advice``)."""
ISSUED_ACCOUNT = "corroborated-by-account"
"""Label reason: a generated password beside the machine-issued user name it logs in as (``content.context``):
corroboration like an identifier's (policy 6)."""
HOSTED_LOGIN = "corroborated-by-host"
"""Label reason: a generated password written with the host of a hosted database (``content.context``):
corroboration like an identifier's (policy 6)."""
TYPED_LOGIN = "typed-login"
"""Label reason: a password a person typed (a word, a short or simple value, not generated) with no real
host beside it (``content.context``); in a CI job's definition judgement lowers it as the job's test login
(``ci-test-login``)."""
CHECKSUM_VALIDATORS = frozenset({"github_checksum", "npm_checksum", "stack_auth_checksum"})
"""Validators (``content.validators``) that verify a provider's embedded checksum: a value they accept is
distinctive without any key name (``rules check``), and one of the right shape whose checksum fails is kept at
low confidence with ``checksum-mismatch`` (a typo, a truncated paste or a hand-edited real token as often as a
fake one), not dropped."""
STRUCTURE_VALIDATORS = frozenset({"discord_token"})
"""Validators that prove a provider's structure, not a checksum: a part of the value decodes to what the provider
puts there (a Discord bot token's first part to the bot's numeric user id). Random text of the shape passes
about never, so a value they accept is distinctive without any key name, like a checksum-valid one; a value
they reject is no match at all."""
ISSUANCE_VALIDATORS = CHECKSUM_VALIDATORS | STRUCTURE_VALIDATORS | {"pypi_macaroon"}
"""Validators that prove a provider issued the value (a checksum or a signed structure), not only its shape:
such a value keeps its confidence wherever it is (``content.confidence``, policy 2)."""
COMPOSE_DOCUMENT = "compose-document"
"""Label reason (a note, never shown): the file is a Docker Compose document by its content (a top-level
``services:`` with an ``image:`` under it), whatever its name (``quickstart-mysql.yml``); judgement reads
its typed logins as a container's (``container-login``) and drops the note."""
CI_TEST_LOGIN = "ci-test-login"
"""Judgement's reason: a typed login in a CI service's job definitions (``judgement.location.is_ci_config``):
the login a job gives the database it starts for its tests."""
CONTAINER_LOGIN = "container-login"
"""Judgement's reason: a typed login in a Docker Compose file, a Dockerfile or a ``docker/`` folder
(``judgement.location.is_container_config``): the login given to a container it starts (a test or
development database)."""
PAIRED_LABELS = frozenset({ISSUED_ACCOUNT, HOSTED_LOGIN})
"""Label reasons the content stage records for a password written with what it logs in to: judgement keeps
their confidence wherever the file is, as for a secret beside its identifier."""
ENCRYPTED_KEY = "passphrase-protected"
"""Label reason: a private key stored encrypted under a passphrase (``content.validators.encrypted_private_key``):
of use only with its passphrase, so never critical (``enrich.advice``)."""
LABEL_REASONS = frozenset({TEST_FIXTURE, CORROBORATED, IDENTIFIER_ALONE, ISSUED_ACCOUNT, HOSTED_LOGIN, TYPED_LOGIN,
                           COMPOSE_DOCUMENT, ENCRYPTED_KEY})
"""Reasons that describe a finding for presentation and never lower it (read by the content policy,
judgement, advice and ``rules check``)."""


@dataclass(frozen=True)
class ContentItem:
    """One piece of content a source yields: a working-tree file, a staged blob or a history blob."""

    path: str
    """Repository-relative path with forward slashes."""
    data: bytes
    """The content."""
    source: str = "worktree"
    """worktree, staged or history."""
    blob_id: str | None = None
    """git blob id of the content, when known."""
    commit: str | None = None
    """Commit the content was read from (history), else None."""
    mode: int | None = None
    """File mode (working tree st_mode, or git mode for blobs)."""

    @property
    def location(self) -> Location:
        """Where the content lives, for judgement."""
        return Location(self.path, self.source, self.blob_id, self.commit, self.mode)


@dataclass(frozen=True)
class Match:
    """A rule or detector hit in one item, before filtering."""

    rule: str
    """Rule id."""
    start: int
    """Byte offset of the secret in the item."""
    end: int
    """Byte offset just past the secret."""
    secret: str = field(repr=False)
    """The secret itself: memory only."""
    confidence: str = "high"
    """Confidence after detector-specific adjustment."""
    identifier: str | None = None
    """A non-secret identifier paired with this secret in the same content (e.g. AWS access key id)."""
    reasons: tuple[str, ...] = ()
    """Named reasons that lowered the confidence (e.g. ``checksum-mismatch``)."""
    suppressed: str | None = None
    """What hides it, when something the user or repository declared does (``Suppression.key``):
    kept, not dropped, so judgement can count what each allowlist entry hid."""
    more: int = 0
    """Past the per-content match budget: further matches of this rule counted, not judged."""


@dataclass(frozen=True)
class ContentMatch:
    """A credential found in some bytes: the content stage's result, independent of where the bytes live.

    Everything but ``secret`` may be stored (a fleet store keeps it per blob id and ruleset digest);
    ``secret`` is memory only and None for a match read back from a store."""

    rule: str
    """Rule id."""
    start: int
    """Byte offset of the secret (or of the encoded run holding it)."""
    end: int
    """Byte offset just past it."""
    line: int
    """1-based line of ``start``."""
    column: int
    """1-based column (characters) of ``start``."""
    end_line: int
    """1-based line of ``end``."""
    end_column: int
    """1-based column of ``end``."""
    confidence: str
    """high, medium or low, after the content's own context (judgement may lower it further)."""
    reasons: tuple[str, ...]
    """Named reasons that lowered the confidence, content's and (after judgement) location's."""
    secret_id: str
    """Salted hash of the secret alone (``identity.secret_id``)."""
    fingerprint: str
    """Salted hash of kind, rule and secret (``identity.fingerprint``)."""
    redacted: str
    """Preview that does not reveal the secret."""
    identifier: str | None = field(default=None, repr=False)
    """A paired non-secret identifier (AWS access key id), set by judgement's pairing, or a password's user
    name written in the same record (``content.accounts``)."""
    identifier_line: int | None = None
    """1-based line of ``identifier`` when it has one in this content."""
    identifier_kind: str | None = None
    """``user`` when ``identifier`` is a password's user name (``content.accounts``), else None (a key id)."""
    encoding: str | None = None
    """base64 or url when the secret was found inside an encoded run, else None."""
    hex_value: bool = False
    """A generic match whose value is a hex string (test vectors are judged by where they live)."""
    suppressed: str | None = None
    """The allowlist entry, disabled rule or inline comment that hides it (``Suppression.key``); None
    when nothing does. Judgement counts such matches instead of reporting them."""
    more: int = 0
    """Past the per-content match budget: this match stands for itself and ``more`` further matches of
    its rule that were counted but not judged one by one (reported as one summary finding)."""
    secret: str | None = field(default=None, repr=False, compare=False)
    """The secret itself: memory only."""
    context: str = ""
    """The line holding the secret with every secret on it masked (``content.values.masked_line``): its
    shape (key, quotes, operators, calls) kept, no more of any secret than the redacted preview."""
    value_class: str = "text"
    """``provider-format`` (a provider's distinctive prefix or checksum), ``random`` (16+ generated-looking
    characters, a key block) or ``text`` (may occur as ordinary text): whether a history rewrite may
    replace it by value."""
    cell: str | None = None
    """Where in a database or archive file the secret is (``table.column, rowid N``, ``archive member NAME``),
    None outside one."""
    patched: str | None = None
    """In a unified diff (a committed ``.patch``), the path of the file the secret's hunk patches (its ``+++ b/``
    header): judgement weighs that file's place too, as it does an archive member's. None outside a diff."""


@dataclass(frozen=True)
class Location:
    """Where some content lives: what judgement looks at."""

    path: str
    """Repository-relative path with forward slashes ('' when unknown)."""
    source: str = "worktree"
    """worktree, staged, history or pre-push."""
    blob_id: str | None = None
    """git blob id of the content."""
    commit: str | None = None
    """Commit the content was read from, when known."""
    mode: int | None = None
    """File mode (working tree st_mode, or git mode for blobs)."""


@dataclass(frozen=True)
class Advice:
    """What to do about a finding."""

    summary: str
    """One sentence: what to do now."""
    steps: tuple[str, ...] = ()
    """Ordered steps."""
    urls: tuple[str, ...] = ()
    """Console and documentation URLs."""
    commands: tuple[str, ...] = ()
    """Commands that carry out the fix (never containing the secret)."""
    urgency: str = "medium"
    """critical, high, medium or low: how soon to act, from severity and exposure."""
    why: str = ""
    """One sentence explaining the urgency."""
    expires_after: int | None = None
    """Seconds the credential's format lives at most once issued (``Rule.lifetime``), None when it does not expire."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "summary": self.summary,
            "steps": list(self.steps),
            "urls": list(self.urls),
            "commands": list(self.commands),
            "urgency": self.urgency,
            "why": self.why,
        }
        if self.expires_after is not None:
            out["expires_after"] = self.expires_after
        return out


@dataclass(frozen=True)
class Provenance:
    """Where a secret found in history has been (history and pre-push findings)."""

    commit: str | None
    """Commit that introduced the blob at this path (None: reachable only through a tag, or dangling)."""
    in_head: bool
    """The secret is in a blob of HEAD's tree."""
    pushed: bool
    """A remote-tracking ref reaches the introducing commit."""
    refs: tuple[str, ...] = ()
    """Branches and tags that reach the introducing commit."""
    commits: int | None = None
    """How many commits carry this blob at this path."""
    reachable: bool = True
    """False for dangling blobs (``--include-unreachable``)."""
    author: str | None = None
    """Author of the introducing commit."""
    date: str | None = None
    """ISO 8601 date of the introducing commit."""
    message: str | None = None
    """Subject of the introducing commit."""
    path: str | None = None
    """Path of the blob in that commit."""
    line: int | None = None
    """Line of the secret in that blob."""
    first_seen: str | None = None
    """Date the secret first appeared (following renames back)."""
    last_seen: str | None = None
    """Date of its newest removal, or of the newest ref tip carrying it."""
    renamed_from: str | None = None
    """The path a commit moved it from."""
    introduced_in: int | None = None
    """Commits that introduced this blob at this path."""
    removed_in: tuple[str, ...] = ()
    """The newest commits (at most 20) that removed it from this path."""
    path_in_head: bool = False
    """This blob is at this path in HEAD's tree (where the secret is now)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form (lists for tuples)."""
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            out[name] = list(value) if isinstance(value, tuple) else value
        return out


LIVE = "live"
REVOKED = "revoked"
UNKNOWN = "unknown"
VALIDATION_STATUSES = (LIVE, REVOKED, UNKNOWN)
"""Every ``Validation.status``."""


@dataclass(frozen=True)
class Validation:
    """What a provider said about one credential."""

    status: str
    """``live``, ``revoked`` or ``unknown``."""
    provider: str
    """Provider id (``github``, ``aws``...), or the rule's family when no validator exists."""
    identity: str | None = None
    """Who the credential is (login, account, key or bot name, ARN), as the provider returned it."""
    scopes: tuple[str, ...] = ()
    """What it may do, when the endpoint tells (OAuth scopes, key permissions, role)."""
    reason: str | None = None
    """Why the answer is ``unknown`` (or a note on another status), one line."""
    checked_at: str = ""
    """When the provider was asked (ISO 8601 UTC)."""

    def to_json(self) -> dict[str, Any]:
        """The JSON form (as in reports and the cache)."""
        return {
            "status": self.status,
            "provider": self.provider,
            "identity": self.identity,
            "scopes": list(self.scopes),
            "reason": self.reason,
            "checked_at": self.checked_at,
        }

    def label(self) -> str:
        """For people: ``live as octocat (scopes: repo, read:org)``, ``revoked on 2025-03-04``,
        ``unknown (timed out)``."""
        if self.status == LIVE:
            text = "live" + (f" as {self.identity}" if self.identity else "")
            if self.scopes:
                shown = ", ".join(self.scopes[:8]) + (", ..." if len(self.scopes) > 8 else "")
                text += f" (scopes: {shown})"
            return text
        if self.status == REVOKED:
            return f"revoked on {self.checked_at[:10]}" if self.checked_at else "revoked"
        return f"unknown ({self.reason})" if self.reason else "unknown"

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Validation | None:
        """Read ``to_json``'s form back; None when it is not one."""
        status, provider = data.get("status"), data.get("provider")
        scopes = data.get("scopes", [])
        if status not in VALIDATION_STATUSES or not isinstance(provider, str) or not isinstance(scopes, list):
            return None
        identity, reason, checked = data.get("identity"), data.get("reason"), data.get("checked_at", "")
        if not all(v is None or isinstance(v, str) for v in (identity, reason)) or not isinstance(checked, str):
            return None
        return cls(status, provider, identity, tuple(str(s) for s in scopes), reason, checked)


@dataclass(frozen=True)
class Finding:
    """A reported problem with its location, identity and advice."""

    kind: str
    """secret, sensitive-file, gitignore or file-mode."""
    rule: str
    """Rule or check id."""
    provider: str
    """Provider id (or check family for hygiene findings)."""
    name: str
    """Human description of what was found."""
    severity: str
    """critical, high, medium or low."""
    confidence: str
    """high, medium or low."""
    path: str
    """Repository-relative path."""
    line: int | None
    """1-based line of the start of the secret (None for file-level findings)."""
    column: int | None
    """1-based column (characters) of the start of the secret."""
    fingerprint: str
    """Stable identity: salted hash of rule and secret (or check and path); no line numbers."""
    redacted: str
    """Preview that does not reveal the secret."""
    advice: Advice
    """What to do."""
    source: str = "worktree"
    """worktree, staged or history."""
    end_line: int | None = None
    """1-based line of the end of the secret."""
    end_column: int | None = None
    """1-based column just past the end of the secret."""
    commit: str | None = None
    """Commit that introduced the secret (history), else None."""
    blob_id: str | None = None
    """git blob id of the content."""
    secret_id: str | None = None
    """Salted hash of the secret alone: the same for every copy, across rules and files."""
    provenance: Provenance | None = None
    """History context (author, date, refs, in_head, pushed, ...); None outside history."""
    secret: str | None = field(default=None, repr=False, compare=False)
    """The secret itself: memory only, written out only with --show-secrets."""
    mode: int | None = None
    """File mode (for file-mode findings)."""
    identifier: str | None = None
    """Non-secret identifier of the credential (an AWS access key id; a password's user name), shown and
    used in commands."""
    identifier_line: int | None = None
    """1-based line of ``identifier`` in the same file, when it has one."""
    identifier_kind: str | None = None
    """``user`` when ``identifier`` is a password's user name, else None (a key or client id)."""
    reasons: tuple[str, ...] = ()
    """Named reasons that lowered the confidence (test location, placeholder-like value, ...)."""
    validation: Validation | None = None
    """What the provider said about the secret (``--validate``), else None."""
    context: str = ""
    """The secret's line, every secret on it masked, its shape kept (see ``ContentMatch.context``)."""
    value_class: str = "text"
    """``provider-format``, ``random`` or ``text`` (see ``ContentMatch.value_class``)."""
    cell: str | None = None
    """Where in a database or archive file the secret is (``table.column, rowid N``, ``archive member NAME``),
    None outside one."""

    def with_advice(self, advice: Advice) -> Finding:
        """This finding with other advice: ``dataclasses.replace`` without re-running ``__init__`` over
        every field (contextualising a report of many findings replaces each one's advice)."""
        copy = object.__new__(type(self))
        copy.__dict__.update(self.__dict__)
        copy.__dict__["advice"] = advice
        return copy

    def shown_identifier(self, show_secrets: bool = False) -> str | None:
        """The paired identifier as every output shows it beside the secret (``AKIA...Y3A4``: which key
        to rotate), in full with ``show_secrets``; None when the secret has none."""
        if not self.identifier:
            return None
        from credsweep.util.masking import masked_identifier

        return self.identifier if show_secrets else masked_identifier(self.identifier)

    @property
    def identifier_label(self) -> str:
        """How outputs name the identifier beside the secret: ``user`` for a password's user name, ``id``."""
        return self.identifier_kind or "id"

    def to_dict(self, show_secrets: bool = False, advice: Any = None) -> dict[str, Any]:
        """JSON form; ``advice``, when given, stands in place of the advice's own (a reporter that
        encodes each distinct advice once)."""
        out: dict[str, Any] = {
            "kind": self.kind,
            "rule": self.rule,
            "provider": self.provider,
            "name": self.name,
            "severity": self.severity,
            "confidence": self.confidence,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "source": self.source,
            "commit": self.commit,
            "blob_id": self.blob_id,
            "fingerprint": self.fingerprint,
            "secret_id": self.secret_id,
            "redacted": self.redacted,
            "reasons": list(self.reasons),
            "context": self.context,
            "value_class": self.value_class,
            "cell": self.cell,
            "identifier": self.shown_identifier(show_secrets),
            "identifier_line": self.identifier_line if self.identifier else None,
            "identifier_kind": (self.identifier_kind or "id") if self.identifier else None,
            "advice": self.advice.to_dict() if advice is None else advice,
        }
        if self.validation is not None:
            out["validation"] = self.validation.to_json()
        if self.provenance is not None:
            provenance = self.provenance.to_dict()
            out["provenance"] = provenance
            out.update({k: v for k, v in provenance.items() if k not in out})
        if show_secrets and self.secret is not None:
            out["secret"] = self.secret
        return out


@dataclass(frozen=True)
class Skipped:
    """A file (or blob) a scan did not read, and why."""

    path: str
    """Repository-relative path (a blob id when no path is known)."""
    reason: str
    """binary, too large, symlink, unreadable, submodule."""
    size: int | None = None
    """Bytes, when known (too large)."""


SUPPRESSION_KINDS = ("allowlist.paths", "allowlist.values", "allowlist.stopwords", "allowlist.rules",
                     "disable_rules", "inline", "baseline")
"""What can hide a finding: the configuration's allowlist entries and disabled rules, inline allow
comments in the content, and the baseline."""


@dataclass(frozen=True)
class Suppression:
    """Findings one declared exception hid in a scan: counted and attributed, never silent."""

    kind: str
    """One of ``SUPPRESSION_KINDS``."""
    entry: str
    """The entry itself: a path pattern, a value regex, a stopword, a rule id or prefix ("" for inline
    comments and the baseline)."""
    count: int
    """Findings it hid (each would have been reported otherwise)."""
    source: str = ""
    """The file that declared it (the configuration or the baseline, as given), "" for inline comments."""

    @property
    def key(self) -> str:
        """``kind`` and ``entry`` as one string (what a ``ContentMatch.suppressed`` holds)."""
        return suppression_key(self.kind, self.entry)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "entry": self.entry, "count": self.count, "source": self.source}


def suppression_key(kind: str, entry: str) -> str:
    """The key a suppressed match carries: kind, a unit separator, the entry."""
    return f"{kind}\x1f{entry}"


@dataclass(frozen=True)
class ScanStats:
    """What a scan read."""

    files: int = 0
    """Items scanned."""
    bytes: int = 0
    """Bytes scanned."""
    skipped: tuple[tuple[str, int], ...] = ()
    """(reason, count) of items not scanned (binary, too large, symlink, unreadable)."""
    skipped_files: tuple[Skipped, ...] = ()
    """The files not scanned, by name, where the source knows names (working tree, index)."""
    engine: str = ""
    """Matching engine used."""
    seconds: float = 0.0
    """Wall time."""
    baselined: int = 0
    """Findings suppressed by the baseline."""
    stale_baseline: int = 0
    """Baseline entries that matched nothing in this scan (``baseline update`` removes them)."""
    baseline_unaudited: int = 0
    """Reported findings that are in the baseline but unaudited (reports hide only audited ones)."""
    suppressed: tuple[Suppression, ...] = ()
    """What each allowlist entry, disabled rule, inline comment and the baseline hid, with its source."""
    notes: tuple[str, ...] = ()
    """Things the person running the scan must know (e.g. a commit changes the scan's configuration)."""

    @property
    def skipped_counts(self) -> dict[str, int]:
        """Reason → count."""
        return dict(self.skipped)

    @staticmethod
    def count_skipped(files: Iterable[Skipped], extra: dict[str, int] | None = None) -> tuple[tuple[str, int], ...]:
        """(reason, count) pairs for ``files`` plus ``extra`` counts, sorted by reason."""
        counts: dict[str, int] = dict(extra or {})
        for entry in files:
            counts[entry.reason] = counts.get(entry.reason, 0) + 1
        return tuple(sorted(counts.items()))


@dataclass(frozen=True)
class Report:
    """The result of one scan command, consumed by reporters."""

    command: str
    """scan, history, staged or pre-push."""
    root: str
    """The scanned path."""
    findings: tuple[Finding, ...]
    """Everything reported, ordered by path, line."""
    stats: ScanStats
    """What was read."""
    tool_version: str = ""
    """credsweep's version; "" when the scan did not ask for it (the hook's), and a reporter that prints
    it asks ``credsweep.version()`` then (``Report.version``)."""

    @property
    def version(self) -> str:
        """credsweep's version, for reporters that print it."""
        if self.tool_version:
            return self.tool_version
        from credsweep import version

        return version()


@dataclass(frozen=True)
class BlockContext:
    """What the block message needs beyond the report, so every command it prints works as printed."""

    baseline_args: str = ""
    """`` --baseline FILE`` to append to printed credsweep commands (when the hook was given one), or ""."""
    baseline_file: str = ".credsweep-baseline.json"
    """The baseline file, as typed from the repository root (for ``git add``)."""
    baseline_exists: bool = False
    """Whether it exists (``baseline update`` then, else ``baseline create``)."""
    head: str | None = None
    """Commit id of HEAD, None before the first commit (pre-push: a secret added there is removed with
    ``git commit --amend``; staged: nothing to ``git restore --staged`` from without it)."""
    root_commits: frozenset[str] = frozenset()
    """Commits without a parent (pre-push: ``git rebase -i --root`` instead of ``COMMIT~1``)."""
    credsweep: str = "credsweep"
    """The words that run this credsweep from the user's shell (``util.invocation``): under the
    pre-commit framework, its private interpreter's ``python -m credsweep``."""
