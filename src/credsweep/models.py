"""Frozen data that crosses pipeline stages: content items, matches, findings, advice.

Plain-text secrets live only in ``Match.secret`` and ``Finding.secret`` (in memory, excluded from
``repr``); every output writes ``Finding.redacted`` unless the user passed ``--show-secrets``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


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
    """A paired non-secret identifier (AWS access key id), set by judgement's pairing."""
    encoding: str | None = None
    """base64 or url when the secret was found inside an encoded run, else None."""
    hex_value: bool = False
    """A generic match whose value is a hex string (test vectors are judged by where they live)."""
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
    """Where in a database file the secret is (``table.column, rowid N``), None outside one."""


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "steps": list(self.steps),
            "urls": list(self.urls),
            "commands": list(self.commands),
            "urgency": self.urgency,
            "why": self.why,
        }


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
    """Non-secret identifier of the credential (e.g. AWS access key id), shown and used in commands."""
    reasons: tuple[str, ...] = ()
    """Named reasons that lowered the confidence (test location, placeholder-like value, ...)."""
    context: str = ""
    """The secret's line, every secret on it masked, its shape kept (see ``ContentMatch.context``)."""
    value_class: str = "text"
    """``provider-format``, ``random`` or ``text`` (see ``ContentMatch.value_class``)."""
    cell: str | None = None
    """Where in a database file the secret is (``table.column, rowid N``), None outside one."""

    def with_advice(self, advice: Advice) -> Finding:
        """This finding with other advice: ``dataclasses.replace`` without re-running ``__init__`` over
        every field (contextualising a report of many findings replaces each one's advice)."""
        copy = object.__new__(type(self))
        copy.__dict__.update(self.__dict__)
        copy.__dict__["advice"] = advice
        return copy

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
            "identifier": (self.identifier if show_secrets else f"{self.identifier[:4]}...{self.identifier[-4:]}")
            if self.identifier else None,
            "advice": self.advice.to_dict() if advice is None else advice,
        }
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
    """Baseline entries that matched nothing in this scan (``baseline update`` removes them)."""

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
